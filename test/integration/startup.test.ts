/**
 * Starting inside a real VS Code: the bundled facts come precompiled inside the extension's
 * bundle, so they are in use before `activate` returns, without reading any file; the
 * workspace's own fact files merge in afterwards, and hovers and diagnostics follow them.
 * Runs on a copy of test/fixtures/workspace.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KnowledgeBase } from '../../src/core';
import { EXTENSION_ID } from '../../src/extension/deps';
import type { PolicyFactsApiWithTimings } from '../../src/extension/extension';
import type { KnowledgeService } from '../../src/extension/knowledgeService';
import { Log } from '../../src/extension/log';
import { waitFor } from './index';
import { encode, fixture } from './workspace';

function hoverText(hovers: readonly vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

describe('start', () => {
  let ext: vscode.Extension<PolicyFactsApiWithTimings>;
  let api: PolicyFactsApiWithTimings;

  before(async () => {
    const found = vscode.extensions.getExtension<PolicyFactsApiWithTimings>(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is installed`);
    ext = found;
    api = await ext.activate();
    await api.ready;
  });

  it('has the bundled facts in use before activate() returned, from the snapshot in the bundle', () => {
    const { firstKnowledge, activated } = api.timings;
    assert.ok(firstKnowledge !== undefined && activated !== undefined, JSON.stringify(api.timings));
    assert.ok(firstKnowledge <= activated, `bundled facts in use after ${firstKnowledge} ms, activate() returned after ${activated} ms`);
    const status = api.knowledge.status();
    const bundled = status.files.filter((f) => f.layer === 'bundled');
    assert.ok(bundled.length > 0);
    assert.equal(status.bundledFromSnapshot, bundled.length, status.bundledHow);
    assert.match(status.bundledHow, /from the precompiled snapshot/);
    // Go to definition still lands in the real seed files.
    assert.ok(bundled.every((f) => f.label.startsWith('seeds/')), JSON.stringify(bundled.map((f) => f.label)));
  });

  it('a knowledge service of the bundle answers from the bundled facts at once, and merges the workspace files in after', async () => {
    // The class as bundled in dist/extension.js (with its snapshot), not the one compiled for the tests.
    const Service = api.knowledge.constructor as typeof KnowledgeService;
    const log = new Log('Policy Facts (start test)');
    const service = new Service(ext.extensionUri, api.settings, log, { diagnostics: false });
    const changes: KnowledgeBase[] = [];
    const listener = service.onDidChange((kb) => changes.push(kb));
    try {
      const ready = service.start();
      // No await yet: nothing can have been read, and the bundled facts are there.
      assert.equal(service.generation, 1);
      assert.equal(service.kb.findByName('DfE')[0]?.name, 'Department for Education');
      assert.ok(service.kb.get('riverside-numeracy-pilot') === undefined, 'the workspace facts are not read yet');
      assert.equal(changes.length, 1);
      await ready;
      assert.equal(service.kb.get('riverside-numeracy-pilot')?.layer, 'workspace', 'the workspace facts merged in');
      assert.ok(service.kb.findByName('DfE').length, 'with the bundled facts');
      assert.equal(changes.length, 2, 'one change for the bundled facts, one when the workspace files arrived');
      assert.equal(changes[1], service.kb);
    } finally {
      listener.dispose();
      service.dispose();
      log.dispose();
    }
  });

  it('hovers and diagnostics follow workspace facts that arrive after the bundled ones', async () => {
    const draft = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'The Quayside Reading Scheme reached 313 pupils last year.\n' });
    await vscode.window.showTextDocument(draft);
    const name = draft.positionAt(draft.getText().indexOf('Quayside') + 3);
    const hover = async () => hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', draft.uri, name));
    const codes = () => vscode.languages.getDiagnostics(draft.uri).map((d) => String(d.code));
    assert.doesNotMatch(await hover(), /Quayside Reading Scheme/, 'not a known name yet');
    await waitFor(() => assert.ok(!codes().includes('figure.mismatch'), JSON.stringify(codes())));

    const file = fixture('startup.facts.yaml');
    const facts = [
      'sources:',
      '  - id: quayside-report',
      '    title: Quayside Reading Scheme annual report',
      'entities:',
      '  - id: quayside-reading-scheme',
      '    kind: programme',
      '    type: scheme',
      '    name: Quayside Reading Scheme',
      '    facts:',
      '      - figure: 312 pupils',
      '        about: pupils reached in the year',
      '        counts: pupils',
      '        source: { source: quayside-report }',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(file, encode(facts));
    try {
      await waitFor(async () => assert.match(await hover(), /Quayside Reading Scheme/), { timeoutMs: 20_000 });
      await waitFor(() => assert.ok(codes().includes('figure.mismatch'), JSON.stringify(codes())), { timeoutMs: 20_000 });
    } finally {
      await vscode.workspace.fs.delete(file);
    }
    await waitFor(async () => assert.doesNotMatch(await hover(), /Quayside Reading Scheme/), { timeoutMs: 20_000 });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
