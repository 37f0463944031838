/**
 * Policy Facts in VS Code for the web: the extension runs in the browser's web worker extension
 * host (no Node), activates there with its bundled facts, and reads the workspace's own fact
 * files through VS Code's file system. Runs on a copy of test/fixtures/workspace.
 */
import * as vscode from 'vscode';
import * as assert from './assert';
import { activeApi, at, fixture, hoverText, waitFor } from './workspace';

describe('VS Code for the web: startup', () => {
  it('runs in the web worker extension host and activates there with the bundled facts', async () => {
    assert.equal(typeof process, 'undefined', 'no Node process: this is a browser worker');
    assert.equal(typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope, 'function', 'a web worker');
    assert.equal(vscode.env.uiKind, vscode.UIKind.Web, 'the UI is VS Code for the web');

    const { ext, api } = await activeApi();
    assert.ok(ext.isActive, 'the extension is active');
    assert.equal(ext.extensionKind, vscode.ExtensionKind.UI, 'the extension runs beside the UI, not on the server');

    const bundled = api.knowledge.status().files.filter((f) => f.layer === 'bundled');
    assert.ok(bundled.length > 0 && bundled.every((f) => f.label.startsWith('seeds/') && !f.readError), JSON.stringify(bundled));
    const dfe = api.knowledge.kb.findByName('DfE');
    assert.deepEqual(
      dfe.map((e) => [e.name, e.layer]),
      [['Department for Education', 'bundled']],
      'the DfE acronym names the bundled Department for Education',
    );
    assert.ok(api.knowledge.kb.entities.filter((e) => e.layer === 'bundled').length >= 10, 'the bundled facts hold many entities');
  });

  it('loads a workspace fact file (.policy-facts/local.yaml), whose entity answers a hover', async () => {
    const { api } = await activeApi();
    const pilot = await waitFor(
      () => {
        const e = api.knowledge.kb.get('riverside-numeracy-pilot');
        assert.ok(e, `the workspace fact files are loaded: ${JSON.stringify(api.knowledge.status().files.map((f) => f.label))}`);
        return e;
      },
      { timeoutMs: 30_000 },
    );
    assert.equal(pilot.layer, 'workspace');
    assert.equal(pilot.name, 'Riverside Numeracy Pilot');
    assert.deepEqual(pilot.facts.map((f) => f.figure), ['1,250 pupils']);
    assert.ok(pilot.origin.uri.endsWith('/.policy-facts/local.yaml'), pilot.origin.uri);

    const draft = await vscode.workspace.openTextDocument(fixture('knowledge-draft.md'));
    const md = await hoverText(draft, at(draft, 'RNP'));
    assert.match(md, /\*\*Riverside Numeracy Pilot\*\* \(RNP\) — \*programme · pilot\*/);
    assert.match(md, /\*\*1,250 pupils\*\*/, 'the key figure from the workspace file');
  });
});
