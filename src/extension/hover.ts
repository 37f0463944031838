/**
 * Hover cards: on a mention of a programme or organisation, what it is, its key figures and
 * where they come from; on a figure, what it was checked against and the verdict. In a fact
 * file, hovering an id (`target: dfe`) or an entry's name shows the same card.
 *
 * The Markdown is built by the pure renderers in core; here it is only wrapped. Links in it
 * may run our navigation commands and nothing else, and no HTML is rendered.
 */
import * as vscode from 'vscode';
import { HOVER_COMMAND_IDS, escapeMarkdown, renderEntityHover, renderFigureHover, spansAt, type Finding } from '../core';
import { spanToRange } from './convert';
import type { Deps } from './deps';
import { registerForServedDocuments, targetAt } from './definition';

/** At most this many cards in one hover (a name shared by several entities). */
const MAX_CARDS = 3;

/** Markdown from our renderers, allowed to run only our own commands. */
export function trustedMarkdown(value: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(value);
  md.isTrusted = { enabledCommands: [...HOVER_COMMAND_IDS] };
  md.supportHtml = false;
  md.supportThemeIcons = false;
  return md;
}

/** Findings about figures (not names, not limits) under an offset. */
function figureFindingsAt(findings: readonly Finding[], offset: number): Finding[] {
  return spansAt(findings, offset).filter((f) => f.figure && f.status !== 'former-name' && f.status !== 'limit');
}

export function provideHover(deps: Deps, document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
  if (!deps.settings.enabled(document.uri) || !deps.settings.hoverEnabled(document.uri)) return undefined;
  const kb = deps.knowledge.kb;
  const parts: vscode.MarkdownString[] = [];
  let range: vscode.Range | undefined;

  const result = deps.analysis.get(document);
  if (result) {
    const offset = document.offsetAt(position);
    for (const f of figureFindingsAt(result.findings, offset)) {
      parts.push(trustedMarkdown(renderFigureHover(kb, f, { commands: true })));
      range ??= spanToRange(document, f);
    }
  }

  const target = targetAt(deps, document, position);
  if (target) {
    const former = target.mention?.nameKind === 'former' || target.mention?.nameKind === 'former-acronym';
    for (const e of target.entities.slice(0, MAX_CARDS)) {
      // Only the entity the name was matched for is named by a former name.
      const formerName = former && e.id === target.mention?.entityId;
      parts.push(trustedMarkdown(renderEntityHover(kb, e, { commands: true, mentionText: target.mention?.text, formerName })));
    }
    if (target.entities.length > MAX_CARDS) {
      parts.push(trustedMarkdown(`*This name is shared by ${target.entities.length - MAX_CARDS} more.*`));
    }
    if (target.source && !target.entities.length) {
      const s = target.source;
      const rest = [s.publisher, s.author, s.date].filter((x): x is string => !!x).map((x) => escapeMarkdown(x.replace(/\s+/g, ' ')));
      parts.push(trustedMarkdown(`**${escapeMarkdown(s.title.replace(/\s+/g, ' '))}**${rest.length ? ` — ${rest.join(', ')}` : ''}${s.note ? `\n\n${escapeMarkdown(s.note.replace(/\s+/g, ' '))}` : ''}`));
    }
    range ??= target.range;
  }
  return parts.length ? new vscode.Hover(parts, range) : undefined;
}

export function registerHover(deps: Deps): vscode.Disposable {
  const provider: vscode.HoverProvider = {
    provideHover: deps.log.guard('Hover', undefined, (document: vscode.TextDocument, position: vscode.Position) => provideHover(deps, document, position)),
  };
  // The provider VS Code calls, reachable for tests and the in-process hover benchmark.
  deps.api.features.hover = provider;
  return registerForServedDocuments(deps, (selector) => vscode.languages.registerHoverProvider(selector, provider), { factFiles: true });
}
