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
    // The best of three drafts: the first check runs on cold code, and the browser collects
    // garbage in pauses of its own. In one go, a check holds everything up for all of its time.
    const seen: { longest: number; took: number }[] = [];
    for (let i = 0; i < 3 && !seen.some((h) => h.longest < h.took / 2); i++) {
      const text = `# Draft ${i}\n\n${(paragraph + filler.repeat(3)).repeat(1500)}`;
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
      // Until the check has ended (announced as `checked`, before its diagnostics are published).
      const watch = watchHoldUps();
      let held: { longest: number; took: number } | undefined;
      const checked = api.analysis.onDidChange((e) => {
        if (e.reason === 'checked' && e.uri?.toString() === doc.uri.toString()) held ??= watch.stop();
      });
      const result = await api.analysis.getInSlices(doc);
      checked.dispose();
      // (Until now, if no check was announced: one done in one go is not.)
      held ??= watch.stop();
      assert.ok(result, 'checked');
      assert.deepEqual(result.summary, checkText(api.knowledge.kb, text, api.analysis.checkOptions(doc.uri, text)).summary);
      assert.ok(result.summary.mismatch >= 1500, `every wrong figure found: ${JSON.stringify(result.summary)}`);
      seen.push(held);
      console.log(`web worker: a ${text.length}-character draft checked in slices in ${Math.round(held.took)} ms, longest hold-up ${Math.round(held.longest)} ms`);
    }
    assert.ok(
      seen.some((h) => h.longest < h.took / 2),
      `held up for ${seen.map((h) => `${Math.round(h.longest)} ms at once while a draft was checked in ${Math.round(h.took)} ms`).join('; ')}`,
    );
  });
});
