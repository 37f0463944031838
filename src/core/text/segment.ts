/**
 * Splits a draft into sentences and paragraphs, the units the checker uses to decide which
 * programme or organisation a figure is about. Pasted text is messy: hard line breaks inside
 * sentences, headings without full stops, abbreviations such as "c." and "e.g.". A line break
 * ends a sentence only after sentence-final punctuation, or when the next line is blank, a
 * heading or a list item. Paragraphs are separated by blank lines, except in text that has no
 * blank line at all, where each line is a paragraph.
 */
import { runToEnd, type Steps } from '../steps';
import type { Span } from '../types';

export interface Segments {
  readonly sentences: readonly Span[];
  readonly paragraphs: readonly Span[];
}

const ABBREVIATIONS = new Set([
  'c', 'ca', 'e.g', 'eg', 'i.e', 'ie', 'etc', 'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'no', 'nos', 'vs', 'v', 'cf', 'approx', 'est', 'inc', 'ltd', 'co', 'gov', 'para', 'paras', 'fig', 'vol', 'p', 'pp', 'sec', 'cllr', 'rt', 'hon',
]);

/** Spaces within a line as the splitter reads them (not line breaks): Unicode spaces count. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0x202f || (c >= 0x2000 && c <= 0x200a) || c === 0x3000 || c === 0xfeff;
}

function isBlockStart(text: string, lineStart: number): boolean {
  let i = lineStart;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const c = text[i];
  if (c === '#' || c === '>' || c === '|') return true;
  if ((c === '-' || c === '*' || c === '+' || c === '\u2022') && isSpace(text.charCodeAt(i + 1))) return true;
  const m = /^(\d{1,3}|[a-z])[.)]\s/.exec(text.slice(i, i + 6));
  return m !== null;
}

const BLANK_LINE = /\n[ \t\u00a0]*\r?\n/;

/** Whether text[from, to) has a blank line (else each of its lines is a paragraph). */
export function hasBlankLine(text: string, from = 0, to = text.length): boolean {
  return BLANK_LINE.test(from === 0 && to === text.length ? text : text.slice(from, to));
}

/**
 * Linear scan; spans cover text[from, to) with no gaps that contain words. `linesAreParagraphs`:
 * whether each line is a paragraph, as in text with no blank line; by default, whether
 * text[from, to) has none. A caller segmenting a longer text piece by piece says what the
 * whole text is.
 */
export function segment(text: string, from = 0, to = text.length, linesAreParagraphs = !hasBlankLine(text, from, to)): Segments {
  return runToEnd(segmentInSteps(text, from, to, linesAreParagraphs));
}

/**
 * `segment` a piece at a time: the generator stops each time it has read about `stepChars` more
 * of the text, and returns the very same sentences and paragraphs at its end.
 * A step under one character (or not a number) means no pauses.
 */
export function* segmentInSteps(text: string, from: number, to: number, linesAreParagraphs: boolean, stepChars = Number.POSITIVE_INFINITY): Steps<Segments> {
  const step = stepChars >= 1 ? Math.floor(stepChars) : Number.POSITIVE_INFINITY;
  let pauseAt = from + step;
  const sentences: Span[] = [];
  const paragraphs: Span[] = [];
  let sStart = from;
  let pStart = from;
  const endSentence = (end: number, next: number) => {
    if (end > sStart) pushTrimmed(text, sentences, sStart, end);
    sStart = next;
  };
  const endParagraph = (end: number, next: number) => {
    endSentence(end, next);
    if (end > pStart) pushTrimmed(text, paragraphs, pStart, end);
    pStart = next;
  };
  // Text with no blank line at all (pasted from a web page) has one paragraph per line.
  const marks = new Marks(text, to);
  const after = new AfterBlank(text, to);
  // Whether the current sentence, up to `lineEnd`, starts with "#": its first visible character
  // is found once per sentence (a run of blank lines asks at every line break).
  let headingFrom = -1;
  let headingAt = -1;
  const startsHeading = (lineEnd: number): boolean => {
    if (headingFrom !== sStart) {
      headingFrom = sStart;
      headingAt = sStart;
      while (headingAt < to && isSpaceOrBreak(text.charCodeAt(headingAt))) headingAt++;
    }
    return headingAt < lineEnd && text.charCodeAt(headingAt) === 35 /* # */;
  };
  let i = from;
  while (i < to) {
    // Only line breaks and ".", "!", "?" can end a sentence: jump from one to the next.
    i = marks.atOrAfter(i);
    if (i >= to) break;
    if (i >= pauseAt) {
      yield;
      pauseAt = i + step;
    }
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      const lineEnd = i;
      let j = i + (c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1);
      // Look at the next line: blank → paragraph break.
      let k = j;
      while (k < to && isSpace(text.charCodeAt(k))) k++;
      const nextIsBlank = k >= to || text.charCodeAt(k) === 10 || text.charCodeAt(k) === 13;
      // The previous visible character decides whether this line ended a sentence.
      // (Look past the current sentence's start: "£5m. ⏎⏎" ended its sentence at the full stop.)
      let p = lineEnd - 1;
      while (p >= from && isSpace(text.charCodeAt(p))) p--;
      const prev = p >= from ? text[p] : '';
      // Straight and curly quotes alike, opening or closing: pasted text mixes them.
      const prevTerminal = /[.!?:;'"\u2018\u2019\u201c\u201d)]/.test(prev);
      if (nextIsBlank && !prevTerminal && after.continues(k) && !startsHeading(lineEnd)) {
        // Text pasted from a PDF breaks sentences with blank lines ("at a rate of ⏎⏎ £21.05 for …"):
        // a line without closing punctuation followed by one starting in lower case or with a
        // figure continues the sentence.
        i = k;
        continue;
      }
      if (nextIsBlank || isBlockStart(text, j) || startsHeading(lineEnd)) {
        endParagraph(lineEnd, j);
      } else if (linesAreParagraphs) {
        endParagraph(lineEnd, j);
      } else if (prevTerminal) {
        endSentence(lineEnd, j);
      }
      i = j;
      continue;
    }
    if (c === 46 /* . */ || c === 33 || c === 63) {
      const n = i + 1 < to ? text.charCodeAt(i + 1) : -1;
      if (n === -1 || isSpace(n)) {
        if (c !== 46 || !isAbbreviation(text, sStart, i)) {
          // Skip closing quotes/brackets belonging to this sentence.
          endSentence(i + 1, i + 1);
        }
      } else if (n === 0x201d || n === 0x201c || n === 0x22 || n === 0x2019 || n === 0x2018 || n === 0x27 || n === 41) {
        const m = i + 2 < to ? text.charCodeAt(i + 2) : -1;
        if (m === -1 || isSpace(m)) endSentence(i + 2, i + 2);
      }
    }
    i++;
  }
  endParagraph(to, to);
  return { sentences, paragraphs };
}

/** The characters the splitter acts on; everything else it passes over. */
const MARKS = ['\n', '\r', '.', '!', '?'];

/**
 * Finds the next line break, ".", "!" or "?" with the engine's own string search, one search
 * per character kind and occurrence, so the text between is not read a character at a time.
 */
class Marks {
  private readonly next = MARKS.map(() => -1);

  constructor(
    private readonly text: string,
    private readonly to: number,
  ) {}

  /** Where the first mark at or after `i` is, or `to` when there is none before it. */
  atOrAfter(i: number): number {
    let first = this.to;
    for (let k = 0; k < MARKS.length; k++) {
      let p = this.next[k];
      if (p < i) {
        p = this.text.indexOf(MARKS[k], i);
        if (p < 0 || p > this.to) p = this.to;
        this.next[k] = p;
      }
      if (p < first) first = p;
    }
    return first;
  }
}

/**
 * Whether the first visible character after the blank line(s) from `k` continues a sentence.
 * Every line break of a run of blank lines asks about the same character: it is found once per
 * run, so a draft of a hundred thousand blank lines is read once, not once a line.
 */
class AfterBlank {
  /** The run of white space read last: from `from` to the visible character at `visible`. */
  private from = -1;
  private visible = -1;
  private answer = false;

  constructor(
    private readonly text: string,
    private readonly to: number,
  ) {}

  continues(k: number): boolean {
    if (k >= this.from && k <= this.visible) return this.answer;
    const text = this.text;
    const to = this.to;
    let i = k;
    while (i < to && isSpaceOrBreak(text.charCodeAt(i))) i++;
    this.from = k;
    this.visible = i;
    this.answer = i < to && !isBlockStart(text, lineStartOf(text, i)) && /[a-z\u00a3$\u20ac0-9(]/.test(text[i]);
    return this.answer;
  }
}

function isSpaceOrBreak(c: number): boolean {
  return isSpace(c) || c === 10 || c === 13;
}

function lineStartOf(text: string, i: number): number {
  let s = i;
  while (s > 0 && text.charCodeAt(s - 1) !== 10 && text.charCodeAt(s - 1) !== 13) s--;
  return s;
}

/** The longest abbreviation in ABBREVIATIONS: a longer word before a full stop is not one. */
const LONGEST_ABBREVIATION = Math.max(...[...ABBREVIATIONS].map((a) => a.length));

function isAsciiLetterOrDot(c: number): boolean {
  return c === 46 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Whether the full stop at `dot` ends an abbreviation ("c.", "e.g.", an initial), reading back no further than `sStart`. */
export function isAbbreviation(text: string, sStart: number, dot: number): boolean {
  let i = dot - 1;
  while (i >= sStart && isAsciiLetterOrDot(text.charCodeAt(i))) i--;
  if (dot - i - 1 > LONGEST_ABBREVIATION) return false;
  const word = text.slice(i + 1, dot).toLowerCase();
  if (ABBREVIATIONS.has(word)) return true;
  // A single capital letter followed by a full stop is an initial ("J. Smith").
  const c = text.charCodeAt(dot - 1);
  return word.length === 1 && c >= 65 && c <= 90;
}

/** White space as `\s` reads it, without a regular expression per character. */
function isWhite(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));
}

/** Adds `[start, end)` without the white space at either end, unless nothing else is left. */
function pushTrimmed(text: string, spans: Span[], start: number, end: number): void {
  while (start < end && isWhite(text.charCodeAt(start))) start++;
  while (end > start && isWhite(text.charCodeAt(end - 1))) end--;
  if (end > start) spans.push({ start, end });
}

/**
 * Items of a list sorted by start whose span contains `offset` (ends inclusive, as a cursor
 * right after a word still touches it). Binary search, then a short walk back: hovers on a
 * long draft must not scan every mention or finding. Spans longer than `maxLength` are
 * assumed not to exist (names and figures are short).
 */
export function spansAt<T extends Span>(sorted: readonly T[], offset: number, maxLength = 4096): T[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].start <= offset) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo - 1; i >= 0 && sorted[i].start >= offset - maxLength; i--) {
    if (sorted[i].end >= offset) out.push(sorted[i]);
  }
  return out.reverse();
}
