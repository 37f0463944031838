/** The fixture workspace the integration tests run in (a temporary copy of test/fixtures/workspace). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const folder = (): vscode.WorkspaceFolder => {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the fixture workspace is open');
  return f;
};

export const fixture = (...parts: string[]): vscode.Uri => vscode.Uri.joinPath(folder().uri, ...parts);

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * Calls `seen` with the uri each time diagnostics for one document are handed to VS Code
 * through `collection` (VS Code's own event also carries other extensions' changes, in
 * batches). Dispose to stop watching.
 */
export function watchPublishes(collection: vscode.DiagnosticCollection, seen: (uri: vscode.Uri) => void): vscode.Disposable {
  const set = collection.set;
  collection.set = function (this: vscode.DiagnosticCollection, ...args: unknown[]) {
    if (args[0] instanceof vscode.Uri) seen(args[0]);
    return Reflect.apply(set, this, args);
  } as typeof set;
  return { dispose: () => void (collection.set = set) };
}
