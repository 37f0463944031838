/**
 * The figure checker: finds every figure in a draft, works out which programme or
 * organisation it is about, and compares it with the facts recorded for it, the way a
 * proofreader would. Every figure gets exactly one finding; mentions by a former name get one
 * too. Nothing is skipped silently: a limit that stops the check is itself a finding.
 */
import type { KnowledgeBase } from '../kb/knowledgeBase';
import type { Entity, Fact, Origin, Relation } from '../kb/model';
import type { Mention } from '../match/matcher';
import { RULES, type RuleId, type RuleSetting, severityOf } from '../rules';
import { hasBlankLine, segment, segmentInSteps, type Segments } from '../text/segment';
import type { Figure, FigureUnit, Qualifier, Span } from '../types';
import { parseFigure, parseFigures, parseFiguresInSteps } from './parse';
import { periodKeyOf, periodOf, periodsDiffer, periodsIn, samePeriod, statedInWords, yearInStyleOf, type PeriodKey, type StatedPeriod } from './periods';
import { runToEnd, type Steps } from '../steps';

export type FindingStatus = 'verified' | 'rounded' | 'mismatch' | 'misattributed' | 'unverified' | 'inconsistent' | 'former-name' | 'limit';

/** A recorded figure a draft's figure was compared with. */
export interface ExpectedFigure {
  readonly text: string;
  readonly value: number;
  readonly unit: FigureUnit;
  readonly qualifier?: Qualifier;
  readonly period?: string;
  readonly asOf?: string;
  readonly about: string;
  /** "PSC0045, line 12" */
  readonly source?: string;
  readonly entityId: string;
  readonly factId: string;
  /** The figure with its qualifier, ready to put in a draft ("over £185m"). */
  readonly replacement: string;
  readonly origin: Origin;
}

export interface Finding extends Span {
  readonly code: RuleId;
  readonly status: FindingStatus;
  readonly severity: RuleSetting;
  readonly message: string;
  /** The figure or mention exactly as written. */
  readonly text: string;
  readonly entityId?: string;
  readonly expected?: readonly ExpectedFigure[];
  readonly figure?: Figure;
  readonly mention?: Mention;
  /** Text that would fix it, best first (recorded figures, the current name). */
  readonly replacements?: readonly string[];
  /** Set when an inline `policy-facts-ignore` comment covers it, with the reason given. */
  readonly suppressed?: string;
  /**
   * For `figure.period`: where the draft gives the figure's year, and the year the figure is
   * recorded for, as its fact writes it (for a quick fix that puts that year in instead).
   */
  readonly year?: { readonly start: number; readonly end: number; readonly text: string; readonly recorded: string };
}

export interface CheckSummary {
  readonly mentions: number;
  readonly figures: number;
  readonly verified: number;
  readonly rounded: number;
  readonly mismatch: number;
  readonly misattributed: number;
  readonly unverified: number;
  readonly 'former-name': number;
  readonly inconsistent: number;
  readonly suppressed: number;
  /** Characters checked, and how many were left unchecked because of `maxChars`. */
  readonly checkedChars: number;
  readonly skippedChars: number;
}

export interface CheckResult {
  readonly mentions: readonly Mention[];
  readonly figures: readonly Figure[];
  readonly findings: readonly Finding[];
  readonly summary: CheckSummary;
}

export interface CheckOptions {
  /** Severity overrides by rule id ("off" keeps the finding but marks it off). */
  readonly rules?: Readonly<Record<string, string>>;
  /** Check at most this many characters; the rest is reported, never silently dropped. */
  readonly maxChars?: number;
}

export const DEFAULT_MAX_CHARS = 20_000_000;

/** At most this many recorded figures are listed with a finding (closest first). */
export const MAX_EXPECTED = 6;

const NAMING_THE_OLD_NAME = /(?:previously|formerly|originally|once)(?:\s+(?:called|named|known\s+as))?\s+(?:the\s+)?$|(?:renamed\s+from|replac(?:ed|es|ing)|successor\s+to|succeeded)\s+(?:the\s+)?$/i;

const SUPPRESS = /policy-facts-ignore\b:?/g;

/** Check a whole draft. */
export function checkText(kb: KnowledgeBase, text: string, options: CheckOptions = {}): CheckResult {
  return runToEnd(checkTextInSteps(kb, text, options));
}

/** About this much of a draft is read for names and figures between two pauses. */
const PIECE_CHARS = 16 * 1024;
/** A piece between two breaks longer than this is read in steps of `PIECE_CHARS`. */
const LONG_PIECE_CHARS = 2 * PIECE_CHARS;

/**
 * `checkText` a piece at a time, for a caller with other work to do (an editor answering while
 * a long draft is checked): the generator stops after reading each piece of about 16 KB for
 * names, figures, sentences and paragraphs, and after judging every hundred or so figures, and
 * returns the very same result at its end. `breaks` are offsets where a piece may end: only
 * where no name or figure can cross (the start of a block, see `draftBlockStarts` in
 * incremental.ts). A piece of over 32 KB between two breaks (a block with nowhere to cut it)
 * is read in steps of about 16 KB. Without breaks the draft is read in one piece.
 */
export function* checkTextInSteps(kb: KnowledgeBase, text: string, options: CheckOptions = {}, breaks: readonly number[] = []): Steps<CheckResult> {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const end = Math.min(text.length, maxChars);
  const checked = text.length > end ? cutAtBoundary(text, end) : text.length;
  let mentions: Mention[] = [];
  let figures: Figure[] = [];
  let segments: Segments | undefined;
  // Read in pieces, the draft's lines are paragraphs only if the whole draft has no blank line.
  let linesAreParagraphs: boolean | undefined;
  for (let from = 0, b = 0; ; ) {
    // A piece ends at the last break within PIECE_CHARS of its start (or, with none, the first
    // break after it), or at the end of what is checked.
    while (b < breaks.length && breaks[b] <= from) b++;
    let to = checked;
    if (b < breaks.length && breaks[b] < checked) {
      to = breaks[b++];
      while (b < breaks.length && breaks[b] < checked && breaks[b] - from <= PIECE_CHARS) to = breaks[b++];
    }
    // A block too long to read in one go, with nowhere to cut it (a draft without blank lines
    // and without a line break between sentences), is read in steps, which find what reading
    // it whole finds.
    const long = breaks.length > 0 && to - from > LONG_PIECE_CHARS;
    if (from === 0 && to === checked && !long) {
      mentions = kb.matcher.find(text, 0, checked);
      figures = parseFigures(text, 0, checked);
    } else {
      // A break starts a paragraph, so, read as the whole is, the sentences and paragraphs of the
      // pieces are those of the whole.
      segments ??= { sentences: [], paragraphs: [] };
      linesAreParagraphs ??= !hasBlankLine(text, 0, checked);
      const piece = long ? yield* segmentInSteps(text, from, to, linesAreParagraphs, PIECE_CHARS) : segment(text, from, to, linesAreParagraphs);
      const found = long ? yield* kb.matcher.findInSteps(text, from, to, PIECE_CHARS) : kb.matcher.find(text, from, to);
      const read = long ? yield* parseFiguresInSteps(text, from, to, PIECE_CHARS) : parseFigures(text, from, to);
      for (const m of found) mentions.push(m);
      for (const f of read) figures.push(f);
      for (const x of piece.sentences) (segments.sentences as Span[]).push(x);
      for (const x of piece.paragraphs) (segments.paragraphs as Span[]).push(x);
    }
    yield;
    if (to >= checked) break;
    from = to;
  }
  const findings = yield* findingsInSteps(kb, text, mentions, figures, checked, options, segments);
  if (checked < text.length) {
    findings.push({
      code: 'check.limit',
      status: 'limit',
      severity: severityOf('check.limit', options.rules),
      message: `Only the first ${checked.toLocaleString('en-GB')} of ${text.length.toLocaleString('en-GB')} characters were checked (limit ${maxChars.toLocaleString('en-GB')}). Figures after this point were not checked.`,
      text: '',
      start: checked,
      end: checked,
    });
  }
  return { mentions, figures, findings, summary: summarise(mentions, figures, findings, checked, text.length - checked) };
}

function cutAtBoundary(text: string, at: number): number {
  // Do not cut a surrogate pair or a word in half.
  let i = at;
  while (i > 0 && i > at - 200 && /\S/.test(text[i - 1] ?? '')) i--;
  return i > 0 ? i : at;
}

function summarise(mentions: readonly Mention[], figures: readonly Figure[], findings: readonly Finding[], checkedChars: number, skippedChars: number): CheckSummary {
  const n: Record<FindingStatus, number> = { verified: 0, rounded: 0, mismatch: 0, misattributed: 0, unverified: 0, inconsistent: 0, 'former-name': 0, limit: 0 };
  let suppressed = 0;
  // Indexed loops in code that runs once per check: until it is optimised, `for…of` makes an
  // object for every item it steps over.
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    if (f.suppressed) suppressed++;
    else n[f.status]++;
  }
  return {
    mentions: mentions.length,
    figures: figures.length,
    verified: n.verified,
    rounded: n.rounded,
    mismatch: n.mismatch,
    misattributed: n.misattributed,
    unverified: n.unverified,
    'former-name': n['former-name'],
    inconsistent: n.inconsistent,
    suppressed,
    checkedChars,
    skippedChars,
  };
}

/**
 * The line-level suppressions, in the order of the text: each `policy-facts-ignore` comment
 * covers its own line and the next, with the reason written after it (up to "-->", "]" or the
 * end of the line). Linear in the text, whatever is in it: the reason is found with string
 * searches, not a pattern that can read a long run of spaces once per character.
 */
function suppressions(text: string, to: number): Suppression[] {
  const out: Suppression[] = [];
  if (!text.includes('policy-facts-ignore')) return out;
  SUPPRESS.lastIndex = 0;
  // The covered lines of the last comment: another comment on the same line covers the same.
  let lineStart = -1;
  let lineEnd = -1;
  let nextEnd = -1;
  // The next "-->" and "]" (-1: none left), each searched for again only once passed.
  let close = -2;
  let bracket = -2;
  // Where the line of the last comment ends, for its reason.
  let eol = -1;
  let m: RegExpExecArray | null;
  while ((m = SUPPRESS.exec(text)) && m.index < to) {
    // The reason: from after the comment's name (and a colon) to the first "-->" or "]", or the end of the line.
    if (m.index >= eol) {
      eol = m.index;
      while (eol < text.length && !isLineEnd(text.charCodeAt(eol))) eol++;
    }
    const from = SUPPRESS.lastIndex;
    let stop = eol;
    if (close !== -1 && close < from) close = text.indexOf('-->', from);
    if (close >= 0 && close < stop) stop = close;
    if (bracket !== -1 && bracket < from) bracket = text.indexOf(']', from);
    if (bracket >= 0 && bracket < stop) stop = bracket;
    const reason = text.slice(from, stop).trim() || 'no reason given';
    SUPPRESS.lastIndex = stop === eol ? eol : stop + (stop === close ? 3 : 1);
    if (m.index >= lineEnd) {
      // Covers the line it is on and the next line: lines as the sentence splitter reads them,
      // ended by LF, CRLF or CR alone.
      lineStart = m.index;
      while (lineStart > 0 && !isBreakUnit(text.charCodeAt(lineStart - 1))) lineStart--;
      lineEnd = lineBreakFrom(text, m.index);
      const next = lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : 1);
      nextEnd = lineEnd < text.length ? lineBreakFrom(text, next) : text.length;
    }
    out.push({ start: lineStart, end: nextEnd, reason });
  }
  return out;
}

/** A line feed or carriage return. */
function isBreakUnit(c: number): boolean {
  return c === 10 || c === 13;
}

/** The first line feed or carriage return at or after `from`, or the text's length. */
function lineBreakFrom(text: string, from: number): number {
  let i = from;
  while (i < text.length && !isBreakUnit(text.charCodeAt(i))) i++;
  return i;
}

/** Where a comment's reason ends at the latest: a line break (as `$` reads one in a multi-line pattern). */
function isLineEnd(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** The findings for figures and mentions already found. */
export function findingsFor(
  kb: KnowledgeBase,
  text: string,
  mentions: readonly Mention[],
  figures: readonly Figure[],
  to: number = text.length,
  options: CheckOptions = {},
): Finding[] {
  return runToEnd(findingsInSteps(kb, text, mentions, figures, to, options, undefined));
}

/**
 * How many readings of one figure's words about one entity are kept to be reused: each figure
 * looks through them, so without a bound a draft quoting the same words near ever other names
 * takes time that grows with the square of its length.
 */
const MEMO_READINGS = 16;

/** Figures judged between two pauses of `findingsInSteps`: a few milliseconds' work. */
const FIGURES_PER_STEP = 128;

/**
 * `findingsFor` a piece at a time: it stops after every hundred or so figures judged. `segments`:
 * the draft's sentences and paragraphs up to `to`, when already known.
 */
function* findingsInSteps(
  kb: KnowledgeBase,
  text: string,
  mentions: readonly Mention[],
  figures: readonly Figure[],
  to: number,
  options: CheckOptions,
  segments: Segments | undefined,
): Steps<Finding[]> {
  const { sentences, paragraphs } = segments ?? segment(text, 0, to);
  const findings: Finding[] = [];
  // The first figure given for each recorded fact (or, with none, each counted noun) of an entity.
  const firstForFact = new Map<Fact, Figure>();
  const firstForNoun = new FirstByNoun();
  const sup = suppressions(text, to);
  const rules = options.rules;
  // Judging depends only on the figure as written and the entities it may be about, so a draft
  // that quotes the same figure about the same programme again and again judges it once.
  const memo = new Map<string, Map<string, Judgement | Judgement[]>>();
  const owned = new Owners(kb);
  const severities = new Map<RuleId, RuleSetting>();
  const severity = (code: RuleId) => {
    let sev = severities.get(code);
    if (sev === undefined) severities.set(code, (sev = severityOf(code, rules)));
    return sev;
  };
  const kindOf = (id: string) => kb.get(id)?.kind;

  // Indexed loops, as in `summarise`.
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i];
    if (m.nameKind !== 'former' && m.nameKind !== 'former-acronym') continue;
    const e = kb.get(m.entityId);
    if (!e) continue;
    // "Supporting Families (previously called Troubled Families Programme)" uses the old name on purpose.
    if (NAMING_THE_OLD_NAME.test(text.slice(Math.max(0, m.start - 40), m.start))) continue;
    const former = e.formerNames.find((f) => f.name === m.name || f.acronyms.includes(m.name));
    const current = m.nameKind === 'former-acronym' && e.acronyms.length ? e.acronyms[0] : e.name;
    const finding: Finding = {
      code: 'name.former',
      status: 'former-name',
      message: `“${m.text}” is a former name: it has been ${e.kind === 'programme' ? 'called' : 'known as'} “${e.name}”${former?.until ? ` since ${former.until}` : ''}.`,
      text: m.text,
      start: m.start,
      end: m.end,
      entityId: e.id,
      mention: m,
      replacements: uniqueStrings([current, e.name]),
      severity: severity('name.former'),
    };
    findings.push(withSuppression(finding, sup));
  }

  const named = findings.length;
  // The entities each figure may be about are listed here, and copied only when kept.
  const candidates = new Candidates();
  const places = new Places();
  const periods = new SentencePeriods(text, sentences, figures);
  for (let i = 0; i < figures.length; i++) {
    const fig = figures[i];
    candidateIds(fig, mentions, sentences, paragraphs, text, kindOf, candidates, places);
    // By the entity it is nearest to, then by its words. The same words about the same entity
    // are nearly always read one way, so a list is made only for a second reading.
    const near = candidates.first;
    let byText = memo.get(near);
    if (!byText) memo.set(near, (byText = new Map()));
    const sameText = byText.get(fig.text);
    let judged = sameText === undefined ? undefined : Array.isArray(sameText) ? findJudgement(sameText, fig, candidates) : isSame(sameText, fig, candidates) ? sameText : undefined;
    if (!judged) {
      const ids = candidates.copy();
      judged = { ids, noun: fig.noun, value: fig.value, unit: fig.unit, verdict: judge(owned, fig, ids), byYear: undefined };
      if (sameText === undefined) byText.set(fig.text, judged);
      // A few readings are kept: one read many ways (the same words near ever other names) is judged afresh.
      else if (Array.isArray(sameText)) {
        if (sameText.length < MEMO_READINGS) sameText.push(judged);
      } else byText.set(fig.text, [sameText, judged]);
    }
    // The year the draft gives it, against the year of the fact it was judged by: after the
    // verdict is kept for the same words, as the year is the sentence's.
    const stated = judged.verdict.entityId && hasPeriod(judged.verdict) ? periods.of(i, places.sentence) : undefined;
    let verdict = judged.verdict;
    let recorded: string | undefined;
    if (stated) {
      // The same words, about the same entities, given the same year: judged the same way.
      const byYear = (judged.byYear ??= new Map());
      let known = byYear.get(stated.text);
      if (!known) byYear.set(stated.text, (known = forPeriod(kb, fig, judged.verdict, stated)));
      verdict = known.verdict;
      recorded = known.recorded;
    }
    let { code, status, message } = verdict;
    // Same entity, same fact, two values in one draft → inconsistent.
    if (verdict.entityId && (verdict.fact || fig.noun)) {
      const first = verdict.fact ? firstForFact.get(verdict.fact) : firstForNoun.get(verdict.entityId, fig);
      if (!first) {
        if (verdict.fact) firstForFact.set(verdict.fact, fig);
        else firstForNoun.set(verdict.entityId, fig);
      } else if (!sameValue(first.value, fig.value) && (status === 'mismatch' || status === 'unverified') && code !== 'figure.period') {
        // (A figure given the wrong year says so; that it differs from the year's figure given earlier follows.)
        const e = kb.get(verdict.entityId)!;
        code = 'figure.inconsistent';
        status = 'inconsistent';
        message = `${oneLine(fig.text)} for ${e.name} does not match ${oneLine(first.text)} given earlier in this draft for the same figure.${verdict.expected?.length ? ` The facts record ${describeExpected(verdict.expected)}.` : ''}`;
      }
    }
    const finding = figureFinding(fig, code, status, message, verdict, severity(code));
    if (recorded !== undefined && stated && code === 'figure.period') {
      (finding as { -readonly [K in keyof Finding]: Finding[K] }).year = { start: stated.start, end: stated.end, text: stated.text, recorded };
    }
    findings.push(withSuppression(finding, sup));
    if (i % FIGURES_PER_STEP === FIGURES_PER_STEP - 1) yield;
  }
  return inOrder(findings, named);
}

function byPosition(a: Finding, b: Finding): number {
  return a.start - b.start || a.end - b.end;
}

/**
 * All findings in the order of the draft. The mentions and the figures each come in that order
 * already, so their two runs of findings are merged; a sort is the fallback should either run
 * ever be out of order.
 */
function inOrder(findings: Finding[], named: number): Finding[] {
  const n = findings.length;
  for (let i = 1; i < n; i++) {
    if (i !== named && byPosition(findings[i - 1], findings[i]) > 0) return findings.sort(byPosition);
  }
  if (named === 0 || named === n || byPosition(findings[named - 1], findings[named]) <= 0) return findings;
  const out: Finding[] = [];
  let i = 0;
  let j = named;
  while (i < named && j < n) out.push(byPosition(findings[i], findings[j]) <= 0 ? findings[i++] : findings[j++]);
  while (i < named) out.push(findings[i++]);
  while (j < n) out.push(findings[j++]);
  return out;
}

/**
 * A figure's finding, its fields in the order readers see them (JSON output). The usual kinds of
 * verdict each get one object literal with all their fields, so a finding does not grow after
 * it is made.
 */
function figureFinding(fig: Figure, code: RuleId, status: FindingStatus, message: string, v: Verdict, severity: RuleSetting): Finding {
  const { text, start, end } = fig;
  const { entityId, expected, replacements } = v;
  if (entityId === undefined && !expected && !replacements) return { text, start, end, figure: fig, code, status, message, severity };
  if (entityId !== undefined && expected && replacements) return { text, start, end, figure: fig, code, status, message, entityId, expected, replacements, severity };
  if (entityId !== undefined && expected) return { text, start, end, figure: fig, code, status, message, entityId, expected, severity };
  if (entityId !== undefined && !replacements) return { text, start, end, figure: fig, code, status, message, entityId, severity };
  const finding = { text, start, end, figure: fig, code, status, message } as { -readonly [K in keyof Finding]: Finding[K] };
  if (entityId !== undefined) finding.entityId = entityId;
  if (expected) finding.expected = expected;
  if (replacements) finding.replacements = replacements;
  finding.severity = severity;
  return finding;
}

interface Suppression {
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

/**
 * The finding, suppressed by the first comment covering where it starts. The comments are in
 * the order of the text, and so are the ends of what they cover: the first whose cover ends
 * after the finding's start is found by halving, and covers it if it starts at or before it.
 */
function withSuppression(f: Finding, sup: readonly Suppression[]): Finding {
  if (!sup.length) return f;
  let lo = 0;
  let hi = sup.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sup[mid].end > f.start) hi = mid;
    else lo = mid + 1;
  }
  const reason = lo < sup.length && sup[lo].start <= f.start ? sup[lo].reason : undefined;
  return reason ? { ...f, suppressed: reason } : f;
}

/** How a figure is judged against the entities it may be about: everything but where it is. */
interface Verdict {
  readonly code: RuleId;
  readonly status: FindingStatus;
  readonly message: string;
  readonly entityId?: string;
  readonly expected?: readonly ExpectedFigure[];
  readonly replacements?: readonly string[];
  /** The recorded fact it was judged against: two values for one fact in a draft are inconsistent. */
  readonly fact?: Fact;
}

interface Judgement {
  /** The entities the figure may be about, best first. */
  readonly ids: readonly string[];
  readonly noun: string | undefined;
  readonly value: number;
  readonly unit: FigureUnit;
  readonly verdict: Verdict;
  /** The verdict for each year the draft gives these words (see `forPeriod`), made once, with the year a quick fix would put in. */
  byYear: Map<string, YearVerdict> | undefined;
}


/**
 * The judgement already made for the same words about the same entities. The same words can be
 * read with a different counted noun after them: those are judged afresh.
 */
function findJudgement(sameText: readonly Judgement[], fig: Figure, ids: Candidates): Judgement | undefined {
  for (const j of sameText) if (isSame(j, fig, ids)) return j;
  return undefined;
}

function isSame(j: Judgement, fig: Figure, ids: Candidates): boolean {
  return j.noun === fig.noun && j.value === fig.value && j.unit === fig.unit && ids.equals(j.ids);
}

/**
 * The entities a figure may be about, best first, without repeats: one list reused from figure
 * to figure. (Emptying a JavaScript array with `length = 0` drops its storage, so every figure
 * would allocate a new one.)
 */
class Candidates {
  private readonly ids: string[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** The nearest, or '' when there is none. */
  get first(): string {
    return this.count ? this.ids[0] : '';
  }

  clear(): void {
    this.count = 0;
  }

  add(id: string): void {
    for (let i = 0; i < this.count; i++) if (this.ids[i] === id) return;
    this.ids[this.count++] = id;
  }

  equals(other: readonly string[]): boolean {
    if (other.length !== this.count) return false;
    for (let i = 0; i < this.count; i++) if (this.ids[i] !== other[i]) return false;
    return true;
  }

  copy(): string[] {
    return this.ids.slice(0, this.count);
  }
}

/** The first figure a draft gives for a count of something about an entity, by entity, unit and noun. */
class FirstByNoun {
  private readonly byEntity = new Map<string, Map<string, Figure>>();

  get(entityId: string, fig: Figure): Figure | undefined {
    return this.byEntity.get(entityId)?.get(FirstByNoun.key(fig));
  }

  set(entityId: string, fig: Figure): void {
    let byNoun = this.byEntity.get(entityId);
    if (!byNoun) this.byEntity.set(entityId, (byNoun = new Map()));
    byNoun.set(FirstByNoun.key(fig), fig);
  }

  /** Counts are by far the most common: their key is the noun itself. */
  private static key(fig: Figure): string {
    return fig.unit === 'count' ? (fig.noun ?? '') : `${fig.unit}|${fig.noun}`;
  }
}

/** Relations through which a body's own statement can carry a programme's figure. */
const BODY_OF: ReadonlySet<string> = new Set(['funded-by', 'led-by', 'delivered-by']);

/** Words that point back at the paragraph's subject, and the kind of entity each points at. */
const BACK_REFERENCE = /\bthe\s+(?:(programme|scheme|fund|initiative|grant|project|pilot|strategy|partnership|review|service)|(department|organisation|charity|council|authority|body|trust|board|agency|inspectorate))\b/i;

/**
 * Entities a figure may be about, best first: same sentence (nearest preceding first), then the
 * paragraph's. Written into `ids` (emptied first).
 */
function candidateIds(
  fig: Figure,
  mentions: readonly Mention[],
  sentences: readonly Span[],
  paragraphs: readonly Span[],
  text: string,
  kindOf: (id: string) => string | undefined,
  ids: Candidates,
  places: Places,
): void {
  const si = (places.sentence = firstEndingAfter(sentences, fig.start, places.sentence));
  const inSentence = si < sentences.length && sentences[si].start <= fig.start;
  const sentenceStart = inSentence ? sentences[si].start : fig.start;
  const sentenceEnd = inSentence ? sentences[si].end : fig.end;
  ids.clear();
  // Everything below is bounded by NEAREST, so one huge paragraph full of names stays linear.
  const at = (places.mention = firstEndingAfter(mentions, fig.start, places.mention));
  let k = at;
  for (; k < mentions.length && mentions[k].start < fig.end; k++) addIds(ids, mentions[k]); // "eight new Partners in Practice"
  for (let i = at - 1, n = 0; i >= 0 && n < NEAREST && mentions[i].start >= sentenceStart; i--, n++) addIds(ids, mentions[i]);
  for (let i = k, n = 0; i < mentions.length && n < NEAREST && mentions[i].end <= sentenceEnd; i++, n++) addIds(ids, mentions[i]);
  if (ids.length) return;
  // No name in the sentence: the paragraph is about its first-named entity ("the programme"),
  // or, when the sentence says "the programme" / "the department", its first entity of that kind.
  const pi = (places.paragraph = firstEndingAfter(paragraphs, fig.start, places.paragraph));
  const inParagraph = pi < paragraphs.length && paragraphs[pi].start <= fig.start;
  const paragraphStart = inParagraph ? paragraphs[pi].start : sentenceStart;
  const paragraphEnd = inParagraph ? paragraphs[pi].end : sentenceEnd;
  const first = (places.paragraphMention = firstEndingAfter(mentions, paragraphStart, places.paragraphMention));
  let subject: Mention | undefined;
  if (first < at) {
    const back = BACK_REFERENCE.exec(text.slice(Math.max(sentenceStart, fig.start - 200), fig.start));
    const wanted = back ? (back[1] ? 'programme' : 'organisation') : undefined;
    for (let i = first; i < at && i < first + NEAREST * 4; i++) {
      if (!subject) subject = mentions[i];
      if (wanted && kindOf(mentions[i].entityId) === wanted) {
        subject = mentions[i];
        break;
      }
      if (!wanted) break;
    }
  }
  if (subject) {
    addIds(ids, subject);
    for (let i = at - 1, n = 0; i >= 0 && n < NEAREST && mentions[i].start >= paragraphStart; i--, n++) if (mentions[i] !== subject) addIds(ids, mentions[i]);
    // Named before it in the paragraph: what later sentences name is not what it is about.
    return;
  }
  for (let i = k, n = 0; i < mentions.length && n < NEAREST && mentions[i].end <= paragraphEnd; i++, n++) addIds(ids, mentions[i]);
}

function addIds(ids: Candidates, m: Mention): void {
  ids.add(m.entityId);
  if (m.alsoEntityIds) for (const a of m.alsoEntityIds) ids.add(a);
}

/** How many mentions on each side of a figure are considered. */
const NEAREST = 8;

/**
 * Where the last figure's sentence, paragraph and mentions were found. The figures come in the
 * order of the draft, so each search starts there and takes a step or two: linear over a whole
 * draft, where searching each list from its middle for every figure is not (and on a long
 * draft reads a far part of it at every step).
 */
class Places {
  sentence = 0;
  paragraph = 0;
  mention = 0;
  paragraphMention = 0;
}

/**
 * The first of `spans` (sorted, not overlapping, so their ends are sorted too) that ends after
 * `offset`, or `spans.length`. Searched from `hint` on when that is at or before it: in steps
 * that double, then by halves between the last two.
 */
export function firstEndingAfter(spans: readonly Span[], offset: number, hint: number): number {
  const n = spans.length;
  let lo = 0;
  let hi = n;
  if (hint > 0 && hint <= n && spans[hint - 1].end <= offset) {
    lo = hint;
    let step = 1;
    while (lo + step <= n && spans[lo + step - 1].end <= offset) {
      lo += step;
      step *= 2;
    }
    hi = Math.min(n, lo + step - 1);
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(Math.abs(a), Math.abs(b)) * 1e-9;
}

/** Counted nouns that name the same thing in policy writing ("50 LAs", "50 local authorities", "50 councils"). */
const NOUN_SYNONYMS: readonly (readonly string[])[] = [
  ['authority', 'la', 'council'],
  ['organisation', 'body'],
  ['youngster', 'young person'],
];
const SYNONYM_OF = new Map<string, number>(NOUN_SYNONYMS.flatMap((group, i) => group.map((n) => [n, i] as const)));

function nounsCompatible(a?: string, b?: string): boolean {
  if (!a || !b) return true;
  if (a === b || sameButFinalS(a, b)) return true;
  const ga = SYNONYM_OF.get(a);
  return ga !== undefined && ga === SYNONYM_OF.get(b);
}

/** Whether two nouns are the same once a final "s" is dropped from each ("council", "councils"). */
function sameButFinalS(a: string, b: string): boolean {
  const la = a.charCodeAt(a.length - 1) === 0x73 ? a.length - 1 : a.length;
  const lb = b.charCodeAt(b.length - 1) === 0x73 ? b.length - 1 : b.length;
  if (la !== lb) return false;
  for (let i = 0; i < la; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

const NO_FACTS: readonly Fact[] = [];

/** Facts of an entity that a figure can sensibly be compared with (a list is made only when there are some). */
function comparable(fig: Figure, facts: readonly Fact[]): readonly Fact[] {
  let out: Fact[] | undefined;
  for (const f of facts) if (isComparable(fig, f)) (out ??= []).push(f);
  return out ?? NO_FACTS;
}

function isComparable(fig: Figure, f: Fact): boolean {
  return f.unit === fig.unit && (fig.unit !== 'count' || nounsCompatible(fig.noun, f.noun));
}

export function qualifiersCompatible(a?: Qualifier, b?: Qualifier): boolean {
  if (!a || !b || a === b) return true;
  const upA = a === 'over' || a === 'at-least';
  const downA = a === 'under' || a === 'up-to';
  const upB = b === 'over' || b === 'at-least';
  const downB = b === 'under' || b === 'up-to';
  return !((upA && downB) || (downA && upB));
}

/**
 * Whether `fig` is a correct rounding of `fact`, to the precision it was written with: to the
 * nearest ("£1.1bn" for £1.085bn, within 5%); down, when the draft says "over" or "at least"
 * ("over £2bn" for £2.6bn); up, when it says "almost", "under" or "up to" ("almost £800m" for
 * £780m). A rounding up or down is within 30% of the recorded figure, so that "over £1bn" for
 * £1.9bn is not one.
 */
export function isRounding(fig: Figure, fact: Fact): boolean {
  if (sameValue(fig.value, fact.value)) return false;
  const q = fig.qualifier;
  const down = q === 'over' || q === 'at-least';
  const up = q === 'under' || q === 'up-to';
  // "more than £700m": a round number with a qualifier is rounded to its last non-zero digit.
  const p = down || up ? Math.max(fig.precision, roundStep(fig.value)) : fig.precision;
  if (!(p > 0) || fact.precision >= p) return false;
  const steps = fact.value / p;
  const rounded = (down ? Math.floor(steps + 1e-9) : up ? Math.ceil(steps - 1e-9) : Math.round(steps)) * p;
  if (!sameValue(rounded, fig.value)) return false;
  return Math.abs(fig.value - fact.value) <= Math.abs(fact.value) * (down || up ? 0.3 : 0.05);
}

/** The largest power of ten that divides `value` (700,000,000 → 100,000,000), or 0. */
function roundStep(value: number): number {
  const v = Math.abs(value);
  if (!(v >= 1) || !Number.isInteger(v)) return 0;
  let step = 1;
  while (v % (step * 10) === 0) step *= 10;
  return step;
}

/** Digits from the first non-zero digit to the last non-zero one: "£1,250,000" has 3. */
function significantDigits(fig: Figure): number {
  const from = fig.numberSpan.start - fig.start;
  const to = fig.numberSpan.end - fig.start;
  let first = -1;
  let last = -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = fig.text.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    if (c !== 48) {
      if (first < 0) first = n;
      last = n;
    }
    n++;
  }
  return first < 0 ? 0 : last - first + 1;
}

function sourceLabel(kb: KnowledgeBase, f: Fact): string | undefined {
  const s = kb.source(f.source.source);
  const name = s?.title ?? f.source.source;
  const where = f.source.line ? `line ${f.source.line}` : f.source.section;
  return where ? `${name}, ${where}` : name;
}

/**
 * Expected figures are immutable: built once per fact (a draft quotes the same facts again and
 * again) and knowledge base. Per knowledge base, because a fact's source is named by its title
 * there: a loaded fact file that has not changed is used again in the next knowledge base, whose
 * sources may have been renamed in another file.
 */
const expectedCache = new WeakMap<KnowledgeBase, WeakMap<Fact, ExpectedFigure>>();
/** The last knowledge base's map, so that a check looks its knowledge base up once (it holds on to that knowledge base until another is checked). */
let lastKb: KnowledgeBase | undefined;
let lastExpected = new WeakMap<Fact, ExpectedFigure>();
/** How each expected figure reads in a message, written once. */
const descriptionCache = new WeakMap<ExpectedFigure, string>();

function expectedOf(kb: KnowledgeBase, f: Fact): ExpectedFigure {
  if (kb !== lastKb) {
    let forKb = expectedCache.get(kb);
    if (!forKb) expectedCache.set(kb, (forKb = new WeakMap()));
    lastKb = kb;
    lastExpected = forKb;
  }
  let x = lastExpected.get(f);
  if (!x) {
    x = buildExpected(kb, f);
    lastExpected.set(f, x);
  }
  return x;
}

function buildExpected(kb: KnowledgeBase, f: Fact): ExpectedFigure {
  const parsed = parseFigure(f.figure);
  const replacement = parsed ? f.figure.slice(parsed.start, parsed.end) : f.figure;
  return {
    text: f.figure,
    value: f.value,
    unit: f.unit,
    qualifier: f.qualifier,
    period: f.period,
    asOf: f.asOf,
    about: f.about,
    source: sourceLabel(kb, f),
    entityId: f.entityId,
    factId: f.id,
    replacement,
    origin: f.origin,
  };
}

/** "over £185m (grant to councils, since 2015; PSC0045, line 12)" */
function describeOne(x: ExpectedFigure): string {
  let d = descriptionCache.get(x);
  if (d === undefined) {
    const when = x.period ?? (x.asOf ? `as of ${x.asOf}` : undefined);
    d = `${x.text} (${x.about}${when ? `, ${when}` : ''}${x.source ? `; ${x.source}` : ''})`;
    descriptionCache.set(x, d);
  }
  return d;
}

/** The first three expected figures of `expected[from, to)`, then how many more. */
function describeExpected(expected: readonly ExpectedFigure[], from = 0, to = expected.length): string {
  let out = '';
  const shown = Math.min(to - from, 3);
  for (let i = 0; i < shown; i++) out += (i ? '; ' : '') + describeOne(expected[from + i]);
  return to - from > 3 ? `${out} and ${to - from - 3} more` : out;
}

function closeness(fig: Figure, f: Fact): number {
  return Math.abs(Math.log(Math.max(Math.abs(fig.value), 1e-9)) - Math.log(Math.max(Math.abs(f.value), 1e-9)));
}

function judge(owned: Owners, fig: Figure, ids: readonly string[]): Verdict {
  const kb = owned.kb;
  // Messages quote the figure on one line, however the draft wraps it.
  const said = oneLine(fig.text);
  const entities = owned.entities;
  let n = 0;
  for (const id of ids) {
    const e = kb.get(id);
    if (e) entities[n++] = e;
  }
  // 1. Any entity the figure may be about records it (or a correct rounding of it)…
  for (let i = 0; i < n; i++) {
    const hit = matchOn(kb, fig, said, entities[i], undefined);
    if (hit) return hit;
  }
  // 1b. …or a programme a named body funds, leads or delivers ("The DfE has provided £1.2m" for
  // a partnership the DfE funds). A part or a successor does not inherit its parent's figures.
  for (let i = 0; i < n; i++) {
    const e = entities[i];
    const incoming = kb.incoming(e.id);
    if (!incoming.length) continue;
    const hit = viaBody(kb, fig, said, e, incoming, ids);
    if (hit) return hit;
  }

  let primary: Entity | undefined;
  let primaryFacts: readonly Fact[] = NO_FACTS;
  for (let i = 0; i < n; i++) {
    const facts = comparable(fig, entities[i].facts);
    if (facts.length) {
      primary = entities[i];
      primaryFacts = facts;
      break;
    }
  }
  if (!primary && n) primary = entities[0];
  if (!primary) return verdict('figure.unverified', 'unverified', `${said} could not be checked: it is not near a programme or organisation the knowledge base knows.`);
  // 2. Recorded, but for something else.
  const elsewhere = misattribution(owned, fig, said, n, primary, primaryFacts);
  if (elsewhere) return elsewhere;
  // 3. The entity has figures of this kind, and none fits.
  if (primaryFacts.length) {
    const sorted = closest(fig, primaryFacts);
    const x = sorted.map((f) => expectedOf(kb, f));
    return verdict(
      'figure.mismatch',
      'mismatch',
      `${said} does not match what is recorded for ${primary.name}: ${describeExpected(x)}.`,
      primary.id,
      x,
      replacementsOf(x),
      sorted[0],
    );
  }
  // 4. Nothing to compare with.
  return verdict('figure.unverified', 'unverified', `${said} could not be checked: no ${describeUnit(fig)} is recorded for ${primary.name}.`, primary.id);
}

/** A body's programmes' figures by unit, sorted by value, each with the relation it comes through. */
interface BodyIndex {
  readonly byUnit: ReadonlyMap<FigureUnit, { readonly values: readonly number[]; readonly relations: readonly number[] }>;
}

/**
 * Built once per body and knowledge base: keyed by the body's list of incoming relations, which
 * each build of a knowledge base makes anew (an entity object can be shared between builds, when
 * a new fact file links more programmes to it).
 */
const bodyIndexes = new WeakMap<readonly Relation[], BodyIndex>();

function bodyIndexOf(kb: KnowledgeBase, incoming: readonly Relation[]): BodyIndex {
  let index = bodyIndexes.get(incoming);
  if (index) return index;
  const rows = new Map<FigureUnit, { value: number; relation: number }[]>();
  incoming.forEach((r, relation) => {
    if (!BODY_OF.has(r.type)) return;
    for (const f of kb.get(r.from)?.facts ?? NO_FACTS) {
      let list = rows.get(f.unit);
      if (!list) rows.set(f.unit, (list = []));
      list.push({ value: f.value, relation });
    }
  });
  const byUnit = new Map<FigureUnit, { values: number[]; relations: number[] }>();
  for (const [unit, list] of rows) {
    list.sort((a, b) => a.value - b.value || a.relation - b.relation);
    byUnit.set(unit, { values: list.map((x) => x.value), relations: list.map((x) => x.relation) });
  }
  index = { byUnit };
  bodyIndexes.set(incoming, index);
  return index;
}

/**
 * Step 1b of `judge`: the first of the programmes a body funds, leads or delivers (in the order
 * of its relations) that records the figure. Only those recording a value near the figure's can
 * (`matchOn` needs the same value or a rounding within 5%), so a body with hundreds of
 * programmes (a department) has their figures indexed by value, and only those are tried.
 */
function viaBody(kb: KnowledgeBase, fig: Figure, said: string, body: Entity, incoming: readonly Relation[], ids: readonly string[]): Verdict | undefined {
  const column = bodyIndexOf(kb, incoming).byUnit.get(fig.unit);
  if (!column) return undefined;
  const { values, relations } = column;
  // Wider than any match (a rounding is within 5% of the recorded value), never narrower.
  const v = fig.value;
  const lo = v > 0 ? v / 1.06 : v < 0 ? v / 0.94 : -1e-9;
  const hi = v > 0 ? v / 0.94 : v < 0 ? v / 1.06 : 1e-9;
  let a = 0;
  let b = values.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (values[mid] < lo) a = mid + 1;
    else b = mid;
  }
  const tried: number[] = [];
  for (let i = a; i < values.length && values[i] <= hi; i++) if (!tried.includes(relations[i])) tried.push(relations[i]);
  tried.sort((x, y) => x - y);
  for (const at of tried) {
    const r = incoming[at];
    const other = kb.get(r.from);
    if (!other || ids.includes(other.id)) continue;
    const hit = matchOn(kb, fig, said, other, { type: r.type, body });
    if (hit) return hit;
  }
  return undefined;
}

/** The period of each fact, read once: a year or a financial or academic year, or null. */
const factPeriods = new WeakMap<Fact, PeriodKey | null>();

function periodOfFact(f: Fact): PeriodKey | undefined {
  let key = factPeriods.get(f);
  if (key === undefined) factPeriods.set(f, (key = periodKeyOf(f.period ?? f.asOf) ?? null));
  return key ?? undefined;
}

/** Whether a verdict was reached against figures of which one at least has a period that can be compared. */
function hasPeriod(v: Verdict): boolean {
  if (v.status === 'verified' || v.status === 'rounded') return !!v.fact && !!periodOfFact(v.fact);
  return v.status === 'mismatch' && v.code === 'figure.mismatch' && !!v.expected && v.expected.length > 1;
}

/**
 * A verdict that takes the year the draft gives the figure into account.
 * - Verified or rounded against a fact of another year ("£4.8bn in 2020-21", with £4.8bn
 *   recorded for 2021-22): not right for the year the draft gives (`figure.period`). The
 *   figures recorded for that year, if any, come first, and are offered instead.
 * - No figure fits: those recorded for the year the draft gives are listed first, and offered first.
 */
function forPeriod(kb: KnowledgeBase, fig: Figure, v: Verdict, stated: StatedPeriod): YearVerdict {
  const e = v.entityId ? kb.get(v.entityId) : undefined;
  if (!e) return { verdict: v, recorded: undefined };
  const said = oneLine(fig.text);
  const year = oneLine(statedInWords(stated));
  if (v.status === 'mismatch') {
    const expected = v.expected!;
    const facts = expected.map((x) => e.facts.find((f) => f.id === x.factId));
    const first: number[] = [];
    const rest: number[] = [];
    facts.forEach((f, k) => (f && samePeriod(periodOfFact(f), stated.key) ? first : rest).push(k));
    // Already first (or none of that year): as judged.
    if (first.every((k, j) => k === j)) return { verdict: v, recorded: undefined };
    const order = [...first, ...rest];
    const x = order.map((k) => expected[k]);
    return { verdict: verdict('figure.mismatch', 'mismatch', `${said} does not match what is recorded for ${e.name}: ${describeExpected(x)}.`, e.id, x, replacementsOf(x), facts[order[0]]), recorded: undefined };
  }
  const fact = v.fact!;
  const key = periodOfFact(fact);
  if (!key || !periodsDiffer(key, stated.key)) return { verdict: v, recorded: undefined };
  const ofYear = e.facts.filter((f) => f !== fact && isComparable(fig, f) && samePeriod(periodOfFact(f), stated.key));
  // Recorded for that year too (the same sum each year): right.
  if (ofYear.some((f) => qualifiersCompatible(fig.qualifier, f.qualifier) && (sameValue(f.value, fig.value) || isRounding(fig, f)))) return { verdict: v, recorded: undefined };
  const x = expectedOf(kb, fact);
  const when = (fact.period ?? fact.asOf)!;
  // The year a quick fix would put in, written as the draft writes its year.
  const recorded = yearInStyleOf(stated, key, when);
  // "£7bn, a rounding of £7.1bn, is recorded…"
  const what = v.status === 'rounded' ? `${said}, a rounding of ${x.text},` : said;
  // The figures of that year about the same thing, offered instead.
  const same = ofYear.filter((f) => f.about === fact.about);
  if (same.length) {
    const y = same.map((f) => expectedOf(kb, f));
    return {
      verdict: verdict(
        'figure.period',
        'mismatch',
        `${what} is recorded for ${e.name} for ${when}, not ${year}. For ${year} the facts record ${describeExpected(y)}.`,
        e.id,
        [...y, x],
        replacementsOf(y),
        same[0],
      ),
      recorded,
    };
  }
  return {
    verdict: verdict('figure.period', 'mismatch', `${what} is recorded for ${e.name} for ${when}, not ${year}: ${describeExpected([x])}. Nothing of the kind is recorded for ${year}.`, e.id, [x], undefined, fact),
    recorded,
  };
}

/** A verdict given the year the draft gives the figure, and for `figure.period`, the year a quick fix would put in. */
interface YearVerdict {
  readonly verdict: Verdict;
  readonly recorded: string | undefined;
}

/**
 * The periods each sentence gives its figures, read when a verdict needs one, once per
 * sentence (figures come in the order of the draft).
 */
class SentencePeriods {
  private sentence = -1;
  private periods: readonly StatedPeriod[] = [];
  private first = 0;
  private last = 0;

  constructor(
    private readonly text: string,
    private readonly sentences: readonly Span[],
    private readonly figures: readonly Figure[],
  ) {}

  /** The period the draft gives figure `i`, in sentence `si` (see `candidateIds`). */
  of(i: number, si: number): StatedPeriod | undefined {
    const fig = this.figures[i];
    const s = this.sentences[si];
    if (!s || s.start > fig.start || s.end < fig.end) return undefined;
    if (si !== this.sentence) {
      this.sentence = si;
      this.periods = periodsIn(this.text, s.start, s.end);
      if (!this.periods.length) return undefined;
      // The sentence's figures: from figure i back to its start, and on to its end.
      let a = i;
      while (a > 0 && this.figures[a - 1].start >= s.start) a--;
      let b = i + 1;
      while (b < this.figures.length && this.figures[b].end <= s.end) b++;
      this.first = a;
      this.last = b;
    }
    if (!this.periods.length || this.periods.length > MAX_PERIODS) return undefined;
    return periodOf(this.text, fig, this.periods, this.figures, this.first, this.last);
  }
}

/** A sentence with more years than this is a table or a list: its figures' years are not read. */
const MAX_PERIODS = 16;

/** Every verdict has the same fields, so the code reading them stays fast. */
function verdict(
  code: RuleId,
  status: FindingStatus,
  message: string,
  entityId?: string,
  expected?: readonly ExpectedFigure[],
  replacements?: readonly string[],
  fact?: Fact,
): Verdict {
  return { code, status, message, entityId, expected, replacements, fact };
}

/** The fact of `e` the figure equals, or else one it correctly rounds. */
function matchOn(kb: KnowledgeBase, fig: Figure, said: string, e: Entity, via: Via | undefined): Verdict | undefined {
  let round: Fact | undefined;
  for (const f of e.facts) {
    if (!isComparable(fig, f) || !qualifiersCompatible(fig.qualifier, f.qualifier)) continue;
    if (sameValue(f.value, fig.value)) {
      const x = expectedOf(kb, f);
      return verdict('figure.verified', 'verified', `${said} matches ${who(e, via)}: ${describeExpected([x])}.`, e.id, [x], undefined, f);
    }
    if (!round && isRounding(fig, f)) round = f;
  }
  if (!round) return undefined;
  const x = expectedOf(kb, round);
  return verdict(
    'figure.rounded',
    'rounded',
    `${said} is a correct rounding of ${x.text} recorded for ${who(e, via)} (${x.about}${x.source ? `; ${x.source}` : ''}).`,
    e.id,
    [x],
    [x.replacement],
    round,
  );
}

/**
 * The figure is recorded, but for something other than what the draft says it is about. Only
 * the first few owners are named, so the search stops there: a common value can be recorded
 * hundreds of times in a large knowledge base.
 */
function misattribution(owned: Owners, fig: Figure, said: string, n: number, primary: Entity, primaryFacts: readonly Fact[]): Verdict | undefined {
  // A count says what it counts before it can be anyone else's ("50 councils", not "50").
  if (isTimeUnit(fig.unit) || (fig.unit === 'count' && !fig.noun)) return undefined;
  const distinctive = fig.unit === 'count' || fig.unit === 'percent' || significantDigits(fig) >= 2;
  if (!primaryFacts.length && !distinctive) return undefined;
  const kb = owned.kb;
  // At most MAX_EXPECTED of each, in the check's reused lists (see `Candidates`). A fact is
  // someone else's when its owner is none of the entities judged (`owned.entities[0, n)`: the
  // entities of `ids`, compared as objects, as the value index holds them).
  const { elsewhere, owners, entities } = owned;
  let x = 0;
  let named = 0;
  let ownersText = '';
  const recorded = kb.recordsOf(fig.unit, fig.value);
  const count = fig.unit === 'count';
  for (let i = 0; i < recorded.facts.length; i++) {
    const e = recorded.owners[i];
    if (inFirst(entities, n, e)) continue;
    const f = recorded.facts[i];
    if (!qualifiersCompatible(fig.qualifier, f.qualifier)) continue;
    if (count && !(f.noun && nounsCompatible(fig.noun, f.noun))) continue;
    if (x < MAX_EXPECTED) elsewhere[x++] = f;
    const owner = e.name;
    if (!inFirst(owners, named, owner)) {
      owners[named++] = owner;
      ownersText = named === 1 ? owner : `${ownersText} and ${owner}`;
    }
    if (named === MAX_EXPECTED) break;
  }
  if (!x) return undefined;
  // The owners' figures, then the primary entity's own nearest ones, in one list.
  const expected: ExpectedFigure[] = [];
  for (let i = 0; i < x; i++) expected.push(expectedOf(kb, elsewhere[i]));
  const replacements: string[] = [];
  for (const f of closest(fig, primaryFacts)) {
    const o = expectedOf(kb, f);
    expected.push(o);
    if (o.replacement && !replacements.includes(o.replacement)) replacements.push(o.replacement);
  }
  const own = expected.length - x;
  return verdict(
    'figure.misattributed',
    'misattributed',
    `${said} is recorded for ${ownersText}, not for ${primary.name}: ${describeExpected(expected, 0, x)}.${own ? ` For ${primary.name} the facts record ${describeExpected(expected, x)}.` : ''}`,
    primary.id,
    expected,
    replacements,
  );
}

/** Whether `value` is among the first `n` items of a reused list. */
function inFirst<T>(list: readonly T[], n: number, value: T): boolean {
  for (let i = 0; i < n; i++) if (list[i] === value) return true;
  return false;
}

/** How a body's statement carries a programme's figure: the relation and the body named. */
interface Via {
  readonly type: string;
  readonly body: Entity;
}

/** "Regional Youth Hub (funded by Department for Education)" */
function who(e: Entity, via?: Via): string {
  return via ? `${e.name} (${via.type.replace(/-/g, ' ')} ${via.body.name})` : e.name;
}

/** For one check: the knowledge base, and lists every judgement of the check reuses (see `Candidates`). */
class Owners {
  /** Room for the entities a figure may be about. */
  readonly entities: Entity[] = [];
  /** Room for a misattributed figure's owners' facts and names. */
  readonly elsewhere: Fact[] = [];
  readonly owners: string[] = [];

  constructor(readonly kb: KnowledgeBase) {}
}

/** The recorded figures nearest in size to the draft's, at most `MAX_EXPECTED`. */
function closest(fig: Figure, facts: readonly Fact[]): readonly Fact[] {
  if (facts.length <= 1) return facts;
  // An entity records a handful of figures of one kind: a stable insertion sort (the order
  // `Array#sort` gives) without the work array a library sort makes for every call.
  const sorted: Fact[] = [];
  for (const f of facts) {
    const d = closeness(fig, f);
    sorted.push(f);
    let i = sorted.length - 1;
    for (; i > 0 && closeness(fig, sorted[i - 1]) > d; i--) sorted[i] = sorted[i - 1];
    sorted[i] = f;
  }
  if (sorted.length > MAX_EXPECTED) sorted.length = MAX_EXPECTED;
  return sorted;
}

function oneLine(s: string): string {
  return /[^\S ]| {2}/.test(s) ? s.replace(/\s+/g, ' ') : s;
}

function isTimeUnit(u: FigureUnit): boolean {
  return u === 'hours' || u === 'days' || u === 'weeks' || u === 'months' || u === 'years';
}

function describeUnit(fig: Figure): string {
  switch (fig.unit) {
    case 'GBP':
    case 'USD':
    case 'EUR':
      return 'amount of money';
    case 'percent':
    case 'percentage-points':
      return 'percentage';
    case 'count':
      return fig.noun ? `count of ${fig.noun}` : 'count';
    default:
      return `figure in ${fig.unit}`;
  }
}

/** The expected figures' replacements, each once, in order. */
function replacementsOf(expected: readonly ExpectedFigure[]): string[] {
  const out: string[] = [];
  for (const o of expected) if (o.replacement && !out.includes(o.replacement)) out.push(o.replacement);
  return out;
}

function uniqueStrings(values: readonly string[]): string[] {
  return values.filter((v, i) => v && values.indexOf(v) === i);
}

export { RULES };
