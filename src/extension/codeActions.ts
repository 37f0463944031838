/**
 * Quick fixes for checked figures and names: use a recorded figure instead of a wrong one,
 * or the year a figure is recorded for instead of the one the draft gives it, use the current
 * name instead of a former one, cite the source after a checked figure, or
 * suppress a finding with a reason kept in the draft. Every change is a `WorkspaceEdit`, so
 * one undo reverts it.
 */
import * as vscode from 'vscode';
import type { Finding } from '../core';
import { DIAGNOSTIC_SOURCE, rangeToSpan, spanToRange } from './convert';
import type { Deps } from './deps';
import { SETTING } from './settings';

export const SUPPRESS_COMMAND = 'policyFacts.suppressFinding';
/** Offered in the reason box; tests pass their own reason as the command's last argument. */
export const DEFAULT_SUPPRESS_REASON = 'checked against the source';

const FIX = vscode.CodeActionKind.QuickFix;

export function registerCodeActions(deps: Deps): vscode.Disposable {
  const { analysis, settings, log } = deps;
  const provider: vscode.CodeActionProvider = {
    provideCodeActions: log.guard('Quick fixes', [], (document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext) => {
      if (context.only && !context.only.contains(FIX) && !FIX.contains(context.only)) return [];
      // Asked for by the user (Ctrl+., a click on the light bulb): the draft as it is now. Asked for
      // by the editor itself (to show the light bulb), only once the draft is checked: opening a
      // long draft does not wait for its check; its diagnostics, when they come, ask again.
      const result = context.triggerKind === vscode.CodeActionTriggerKind.Automatic ? analysis.peek(document) : analysis.get(document);
      if (!result) return [];
      const span = rangeToSpan(document, range);
      const hit = (f: Finding) => (span.start === span.end ? f.start <= span.start && span.start <= f.end : f.start < span.end && f.end > span.start);
      const actions: vscode.CodeAction[] = [];
      for (const f of result.findings) {
        if (f.suppressed || !hit(f)) continue;
        const range = spanToRange(document, f);
        const diagnostic = context.diagnostics.find((d) => d.source === DIAGNOSTIC_SOURCE && codeOf(d) === f.code && d.range.isEqual(range));
        actions.push(...fixesFor(document, f, range, diagnostic));
      }
      return actions;
    }),
  };
  // Registered for the languages in the settings, and again when they change.
  const register = () =>
    vscode.languages.registerCodeActionsProvider(
      settings.languages(vscode.workspace.workspaceFolders?.[0]?.uri).map((language) => ({ language })),
      provider,
      { providedCodeActionKinds: [FIX] },
    );
  let registration = register();
  return vscode.Disposable.from(
    { dispose: () => registration.dispose() },
    settings.onDidChange((e) => {
      if (!e.affects(SETTING.languages)) return;
      registration.dispose();
      registration = register();
    }),
    vscode.commands.registerCommand(
      'policyFacts.suppressFinding',
      log.wrap('Suppress Finding', (uri?: string | vscode.Uri, line?: number, code?: string, reason?: string) => suppress(uri, line, code, reason)),
    ),
  );
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

function fixesFor(document: vscode.TextDocument, f: Finding, range: vscode.Range, diagnostic: vscode.Diagnostic | undefined): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  const action = (title: string, edit?: vscode.WorkspaceEdit): vscode.CodeAction => {
    const a = new vscode.CodeAction(title, FIX);
    if (edit) a.edit = edit;
    if (diagnostic) a.diagnostics = [diagnostic];
    out.push(a);
    return a;
  };
  const replace = (text: string) => {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, range, text);
    return edit;
  };

  switch (f.status) {
    case 'mismatch':
    case 'misattributed':
    case 'inconsistent': {
      (f.replacements ?? []).forEach((r, i) => {
        const x = f.expected?.find((e) => e.replacement === r && e.entityId === f.entityId);
        const a = action(`Use the recorded figure “${r}”${x ? ` (${describe(x.about, x.period ?? x.asOf)})` : ''}`, replace(r));
        if (i === 0) a.isPreferred = true;
      });
      break;
    }
    case 'former-name':
      (f.replacements ?? []).forEach((r, i) => {
        const a = action(`Use the current name “${r}”`, replace(r));
        if (i === 0) a.isPreferred = true;
      });
      break;
    case 'rounded': {
      const x = f.expected?.[0];
      if (x && x.replacement !== f.text) action(`Use the exact recorded figure “${x.replacement}”`, replace(x.replacement));
      break;
    }
  }

  // The figure is right for another year: put that year in instead.
  if (f.code === 'figure.period' && f.year) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, spanToRange(document, f.year), f.year.recorded);
    const a = action(`Use the recorded year “${f.year.recorded}” instead of “${f.year.text}”`, edit);
    if (!f.replacements?.length) a.isPreferred = true;
  }

  // A citation after a figure the facts confirm.
  if ((f.status === 'verified' || f.status === 'rounded') && f.expected?.[0]?.source) {
    const after = document.getText(new vscode.Range(range.end, range.end.translate(0, 40)));
    if (!/^\s*[([]\s*source\b/i.test(after)) {
      const citation = ` (Source: ${f.expected[0].source})`;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, range.end, citation);
      action(`Cite the source after ${f.text}: “${citation.trim()}”`, edit);
    }
  }

  // Suppress anything that is reported.
  if (f.status !== 'verified' && f.status !== 'limit' && f.severity !== 'off') {
    const a = action(`Suppress “${f.code}” here, with a reason…`);
    a.command = {
      command: SUPPRESS_COMMAND,
      title: 'Suppress with a reason',
      arguments: [document.uri.toString(), range.start.line, f.code],
    };
  }
  return out;
}

function describe(about: string, when: string | undefined): string {
  return when ? `${about}, ${when}` : about;
}

/**
 * Inserts a `policy-facts-ignore: <reason>` comment that covers `line`: in Markdown an HTML
 * comment (invisible when rendered), in other text `[policy-facts-ignore: <reason>]`. It goes
 * on its own line above, unless that would split a Markdown paragraph, list or table: then at
 * the end of the line itself. Returns whether the draft was changed.
 */
async function suppress(uriArg: string | vscode.Uri | undefined, lineArg: number | undefined, code: string | undefined, reasonArg: string | undefined): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg, true) : uriArg ?? editor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Open a draft and put the cursor on the line to suppress.');
    return false;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const line = Math.max(0, Math.min(lineArg ?? (editor?.document === document ? editor.selection.active.line : 0), document.lineCount - 1));
  let reason = reasonArg;
  if (reason === undefined) {
    reason = await vscode.window.showInputBox({
      title: `Suppress ${code ?? 'Policy Facts findings'} on line ${line + 1}`,
      prompt: 'Why is the text right as written? The reason stays in the draft, in the comment.',
      value: DEFAULT_SUPPRESS_REASON,
      valueSelection: [0, DEFAULT_SUPPRESS_REASON.length],
      validateInput: (v) => (cleanReason(v) ? undefined : 'Give a reason, so the next reader knows why.'),
    });
    if (reason === undefined) return false;
  }
  const clean = cleanReason(reason) || DEFAULT_SUPPRESS_REASON;
  const edit = new vscode.WorkspaceEdit();
  const e = suppressionEdit(document, line, clean);
  edit.insert(document.uri, e.position, e.text);
  return vscode.workspace.applyEdit(edit);
}

/** A reason on one line, without the characters that would end the comment early. */
function cleanReason(reason: string): string {
  return reason.replace(/-->|[\]\r\n]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function suppressionEdit(document: vscode.TextDocument, line: number, reason: string): { position: vscode.Position; text: string } {
  const text = document.lineAt(line).text;
  const indent = /^[ \t]*/.exec(text)![0];
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  if (/markdown|mdx/i.test(document.languageId)) {
    const comment = `<!-- policy-facts-ignore: ${reason} -->`;
    const startsBlock = line === 0 || document.lineAt(line - 1).isEmptyOrWhitespace;
    const structural = /^\s*(?:[-*+]\s|\d+[.)]\s|>|\|)/.test(text);
    if (startsBlock && !structural) return { position: new vscode.Position(line, 0), text: `${indent}${comment}${eol}` };
    return { position: new vscode.Position(line, text.length), text: `${/\s$/.test(text) ? '' : ' '}${comment}` };
  }
  return { position: new vscode.Position(line, 0), text: `${indent}[policy-facts-ignore: ${reason}]${eol}` };
}
