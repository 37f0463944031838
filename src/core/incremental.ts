/**
 * Re-checking a draft as it is edited, without re-checking all of it.
 *
 * A draft is cut into blocks at blank lines that certainly end a paragraph (see
 * `blockStarts`). Nothing the checker does crosses such a line — names never match across a
 * blank line, figures never span one, and the sentences and paragraphs a figure is attached
 * by end there — so each block can be checked on its own, and after an edit only the blocks
 * the edit touches are checked again; the others keep their results, moved if the edit
 * moved them. A draft without any blank line, where each line is a paragraph, is cut at line
 * breaks between sentences instead (see `lineBlockStarts`).
 *
 * One thing does cross blocks: "the same figure given two different values in one draft"
 * (`figure.inconsistent`), where the first occurrence of a figure decides how later ones are
 * judged. Each block remembers, for the figures it holds, the earlier blocks holding their
 * first occurrences, and is judged with those blocks put in front of it, so the checker's own
 * rule decides, exactly as in a whole-draft check. When an edit changes which figure comes
 * first, the blocks that depend on it are judged again.
 *
 * The first check is one `checkText` of the whole text, shared out among the blocks. A typical
 * edit then costs one `checkText` of the edited block (with the blocks it depends on in
 * front) and moving the results after it. The result is the same as `checkText` on the whole
 * text (the tests compare the two, through hundreds of random edits).
 */
import type { KnowledgeBase } from './kb/knowledgeBase';
import type { Matcher, Mention } from './match/matcher';
import { checkText, checkTextInSteps, DEFAULT_MAX_CHARS, type CheckOptions, type CheckResult, type CheckSummary, type Finding, type FindingStatus } from './figures/checker';
import { hasBlankLine, isAbbreviation, isSpace } from './text/segment';
import { mayBeginFigure } from './figures/parse';
import type { Figure } from './types';
import { runToEnd, type Steps } from './steps';

/**
 * One edit, as VS Code reports it (`TextDocumentContentChangeEvent` fits): the text that
 * replaced `rangeLength` characters at `rangeOffset`. Several edits apply one after the other,
 * each in the coordinates of the text the previous one produced.
 */
export interface TextEdit {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/** What the last `check` did, for status reports and the benchmark. */
export interface IncrementalStats {
  readonly blocks: number;
  /** Blocks checked (again) by the last call. */
  readonly checkedBlocks: number;
  /** Characters those blocks hold. */
  readonly checkedChars: number;
  /** Whether the last call checked the whole text. */
  readonly full: boolean;
}

interface FirstUse {
  readonly key: string;
  /** The figure as written: the first occurrence of a key decides how later ones are judged. */
  readonly text: string;
}

/** The earlier first use of a key, as a block was judged with it. */
interface Earlier {
  readonly block: Block;
  readonly text: string;
}

interface Block {
  text: string;
  start: number;
  /** The offset the block's results are expressed for (results move when the block does). */
  at: number;
  mentions: readonly Mention[];
  figures: readonly Figure[];
  findings: readonly Finding[];
  /** Keys of the block's figures, in order (see `consistencyKey`), with each figure's text. */
  uses: readonly FirstUse[];
  /** For the keys whose first use is in an earlier block: that block and that figure. */
  before: Map<string, Earlier>;
  /** Its findings counted by status (see `STATUSES`), then the suppressed ones. */
  counts: Int32Array;
}

/**
 * A line starting with one of these after a blank line always starts a new paragraph: the
 * paragraph splitter reads a blank line as a break inside a sentence (PDF paste, "at a rate
 * of ⏎⏎ £21.05") only when the next line starts in lower case, with a figure or a bracket.
 */
const STARTS_PARAGRAPH = /[A-Z#>|]/;

/**
 * Block starts in `text[from, to)`: `from`, then every line that follows a blank line and
 * certainly starts a new paragraph (it starts with a capital, a heading or a quote). Other
 * blank lines may or may not end a paragraph, so they stay inside a block. Blank lines
 * belong to the block before them.
 */
export function blockStarts(text: string, from = 0, to = text.length): number[] {
  const starts = [from];
  let i = from;
  let seenText = false;
  let blankBefore = false;
  while (i < to) {
    // At the start of a line: is it blank?
    let j = i;
    while (j < to && isSpace(text.charCodeAt(j))) j++;
    const c = j < to ? text.charCodeAt(j) : -1;
    const blank = c === 10 || c === 13 || c === -1;
    if (!blank && blankBefore && STARTS_PARAGRAPH.test(text[j])) starts.push(i);
    blankBefore = blank && seenText;
    if (!blank) seenText = true;
    // On to the next line.
    while (j < to) {
      const d = text.charCodeAt(j++);
      if (d === 10) break;
      if (d === 13) {
        if (text.charCodeAt(j) === 10) j++;
        break;
      }
    }
    i = j;
  }
  return starts;
}

/** A line starting with one of these after a line that ended a sentence starts a sentence. */
const STARTS_SENTENCE = /[A-Z#]/;

/** An inline comment that keeps its own line and the next from being reported (see the checker). */
const IGNORE_COMMENT = 'policy-facts-ignore';

/**
 * Block starts in `text[from, to)` for a text without a blank line, where each line is a
 * paragraph (`from` must start a line): `from`, then every line that starts with a capital or
 * a heading after a line that ends with ".", "!" or "?" — a full stop that ends no
 * abbreviation ("c.", "e.g.", an initial) — unless:
 * - a name of `matcher` has that mark followed by the line's first word;
 * - the line's first word may begin a figure ("Over", "Twelve": the figure parser looks back
 *   across the line break from it, see `mayBeginFigure`);
 * - the line before holds a `policy-facts-ignore` comment, which covers the next line too.
 * Nothing the checker does crosses such a line break: no name runs across it, no figure reads
 * across it, each line is a sentence and a paragraph of its own, and no comment reaches
 * past it. Other line breaks stay inside a block.
 */
export function lineBlockStarts(text: string, matcher: Matcher, from = 0, to = text.length): number[] {
  const starts = [from];
  let lineStart = from;
  let ignore = text.indexOf(IGNORE_COMMENT, from);
  for (let nl = text.indexOf('\n', from); nl >= 0 && nl + 1 < to; nl = text.indexOf('\n', nl + 1)) {
    const before = lineStart;
    lineStart = nl + 1;
    let j = lineStart;
    while (j < to && isSpace(text.charCodeAt(j))) j++;
    if (j >= to || !STARTS_SENTENCE.test(text[j])) continue;
    // The last visible character of the line before.
    let e = nl;
    if (e > before && text.charCodeAt(e - 1) === 13) e--;
    while (e > before && isSpace(text.charCodeAt(e - 1))) e--;
    const mark = e - 1;
    if (mark < before) continue;
    const c = text.charCodeAt(mark);
    if (c !== 46 && c !== 33 && c !== 63) continue;
    if (c === 46 && (text.charCodeAt(mark - 1) === 46 || isAbbreviation(text, before, mark))) continue;
    if (ignore >= 0 && ignore < before) ignore = text.indexOf(IGNORE_COMMENT, before);
    if (ignore >= 0 && ignore < nl) continue;
    if (mayBeginFigure(text, j) || matcher.mayRunOn(text, mark, j)) continue;
    starts.push(lineStart);
  }
  return starts;
}

/**
 * Where a draft may be cut into blocks that are checked on their own, in its first `to`
 * characters (those that are checked): at blank lines (`blockStarts`), or, in a draft without
 * any, where each line is a paragraph, at line breaks (`lineBlockStarts`).
 */
export function draftBlockStarts(kb: KnowledgeBase, text: string, to = text.length): number[] {
  return hasBlankLine(text, 0, to) ? blockStarts(text, 0, to) : lineBlockStarts(text, kb.matcher, 0, to);
}

/**
 * The most text an edit's re-check reads in one go (about four pieces of a check in steps, a
 * few tens of milliseconds), the blocks changed, judged again and put in front of them
 * counted; past it, the whole draft is checked in steps instead.
 */
const MAX_CHANGED_CHARS = 64 * 1024;

/** Blocks made from a whole check's results between two pauses of `checkInSteps`. */
const BLOCKS_PER_STEP = 256;
/** Findings (or their uses) gone through between two pauses, making the blocks: a block may hold thousands. */
const FINDINGS_PER_STEP = 4096;

/**
 * The key under which the checker compares a figure with the same figure earlier in the draft:
 * entity, unit and the recorded fact it was judged against (or the counted noun).
 */
function consistencyKey(f: Finding): string | undefined {
  const fig = f.figure;
  if (!fig || !f.entityId) return undefined;
  const judgedAgainstFact = f.status === 'verified' || f.status === 'rounded' || f.status === 'mismatch' || f.status === 'inconsistent';
  const factKey = judgedAgainstFact ? f.expected?.[0]?.factId : undefined;
  if (!factKey && !fig.noun) return undefined;
  return `${f.entityId}|${fig.unit}|${factKey ?? fig.noun ?? ''}`;
}

function shiftMention(m: Mention, d: number): Mention {
  return { ...m, start: m.start + d, end: m.end + d };
}

/** A new object, never moved in place: a finding's year may be shared with another finding. */
function shiftYear(y: NonNullable<Finding['year']>, d: number): NonNullable<Finding['year']> {
  return { ...y, start: y.start + d, end: y.end + d };
}

function shiftFigure(f: Figure, d: number): Figure {
  return { ...f, start: f.start + d, end: f.end + d, numberSpan: { start: f.numberSpan.start + d, end: f.numberSpan.end + d } };
}

/**
 * A finding moved by `d`, pointing at the figure and mention that start where its own (moved)
 * ones do, from the given maps.
 */
function shiftFinding(f: Finding, d: number, figures: Map<number, Figure>, mentions: Map<number, Mention>): Finding {
  const out = { ...f, start: f.start + d, end: f.end + d } as { -readonly [K in keyof Finding]: Finding[K] };
  if (f.figure) out.figure = figures.get(f.figure.start + d) ?? shiftFigure(f.figure, d);
  if (f.mention) out.mention = mentions.get(f.mention.start + d) ?? shiftMention(f.mention, d);
  if (f.year) out.year = shiftYear(f.year, d);
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Move a block's results to where the block now starts, in place: re-creating every object
 * after an edit would cost more than the re-check itself on a long draft.
 */
function moveBlock(block: Block): void {
  const d = block.start - block.at;
  if (d === 0) return;
  for (const m of block.mentions as Mutable<Mention>[]) {
    m.start += d;
    m.end += d;
  }
  for (const f of block.figures as Mutable<Figure>[]) {
    f.start += d;
    f.end += d;
    const n = f.numberSpan as Mutable<Figure['numberSpan']>;
    n.start += d;
    n.end += d;
  }
  // A finding's figure and mention are the block's own, moved above.
  for (const f of block.findings as Mutable<Finding>[]) {
    f.start += d;
    f.end += d;
    if (f.year) f.year = shiftYear(f.year, d);
  }
  block.at = block.start;
}

const STATUSES: readonly FindingStatus[] = ['verified', 'rounded', 'mismatch', 'misattributed', 'unverified', 'former-name', 'inconsistent'];
const SUPPRESSED = STATUSES.length;

/** Adds (`sign` 1) or takes away (-1) a block's counts. */
function addCounts(totals: Int32Array, counts: Int32Array, sign: number): void {
  for (let i = 0; i < totals.length; i++) totals[i] += sign * counts[i];
}

/** Where the line holding `at` ends, after its line break (or the text's end). */
function lineEndAfter(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl + 1;
}

function countFindings(findings: readonly Finding[]): Int32Array {
  const counts = new Int32Array(STATUSES.length + 1);
  for (const f of findings) {
    if (f.suppressed) counts[SUPPRESSED]++;
    else {
      const i = STATUSES.indexOf(f.status);
      if (i >= 0) counts[i]++;
    }
  }
  return counts;
}

/**
 * Checks one draft again and again as it changes. Bound to one knowledge base and one set of
 * options: make a new one when either changes.
 */
export class IncrementalChecker {
  private blocks: Block[] = [];
  private text: string | undefined;
  /** The result arrays, kept up to date block by block. */
  private mentions: Mention[] = [];
  private figures: Figure[] = [];
  private findings: Finding[] = [];
  /** The blocks' `counts` added up. */
  private totals = new Int32Array(STATUSES.length + 1);
  /** Whether the text has a blank line; if not, the checker reads each line as a paragraph. */
  private hasBlank = false;
  private lastStats: IncrementalStats = { blocks: 0, checkedBlocks: 0, checkedChars: 0, full: true };
  private readonly blockOptions: CheckOptions;

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly options: CheckOptions = {},
  ) {
    this.blockOptions = { ...options, maxChars: Number.MAX_SAFE_INTEGER };
  }

  get stats(): IncrementalStats {
    return this.lastStats;
  }

  /**
   * The check result for `text`. `edits` are what turned the previously checked text into
   * this one; without them the two texts are compared to find what changed. Equal to
   * `checkText(kb, text, options)`.
   *
   * A result is valid until the next call: to stay fast, later calls reuse its arrays and its
   * mention, figure and finding objects, moving them to their new offsets. Copy what must
   * outlive it.
   */
  check(text: string, edits?: readonly TextEdit[]): CheckResult {
    return runToEnd(this.checkInSteps(text, edits));
  }

  /**
   * `check` a piece at a time: a whole check (the first, or after an edit that changed too much)
   * stops after each piece of the draft read and every few hundred figures judged (see
   * `checkTextInSteps`); checking only what an edit changed is one piece. The checker changes
   * only at the end: steps left unfinished leave it as it was, ready for the next check.
   */
  *checkInSteps(text: string, edits?: readonly TextEdit[]): Steps<CheckResult> {
    const maxChars = this.options.maxChars ?? DEFAULT_MAX_CHARS;
    if (text.length > maxChars) {
      // Over the limit the checker reports what it skipped; keep its exact behaviour.
      const result = yield* checkTextInSteps(this.kb, text, this.options);
      this.text = undefined;
      this.blocks = [];
      this.lastStats = { blocks: 0, checkedBlocks: 1, checkedChars: text.length, full: true };
      return result;
    }
    const previous = this.text;
    let dirty = previous === undefined ? undefined : edits ? fromEdits(previous, text, edits) : fromDiff(previous, text);
    // A text that had no blank line has one now only if the edit made it: read only around the edit.
    const hasBlank = dirty && !this.hasBlank ? hasBlankLine(text, Math.max(0, text.lastIndexOf('\n', dirty.lo - 1)), lineEndAfter(text, dirty.hi)) : hasBlankLine(text);
    if (hasBlank !== this.hasBlank) dirty = undefined;
    if (!dirty) return yield* this.checkAll(text, hasBlank);
    if (dirty.lo === previous!.length && dirty.hi === text.length && dirty.delta === 0) {
      this.text = text;
      this.lastStats = { blocks: this.blocks.length, checkedBlocks: 0, checkedChars: 0, full: false };
      return this.result(text);
    }
    const range = this.changedRange(dirty);
    // Blocks too long to check again in one go (a long paragraph, or a draft without places to
    // cut it): check all of it, in steps.
    if (range.to - range.from > MAX_CHANGED_CHARS) return yield* this.checkAll(text, hasBlank);
    // Also when the blocks judged with them, or judged again after them, would be (a figure given
    // first in one paragraph and again in thousands after it): the checker is then left to be
    // checked whole, in steps.
    return this.checkChanged(text, dirty, range) ?? (yield* this.checkAll(text, hasBlank));
  }

  /** The blocks an edit touches, and one more on each side (an edit next to a block start can join two blocks or split one), and the text they now hold. */
  private changedRange(dirty: Dirty): { first: number; last: number; from: number; to: number } {
    const blocks = this.blocks;
    const oldLength = this.text!.length;
    const first = Math.max(0, blockAt(blocks, dirty.lo) - 1);
    const last = Math.min(blocks.length - 1, blockAt(blocks, Math.min(dirty.hi - dirty.delta, oldLength - 1)) + 1);
    const from = blocks[first].start;
    const to = (last + 1 < blocks.length ? blocks[last + 1].start : oldLength) + dirty.delta;
    return { first, last, from, to };
  }

  /** Check the whole text, then share its results out among the blocks. */
  private *checkAll(text: string, hasBlank: boolean): Steps<CheckResult> {
    const starts = this.starts(text, hasBlank, 0, text.length);
    // Finding the blocks read the whole text.
    yield;
    const whole = yield* checkTextInSteps(this.kb, text, this.options, starts);
    const blocks: Block[] = [];
    let m = 0;
    let g = 0;
    let f = 0;
    let work = 0;
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i];
      const end = i + 1 < starts.length ? starts[i + 1] : text.length;
      const last = i === starts.length - 1;
      const take = <T extends { start: number }>(xs: readonly T[], k: number): [T[], number] => {
        let j = k;
        while (j < xs.length && (last || xs[j].start < end)) j++;
        return [xs.slice(k, j), j];
      };
      const [mentions, m2] = take(whole.mentions, m);
      const [figures, g2] = take(whole.figures, g);
      const [findings, f2] = take(whole.findings, f);
      m = m2;
      g = g2;
      f = f2;
      const uses: FirstUse[] = [];
      for (const x of findings) {
        addUse(uses, x);
        if (++work === FINDINGS_PER_STEP) {
          work = 0;
          yield;
        }
      }
      blocks.push({ text: text.slice(start, end), start, at: start, mentions, figures, findings, uses, before: new Map(), counts: countFindings(findings) });
      if (i % BLOCKS_PER_STEP === BLOCKS_PER_STEP - 1) yield;
    }
    const firstAt = new Map<string, Earlier>();
    for (const block of blocks) {
      for (const use of block.uses) {
        const first = firstAt.get(use.key);
        if (!first) firstAt.set(use.key, { block, text: use.text });
        else if (first.block !== block) block.before.set(use.key, first);
        if (++work === FINDINGS_PER_STEP) {
          work = 0;
          yield;
        }
      }
    }
    const totals = new Int32Array(STATUSES.length + 1);
    for (const block of blocks) addCounts(totals, block.counts, 1);
    this.totals = totals;
    this.hasBlank = hasBlank;
    this.blocks = blocks;
    this.text = text;
    this.mentions = [...whole.mentions];
    this.figures = [...whole.figures];
    this.findings = [...whole.findings];
    this.lastStats = { blocks: blocks.length, checkedBlocks: blocks.length, checkedChars: text.length, full: true };
    return whole;
  }

  /** The result after an edit, checking only what it changed; `undefined` (and the checker left to check all of it) when that is too much to do in one go. */
  private checkChanged(text: string, dirty: Dirty, { first, last, from, to }: { first: number; last: number; from: number; to: number }): CheckResult | undefined {
    const blocks = this.blocks;
    const starts = this.starts(text, this.hasBlank, from, to);
    const old = blocks.slice(first, last + 1);
    // Blocks whose text the edit left alone (the neighbours) keep their results.
    const reused = new Set<Block>();
    let k = 0;
    const texts = starts.map((start, i) => text.slice(start, i + 1 < starts.length ? starts[i + 1] : to));
    const matches = texts.map((t) => {
      for (let q = k; q < old.length; q++) {
        if (old[q].text === t) {
          k = q + 1;
          reused.add(old[q]);
          return old[q];
        }
      }
      return undefined;
    });
    const gone = old.filter((b) => !reused.has(b));
    // The usual edit changes one block: judge its new text straight away with the earlier
    // first uses the old one was judged with (most often they still hold).
    const oneForOne = gone.length === 1 && matches.filter((m) => !m).length === 1;
    const checked = texts.map((t, i) => {
      const m = matches[i];
      if (m) {
        m.start = starts[i];
        return m;
      }
      return oneForOne ? this.checkBlockAfter(t, starts[i], gone[0].before) : this.checkBlock(t, starts[i]);
    });
    if (checked.some((b) => !b)) return this.giveUp();
    const fresh = checked as Block[];
    // Where the replaced blocks' results sit in the result arrays.
    let mi = 0;
    let gi = 0;
    let fi = 0;
    for (let b = 0; b < first; b++) {
      mi += blocks[b].mentions.length;
      gi += blocks[b].figures.length;
      fi += blocks[b].findings.length;
    }
    for (let b = last + 1; b < blocks.length; b++) blocks[b].start += dirty.delta;
    blocks.splice(first, last - first + 1, ...fresh);
    for (let b = first; b < blocks.length; b++) moveBlock(blocks[b]);
    splice(this.mentions, mi, old, fresh, (x) => x.mentions);
    splice(this.figures, gi, old, fresh, (x) => x.figures);
    splice(this.findings, fi, old, fresh, (x) => x.findings);
    this.text = text;
    const made = fresh.filter((b) => !reused.has(b));
    for (const b of gone) addCounts(this.totals, b.counts, -1);
    for (const b of made) addCounts(this.totals, b.counts, 1);
    let rechecked: { blocks: number; chars: number };
    if (gone.length === 1 && made.length === 1 && sameUses(gone[0].uses, made[0].uses)) {
      // One block changed and its figures mean what they meant: no other block is affected.
      // It takes the old block's place (earlier-use records point at it) and context.
      const [was] = gone;
      const [now] = made;
      Object.assign(was, { text: now.text, start: now.start, at: now.at, mentions: now.mentions, figures: now.figures, findings: now.findings, uses: now.uses, counts: now.counts });
      const index = blocks.indexOf(now, first);
      blocks[index] = was;
      rechecked = { blocks: 0, chars: 0 };
    } else {
      const changed = new Set<string>();
      for (const block of gone) for (const use of block.uses) changed.add(use.key);
      for (const block of made) for (const use of block.uses) changed.add(use.key);
      const settled = this.settle(changed, first);
      if (!settled) return this.giveUp();
      rechecked = settled;
    }
    this.lastStats = {
      blocks: blocks.length,
      checkedBlocks: made.length + rechecked.blocks,
      checkedChars: made.reduce((n, b) => n + b.text.length, 0) + rechecked.chars,
      full: false,
    };
    return this.result(text);
  }

  /** Judge block `index` again after the given earlier blocks, and put its findings in place. */
  private rejudgeAt(index: number, earlier: readonly Block[], findingsAt?: number): void {
    const blocks = this.blocks;
    const block = blocks[index];
    let at = findingsAt ?? 0;
    if (findingsAt === undefined) for (let b = 0; b < index; b++) at += blocks[b].findings.length;
    const findings = this.rejudge(block, earlier);
    // One finding per figure and per former-name mention, judged again: as many as before.
    const same = findings.length === block.findings.length;
    block.findings = findings;
    addCounts(this.totals, block.counts, -1);
    block.counts = countFindings(findings);
    addCounts(this.totals, block.counts, 1);
    if (same) for (let i = 0; i < findings.length; i++) this.findings[at + i] = findings[i];
    else this.findings = blocks.flatMap((x) => x.findings);
  }

  /** Leaves the checker to check the whole text next (what it holds may be half changed). */
  private giveUp(): undefined {
    this.text = undefined;
    return undefined;
  }

  /**
   * Check one block after the blocks holding the given earlier first uses (its `before`);
   * `undefined` when those blocks are too long to check in one go.
   */
  private checkBlockAfter(text: string, start: number, before: Map<string, Earlier>): Block | undefined {
    if (before.size === 0) return this.checkBlock(text, start);
    const earlier = sortedEarlier(this.blocks, before);
    if (prefixLength(earlier, this.hasBlank) + text.length > MAX_CHANGED_CHARS) return undefined;
    const prefix = prefixOf(earlier, this.hasBlank);
    const r = checkText(this.kb, prefix + this.alone(text), this.blockOptions);
    const d = prefix.length;
    // Its own results, expressed for a block starting at `d` (`moveBlock` puts them in place).
    const own = <T extends { start: number }>(xs: readonly T[]) => xs.filter((x) => x.start >= d);
    const block: Block = {
      text,
      start,
      at: d,
      mentions: own(r.mentions),
      figures: own(r.figures),
      findings: own(r.findings),
      uses: [],
      before: new Map(before),
      counts: new Int32Array(0),
    };
    block.uses = usesOf(block.findings);
    block.counts = countFindings(block.findings);
    // Keep only the earlier uses of keys it still has (extra earlier blocks change nothing).
    const keys = new Set(block.uses.map((u) => u.key));
    for (const key of [...block.before.keys()]) if (!keys.has(key)) block.before.delete(key);
    return block;
  }

  /** Check one block on its own (no earlier figures to compare with). */
  private checkBlock(text: string, start: number): Block {
    const r = checkText(this.kb, this.alone(text), this.blockOptions);
    return {
      text,
      start,
      at: 0,
      mentions: r.mentions,
      figures: r.figures,
      findings: r.findings,
      uses: usesOf(r.findings),
      before: new Map(),
      counts: countFindings(r.findings),
    };
  }

  /** Block starts in `text[from, to)`, read as a text with a blank line or as one without. */
  private starts(text: string, hasBlank: boolean, from: number, to: number): number[] {
    // Without a blank line the checker reads each line as a paragraph.
    return hasBlank ? blockStarts(text, from, to) : lineBlockStarts(text, this.kb.matcher, from, to);
  }

  /**
   * A block's text as it is checked on its own: the last block has no blank line after it,
   * so one is added when the whole text has one (else the checker would read its lines as
   * separate paragraphs, as in a text without any blank line).
   */
  private alone(text: string): string {
    return this.hasBlank && !hasBlankLine(text) ? `${text}\n\n` : text;
  }

  /**
   * After an edit: find where the keys the edit touched are first used now, and judge again
   * the blocks (from `from` on) whose earlier first uses changed.
   */
  private settle(changed: ReadonlySet<string>, from: number): { blocks: number; chars: number } | undefined {
    let count = 0;
    let chars = 0;
    if (changed.size === 0) return { blocks: 0, chars: 0 };
    const blocks = this.blocks;
    const firstOf = new Map<string, { block: Block; index: number; text: string }>();
    for (let b = 0; b < blocks.length && firstOf.size < changed.size; b++) {
      for (const use of blocks[b].uses) if (changed.has(use.key) && !firstOf.has(use.key)) firstOf.set(use.key, { block: blocks[b], index: b, text: use.text });
    }
    // First the blocks to judge again, with the earlier blocks to put in front of each.
    const index = new Map<Block, number>();
    for (let b = 0; b < blocks.length; b++) index.set(blocks[b], b);
    const jobs: { b: number; earlier: Block[] }[] = [];
    let cost = 0;
    for (let b = from; b < blocks.length; b++) {
      const block = blocks[b];
      // Does any first use this block depends on differ from what it holds?
      let differs = false;
      for (const use of block.uses) {
        if (!changed.has(use.key)) continue;
        const first = firstOf.get(use.key)!;
        const held = block.before.get(use.key);
        if (first.index < b ? held?.block !== first.block || held.text !== first.text : held !== undefined) {
          differs = true;
          break;
        }
      }
      if (!differs) continue;
      const next = new Map(block.before);
      for (const use of block.uses) {
        if (!changed.has(use.key)) continue;
        const first = firstOf.get(use.key)!;
        if (first.index < b) next.set(use.key, { block: first.block, text: first.text });
        else next.delete(use.key);
      }
      // Each block was judged with the earlier uses it holds (none, for one checked alone).
      const judgedWith = block.before;
      block.before = next;
      if (sameTexts(next, judgedWith)) continue;
      const earlier = sortedEarlier(blocks, next, index);
      cost += prefixLength(earlier, this.hasBlank) + block.text.length;
      if (cost > MAX_CHANGED_CHARS) return undefined;
      jobs.push({ b, earlier });
    }
    let findingsAt: number[] | undefined;
    for (const { b, earlier } of jobs) {
      const block = blocks[b];
      if (!findingsAt) {
        findingsAt = new Array<number>(blocks.length);
        for (let i = 0, at = 0; i < blocks.length; i++) {
          findingsAt[i] = at;
          at += blocks[i].findings.length;
        }
      }
      const before = block.findings.length;
      this.rejudgeAt(b, earlier, findingsAt[b]);
      if (block.findings.length !== before) findingsAt = undefined;
      count++;
      chars += block.text.length;
    }
    return { blocks: count, chars };
  }

  /** A block's findings judged again after the given earlier blocks, as a whole-draft check would. */
  private rejudge(block: Block, earlier: readonly Block[]): Finding[] {
    const prefix = prefixOf(earlier, this.hasBlank);
    const r = checkText(this.kb, prefix + this.alone(block.text), this.blockOptions);
    const d = block.at - prefix.length;
    const figures = new Map(block.figures.map((f) => [f.start, f]));
    const mentions = new Map(block.mentions.map((m) => [m.start, m]));
    return r.findings.filter((f) => f.start >= prefix.length).map((f) => shiftFinding(f, d, figures, mentions));
  }

  /** The result: the arrays kept up to date, and the summary counted from the blocks. */
  private result(text: string): CheckResult {
    const counts = this.totals;
    const summary: CheckSummary = {
      mentions: this.mentions.length,
      figures: this.figures.length,
      verified: counts[0],
      rounded: counts[1],
      mismatch: counts[2],
      misattributed: counts[3],
      unverified: counts[4],
      'former-name': counts[5],
      inconsistent: counts[6],
      suppressed: counts[SUPPRESSED],
      checkedChars: text.length,
      skippedChars: 0,
    };
    return { mentions: this.mentions, figures: this.figures, findings: this.findings, summary };
  }
}

/** Replace, at `at` in `all`, the items of the removed blocks with those of the fresh ones. */
function splice<T>(all: T[], at: number, removed: readonly Block[], fresh: readonly Block[], items: (b: Block) => readonly T[]): void {
  let count = 0;
  for (const b of removed) count += items(b).length;
  const added: T[] = [];
  for (const b of fresh) for (const x of items(b)) added.push(x);
  if (added.length < 4096) {
    all.splice(at, count, ...added);
    return;
  }
  // Too many to pass as arguments (a large paste): rebuild the tail.
  const rest = all.slice(at + count);
  all.length = at;
  for (const x of added) all.push(x);
  for (const x of rest) all.push(x);
}

/**
 * Earlier blocks put in front of a block to judge it. In a text with blank lines, every block
 * but the last ends with a blank line; a line holding only "." after each keeps the next from
 * being read as the continuation of its last sentence. In a text without, every block but the
 * last ends with a line break after a sentence, and the next starts a sentence: one after the
 * other, they are read as where they stand.
 */
function prefixOf(earlier: readonly Block[], hasBlank: boolean): string {
  return earlier.map((b) => (hasBlank ? `${b.text}.\n\n` : b.text)).join('');
}

/**
 * The distinct blocks holding the given earlier first uses, in text order: those still in
 * `blocks`, found through `index` (each block's place in it) when given.
 */
function sortedEarlier(blocks: readonly Block[], before: ReadonlyMap<string, Earlier>, index?: ReadonlyMap<Block, number>): Block[] {
  const wanted = new Set([...before.values()].map((e) => e.block));
  if (!index) return blocks.filter((b) => wanted.has(b));
  return [...wanted].filter((b) => index.has(b)).sort((a, b) => index.get(a)! - index.get(b)!);
}

/** The length of `prefixOf(earlier, hasBlank)`. */
function prefixLength(earlier: readonly Block[], hasBlank: boolean): number {
  let n = 0;
  for (const b of earlier) n += b.text.length + (hasBlank ? 3 : 0);
  return n;
}

function sameUses(a: readonly FirstUse[], b: readonly FirstUse[]): boolean {
  return a.length === b.length && a.every((u, i) => u.key === b[i].key && u.text === b[i].text);
}

function sameTexts(a: ReadonlyMap<string, Earlier>, b: ReadonlyMap<string, Earlier>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, e] of a) if (b.get(key)?.text !== e.text) return false;
  return true;
}

function usesOf(findings: readonly Finding[]): FirstUse[] {
  const out: FirstUse[] = [];
  for (const f of findings) addUse(out, f);
  return out;
}

function addUse(out: FirstUse[], f: Finding): void {
  const key = consistencyKey(f);
  if (key) out.push({ key, text: f.figure!.text });
}

/** Index of the block holding offset `at` (blocks sorted by start, the first at 0). */
function blockAt(blocks: readonly Block[], at: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid].start <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** What changed: `[lo, hi)` in the new text replaced `[lo, hi - delta)` of the old one. */
interface Dirty {
  readonly lo: number;
  readonly hi: number;
  readonly delta: number;
}

function fromEdits(previous: string, text: string, edits: readonly TextEdit[]): Dirty | undefined {
  let length = previous.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const e of edits) {
    const at = e.rangeOffset;
    const removed = e.rangeLength;
    if (!(at >= 0) || !(removed >= 0) || at + removed > length || typeof e.text !== 'string') return undefined;
    const added = e.text.length;
    const d = added - removed;
    // Move the dirty range so far through this edit, then add the edit's own range.
    if (lo !== Number.POSITIVE_INFINITY) {
      if (at + removed <= lo) {
        lo += d;
        hi += d;
      } else if (at >= hi) {
        // after: unchanged
      } else {
        lo = Math.min(lo, at);
        hi = Math.max(hi + d, at + added);
      }
    }
    lo = Math.min(lo, at);
    hi = Math.max(hi, at + added);
    length += d;
  }
  if (length !== text.length) return undefined;
  if (lo === Number.POSITIVE_INFINITY) return { lo: text.length, hi: text.length, delta: 0 };
  return { lo, hi, delta: text.length - previous.length };
}

function fromDiff(previous: string, text: string): Dirty {
  if (previous === text) return { lo: text.length, hi: text.length, delta: 0 };
  const n = Math.min(previous.length, text.length);
  let lo = 0;
  while (lo < n && previous.charCodeAt(lo) === text.charCodeAt(lo)) lo++;
  let a = previous.length;
  let b = text.length;
  while (a > lo && b > lo && previous.charCodeAt(a - 1) === text.charCodeAt(b - 1)) {
    a--;
    b--;
  }
  return { lo, hi: b, delta: text.length - previous.length };
}
