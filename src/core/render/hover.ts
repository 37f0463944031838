/**
 * Hover cards as Markdown strings. Pure functions of the knowledge base, so the extension
 * only wraps them in a `MarkdownString` and the tests read them as text.
 *
 * Every piece of text from a fact file is escaped (see `markdown.ts`); the only links are
 * the ones built here: command links with JSON- and URI-encoded arguments, and plain
 * http(s) links to sources.
 */
import type { ExpectedFigure, Finding, FindingStatus } from '../figures/checker';
import type { KnowledgeBase } from '../kb/knowledgeBase';
import type { Entity, Fact, Relation, Source } from '../kb/model';
import type { RelationType } from '../kb/schema';
import { bold, capList, cell, commandLink, inline, italic, table, webLink } from './markdown';

/** The commands hover links may run. The extension allows exactly these in its hovers. */
export const HOVER_COMMANDS = {
  showEntity: 'policyFacts.showEntity',
  goToEntity: 'policyFacts.goToEntity',
  revealEntity: 'policyFacts.revealEntity',
  findMentions: 'policyFacts.findMentions',
} as const;

export const HOVER_COMMAND_IDS: readonly string[] = Object.values(HOVER_COMMANDS);

export interface EntityHoverOptions {
  /** Related entities and the footer as command links (in VS Code); plain text otherwise. */
  readonly commands?: boolean;
  /** The mention as written in the draft. */
  readonly mentionText?: string;
  /** The mention used a former name: say what it is called now. */
  readonly formerName?: boolean;
  /** At most this many figures in the table (default 8). */
  readonly maxFigures?: number;
}

export interface FigureHoverOptions {
  /** The entity and the recorded figures' owners as command links. */
  readonly commands?: boolean;
  /** At most this many recorded figures (default 6). */
  readonly maxExpected?: number;
}

const MAX_FIGURES = 8;
const MAX_RELATED = 6;
const MAX_SOURCES = 4;
const MAX_EXPECTED = 6;

/** Outgoing relations in the order a reader wants them, with the words for each. */
const RELATION_LABELS: readonly (readonly [RelationType, string, string])[] = [
  // [type, label on the entity that has the relation, label on the entity it points to]
  ['led-by', 'Led by', 'Leads'],
  ['funded-by', 'Funded by', 'Funds'],
  ['delivered-by', 'Delivered by', 'Delivers'],
  ['partner-of', 'Partners', 'Partners'],
  ['part-of', 'Part of', 'Includes'],
  ['member-of', 'Member of', 'Members'],
  ['successor-of', 'Successor to', 'Succeeded by'],
  ['evaluated-by', 'Evaluated by', 'Evaluates'],
  ['inspected-by', 'Inspected by', 'Inspects'],
];

/**
 * The card shown when hovering a programme or organisation: what it is, its key figures
 * with their sources, who it is related to, its former names and its sources.
 */
export function renderEntityHover(kb: KnowledgeBase, entity: Entity, options: EntityHoverOptions = {}): string {
  const commands = !!options.commands;
  const blocks: string[] = [];

  // Title: name, kind and type, acronyms.
  const acronyms = entity.acronyms.length ? ` (${entity.acronyms.map(inline).join(', ')})` : '';
  const kindType = entity.type && entity.type.toLowerCase() !== entity.kind ? `${entity.kind} · ${entity.type}` : entity.kind;
  blocks.push(`${bold(entity.name)}${acronyms} — ${italic(kindType)}`);

  // A mention by a former name: say what it is called now, first.
  const former = options.formerName ? findFormer(entity, options.mentionText) : undefined;
  if (options.formerName) {
    const was = options.mentionText ?? former?.name;
    const since = former?.until ? ` since ${inline(former.until)}` : '';
    blocks.push(`⚠ ${was ? `“${inline(was)}” is a former name: now` : 'Now'} called ${bold(entity.name)}${since}.`);
  }

  if (entity.summary) blocks.push(inline(entity.summary));

  // Key figures.
  const figures = renderFacts(kb, entity.facts, options.maxFigures ?? MAX_FIGURES);
  if (figures) blocks.push(figures);

  // Relations, both ways.
  const relationLines = renderRelations(kb, entity, commands);
  if (relationLines.length) blocks.push(relationLines.join('  \n'));

  // Former names (but the one the mention used, already named above).
  const otherFormerNames = entity.formerNames.filter((f) => f !== former);
  if (otherFormerNames.length) {
    const names = otherFormerNames.map((f) => {
      const acr = f.acronyms.length ? ` (${f.acronyms.map(inline).join(', ')})` : '';
      return `${inline(f.name)}${acr}${f.until ? ` until ${inline(f.until)}` : ''}`;
    });
    blocks.push(`**Formerly:** ${capList(names, MAX_RELATED, '; ')}`);
  }

  if (entity.aliases.length) blocks.push(`**Also called:** ${capList(entity.aliases.map(inline), MAX_RELATED)}`);

  // Sources: the entity's own, then those its facts cite.
  const sourceIds = unique([...entity.sources, ...entity.facts.map((f) => f.source.source)]);
  if (sourceIds.length) {
    const items = sourceIds.map((id) => describeSource(kb.source(id), id));
    blocks.push(`**Sources:** ${capList(items, MAX_SOURCES, '; ')}`);
  }

  if (entity.layer === 'workspace' || entity.extendedBy.length) {
    blocks.push(italic(entity.layer === 'workspace' ? (entity.override ? 'From your fact files (replaces the bundled entry).' : 'From your fact files.') : 'Bundled facts, extended by your fact files.'));
  }

  if (commands) {
    const args = [entity.id];
    blocks.push(
      [
        commandLink('Go to definition', HOVER_COMMANDS.goToEntity, args, 'Open the fact file at this entry'),
        commandLink('Show in sidebar', HOVER_COMMANDS.revealEntity, args, 'Reveal in the Knowledge base view'),
        commandLink('Find mentions', HOVER_COMMANDS.findMentions, args, 'Find every mention in drafts'),
      ].join(' · '),
    );
  }
  return blocks.join('\n\n');
}

/** A status as a label a reader understands at a glance. */
export const STATUS_LABELS: Readonly<Record<FindingStatus, string>> = {
  verified: '✓ Verified',
  rounded: '≈ Rounded',
  mismatch: '✗ Mismatch',
  misattributed: '⚠ Misattributed',
  unverified: '? Unverified',
  inconsistent: '≠ Inconsistent',
  'former-name': '↺ Former name',
  limit: '… Not checked',
};

/** The card shown when hovering a figure: its status and what it was compared with. */
export function renderFigureHover(kb: KnowledgeBase, finding: Finding, options: FigureHoverOptions = {}): string {
  const commands = !!options.commands;
  const blocks: string[] = [];
  const label = STATUS_LABELS[finding.status] ?? finding.status;
  const entity = finding.entityId ? kb.get(finding.entityId) : undefined;
  const about = entity ? ` — ${entityRef(entity, commands)}` : '';
  blocks.push(`**${label}**: ${finding.text ? `“${inline(finding.text)}”` : 'this figure'}${about}`);
  // A verified figure's table says it all; every other verdict explains itself.
  if (finding.status !== 'verified' || !finding.expected?.length) blocks.push(inline(finding.message));

  const expected = finding.expected ?? [];
  if (expected.length) {
    const max = options.maxExpected ?? MAX_EXPECTED;
    const showOwner = expected.some((x) => x.entityId !== finding.entityId);
    const rows = expected.slice(0, max).map((x) => expectedRow(kb, x, showOwner, commands));
    const header = ['Recorded', 'Measures', 'Period', 'Source'];
    if (showOwner) header.splice(1, 0, 'For');
    const title = finding.status === 'verified' || finding.status === 'rounded' ? 'Matches' : 'Compared with';
    blocks.push(`**${title}:**\n\n${table(header, rows)}${expected.length > max ? `\n\n*+${expected.length - max} more recorded figures*` : ''}`);
  }

  if (finding.suppressed) blocks.push(`*Suppressed in this draft:* ${inline(finding.suppressed)}`);
  if (finding.replacements?.length && finding.status !== 'verified') {
    blocks.push(`**Suggested:** ${finding.replacements.slice(0, 3).map((r) => `“${inline(r)}”`).join(', ')}`);
  }
  return blocks.join('\n\n');
}

// ---------------------------------------------------------------------------------------

function findFormer(entity: Entity, mentionText?: string) {
  if (!mentionText) return entity.formerNames[0];
  const fold = (s: string) => s.replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
  const m = fold(mentionText).replace(/'s$/, '');
  return (
    entity.formerNames.find((f) => fold(f.name) === m || f.acronyms.some((a) => fold(a) === m)) ??
    entity.formerNames.find((f) => m.startsWith(fold(f.name)) || f.acronyms.some((a) => m.startsWith(fold(a)))) ??
    entity.formerNames[0]
  );
}

function factKey(f: Fact): string {
  return `${f.unit}|${f.about.replace(/\s+/g, ' ').trim().toLowerCase()}|${(f.period ?? f.asOf ?? '').trim().toLowerCase()}`;
}

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(Math.abs(a), Math.abs(b)) * 1e-9;
}

/**
 * The key figures table. Facts about the same thing (same unit, same "about", same period)
 * are kept next to each other and never split by the cap; when their values differ, the
 * sources disagree and both are shown, each with its source, and a note says so.
 */
function renderFacts(kb: KnowledgeBase, facts: readonly Fact[], max: number): string | undefined {
  if (!facts.length) return undefined;
  const groups = new Map<string, Fact[]>();
  for (const f of facts) {
    const k = factKey(f);
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  const shown: Fact[] = [];
  const conflicts: Fact[][] = [];
  for (const g of groups.values()) {
    const disagree = g.some((f) => !sameNumber(f.value, g[0].value));
    if (disagree) conflicts.push(g);
    // A group is shown whole or not at all, so two disagreeing figures are never split.
    if (shown.length < max) shown.push(...g);
  }
  const conflicting = new Set(conflicts.flat());
  const rows = shown.map((f) => [
    `${conflicting.has(f) ? '≠ ' : ''}**${inline(f.figure)}**${f.qualifier && !hasQualifierWord(f.figure) ? ` *(${f.qualifier.replace('-', ' ')})*` : ''}`,
    cell(f.counts ? `${f.about} (${f.counts})` : f.about),
    cell(f.period ?? (f.asOf ? `as of ${f.asOf}` : undefined)),
    cell(factSource(kb, f)),
  ]);
  let out = `**Key figures**\n\n${table(['Figure', 'Measures', 'Period', 'Source'], rows)}`;
  const hidden = facts.length - shown.length;
  if (hidden > 0) out += `\n\n*+${hidden} more figure${hidden === 1 ? '' : 's'}*`;
  for (const g of conflicts.slice(0, 3)) {
    const parts = g.map((f) => `${inline(f.figure)} (${inline(factSource(kb, f) ?? f.source.source)})`);
    out += `\n\n≠ *The sources differ on* ${inline(g[0].about)}: ${parts.join(' vs ')}.`;
  }
  return out;
}

function hasQualifierWord(figure: string): boolean {
  return /\b(over|under|up to|around|about|approximately|at least|more than|less than|fewer than|nearly|almost|some|exactly|in excess of|as much as)\b|^\s*(c\.|~)/i.test(figure);
}

/** At most this many characters of a source's title in a table cell (the full title is in "Sources"). */
const MAX_TITLE_IN_TABLE = 48;

function shortTitle(title: string): string {
  const t = title.replace(/\s+/g, ' ').trim();
  if (t.length <= MAX_TITLE_IN_TABLE) return t;
  const cut = t.lastIndexOf(' ', MAX_TITLE_IN_TABLE - 1);
  return `${t.slice(0, cut > MAX_TITLE_IN_TABLE / 2 ? cut : MAX_TITLE_IN_TABLE - 1).replace(/[\s,;:–—-]+$/, '')}…`;
}

function factSource(kb: KnowledgeBase, f: { source: { source: string; line?: number; section?: string } }): string {
  const s = kb.source(f.source.source);
  const title = shortTitle(s?.title ?? f.source.source);
  const where = f.source.line ? `line ${f.source.line}` : f.source.section;
  return where ? `${title}, ${where}` : title;
}

function describeSource(s: Source | undefined, id: string): string {
  if (!s) return inline(id);
  const rest = [s.publisher, s.date].filter((x): x is string => !!x).map(inline);
  return `${webLink(s.title, s.url)}${rest.length ? ` (${rest.join(', ')})` : ''}`;
}

function entityRef(e: Entity, commands: boolean): string {
  return commands ? commandLink(e.name, HOVER_COMMANDS.showEntity, [e.id], `Show ${e.name}`) : inline(e.name);
}

function refById(kb: KnowledgeBase, id: string, commands: boolean): string {
  const e = kb.get(id);
  return e ? entityRef(e, commands) : inline(id);
}

function renderRelations(kb: KnowledgeBase, entity: Entity, commands: boolean): string[] {
  const lines: string[] = [];
  const incoming = kb.incoming(entity.id);
  for (const [type, outLabel, inLabel] of RELATION_LABELS) {
    const out = unique(entity.relations.filter((r) => r.type === type).map((r) => r.to));
    const inc = unique(incoming.filter((r: Relation) => r.type === type && r.from !== entity.id).map((r) => r.from));
    if (type === 'partner-of') {
      const all = unique([...out, ...inc]).filter((id) => id !== entity.id);
      if (all.length) lines.push(`**${outLabel}:** ${capList(all.map((id) => refById(kb, id, commands)), MAX_RELATED)}`);
      continue;
    }
    if (out.length) lines.push(`**${outLabel}:** ${capList(out.map((id) => refById(kb, id, commands)), MAX_RELATED)}`);
    if (inc.length) lines.push(`**${inLabel}:** ${capList(inc.map((id) => refById(kb, id, commands)), MAX_RELATED)}`);
  }
  return lines;
}

function unique<T>(values: readonly T[]): T[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}

/** The source of a recorded figure, with a short title, from the fact itself when it can be found. */
function expectedSource(kb: KnowledgeBase, x: ExpectedFigure): string | undefined {
  const fact = kb.get(x.entityId)?.facts.find((f) => f.id === x.factId);
  return fact ? factSource(kb, fact) : x.source;
}

function expectedRow(kb: KnowledgeBase, x: ExpectedFigure, showOwner: boolean, commands: boolean): string[] {
  const row = [
    `**${inline(x.text)}**`,
    cell(x.about),
    cell(x.period ?? (x.asOf ? `as of ${x.asOf}` : undefined)),
    cell(expectedSource(kb, x)),
  ];
  if (showOwner) row.splice(1, 0, refById(kb, x.entityId, commands));
  return row;
}
