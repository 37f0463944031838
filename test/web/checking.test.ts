/** Checking figures in VS Code for the web: a wrong figure in an open draft is reported. */
import * as vscode from 'vscode';
import { checkText } from '../../src/core';
import * as assert from './assert';
import { activeApi, fixture, waitFor, watchHoldUps } from './workspace';

const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

describe('VS Code for the web: checking figures', () => {
  it('reports a wrong figure in a draft as a Policy Facts problem, at the figure', async () => {
    await activeApi();
    const doc = await vscode.workspace.openTextDocument(fixture('drafts', 'checking-briefing.md'));
    await vscode.window.showTextDocument(doc, { preview: false });
    const wrong = await waitFor(() => {
      const ours = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Policy Facts');
      const d = ours.find((x) => codeOf(x) === 'figure.mismatch');
      assert.ok(d, `a figure.mismatch diagnostic; so far: ${ours.map(codeOf).join(', ') || 'none'}`);
      return d;
    });
    assert.equal(doc.getText(wrong.range), '£250m');
    assert.equal(wrong.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(wrong.message, /£250m does not match what is recorded for Youth Endowment Fund: £200m/);
  });

  it('checks a long draft in slices there too: the extension host keeps answering while it is checked', async () => {
    const { api } = await activeApi();
    const paragraph = 'The Youth Endowment Fund is a £250m endowment, and Supporting Families reached 401,719 families.\n\n';
    const filler = 'Officials met partners across the region to discuss next steps and agree a timetable for the work.\n\n';
    const text = (paragraph + filler.repeat(3)).repeat(1500);
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
    // Until the check has ended (announced as `checked`, before its diagnostics are published).
    const watch = watchHoldUps();
    let held: { longest: number; took: number } | undefined;
    const checked = api.analysis.onDidChange((e) => {
      if (e.reason === 'checked' && e.uri?.toString() === doc.uri.toString()) held ??= watch.stop();
    });
    const result = await api.analysis.getInSlices(doc);
    checked.dispose();
    assert.ok(held, 'announced as checked');
    const { longest, took } = held;
    assert.ok(result, 'checked');
    assert.deepEqual(result.summary, checkText(api.knowledge.kb, text, api.analysis.checkOptions(doc.uri, text)).summary);
    assert.ok(result.summary.mismatch >= 1500, `every wrong figure found: ${JSON.stringify(result.summary)}`);
    // In one go it would hold everything up for all of that time. Here the checker's code is still
    // cold (this is the worker's first long check) and the browser collects garbage in pauses of
    // its own, so the bound is looser than in the desktop's extension host.
    assert.ok(longest < took / 2, `held up for ${Math.round(longest)} ms at once while a ${text.length}-character draft was checked in ${Math.round(took)} ms`);
    console.log(`web worker: a ${text.length}-character draft checked in slices in ${Math.round(took)} ms, longest hold-up ${Math.round(longest)} ms`);
  });
});
