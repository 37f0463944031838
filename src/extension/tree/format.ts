/**
 * Words, icons and Markdown shared by the sidebar, the status bar, the quick fixes and the
 * commands: how a finding's status is named and drawn, how fact-file text is made safe for a
 * tooltip, and how a citation of a source is written.
 */
import * as vscode from 'vscode';
import type { Log } from '../log';
import type { CheckSummary, Entity, Fact, Finding, FindingStatus, KnowledgeBase, Source } from '../../core';

/** How each status is shown: a short word for descriptions, a codicon and its colour. */
export const STATUS_LOOK: Readonly<Record<FindingStatus, { readonly word: string; readonly icon: string; readonly color?: string }>> = {
  verified: { word: 'verified', icon: 'pass', color: 'testing.iconPassed' },
  rounded: { word: 'rounded', icon: 'check', color: 'testing.iconPassed' },
  mismatch: { word: 'wrong', icon: 'error', color: 'problemsErrorIcon.foreground' },
  misattributed: { word: 'misattributed', icon: 'warning', color: 'problemsWarningIcon.foreground' },
  inconsistent: { word: 'inconsistent', icon: 'warning', color: 'problemsWarningIcon.foreground' },
  unverified: { word: 'unverified', icon: 'question' },
  'former-name': { word: 'former name', icon: 'history', color: 'problemsInfoIcon.foreground' },
  limit: { word: 'not checked', icon: 'circle-slash' },
};

export function statusIcon(status: FindingStatus, suppressed?: string): vscode.ThemeIcon {
  if (suppressed) return new vscode.ThemeIcon('circle-slash');
  const look = STATUS_LOOK[status];
  return new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
}

/** Findings that are about a figure (not a name, not a limit). */
export function isFigureFinding(f: Finding): boolean {
  return f.status !== 'former-name' && f.status !== 'limit';
}

/** Wrong, misattributed or inconsistent: what a writer must look at before sending a draft. */
export function isProblem(f: Finding): boolean {
  return !f.suppressed && (f.status === 'mismatch' || f.status === 'misattributed' || f.status === 'inconsistent');
}

/** Counts of one check, grouped the way the status bar, the tree and the messages say them. */
export interface Tally {
  readonly figures: number;
  /** Verified or a correct rounding. */
  readonly ok: number;
  readonly verified: number;
  readonly rounded: number;
  /** Wrong, misattributed or inconsistent. */
  readonly wrong: number;
  readonly mismatch: number;
  readonly misattributed: number;
  readonly inconsistent: number;
  readonly unverified: number;
  readonly formerNames: number;
  readonly suppressed: number;
  readonly skippedChars: number;
}

export function tally(summary: CheckSummary): Tally {
  const wrong = summary.mismatch + summary.misattributed + summary.inconsistent;
  return {
    figures: summary.figures,
    ok: summary.verified + summary.rounded,
    verified: summary.verified,
    rounded: summary.rounded,
    wrong,
    mismatch: summary.mismatch,
    misattributed: summary.misattributed,
    inconsistent: summary.inconsistent,
    unverified: summary.unverified,
    formerNames: summary['former-name'],
    suppressed: summary.suppressed,
    skippedChars: summary.skippedChars,
  };
}

export function addTallies(a: Tally, b: Tally): Tally {
  const out: Record<string, number> = {};
  for (const k of Object.keys(a) as (keyof Tally)[]) out[k] = a[k] + b[k];
  return out as unknown as Tally;
}

export const EMPTY_TALLY: Tally = {
  figures: 0,
  ok: 0,
  verified: 0,
  rounded: 0,
  wrong: 0,
  mismatch: 0,
  misattributed: 0,
  inconsistent: 0,
  unverified: 0,
  formerNames: 0,
  suppressed: 0,
  skippedChars: 0,
};

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/**
 * The breakdown after "Checked 14 figures": "12 ✓ (11 verified, 1 rounded), 1 ✗ wrong,
 * 1 misattributed, 2 unverified; 1 former name; 1 suppressed". Zero counts are left out.
 */
export function describeTally(t: Tally): string {
  const parts: string[] = [];
  if (t.ok) parts.push(t.rounded ? `${t.ok} ✓ (${t.verified} verified, ${t.rounded} rounded)` : `${t.ok} ✓`);
  if (t.mismatch) parts.push(`${t.mismatch} ✗ wrong`);
  if (t.misattributed) parts.push(`${t.misattributed} misattributed`);
  if (t.inconsistent) parts.push(`${t.inconsistent} inconsistent`);
  if (t.unverified) parts.push(`${t.unverified} unverified`);
  let text = parts.join(', ');
  if (t.formerNames) text += `${text ? '; ' : ''}${plural(t.formerNames, 'former name')}`;
  if (t.suppressed) text += `${text ? '; ' : ''}${t.suppressed} suppressed`;
  return text;
}

// ---- Markdown for tooltips ------------------------------------------------------------------

/**
 * Fact-file text as literal Markdown: every ASCII punctuation character is backslash-escaped
 * (CommonMark allows that for all of them), so no link, autolink (`https\:\/\/…`, `www\.…`),
 * image, HTML tag, entity, emphasis or code span can come out of it; line breaks become spaces.
 */
export function md(text: string | undefined): string {
  return String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** An untrusted tooltip: no command links, no HTML, no theme icons from fact-file text. */
export function tooltip(lines: readonly string[]): vscode.MarkdownString {
  const m = new vscode.MarkdownString(lines.filter((l) => l !== '').join('\n\n'), false);
  m.isTrusted = false;
  m.supportHtml = false;
  return m;
}

// ---- citations ---------------------------------------------------------------------------

/** "line 12" or "section 3.2" of a fact's source reference. */
function where(ref: { readonly line?: number; readonly section?: string }): string | undefined {
  return ref.line ? `line ${ref.line}` : ref.section ? ref.section : undefined;
}

/**
 * A short citation to put after a figure in a draft: "(Source: Children's Services Review,
 * line 12)". Uses the source's title when the knowledge base has it, else its id.
 */
export function inlineCitation(kb: KnowledgeBase, fact: Fact): string {
  const title = kb.source(fact.source.source)?.title ?? fact.source.source;
  const at = where(fact.source);
  return `(Source: ${oneLine(title)}${at ? `, ${at}` : ''})`;
}

/** A full reference to a source: "Title. Author, Publisher, date, line 12. URL". */
export function sourceReference(source: Source, at?: string): string {
  const second = [...new Set([source.author, source.publisher, source.date, at].filter((s): s is string => !!s).map(oneLine))].join(', ');
  let text = `${oneLine(source.title)}.`;
  if (second) text += ` ${second}.`;
  if (source.url) text += ` ${source.url}`;
  return text;
}

/**
 * The citation of a fact for the clipboard: "Supporting Families: £165m (funding, 2021-22).
 * Source: Title. Publisher, date, line 12. URL".
 */
export function factCitation(kb: KnowledgeBase, fact: Fact): string {
  const entity = kb.get(fact.entityId);
  const when = fact.period ?? (fact.asOf ? `as of ${fact.asOf}` : undefined);
  const head = `${entity ? `${oneLine(entity.name)}: ` : ''}${oneLine(fact.figure)} (${oneLine(fact.about)}${when ? `, ${oneLine(when)}` : ''}).`;
  const source = kb.source(fact.source.source);
  const at = where(fact.source);
  return `${head} Source: ${source ? sourceReference(source, at) : `${fact.source.source}${at ? `, ${at}` : ''}.`}`;
}

/** The citation of an entity: its name and every source it or its facts cite. */
export function entityCitation(kb: KnowledgeBase, entity: Entity): string {
  const ids = [...new Set([...entity.sources, ...entity.facts.map((f) => f.source.source)])];
  const refs = ids.map((id) => {
    const s = kb.source(id);
    return s ? sourceReference(s) : `${id}.`;
  });
  if (!refs.length) return `${oneLine(entity.name)}.`;
  return `${oneLine(entity.name)}. Sources: ${refs.join(' ')}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Words for relation types, as seen from the entity that has the relation and from its target. */
export const RELATION_WORDS: Readonly<Record<string, readonly [string, string]>> = {
  'led-by': ['led by', 'leads'],
  'funded-by': ['funded by', 'funds'],
  'delivered-by': ['delivered by', 'delivers'],
  'partner-of': ['partner of', 'partner of'],
  'part-of': ['part of', 'includes'],
  'member-of': ['member of', 'has member'],
  'successor-of': ['successor to', 'succeeded by'],
  'evaluated-by': ['evaluated by', 'evaluates'],
  'inspected-by': ['inspected by', 'inspects'],
};

export function kindIcon(entity: Pick<Entity, 'kind'>): vscode.ThemeIcon {
  return new vscode.ThemeIcon(entity.kind === 'organisation' ? 'organization' : 'project');
}

/**
 * A tree provider whose calls from VS Code are guarded: a failure is logged and the view shows
 * nothing (or a placeholder item) instead of an error.
 */
export function guardedTreeProvider<T>(
  log: Pick<Log, 'guard'>,
  name: string,
  provider: vscode.TreeDataProvider<T> & { getParent(node: T): vscode.ProviderResult<T>; resolveTreeItem(item: vscode.TreeItem, node: T): vscode.TreeItem },
  placeholder: string,
): vscode.TreeDataProvider<T> {
  return {
    onDidChangeTreeData: provider.onDidChangeTreeData,
    getChildren: log.guard(name, [] as T[], (n?: T) => provider.getChildren(n)),
    getParent: (n) => provider.getParent(n),
    // A placeholder of its own for each row that fails: `resolveTreeItem` may give it a tooltip.
    getTreeItem: (n: T) => log.guard(name, undefined, () => provider.getTreeItem(n))() ?? new vscode.TreeItem(placeholder),
    resolveTreeItem: (item, n) => log.guard(name, item, () => provider.resolveTreeItem(item, n))(),
  };
}
