/** What the web tests share: the extension's API, the fixture workspace, waiting, hovers. */
import * as vscode from 'vscode';
import { EXTENSION_ID, type PolicyFactsApi } from '../../src/extension/deps';
import * as assert from './assert';

/** The extension under test, activated, once its first knowledge base has loaded. */
export async function activeApi(): Promise<{ ext: vscode.Extension<PolicyFactsApi>; api: PolicyFactsApi }> {
  const ext = vscode.extensions.getExtension<PolicyFactsApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  const api = await ext.activate();
  await api.ready;
  return { ext, api };
}

/** A file of the fixture workspace (a temporary copy of test/fixtures/workspace). */
export function fixture(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

/** The start of the first occurrence of `needle` in `doc`, one character in. */
export function at(doc: vscode.TextDocument, needle: string): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `"${needle}" is in ${doc.uri.path}`);
  return doc.positionAt(i + 1);
}

/** The Markdown of every hover at `position`, joined. */
export async function hoverText(doc: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n\n---\n\n');
}

export { waitFor, watchHoldUps } from '../integration/wait';
