/**
 * Drafts that are not open ("Check Figures in Workspace", their re-checks, Find All
 * References), read as the editor would open them.
 */
import * as vscode from 'vscode';
import { decodeText, type DecodedText } from '../core';

/**
 * The text of a draft that is not open, as VS Code would open it: in the encoding its settings
 * give it (`files.encoding`, `files.autoGuessEncoding`), by VS Code's own decoder. `decodeText`
 * looks at it first: a binary or UTF-32 file is not read, with the reason; and where VS Code
 * reads it as UTF-8 too, bytes that are not valid UTF-8 are counted in a warning.
 */
export async function readClosedDraft(uri: vscode.Uri): Promise<DecodedText> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  const own = decodeText(bytes);
  if (!own.ok) return own;
  let text: string;
  try {
    text = await vscode.workspace.decode(bytes, { uri });
  } catch {
    // VS Code takes it for a binary file where `decodeText` does not: read it as that does.
    return own;
  }
  if (text === own.text) return own;
  return own.warning && text.includes('\ufffd') ? { ok: true, text, warning: own.warning } : { ok: true, text };
}
