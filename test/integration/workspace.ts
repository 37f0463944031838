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
