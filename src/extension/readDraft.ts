/**
 * Drafts that are not open ("Check Figures in Workspace", their re-checks, Find All
 * References), read as the editor would open them.
 */
import * as vscode from 'vscode';
import { decodeText, replacementCount, type DecodedText } from '../core';

/** VS Code's names for UTF-8 in `files.encoding`: the way `decodeText` reads a file without a mark. */
const UTF8 = new Set(['utf8', 'utf8bom']);

/**
 * The text of a draft that is not open, as VS Code would open it. `decodeText` reads it first:
 * a binary or UTF-32 file is not read, with the reason, and bytes that are not valid UTF-8 are
 * counted in a warning. When the settings may give the file another encoding (`files.encoding`,
 * for all files or for a language) or have VS Code guess it (`files.autoGuessEncoding`), VS
 * Code's own decoder reads it instead. Only then: that hands the whole file to the window and
 * back, which for a 1 MB file held the extension host up for 50–80 ms.
 */
export async function readClosedDraft(uri: vscode.Uri): Promise<DecodedText> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  const own = decodeText(bytes);
  if (!own.ok || !otherEncoding(uri)) return own;
  let text: string;
  try {
    text = await vscode.workspace.decode(bytes, { uri });
  } catch {
    // VS Code takes it for a binary file where `decodeText` does not: read it as that does.
    return own;
  }
  if (text === own.text) return own;
  const unread = replacementCount(text);
  return unread ? { ok: true, text, warning: `as VS Code reads it, holds ${unread} "\ufffd" (bytes its encoding has no character for, or written so); figures next to them may be missed` } : { ok: true, text };
}

/**
 * Whether the settings may have VS Code read this file in another encoding than UTF-8: they give
 * it one or have it guessed, for all files or for some language (the file's language is VS
 * Code's to work out, `files.associations` and all).
 */
function otherEncoding(uri: vscode.Uri): boolean {
  const notUtf8 = (files: vscode.WorkspaceConfiguration) => files.get<boolean>('autoGuessEncoding') === true || !UTF8.has(files.get<string>('encoding') ?? 'utf8');
  const files = vscode.workspace.getConfiguration('files', uri);
  if (notUtf8(files)) return true;
  const languageIds = new Set([...(files.inspect('encoding')?.languageIds ?? []), ...(files.inspect('autoGuessEncoding')?.languageIds ?? [])]);
  return [...languageIds].some((languageId) => notUtf8(vscode.workspace.getConfiguration('files', { uri, languageId })));
}
