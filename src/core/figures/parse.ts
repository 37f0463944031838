/**
 * Finds the figures in a draft: money, counts, percentages and amounts of time, with their
 * qualifier ("over", "up to", "around"…), normalised value, the precision they were written
 * to and, for counts, the counted noun.
 *
 * One left-to-right pass with bounded look-behind and look-ahead around each number, so it
 * is linear in the length of the text, never throws, and every position it returns is inside
 * the text. Curly and straight quotes, NBSP and ordinary spaces, CRLF and LF are treated alike.
 *
 * What is deliberately NOT a figure (see the tests for each case):
 * - years (2019, 1990s), dates (12 May 2019, March 21, 01/02/2019, 2019-05-01), financial and
 *   academic years (2021-22, 2019/20, 19-20, 2015-21), times of day (10:30, 3pm), ordinals (1st);
 * - ages: "aged 5", "age of 18", "children under 5", "5-year-olds", "0-19 year olds", "under-5s";
 * - codes and footnote markers glued to words or punctuation: PSC0045, KS2, Q10, COVID-19,
 *   "COVID- 19", post-16, "government1", "families.12"; and what they chain to ("Q5 and 8");
 * - phone numbers (a leading 0 or +, or three bare groups of digits), numbers in URLs and e-mails;
 * - list numbering and footnote numbers at the start of a line ("1.", "2)", "(3)", "1 Department…");
 * - reference numbers after section/page/paragraph/figure/table/chapter/annex/year/key stage/
 *   level/phase/wave/step/article/clause/question… ("Year 6", "paragraph 4.2", "Questions 3 and 4");
 * - hyphenated descriptions: "12-month progress report", "ten-year strategy", "one-off", "2-part";
 *   a singular time unit after a number other than one ("a 12 month review") likewise;
 * - "one" and "a" on their own ("one of the", "a year"), and number words that count nothing
 *   ("the two of them"); "one million", "two ideas", "twelve Opportunity Areas" are figures.
 *
 * Conventions:
 * - `value` is in pounds (or dollars/euros) for money, the plain number for counts, 71.8 for 71.8%.
 * - `precision` is the step the number was written to, in the same unit: £1.2m → 100000,
 *   13,500 → 1, "two million" → 1000000, 71.8% → 0.1, "two and a half years" → 0.5.
 * - `noun` is the head noun of what is counted, by {@link normaliseNoun}: "36 local authorities"
 *   → "authority", "eight new Partners in Practice" → "partner", "~13,000 children" → "child".
 * - "over" before an amount of time is read as "during" ("£105.5m over three years"), so it is
 *   not a qualifier there; "more than three years" is.
 * - A range ("10-15%", "5 to 10 days", "£1-2m", "12 -13") gives two figures; the first takes the
 *   unit, scale and noun of the second when it has none of its own.
 */
import type { Steps } from '../steps';
import type { Figure, FigureUnit, Qualifier } from '../types';
import {
  ADJECTIVES,
  NUMBER_WORDS,
  type NumberWord,
  type NumberWordKind,
  SCALE_SUFFIXES,
  SCALE_WORDS,
  SPACED_MONEY_SCALES,
  STOP_WORDS,
  isApostrophe,
  isAsciiUpper,
  isDash,
  isDigit,
  isDoubleQuote,
  isHSpace,
  isHyphen,
  isLetter,
  isLetterOrDigit,
  isLineBreak,
  IRREGULAR_PLURALS,
  looksPlural,
  looksPluralAt,
  normaliseHeadNoun,
} from './numbers';

export { normaliseNoun } from './numbers';

/** Every figure in text[from, to), sorted by start, non-overlapping. */
export function parseFigures(text: string, from?: number, to?: number): Figure[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const n = text.length;
  const f = clampIndex(from, 0, n, 0);
  const t = clampIndex(to, f, n, n);
  if (t <= f) return [];
  try {
    return new Scanner(text, f, t, false).run();
  } catch {
    return []; // defensive: the scanner is written not to throw
  }
}

/**
 * `parseFigures` a piece at a time: the generator stops each time it has read about `stepChars`
 * more of the text, and returns the very same figures at its end. For a long stretch that
 * cannot be cut into ranges, read by a caller with other work to do.
 * A step under one character (or not a number) means no pauses.
 */
export function* parseFiguresInSteps(text: string, from?: number, to?: number, stepChars = 16 * 1024): Steps<Figure[]> {
  if (typeof text !== 'string' || text.length === 0) return [];
  const n = text.length;
  const f = clampIndex(from, 0, n, 0);
  const t = clampIndex(to, f, n, n);
  if (t <= f) return [];
  const scanner = new Scanner(text, f, t, false);
  const step = stepChars >= 1 ? Math.floor(stepChars) : Number.POSITIVE_INFINITY;
  for (let upTo = Math.min(t, f + step); ; upTo = Math.min(t, upTo + step)) {
    try {
      if (scanner.runUpTo(upTo)) return scanner.figures;
    } catch {
      return []; // as parseFigures
    }
    yield;
  }
}

/**
 * Parse a fact file's `figure` string, which should hold one figure ("over £185m",
 * "401,719 families", "71.8 per cent", "up to £1m each year", "five", "two-year");
 * undefined when it holds none. Extra words around it are fine; when it holds more than one,
 * the first. More lenient than {@link parseFigures}: a number word needs no noun, "one"
 * counts, and "two-year" is an amount of time.
 */
export function parseFigure(text: string): Figure | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  try {
    return new Scanner(text, 0, text.length, true).run()[0];
  } catch {
    return undefined;
  }
}

/** Whether two figures name the same quantity as written (same unit and value), for tests and the checker. */
export function sameFigure(a: Figure, b: Figure): boolean {
  if (a.unit !== b.unit) return false;
  return Math.abs(a.value - b.value) <= Math.max(Math.abs(a.value), Math.abs(b.value)) * 1e-9;
}

function clampIndex(v: number | undefined, lo: number, hi: number, dflt: number): number {
  if (typeof v !== 'number' || Number.isNaN(v)) return dflt;
  const i = Math.floor(v);
  return i < lo ? lo : i > hi ? hi : i;
}

// ---------------------------------------------------------------------------------------------
// Word tables

type Currency = 'GBP' | 'USD' | 'EUR';

const QUALIFIER_PHRASES: ReadonlyArray<readonly [readonly string[], Qualifier]> = (
  [
    [['in', 'the', 'region', 'of'], 'around'],
    [['in', 'excess', 'of'], 'over'],
    [['a', 'maximum', 'of'], 'up-to'],
    [['a', 'minimum', 'of'], 'at-least'],
    [['as', 'much', 'as'], 'up-to'],
    [['as', 'many', 'as'], 'up-to'],
    [['no', 'less', 'than'], 'at-least'],
    [['no', 'fewer', 'than'], 'at-least'],
    [['not', 'less', 'than'], 'at-least'],
    [['not', 'fewer', 'than'], 'at-least'],
    [['more', 'than'], 'over'],
    [['greater', 'than'], 'over'],
    [['upwards', 'of'], 'over'],
    [['just', 'over'], 'over'],
    [['well', 'over'], 'over'],
    [['slightly', 'over'], 'over'],
    [['just', 'under'], 'under'],
    [['just', 'below'], 'under'],
    [['less', 'than'], 'under'],
    [['fewer', 'than'], 'under'],
    [['up', 'to'], 'up-to'],
    [['maximum', 'of'], 'up-to'],
    [['at', 'least'], 'at-least'],
    [['minimum', 'of'], 'at-least'],
    [['an', 'estimated'], 'around'],
    [['over'], 'over'],
    [['above'], 'over'],
    [['under'], 'under'],
    [['below'], 'under'],
    [['nearly'], 'under'],
    [['almost'], 'under'],
    [['around'], 'around'],
    [['about'], 'around'],
    [['approximately'], 'around'],
    [['approx'], 'around'],
    [['roughly'], 'around'],
    [['some'], 'around'],
    [['estimated'], 'around'],
    [['circa'], 'around'],
    [['c'], 'around'],
    [['ca'], 'around'],
    [['exactly'], 'exactly'],
    [['precisely'], 'exactly'],
  ] as Array<[string[], Qualifier]>
).sort((a, b) => b[0].length - a[0].length);

/** The qualifier phrases by their last word, longest first. */
const QUALIFIERS_BY_LAST: ReadonlyMap<string, ReadonlyArray<readonly [readonly string[], Qualifier]>> = groupByLast(QUALIFIER_PHRASES);

function groupByLast<T extends readonly [readonly string[], unknown]>(items: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const last = item[0][item[0].length - 1];
    const list = m.get(last) ?? [];
    list.push(item);
    m.set(last, list);
  }
  return m;
}

/** Abbreviations written with a full stop that hedge a number: "c.390k", "approx. £0.46bn". */
const DOTTED_QUALIFIERS: ReadonlySet<string> = new Set(['c', 'ca', 'approx', 'circa', 'est']);

/** Words that may stand between a qualifier and its number: "up to a further £165m". */
const FILLERS: ReadonlyArray<readonly string[]> = [
  ['a', 'further'],
  ['an', 'additional'],
  ['an', 'extra'],
  ['a', 'total', 'of'],
  ['a', 'combined'],
];
const FILLERS_BY_LAST: ReadonlyMap<string, ReadonlyArray<readonly string[]>> = new Map(
  [...groupByLast(FILLERS.map((f) => [f, null] as const)).entries()].map(([k, v]) => [k, v.map((x) => x[0])]),
);

/** Words after which a number is a reference, not a quantity ("section 3", "Year 6", "Phase 2"). */
const REFERENCE_WORDS: ReadonlySet<string> = new Set(
  (
    'section sections sect sec page pages p pp paragraph paragraphs para paras figure figures fig figs ' +
    'table tables chapter chapters ch chap annex annexes annexe annexes appendix appendices stage stages ' +
    'level levels phase phases wave waves step steps article articles art clause clauses cl part parts ' +
    'schedule schedules regulation regulations reg regs rule rules question questions item items note ' +
    'notes footnote footnotes box boxes tier tiers band bands grade grades volume vol ' +
    'issue version edition no nos num room unit lot route cohort round term block module lesson ' +
    'slide exhibit recommendation recommendations priority objective outcome principle standard criterion ' +
    'option options scenario pillar strand workstream theme tranche category type class group zone ' +
    'line lines row rows column columns col chart graph map diagram case ward district region platform ' +
    'gate floor flat apartment suite building plot junction exit road street bus'
  ).split(' '),
);

/** Year groups: "Year 6", "years 7 to 11" — only for small numbers, so "this year 50 councils" still counts. */
const YEAR_GROUP_WORDS: ReadonlySet<string> = new Set(['year', 'years', 'yr', 'y', 'reception']);

const AGE_WORDS: ReadonlySet<string> = new Set(['aged', 'age', 'ages', 'ageing']);

/** People a bare number after "under"/"over" is the age of: "children under 5". */
const PERSON_WORDS: ReadonlySet<string> = new Set(
  (
    'children child kids kid pupils pupil students student people persons person those babies baby infants ' +
    'girls boys girl boy adults adult individuals learners learner women men mothers fathers parents ' +
    'youngsters teenagers adolescents anyone everyone someone residents patients carers claimants ' +
    'applicants workers employees'
  ).split(' '),
);

const PHONE_WORDS: ReadonlySet<string> = new Set([
  'tel',
  'telephone',
  'phone',
  'fax',
  'mobile',
  'freephone',
  'textphone',
  'helpline',
  'minicom',
]);

const MONTHS: ReadonlySet<string> = new Set(
  (
    'January February March April May June July August September October November December ' +
    'Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec'
  ).split(' '),
);

/** After a number: not a quantity of anything ("two thirds", "three times as many"). */
const NOT_COUNTED_AFTER: ReadonlySet<string> = new Set(
  'third thirds quarter quarters fifth fifths sixth sixths seventh sevenths eighth eighths ninth ninths tenth tenths half halves times fold'.split(
    ' ',
  ),
);

const TIME_UNITS: ReadonlyMap<string, readonly [FigureUnit, boolean /* plural */]> = new Map([
  ['hours', ['hours', true]],
  ['hour', ['hours', false]],
  ['hrs', ['hours', true]],
  ['hr', ['hours', false]],
  ['days', ['days', true]],
  ['day', ['days', false]],
  ['weeks', ['weeks', true]],
  ['week', ['weeks', false]],
  ['wks', ['weeks', true]],
  ['months', ['months', true]],
  ['month', ['months', false]],
  ['mths', ['months', true]],
  ['years', ['years', true]],
  ['year', ['years', false]],
  ['yrs', ['years', true]],
  ['yr', ['years', false]],
] as Array<[string, readonly [FigureUnit, boolean]]>);

const CURRENCY_WORDS_AFTER: ReadonlyMap<string, Currency> = new Map([
  ['pounds', 'GBP'],
  ['pound', 'GBP'],
  ['euros', 'EUR'],
  ['euro', 'EUR'],
  ['dollars', 'USD'],
  ['dollar', 'USD'],
]);

const CURRENCY_CODES: ReadonlyMap<string, Currency> = new Map([
  ['GBP', 'GBP'],
  ['USD', 'USD'],
  ['EUR', 'EUR'],
]);

/**
 * Where a figure could start: a digit, a currency sign, a number word or currency code at a
 * word boundary; and the starts of web and e-mail addresses, which are skipped whole.
 */
const CANDIDATE_SOURCE =
  '[0-9\\u00a3\\u20ac$@]|:\\/\\/|\\b(?:' +
  [...NUMBER_WORDS.keys()].sort((a, b) => b.length - a.length).join('|') +
  '|GBP|USD|EUR|US(?=\\$)|www\\.)';

/**
 * How far past its start a match of `CANDIDATE_SOURCE` can read: its longest word, and one more
 * character for the look-ahead. A candidate starting before the end of a range is matched the
 * same in a text cut this far past that end.
 */
const CANDIDATE_REACH = Math.max(4, ...[...NUMBER_WORDS.keys()].map((w) => w.length)) + 1;

// ---------------------------------------------------------------------------------------------
// The words the parser knows, looked up in place

// What a word is to the parser (a word can be several things: "may" is a stop word and, as
// "May", a month). The tables above stay the source of truth; the lexicon merges them so a
// word read around a number is looked up once, by its characters, without slicing it out of
// the text or lowering it.
const STOP = 1 << 0;
const ADJECTIVE = 1 << 1;
const REFERENCE = 1 << 2;
const YEAR_GROUP = 1 << 3;
const AGE = 1 << 4;
const PERSON = 1 << 5;
const PHONE = 1 << 6;
const NOT_COUNTED = 1 << 7;
const DOTTED_QUALIFIER = 1 << 8;
const IRREGULAR_PLURAL = 1 << 9;

/** One word of the tables, in lower case, with everything the tables say about it. */
class Known {
  flags = 0;
  number: NumberWord | undefined = undefined;
  /** {@link SCALE_WORDS} */
  scale: number | undefined = undefined;
  /** {@link SPACED_MONEY_SCALES}, which count only as written there (lower case). */
  spacedScale: number | undefined = undefined;
  time: readonly [FigureUnit, boolean] | undefined = undefined;
  /** {@link CURRENCY_WORDS_AFTER} */
  currency: Currency | undefined = undefined;
  /** {@link CURRENCY_CODES}, which count only as written there (capitals). */
  code: Currency | undefined = undefined;
  /** {@link MONTHS}: the month as it must be written ("May", not "may"). */
  month: string | undefined = undefined;
  /** Qualifier phrases ending in this word, longest first. */
  qualifiers: ReadonlyArray<readonly [readonly string[], Qualifier]> | undefined = undefined;
  /** Filler phrases ending in this word. */
  fillers: ReadonlyArray<readonly string[]> | undefined = undefined;

  constructor(
    readonly text: string,
    readonly hash: number,
  ) {}
}

/** Open-addressing hash table of {@link Known} words by the hash of their lower-case characters. */
const LEXICON_SIZE = 4096;
const LEXICON: Array<Known | undefined> = new Array<Known | undefined>(LEXICON_SIZE).fill(undefined);
let longestKnown = 0;

/**
 * The lexicon's hash: characters lowered (ASCII capitals only), then h = h·31 + c over the
 * word, modulo 2³², top bit dropped. Readers compute it as they read (forwards as written,
 * backwards with {@link hashBack}); -1 when the word holds a character outside ASCII.
 */
function lowerHash(s: string, start: number, end: number): number {
  let h = 0;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0x80) return -1;
    h = hashOn(h, c);
  }
  return h & 0x7fffffff;
}

/** One character more of a hash read forwards. */
function hashOn(h: number, c: number): number {
  return (Math.imul(h, 31) + (c >= 65 && c <= 90 ? c + 32 : c)) | 0;
}

/** One character more of a hash read backwards: `pow` is 31 to the number read so far. */
function hashBack(h: number, c: number, pow: number): number {
  return (h + Math.imul(c >= 65 && c <= 90 ? c + 32 : c, pow)) | 0;
}

/** Whether s[start, start + lower.length) lowered is `lower` (which is in lower case). */
function sameLower(s: string, start: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) {
    let c = s.charCodeAt(start + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * The known word s[start, end) reads as in any case, if any. Every known word is ASCII, and no
 * other letter the parser reads lowers to ASCII alone (the Kelvin sign, which lowers to "k", is
 * not read as a letter), so a word with any other character is none of them.
 */
function knownAt(s: string, start: number, end: number): Known | undefined {
  const len = end - start;
  if (len > longestKnown || len === 0) return undefined;
  const h = lowerHash(s, start, end);
  return h < 0 ? undefined : knownByHash(s, start, len, h);
}

/** {@link knownAt} for an ASCII word whose hash the reader has worked out. */
function knownByHash(s: string, start: number, len: number, hash: number): Known | undefined {
  if (len > longestKnown || len === 0) return undefined;
  const h = hash & 0x7fffffff;
  for (let slot = h & (LEXICON_SIZE - 1); ; slot = (slot + 1) & (LEXICON_SIZE - 1)) {
    const k = LEXICON[slot];
    if (k === undefined) return undefined;
    if (k.hash === h && k.text.length === len && sameLower(s, start, k.text)) return k;
  }
}

/** The entry for `word` (any case), added if new. */
function know(word: string): Known {
  const lower = word.toLowerCase();
  const found = knownAt(lower, 0, lower.length);
  if (found !== undefined) return found;
  const h = lowerHash(lower, 0, lower.length);
  if (h < 0) throw new Error(`not ASCII: ${word}`);
  let slot = h & (LEXICON_SIZE - 1);
  while (LEXICON[slot] !== undefined) slot = (slot + 1) & (LEXICON_SIZE - 1);
  const k = new Known(lower, h);
  LEXICON[slot] = k;
  longestKnown = Math.max(longestKnown, lower.length);
  return k;
}

function knowAll(words: Iterable<string>, flag: number): void {
  for (const w of words) know(w).flags |= flag;
}

knowAll(STOP_WORDS, STOP);
knowAll(ADJECTIVES, ADJECTIVE);
knowAll(REFERENCE_WORDS, REFERENCE);
knowAll(YEAR_GROUP_WORDS, YEAR_GROUP);
knowAll(AGE_WORDS, AGE);
knowAll(PERSON_WORDS, PERSON);
knowAll(PHONE_WORDS, PHONE);
knowAll(NOT_COUNTED_AFTER, NOT_COUNTED);
knowAll(DOTTED_QUALIFIERS, DOTTED_QUALIFIER);
knowAll(IRREGULAR_PLURALS, IRREGULAR_PLURAL);
for (const [w, nw] of NUMBER_WORDS) know(w).number = nw;
for (const [w, v] of SCALE_WORDS) know(w).scale = v;
for (const [w, v] of SPACED_MONEY_SCALES) know(w).spacedScale = v;
for (const [w, v] of TIME_UNITS) know(w).time = v;
for (const [w, v] of CURRENCY_WORDS_AFTER) know(w).currency = v;
for (const [w, v] of CURRENCY_CODES) know(w).code = v;
for (const m of MONTHS) know(m).month = m;
for (const [w, list] of QUALIFIERS_BY_LAST) know(w).qualifiers = list;
for (const [w, list] of FILLERS_BY_LAST) know(w).fillers = list;

/** First words of the qualifier and filler phrases ("over", "up to", "a total of"). */
const PHRASE_FIRST_WORDS: ReadonlySet<string> = new Set([...QUALIFIER_PHRASES.map(([words]) => words[0]), ...FILLERS.map((words) => words[0])]);

/**
 * Whether a figure may begin at `at`, as far as what is written there tells: a digit or any
 * sign other than a heading's, a quote's or a table's; letters before a currency sign
 * ("US$"); or a word that is a number, a scale, a currency code, a month, "of", or the first
 * word of a qualifier or filler ("Over £5m", "Twelve thousand", "Circa 300", "A total of
 * 40"). Reading a figure, the parser looks back from its first word for words that change its
 * reading ("c.", "note", "aged"), even across a line break, so a draft is cut only before a
 * line whose first word begins no figure.
 */
export function mayBeginFigure(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c === 35 /* # */ || c === 62 /* > */ || c === 124 /* | */) return false;
  let end = at;
  while (end < text.length && isAsciiLetter(text.charCodeAt(end))) end++;
  if (end === at) return true;
  // "US$5m": letters and a currency sign.
  const after = text.charCodeAt(end);
  if (after === 0x24 || after === 0xa3 || after === 0x20ac) return true;
  const word = text.slice(at, end);
  const lower = word.toLowerCase();
  return (
    NUMBER_WORDS.has(lower) ||
    SCALE_WORDS.has(lower) ||
    CURRENCY_CODES.has(word.toUpperCase()) ||
    MONTHS.has(word) ||
    PHRASE_FIRST_WORDS.has(lower) ||
    DOTTED_QUALIFIERS.has(lower) ||
    // "of working age.⏎Of 12,000 families": the parser reads two words back from "of".
    lower === 'of'
  );
}

/** Whether s[start, end) is written exactly as `text`. */
function writtenAs(s: string, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let k = 0; k < text.length; k++) if (s.charCodeAt(start + k) !== text.charCodeAt(k)) return false;
  return true;
}

/**
 * Where the match of the candidate expression ending at `e` starts. A number word, currency
 * code, "US" or "www." is ASCII letters (and a full stop) after a word boundary, so it starts
 * where the run of ASCII letters before `e` does; anything else is one character or "://".
 */
function candidateStart(s: string, e: number): number {
  const c = s.charCodeAt(e - 1);
  if (c === 0x2f) return e - 3; // "://"
  if (c !== 0x2e && !isAsciiLetter(c)) return e - 1; // a digit, currency sign or "@"
  let i = c === 0x2e ? e - 1 : e;
  while (i > 0 && isAsciiLetter(s.charCodeAt(i - 1))) i--;
  return i;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The value of a number in words, added up one word at a time ("two hundred and fifty thousand"). */
class WordsValue {
  total = 0;
  current = 0;
  precision = 1;
  lastKind: NumberWordKind | 'half' | '' = '';
  lastScale = Infinity;
  multiplied = false;
  half = false;

  reset(): void {
    this.total = 0;
    this.current = 0;
    this.precision = 1;
    this.lastKind = '';
    this.lastScale = Infinity;
    this.multiplied = false;
    this.half = false;
  }

  /** Add the next word; false when it cannot follow the words so far ("two three", "ten hundred"). */
  apply(w: NumberWord): boolean {
    const lastKind = this.lastKind;
    switch (w.kind) {
      case 'unit':
      case 'teen':
        if (lastKind === 'unit' || lastKind === 'teen' || (lastKind === 'tens' && w.kind === 'teen')) return false;
        this.current += w.value;
        this.precision = 1;
        break;
      case 'tens':
        if (lastKind === 'unit' || lastKind === 'teen' || lastKind === 'tens') return false;
        this.current += w.value;
        this.precision = 1;
        break;
      case 'hundred':
        if (!(lastKind === 'unit' || lastKind === 'teen') || this.current >= 100 || this.current === 0) return false;
        this.current *= 100;
        this.precision *= 100;
        this.multiplied = true;
        break;
      case 'scale':
        if (lastKind === '' || lastKind === 'scale' || w.value >= this.lastScale) return false;
        this.total += this.current * w.value;
        this.current = 0;
        this.precision *= w.value;
        this.lastScale = w.value;
        this.multiplied = true;
        break;
    }
    this.lastKind = w.kind;
    return true;
  }

  /** "… and a half" */
  addHalf(): void {
    this.current += 0.5;
    this.precision = 0.5;
    this.half = true;
    this.lastKind = 'half';
  }
}

// ---------------------------------------------------------------------------------------------
// Scanner

/** How far the parser looks across white space between the words of one figure. */
const MAX_GAP = 16;
/** The longest word it reads (longer runs of letters are not words it knows). */
const MAX_WORD = 40;

/**
 * A word read around a number. Its text is not sliced out: tables are consulted through
 * `known` and anything else reads the characters in place.
 */
interface Word {
  readonly start: number;
  readonly end: number;
  /** The entry of the tables it reads as (in any case), if any. */
  readonly known: Known | undefined;
  /** Every character is ASCII (else it is none of the tables' words). */
  readonly ascii: boolean;
}

/** A number in digits as read by {@link Scanner.readPart} (which fills one in place). */
class Part {
  start = 0;
  end = 0;
  /** Number of integer digits, without grouping commas. */
  intLen = 0;
  /** The integer digits as a number (exact up to 15 digits). */
  intValue = 0;
  /** Number of decimals. */
  fracLen = 0;
  /** All the digits, integer then decimals, as one integer: exact whenever `ok`. */
  mantissa = 0;
  commas = false;
  ok = false;
}

interface Cand {
  numStart: number;
  numEnd: number;
  end: number;
  /** Number written in digits: the digits, decimals; in words: value and precision directly. */
  mantissa: number;
  decimals: number;
  words: boolean;
  wordValue: number;
  wordPrecision: number;
  scale: number;
  scaleDen: number;
  hasScale: boolean;
  currency: Currency | undefined;
  unit: FigureUnit | undefined;
  noun: string | undefined;
  /** The counted noun was written as a plural ("councils", "children"). */
  nounPlural: boolean;
  qualifier: Qualifier | undefined;
  qualStart: number;
  /** The qualifier was the bare word "over" (dropped before an amount of time). */
  qualBareOver: boolean;
  /** A number word, or a bare number in digits: reported only with a noun, unit, currency or scale. */
  needsNoun: boolean;
  /** Integer in digits with no grouping, decimals, scale or unit. */
  plainInt: boolean;
  /** The digits (`digits`, when the number is written in digits). */
  part: Part | undefined;
  /** Where this candidate's digits are read into: candidates and their parts are reused. */
  readonly digits: Part;
}

/** A candidate set to a number [numStart, end) with nothing found about it yet. */
function resetCand(c: Cand, numStart: number, end: number): Cand {
  c.numStart = numStart;
  c.numEnd = end;
  c.end = end;
  c.mantissa = 0;
  c.decimals = 0;
  c.words = false;
  c.wordValue = 0;
  c.wordPrecision = 1;
  c.scale = 1;
  c.scaleDen = 1;
  c.hasScale = false;
  c.currency = undefined;
  c.unit = undefined;
  c.noun = undefined;
  c.nounPlural = false;
  c.qualifier = undefined;
  c.qualStart = -1;
  c.qualBareOver = false;
  c.needsNoun = false;
  c.plainInt = false;
  c.part = undefined;
  return c;
}

function newCand(): Cand {
  return resetCand({ digits: new Part() } as Cand, 0, 0);
}

/**
 * What a reader returns for a number that is not a figure. Where scanning resumes and whether
 * what follows ("and 4") is one too are left on the scanner (`skipTo`, `skipChained`,
 * `skipAge`) by {@link Scanner.skip}, and read straight away by whoever gets the mark.
 */
const SKIP = Object.freeze({ skip: true as const });
type Skip = typeof SKIP;

type Result = Cand | Skip;

function isSkip(r: Result): r is Skip {
  return r === SKIP;
}

interface QualifierFound {
  readonly q: Qualifier;
  readonly start: number;
  readonly bareOver: boolean;
}

class Scanner {
  private readonly out: Figure[] = [];
  private readonly n: number;
  private lastEnd: number;
  /** End of the last reference-like number ("Q5", "Questions 3", "aged 5"), for chains like "and 8". */
  private refEnd = -1;

  /** The last {@link skip}: where to resume, whether a chain follows, whether it was an age. */
  private skipTo = 0;
  private skipChained = false;
  private skipAge = false;

  /** The last word read after a position, with and without inner apostrophes and hyphens. */
  private readonly memoPos = [-1, -1];
  private readonly memoWord: Array<Word | undefined> = [undefined, undefined];
  /** The last word read after white space following a position, likewise. */
  private readonly memoAfterPos = [-1, -1];
  private readonly memoAfterWord: Array<Word | undefined> = [undefined, undefined];
  /** The last word read before a position. */
  private memoEnd = -1;
  private memoEndWord: Word | undefined = undefined;
  /** Words read backwards from the number while matching qualifier phrases; `backLen` are valid. */
  private readonly back: Word[] = [];
  private backLen = 0;
  /** After {@link tokenBefore}: the word was followed by a full stop ("para."), or the symbol before the number. */
  private beforeDotted = false;
  private beforeSymbol = -1;

  constructor(
    private readonly s: string,
    private readonly from: number,
    private readonly to: number,
    private readonly lenient: boolean,
  ) {
    this.n = s.length;
    this.lastEnd = from;
  }

  private c(i: number): number {
    return i >= 0 && i < this.n ? this.s.charCodeAt(i) : -1;
  }

  run(): Figure[] {
    this.runUpTo(this.to);
    return this.out;
  }

  /** The figures found so far. */
  get figures(): Figure[] {
    return this.out;
  }

  /** Where `runUpTo` goes on from (-1: not started). */
  private resumeAt = -1;

  /**
   * `run` up to the candidates that start before `upTo` (and the figures they begin, which may
   * read on past it): called again with a later `upTo`, it goes on where it stopped, finding
   * what `run` finds. Returns whether the range is done.
   */
  runUpTo(upTo: number): boolean {
    // A regular expression finds where a figure could start (digits, currency signs, number
    // words, currency codes) and the starts of web and e-mail addresses; everything between is
    // skipped without being looked at one character at a time. `test` (no match array) gives
    // where the match ends; where it starts follows from what it is. It searches a view of the
    // text that ends just past `end` (a slice shares the text's characters), so it never reads
    // on past the range to the next candidate: a draft read in pieces would otherwise read all
    // the rest of it once per piece where no figure follows.
    const end = Math.min(upTo, this.to);
    const rx = new RegExp(CANDIDATE_SOURCE, 'gi');
    rx.lastIndex = this.resumeAt < 0 ? this.from : this.resumeAt;
    const within = end + CANDIDATE_REACH < this.n ? this.s.slice(0, end + CANDIDATE_REACH) : this.s;
    for (;;) {
      const at = rx.lastIndex;
      if (!rx.test(within)) {
        // No candidate starts before `end`: go on from there.
        this.resumeAt = Math.max(at, end);
        break;
      }
      const e = rx.lastIndex;
      const i = candidateStart(this.s, e);
      if (i >= end) {
        this.resumeAt = i;
        break;
      }
      const next = this.dispatch(i, e - i);
      rx.lastIndex = next > i ? next : i + 1;
    }
    return end >= this.to || this.resumeAt >= this.to;
  }

  private dispatch(i: number, len: number): number {
    const c = this.c(i);
    if (isDigit(c)) return this.handle(i, this.atDigit(i));
    if (c === 0xa3) return this.handle(i, this.atSign(i, 'GBP', i));
    if (c === 0x20ac) return this.handle(i, this.atSign(i, 'EUR', i));
    if (c === 0x24) return this.handle(i, isLetter(this.c(i - 1)) ? this.skip(this.skipChain(i + 1), false) : this.atSign(i, 'USD', i));
    if (c === 0x3a || c === 0x40) return this.skipToSpace(i); // "://", "@"
    return this.atWord(i, i + len);
  }

  /** Mark a number as not a figure: resume at `to`; `chain`: a number after it may belong to it. */
  private skip(to: number, chain: boolean, age = false): Skip {
    this.skipTo = to;
    this.skipChained = chain;
    this.skipAge = age;
    return SKIP;
  }

  /** Skip the chain of digits and joiners from `p` ("COVID-19", "2019-05-01"). */
  private skipAll(p: number): Skip {
    return this.skip(this.skipChain(p), false);
  }

  // --- dispatch -------------------------------------------------------------------------------

  /** Run a candidate, follow a range to its second number, emit what is a figure; return where to go on. */
  private handle(i: number, a: Result | undefined): number {
    if (a === undefined) return i + 1;
    if (isSkip(a)) {
      if (this.skipChained) this.refEnd = this.skipTo;
      return this.skipTo;
    }
    let next = a.end;
    // A range: "10-15%", "5 to 10 days", "£1-2m", "12 -13". Not after `from` cuts a glued range
    // ("0–1,000") before this number: that range's second end starts none of its own.
    const cutEnd = a.numStart === this.from && isDigit(this.c(a.numStart)) && isDash(this.c(a.numStart - 1)) && isDigit(this.c(a.numStart - 2));
    const glued = !cutEnd && this.gluedToRange(a);
    const bStart = cutEnd ? -1 : glued ? a.numEnd + 1 : this.rangePartner(a);
    if (bStart >= 0) {
      // The second end of a spaced range ("5 to 10", "12 -13") is judged as it would be on its
      // own (a year stays a year); only a glued one ("12-13") skips the look-behind rules.
      const b = glued ? this.candidateAt(bStart) : this.standaloneAt(bStart);
      if (b !== undefined && !isSkip(b) && !glued && (this.gluedToRange(b) || this.rangePartner(b) >= 0)) {
        // On its own it starts a range of its own ("£5 to £6-7m", "0 - 1,000 – 5-year-olds"):
        // that range is read next, as it is when only its span is parsed, and this number alone.
      } else if (b !== undefined && isSkip(b)) {
        if (glued || this.skipAge) {
          if (this.skipChained || this.skipAge) this.refEnd = this.skipTo;
          return Math.max(this.skipTo, next);
        }
      } else if (b !== undefined) {
        this.inherit(a, b);
        if (glued && this.financialYear(a, b)) return Math.max(b.end, next);
        this.emit(a);
        this.emit(b);
        return Math.max(b.end, next);
      }
    }
    this.emit(a);
    next = Math.max(next, a.numEnd);
    return next;
  }

  /** Whether a number in digits is the first end of a glued range ("12-13", "£1-2m"). */
  private gluedToRange(a: Cand): boolean {
    return a.part !== undefined && a.numEnd === a.part.end && isDash(this.c(a.numEnd)) && isDigit(this.c(a.numEnd + 1));
  }

  /** A candidate at `p` read as the second end of a range: no look-behind rules apply. */
  private candidateAt(p: number): Result | undefined {
    const c = this.c(p);
    if (isDigit(c)) return this.fromDigits(p, p, undefined, true);
    if (c === 0xa3 || c === 0x20ac || c === 0x24) {
      let q = p + 1;
      if (isHSpace(this.c(q))) q++;
      if (!isDigit(this.c(q))) return undefined;
      return this.fromDigits(q, p, c === 0xa3 ? 'GBP' : c === 0x20ac ? 'EUR' : 'USD', true);
    }
    if (isLetter(c)) {
      const w = this.wordAt(p, false);
      if (w !== undefined && w.known !== undefined && w.known.number !== undefined) return this.fromWords(w, true);
    }
    return undefined;
  }

  /** A candidate at `p` with every rule applied, as the main loop would read it. */
  private standaloneAt(p: number): Result | undefined {
    const c = this.c(p);
    if (isDigit(c)) return this.atDigit(p);
    if (c === 0xa3) return this.atSign(p, 'GBP', p);
    if (c === 0x20ac) return this.atSign(p, 'EUR', p);
    if (c === 0x24) return isLetter(this.c(p - 1)) ? undefined : this.atSign(p, 'USD', p);
    if (isLetter(c)) {
      const w = this.wordAt(p, false);
      if (w !== undefined && w.known !== undefined && w.known.number !== undefined) return this.fromWords(w, false);
    }
    return undefined;
  }

  private atSign(i: number, currency: Currency, numStart: number): Result | undefined {
    let q = i + 1;
    if (isHSpace(this.c(q))) q++;
    if (!isDigit(this.c(q))) return undefined;
    return this.fromDigits(q, numStart, currency, false);
  }

  /** A number word, currency code or "www." found by the candidate expression at [i, e). */
  private atWord(i: number, e: number): number {
    const prev = this.c(i - 1);
    if (isLetterOrDigit(prev) || (isApostrophe(prev) && isLetter(this.c(i - 2)))) return e;
    // Web addresses: nothing inside them is a figure.
    if (e - i === 4 && this.c(i + 3) === 0x2e) return this.skipToSpace(e);
    if (isLetter(this.c(e))) return e;
    // Currency codes: "GBP 5m", "USD10bn", "US$ 3m".
    const known = knownAt(this.s, i, e);
    const code = known !== undefined && known.code !== undefined && writtenAs(this.s, i, e, known.code) ? known.code : undefined;
    const us = writtenAs(this.s, i, e, 'US');
    if (code !== undefined || us) {
      if (us && this.c(e) !== 0x24) return e;
      let q = code !== undefined ? e : e + 1;
      if (isHSpace(this.c(q))) q++;
      if (isDigit(this.c(q))) return this.handle(i, this.fromDigits(q, i, code ?? 'USD', false));
      return e;
    }
    if (known === undefined || known.number === undefined) return e;
    return this.handle(i, this.fromWords({ start: i, end: e, known, ascii: true }, false));
  }

  private atDigit(i: number): Result {
    const p = this.c(i - 1);
    if (isLetter(p)) {
      // Glued to a word: a code (Q10, KS2, PSC0045, CO4) or a footnote marker (government1).
      let b = i - 1;
      let upper = true;
      while (b >= 0 && i - b <= 6 && isLetter(this.c(b))) {
        if (!isAsciiUpper(this.c(b))) upper = false;
        b--;
      }
      const chain = upper && !isLetter(this.c(b));
      return this.skip(this.skipChain(i), chain);
    }
    if (isDigit(p) || p === 0xa3 || p === 0x20ac || p === 0x24) return this.skipAll(i); // only at `from`
    if (i === this.from && isDash(p)) {
      // `from` cuts a range ("0–1,000", "£1m-2m", "2 thousand–3 thousand") between its ends:
      // read this end as the range's second, whatever the first was.
      return this.fromDigits(i, i, undefined, true);
    }
    if (isDash(p) && isLetterOrDigit(this.c(i - 2))) {
      // COVID-19, post-16, under-5s, A-1: part of a compound.
      return this.skipAll(i);
    }
    if (isHSpace(p) && isHyphen(this.c(i - 2)) && isLetter(this.c(i - 3))) {
      // "COVID- 19": a compound broken across a line in the PDF it was copied from.
      return this.skipAll(i);
    }
    if (p === 0x2e /* . */) {
      if (!this.has(this.wordEndingAt(i - 1), DOTTED_QUALIFIER)) {
        // "families.12": a footnote marker after a full stop; "No.5", "v1.2"; ".5" with no leading digit.
        return this.skipAll(i);
      }
    }
    if (isApostrophe(p) || isDoubleQuote(p)) {
      const q = this.c(i - 2);
      if (isLetterOrDigit(q) || q === 0x2e || q === 0x2c || q === 0x29) return this.skipAll(i);
    }
    if (p === 0x29 || p === 0x5d || p === 0x3e || p === 0x7d) {
      // ")4", "]4", "<sup>4": a footnote marker or markup.
      if (!isHSpace(this.c(i - 2)) && !isLineBreak(this.c(i - 2)) && i - 2 >= 0) return this.skipAll(i);
    }
    if (p === 0x2c || p === 0x3b || p === 0x3a) {
      // "families,12", "ratio 3:2" — glued after a word.
      if (isLetterOrDigit(this.c(i - 2)) || isApostrophe(this.c(i - 2)) || isDoubleQuote(this.c(i - 2)) || this.c(i - 2) === 0x29) {
        return this.skipAll(i);
      }
    }
    if (p === 0x2f || p === 0x5c || p === 0x5f || p === 0x3d || p === 0x23 || p === 0x5e || p === 0x40) {
      // / \ _ = # ^ @: part of a path, identifier or address.
      return this.skipAll(i);
    }
    if (p === 0xa7 || p === 0x2116) return this.skip(this.skipChain(i), true); // § 3, № 5
    if (p === 0x2b) return this.skip(this.skipPhone(this.skipChain(i)), false); // +44 …
    return this.fromDigits(i, i, undefined, false);
  }

  // --- numbers in digits ----------------------------------------------------------------------

  /** The number in digits at `p`, read into `part`. */
  private readPart(p: number, part: Part): Part {
    // The digits are added up as they are read: a number is only kept when it has at most 15
    // digits in all, and up to there the sum is exact.
    let q = p;
    let intValue = 0;
    let d: number;
    while (isDigit((d = this.c(q)))) {
      intValue = intValue * 10 + (d - 48);
      q++;
    }
    const firstLen = q - p;
    let intLen = firstLen;
    let ok = true;
    let commas = false;
    while (this.c(q) === 0x2c && isDigit(this.c(q + 1))) {
      let r = q + 1;
      while (isDigit((d = this.c(r)))) {
        intValue = intValue * 10 + (d - 48);
        r++;
      }
      if (r - (q + 1) !== 3) ok = false;
      commas = true;
      intLen += r - (q + 1);
      q = r;
    }
    if (commas && firstLen > 3) ok = false;
    let fracLen = 0;
    let mantissa = intValue;
    if (this.c(q) === 0x2e && isDigit(this.c(q + 1))) {
      let r = q + 1;
      while (isDigit((d = this.c(r)))) {
        mantissa = mantissa * 10 + (d - 48);
        r++;
      }
      fracLen = r - (q + 1);
      q = r;
      // "1.2.3", "12.05.2019": section numbers, versions, dates.
      while ((this.c(q) === 0x2e || this.c(q) === 0x2c) && isDigit(this.c(q + 1))) {
        ok = false;
        q++;
        while (isDigit(this.c(q))) q++;
      }
    }
    if (intLen + fracLen > 15) ok = false;
    part.start = p;
    part.end = q;
    part.intLen = intLen;
    part.intValue = intValue;
    part.fracLen = fracLen;
    part.mantissa = mantissa;
    part.commas = commas;
    part.ok = ok;
    return part;
  }

  private fromDigits(i: number, numStart: number, currency: Currency | undefined, inRange: boolean): Result {
    // The candidate is taken first: its digits are read into it.
    const cand = this.nextCand();
    const part = this.readPart(i, cand.digits);
    if (!part.ok) return this.skipAll(i);
    let e = part.end;
    const d = this.c(e);
    // Chains: dates, times, financial years, ratios, phone numbers.
    if ((d === 0x2f || d === 0x3a) && isDigit(this.c(e + 1))) return this.skipAll(i);
    let gluedRange = false;
    if (isDash(d) && isDigit(this.c(e + 1))) {
      const p2 = this.readPart(e + 1, this.otherPart);
      const d2 = this.c(p2.end);
      if (!p2.ok || ((isDash(d2) || d2 === 0x2f || d2 === 0x3a) && isDigit(this.c(p2.end + 1)))) return this.skipAll(i);
      if (!currency && isYearLike(part) && ((p2.intLen === 2 && p2.fracLen === 0 && !p2.commas) || isYearLike(p2))) return this.skipAll(i);
      gluedRange = true;
    }
    if (!inRange && !currency && part.intLen >= 2 && this.c(i) === 48 && part.fracLen === 0 && !part.commas) {
      return this.skip(this.skipPhone(this.skipChain(i)), false); // 0300 123 4567, 020 7946 0000
    }

    resetCand(cand, numStart, e);
    cand.mantissa = part.mantissa;
    cand.decimals = part.fracLen;
    cand.currency = currency;
    cand.plainInt = !part.commas && part.fracLen === 0;
    cand.part = part;

    let noTail = gluedRange;
    if (!gluedRange) {
      // Letters glued to the number: scale (1.2m, 390k, 1.085bn), pence (50p), points (3pp).
      if (isLetter(this.c(e))) {
        let r = e;
        while (isLetter(this.c(r)) && r - e <= 8) r++;
        if (isLetter(this.c(r)) || isDigit(this.c(r))) return this.skipAll(i);
        const suf = this.s.slice(e, r);
        const scale = SCALE_SUFFIXES.get(suf) ?? (suf.length > 3 ? SCALE_SUFFIXES.get(suf.toLowerCase()) : undefined);
        if (scale !== undefined) {
          cand.scale = scale;
          cand.hasScale = true;
        } else if (suf === 'pp' || suf === 'ppt' || suf === 'ppts') {
          if (currency) return this.skipAll(i);
          cand.unit = 'percentage-points';
        } else if (suf === 'pc') {
          if (currency) return this.skipAll(i);
          cand.unit = 'percent';
        } else if (suf === 'p' && !currency) {
          cand.currency = 'GBP';
          cand.scaleDen = 100;
        } else {
          // 1st, 1990s, 2YOs, 3ZL, 10am, 4Children: ordinals, decades, ages, codes, times.
          return this.skipAll(i);
        }
        e = r;
        cand.numEnd = e;
        cand.end = e;
        if (cand.unit) cand.numEnd = part.end;
        cand.plainInt = false;
      }
      if (this.c(e) === 0x40 || this.c(e) === 0x5f) return this.skipAll(i); // 12@…, 12_…
      if (isHyphen(this.c(e)) && isLetter(this.c(e + 1))) {
        // "12-month progress report", "5-year-olds", "2-part": a description, not a fact.
        if (cand.currency) noTail = true;
        else {
          const unit = this.lenient ? this.hyphenTimeUnit(e) : undefined;
          if (!unit) return this.skip(this.skipChain(i), false, this.hyphenAge(e));
          cand.unit = unit.unit;
          cand.end = unit.end;
          noTail = true;
        }
      }
    }

    if (!noTail) {
      const r = this.tail(cand);
      if (r) return r;
    }
    if (!inRange) {
      const r = this.contextChecks(cand, part);
      if (r) return r;
    }
    return cand;
  }

  // --- numbers in words -----------------------------------------------------------------------

  private fromWords(first: Word, inRange: boolean): Result | undefined {
    const acc = this.wordsValue;
    acc.reset();
    let end = first.end;

    if (!acc.apply((first.known as Known).number as NumberWord)) return undefined;
    for (let k = 0; k < 12; k++) {
      // tens-unit with a hyphen: "twenty-one"
      if (acc.lastKind === 'tens' && isHyphen(this.c(end)) && isLetter(this.c(end + 1))) {
        const w = this.wordAt(end + 1, false);
        const nw = w !== undefined && w.known !== undefined ? w.known.number : undefined;
        if (w !== undefined && nw !== undefined && nw.kind === 'unit' && acc.apply(nw)) {
          end = w.end;
          continue;
        }
        break;
      }
      let w = this.wordAfter(end, false);
      if (!w) break;
      if (this.is(w, 'and')) {
        // "two and a half", "two hundred and fifty"
        const a = this.wordAfter(w.end, false);
        const lastKind = acc.lastKind;
        if (this.is(a, 'a') && !acc.half && (lastKind === 'unit' || lastKind === 'teen' || lastKind === 'tens')) {
          const h = this.wordAfter((a as Word).end, false);
          if (h !== undefined && this.is(h, 'half')) {
            acc.addHalf();
            end = h.end;
            continue;
          }
        }
        if (!(lastKind === 'hundred' || lastKind === 'scale') || !a) break;
        const na = a.known !== undefined ? a.known.number : undefined;
        if (!na || !(na.kind === 'unit' || na.kind === 'teen' || na.kind === 'tens')) break;
        w = a;
      }
      const nw = w.known !== undefined ? w.known.number : undefined;
      if (!nw) break;
      if (acc.lastKind === 'half' && nw.kind !== 'scale') break;
      if (acc.lastKind === 'half') acc.lastKind = 'unit';
      if (!acc.apply(nw)) break;
      end = w.end;
    }
    const value = acc.total + acc.current;
    const multiplied = acc.multiplied;
    const scaled = multiplied && acc.lastScale !== Infinity;
    const cand = resetCand(this.nextCand(), first.start, end);
    cand.words = true;
    cand.wordValue = value;
    cand.wordPrecision = acc.precision;
    cand.hasScale = scaled;
    cand.needsNoun = !this.lenient && !scaled;
    // "one of the", "no one": only "one million", "one hundred" count, unless in a fact file.
    if (!this.lenient && value === 1 && !multiplied) return this.skip(this.skipWord(end), false);
    if (isHyphen(this.c(end)) && isLetter(this.c(end + 1))) {
      // "ten-year strategy", "two-year partnership", "one-off": descriptions.
      const unit = this.lenient ? this.hyphenTimeUnit(end) : undefined;
      if (!unit) return this.skip(this.skipWord(end), false, this.hyphenAge(end));
      cand.unit = unit.unit;
      cand.end = unit.end;
      cand.needsNoun = false;
    } else {
      const r = this.tail(cand);
      if (r) return r;
    }
    if (!inRange) {
      const r = this.contextChecks(cand, undefined);
      if (r) return r;
    }
    return cand;
  }

  private readonly wordsValue = new WordsValue();

  /**
   * The next candidate object to fill. At most two are alive at once (the two ends of a range),
   * and a figure is copied out when it is emitted, so two are reused turn about.
   */
  private nextCand(): Cand {
    this.candTurn ^= 1;
    return this.cands[this.candTurn];
  }

  private readonly cands: Cand[] = [newCand(), newCand()];
  private candTurn = 0;
  /** Where the second end of a glued range is read while the first is looked at. */
  private readonly otherPart = new Part();

  // --- after the number: scale word, currency word, unit, noun --------------------------------

  private tail(cand: Cand): Skip | undefined {
    let q = cand.numEnd;
    // "£4.6 billion", "1.5 million", "£1.2 m"
    if (!cand.hasScale && !cand.unit && cand.scaleDen === 1 && !cand.words) {
      const w = this.wordAfter(q, false);
      if (w !== undefined && w.known !== undefined) {
        const k = w.known;
        const sc = k.scale ?? (cand.currency && k.spacedScale !== undefined && writtenAs(this.s, w.start, w.end, k.text) ? k.spacedScale : undefined);
        if (sc !== undefined && !isHyphen(this.c(w.end))) {
          cand.scale = sc;
          cand.hasScale = true;
          cand.plainInt = false;
          q = w.end;
          cand.numEnd = q;
          cand.end = q;
        }
      }
    }
    // "5 million pounds", "10 USD", "50 pence"
    if (!cand.currency && !cand.unit) {
      const w = this.wordAfter(q, false);
      if (w !== undefined) {
        const k = w.known;
        const cur = k === undefined ? undefined : (k.currency ?? (k.code !== undefined && writtenAs(this.s, w.start, w.end, k.code) ? k.code : undefined));
        if (cur !== undefined) {
          cand.currency = cur;
          q = w.end;
          cand.numEnd = q;
          cand.end = q;
        } else if (this.is(w, 'pence') && !cand.hasScale) {
          cand.currency = 'GBP';
          cand.scaleDen = 100;
          q = w.end;
          cand.numEnd = q;
          cand.end = q;
        }
      }
    }
    if (cand.currency) {
      cand.needsNoun = false;
      cand.plainInt = false;
      return undefined;
    }
    // Percentages: "3.3%", "71.8 per cent", "71.8 percent", "3 percentage points", "2% points"
    if (!cand.unit) {
      let r = q;
      if (isHSpace(this.c(r)) && this.c(r + 1) === 0x25) r++;
      if (this.c(r) === 0x25) {
        cand.unit = 'percent';
        cand.end = r + 1;
      } else {
        const w = this.wordAfter(q, false);
        if (this.is(w, 'percent') || this.is(w, 'pc')) {
          cand.unit = 'percent';
          cand.end = (w as Word).end;
        } else if (w !== undefined && this.is(w, 'per') && (isHSpace(this.c(w.end)) || isLineBreak(this.c(w.end)) || isHyphen(this.c(w.end)))) {
          const w2 = this.wordAt(isHyphen(this.c(w.end)) ? w.end + 1 : this.skipGap(w.end), false);
          if (w2 !== undefined && this.is(w2, 'cent')) {
            cand.unit = 'percent';
            cand.end = w2.end;
          }
        } else if (w !== undefined && this.is(w, 'percentage')) {
          const w2 = this.wordAfter(w.end, false) ?? (isHyphen(this.c(w.end)) ? this.wordAt(w.end + 1, false) : undefined);
          if (w2 !== undefined && (this.is(w2, 'points') || this.is(w2, 'point'))) {
            cand.unit = 'percentage-points';
            cand.end = w2.end;
          }
        }
      }
      if (cand.unit === 'percent') {
        const w = this.wordAfter(cand.end, false);
        if (w !== undefined && (this.is(w, 'points') || this.is(w, 'point'))) {
          cand.unit = 'percentage-points';
          cand.end = w.end;
        }
      }
    }
    if (cand.unit) {
      cand.needsNoun = false;
      cand.plainInt = false;
      return undefined;
    }
    // Amounts of time: "15 hours", "38 weeks", "two years", "12 months"
    const w = this.wordAfter(q, false);
    if (w !== undefined) {
      const tu = w.known !== undefined ? w.known.time : undefined;
      if (tu !== undefined) {
        if (this.ageAfterUnit(w.end)) return this.skip(this.skipWord(w.end), true, true);
        const value = this.valueOf(cand);
        if (!tu[1] && value !== 1 && !this.lenient) {
          // "a 12 month review": a description.
          return this.skip(w.end, false);
        }
        cand.unit = tu[0];
        cand.end = w.end;
        cand.needsNoun = false;
        cand.plainInt = false;
        return undefined;
      }
      if (this.has(w, NOT_COUNTED)) return this.skip(w.end, false);
      if (this.is(w, 'olds') || this.is(w, 'yo') || this.is(w, 'yos')) return this.skip(w.end, true, true);
    }
    // Counted noun: "401,719 families", "eight new Partners in Practice"
    this.nounAfter(cand, q, this.valueOf(cand));
    return undefined;
  }

  /** "5 years old", "0-19 year olds", "16 years of age". */
  private ageAfterUnit(p: number): boolean {
    let q = p;
    if (isHyphen(this.c(q))) q++;
    const w = isHyphen(this.c(p)) ? this.wordAt(q, false) : this.wordAfter(q, false);
    if (w === undefined) return false;
    if (this.is(w, 'old') || this.is(w, 'olds')) return true;
    if (this.is(w, 'of')) return this.is(this.wordAfter(w.end, false), 'age');
    return false;
  }

  /** "5-year-olds", "under-5s" read as a compound: whether it names an age. */
  private hyphenAge(p: number): boolean {
    const w = this.wordAt(p + 1, false);
    if (w === undefined) return false;
    if (this.is(w, 'year') || this.is(w, 'years') || this.is(w, 'yr') || this.is(w, 'month')) {
      if (isHyphen(this.c(w.end))) {
        const w2 = this.wordAt(w.end + 1, false);
        return this.is(w2, 'old') || this.is(w2, 'olds');
      }
      return this.ageAfterUnit(w.end);
    }
    return false;
  }

  /** In a fact file, "two-year" is an amount of time. */
  private hyphenTimeUnit(p: number): { unit: FigureUnit; end: number } | undefined {
    const w = this.wordAt(p + 1, false);
    if (w === undefined || w.known === undefined) return undefined;
    const tu = w.known.time;
    if (!tu) return undefined;
    if (isHyphen(this.c(w.end)) || isLetter(this.c(w.end))) return undefined;
    return { unit: tu[0], end: w.end };
  }

  /**
   * The counted noun after `p`, if any, set on `cand`: the head of a phrase of at most six
   * words, ending on a plural (or, for one, on the first word that is not an adjective).
   */
  private nounAfter(cand: Cand, p: number, value: number): void {
    // The phrase ends on its last word that is not an adjective ("eight new Partners" → Partners).
    let head: Word | undefined;
    let count = 0;
    let q = p;
    for (let k = 0; k < 6; k++) {
      const w = this.wordAfter(q, true);
      if (w === undefined) break;
      const known = w.known;
      if (known !== undefined) {
        if ((known.flags & STOP) !== 0 || known.number !== undefined || known.scale !== undefined) break;
        if (known.time !== undefined || (known.month !== undefined && writtenAs(this.s, w.start, w.end, known.month))) break;
      }
      if (count > 0 && this.verbForm(w)) break;
      count++;
      q = w.end;
      const adjective = this.has(w, ADJECTIVE);
      if (!adjective) head = w;
      if (value !== 1 && this.plural(w)) break;
      if (value === 1 && !adjective) break;
    }
    if (head === undefined) return;
    const plural = this.plural(head);
    if (this.verbForm(head) && !plural) return;
    // More than one of something is written as a plural: "1.4m eligible", "12 receiving support" count nothing named.
    if (value !== 1 && !plural) return;
    const noun = headNoun(this.s.slice(head.start, head.end));
    if (noun === '') return;
    cand.noun = noun;
    cand.nounPlural = plural;
    cand.end = head.end;
    cand.needsNoun = false;
  }

  /** Longer than four letters and ending in "-ed" or "-ing" ("funded", "receiving"). */
  private verbForm(w: Word): boolean {
    if (!w.ascii) {
      const lower = this.s.slice(w.start, w.end).toLowerCase();
      return lower.length > 4 && (lower.endsWith('ed') || lower.endsWith('ing'));
    }
    const len = w.end - w.start;
    if (len <= 4) return false;
    return endsWithLower(this.s, w.end, 'ed') || endsWithLower(this.s, w.end, 'ing');
  }

  /** {@link looksPlural} of the word. */
  private plural(w: Word): boolean {
    if (!w.ascii) return looksPlural(this.s.slice(w.start, w.end));
    return looksPluralAt(this.s, w.start, w.end, this.has(w, IRREGULAR_PLURAL));
  }

  // --- before and around the number -----------------------------------------------------------

  /** Not a figure after all (a reference, an age, a date…): skip the number and what it chains to. */
  private skipContext(cand: Cand, chain: boolean, age = false): Skip {
    return this.skip(Math.max(cand.end, this.skipChain(cand.numStart)), chain, age);
  }

  private contextChecks(cand: Cand, part: Part | undefined): Skip | undefined {
    const s = cand.numStart;
    const value = this.valueOf(cand);
    const bare = !cand.currency && !cand.unit && !cand.hasScale;

    // Chains after a reference: "Questions 3 and 4", "Q5 and 8", "aged 5 to 11".
    if (this.refEnd >= 0 && s >= this.refEnd && s - this.refEnd <= 12 && bare && this.isChainGap(this.refEnd, s)) {
      return this.skipContext(cand, true);
    }

    // Words before the number (and before its qualifier).
    const q = this.findQualifier(s);
    const w1 = this.tokenBefore(s);
    const symbol = this.beforeSymbol;
    if (symbol === 0x2b) return this.skip(this.skipPhone(this.skipChain(s)), false);
    if ((symbol === 0xa7 || symbol === 0x2116) && bare) return this.skipContext(cand, true); // § 3, № 5
    if (w1 !== undefined) {
      if (this.beforeDotted) {
        // "para. 12", "p. 4", "No. 5", "fig. 3"
        if (this.has(w1, REFERENCE) && bare) return this.skipContext(cand, true);
      } else {
        if (this.has(w1, REFERENCE) && bare) return this.skipContext(cand, true);
        if (this.has(w1, YEAR_GROUP) && bare && !cand.words && cand.plainInt && value <= 14) return this.skipContext(cand, true);
        if (this.has(w1, YEAR_GROUP) && bare && cand.words && value <= 14 && isAsciiUpper(this.c(w1.start))) return this.skipContext(cand, true);
        if (this.has(w1, AGE)) return this.skipContext(cand, true, true);
        if (this.is(w1, 'of') && this.has(this.tokenBefore(w1.start), AGE)) return this.skipContext(cand, true, true);
        if (this.isMonth(w1) && bare && value <= 31 && !cand.noun) return this.skipContext(cand, false);
        if (this.has(w1, PHONE) && cand.plainInt) return this.skip(this.skipPhone(this.skipChain(s)), false);
      }
    }
    if (q) {
      const wq = this.tokenBefore(q.start);
      if (wq !== undefined) {
        if (this.has(wq, AGE)) return this.skipContext(cand, true, true); // "aged up to 25", "aged under 5"
        if (this.is(wq, 'of') && this.has(this.tokenBefore(wq.start), AGE)) return this.skipContext(cand, true, true);
        // "children under 5", "young people over 16"
        if ((q.q === 'under' || q.q === 'over' || q.q === 'up-to') && this.has(wq, PERSON) && bare && !cand.noun && value <= 120) {
          return this.skipContext(cand, true, true);
        }
      }
    }

    // Words after the number.
    if (bare && !cand.noun) {
      const w = this.wordAfter(cand.numEnd, false);
      if (w !== undefined && this.isMonth(w) && value >= 1 && value <= 31 && (cand.words || cand.plainInt)) return this.skipContext(cand, false); // 12 May
    }
    if (bare && this.timeOfDayAfter(cand.numEnd)) return this.skipContext(cand, false); // 3 pm, 10 o'clock

    if (part && !cand.words) {
      // Years: 2019, "in 2010" — unless clearly a count ("over 2000 children").
      if (bare && cand.plainInt && isYearLike(part) && !(cand.noun && (q || this.lenient))) return this.skipContext(cand, false);
      // "’19"
      if (bare && cand.plainInt && part.intLen === 2 && isApostrophe(this.c(s - 1)) && !cand.noun) return this.skipContext(cand, false);
      // "[12]": a citation.
      if (this.c(s - 1) === 0x5b && this.c(cand.numEnd) === 0x5d && bare) return this.skipContext(cand, false);
      // Three bare groups of digits: a phone number or reference.
      if (cand.plainInt && !cand.noun && part.intLen <= 5 && this.bareGroupsAfter(part.end) >= 2) {
        return this.skip(this.skipPhone(part.end), false);
      }
      // List numbering and footnotes at the start of a line: "1.", "2)", "(3)", "1 Department…"
      if (!this.lenient && !cand.currency && this.atLineStart(s)) {
        const after = this.c(part.end);
        const afterNext = this.c(part.end + 1);
        const endish = afterNext === -1 || isHSpace(afterNext) || isLineBreak(afterNext);
        if (cand.plainInt && (after === 0x2e || after === 0x29) && endish && part.intLen <= 3) return this.skipContext(cand, false);
        if (this.c(s - 1) === 0x28 && after === 0x29) return this.skipContext(cand, false);
        if (bare && part.intLen <= 2 && !part.commas) {
          // "1 Department for Education…" (a footnote), "4.2 Funding" (a heading); not "12 Work Coaches", "50 LAs".
          const w = this.wordAfter(part.end, false);
          if (w !== undefined && isAsciiUpper(this.c(w.start)) && !this.isCapitalsWord(w) && (!cand.noun || part.fracLen > 0 || !cand.nounPlural)) {
            return this.skipContext(cand, false);
          }
        }
      }
    }

    if (q) {
      cand.qualifier = q.q;
      cand.qualStart = q.start;
      cand.qualBareOver = q.bareOver;
    }
    return undefined;
  }

  /** Only separators between a reference and this number: ", ", " and ", " to ", "-", " & ", " or ". */
  private isChainGap(a: number, b: number): boolean {
    const gap = this.s.slice(a, b);
    return /^[\s\u00a0\u2000-\u200b\u202f]*(?:,|&|\/|[-\u2010-\u2015]|and|or|to|and\/or)?[\s\u00a0\u2000-\u200b\u202f]*$/i.test(gap) && gap.trim() !== '';
  }

  private findQualifier(numStart: number): QualifierFound | undefined {
    const p = this.skipGapBack(numStart);
    const sym = this.c(p - 1);
    let res: QualifierFound | undefined;
    if (sym === 0x7e || sym === 0x2248) res = { q: 'around', start: p - 1, bareOver: false };
    else if (sym === 0x2e) {
      const w = this.wordEndingAt(p - 1);
      if (w !== undefined && this.has(w, DOTTED_QUALIFIER)) res = { q: 'around', start: w.start, bareOver: false };
    } else {
      const w0 = this.wordEndingAt(p);
      if (w0 === undefined || w0.known === undefined) return undefined;
      const { qualifiers, fillers } = w0.known;
      if (qualifiers === undefined && fillers === undefined) return undefined;
      // Words are read backwards only as far as some phrase ending in w0 needs.
      this.back[0] = w0;
      this.backLen = 1;
      res = this.matchQualifier(0);
      if (!res && fillers !== undefined) {
        for (const filler of fillers) {
          if (this.readBack(filler.length - 1) && this.matchesBackwards(0, filler)) {
            res = this.matchQualifier(filler.length);
            break;
          }
        }
      }
    }
    if (!res || res.start < this.lastEnd || res.start < this.from) return undefined;
    return res;
  }

  /** A qualifier phrase ending on the `offset`-th word back from the number. */
  private matchQualifier(offset: number): QualifierFound | undefined {
    if (!this.readBack(offset)) return undefined;
    const known = this.back[offset].known;
    const candidates = known !== undefined ? known.qualifiers : undefined;
    if (!candidates) return undefined;
    for (const [phrase, q] of candidates) {
      if (this.readBack(offset + phrase.length - 1) && this.matchesBackwards(offset, phrase)) {
        const first = this.back[offset + phrase.length - 1];
        return { q, start: first.start, bareOver: phrase.length === 1 && phrase[0] === 'over' };
      }
    }
    return undefined;
  }

  /** Read words backwards until back[0..k] are known; false when the words stop before. */
  private readBack(k: number): boolean {
    while (this.backLen <= k) {
      const last = this.back[this.backLen - 1];
      const e = this.skipGapBack(last.start);
      if (e === last.start) return false;
      const w = this.wordEndingAt(e);
      if (w === undefined) return false;
      this.back[this.backLen++] = w;
    }
    return true;
  }

  /** Whether the words back from `offset` spell `phrase` (written forwards). */
  private matchesBackwards(offset: number, phrase: readonly string[]): boolean {
    if (this.backLen - offset < phrase.length) return false;
    for (let k = 0; k < phrase.length; k++) {
      if (!this.is(this.back[offset + k], phrase[phrase.length - 1 - k])) return false;
    }
    return true;
  }

  /**
   * The word right before `p`, across white space; "para." gives para, with `beforeDotted`.
   * When there is no word, `beforeSymbol` is the character before (else -1, or the full stop).
   */
  private tokenBefore(p: number): Word | undefined {
    const q = this.skipGapBack(p);
    const c = this.c(q - 1);
    if (c === 0x2e) {
      this.beforeDotted = true;
      this.beforeSymbol = c;
      return this.wordEndingAt(q - 1);
    }
    const w = this.wordEndingAt(q);
    this.beforeDotted = false;
    this.beforeSymbol = w !== undefined ? -1 : c;
    return w;
  }

  private timeOfDayAfter(p: number): boolean {
    let q = p;
    while (q < this.n && q - p < 2 && isHSpace(this.c(q))) q++;
    const f = this.c(q) | 0x20;
    // Cheap look at the next character first: "a year" is not "am".
    if (f === 0x61 || f === 0x70) {
      const g = this.c(q + 1);
      if (g !== 0x2e && (g | 0x20) !== 0x6d) return false;
    } else if (f === 0x6f) {
      if (!isApostrophe(this.c(q + 1))) return false;
    } else return false;
    const t = this.s.slice(q, q + 9);
    return /^(?:[ap]\.?m\.?|o['\u2018\u2019\u201b\u2032\u02bc]clock)(?![\p{L}\p{N}])/iu.test(t);
  }

  private bareGroupsAfter(p: number): number {
    let q = p;
    let groups = 0;
    for (let k = 0; k < 3; k++) {
      if (!isHSpace(this.c(q))) break;
      let r = q + 1;
      if (!isDigit(this.c(r))) break;
      const st = r;
      while (isDigit(this.c(r))) r++;
      if (r - st > 5) break;
      const after = this.c(r);
      if (after === 0x2e || after === 0x2c || after === 0x25) {
        if (isDigit(this.c(r + 1)) || after === 0x25) break;
      }
      groups++;
      q = r;
    }
    return groups;
  }

  private atLineStart(p: number): boolean {
    let q = p - 1;
    for (let k = 0; k < 40; k++, q--) {
      const c = this.c(q);
      if (c === -1 || isLineBreak(c)) return true;
      if (isHSpace(c) || c === 0x2022 || c === 0xb7 || c === 0x25aa || c === 0x2023 || c === 0x25e6 || c === 0x2a || c === 0x3e || c === 0x23 || c === 0x2b || c === 0x28 || isDash(c)) continue;
      return false;
    }
    return false;
  }

  // --- ranges ---------------------------------------------------------------------------------

  /** Where the second number of a spaced range starts ("12 -13", "5 to 10 days", "between 5 and 10"), or -1. */
  private rangePartner(a: Cand): number {
    const bareish = !a.unit && !a.noun && (!a.currency || !a.hasScale);
    if (!bareish) return -1;
    let p = a.end;
    let q = p;
    while (q < this.n && q - p < 4 && isHSpace(this.c(q))) q++;
    const c = this.c(q);
    if (isDash(c)) {
      q++;
      const st = q;
      while (q < this.n && q - st < 4 && isHSpace(this.c(q))) q++;
    } else {
      if (q === p) return -1;
      const w = this.wordAt(q, false);
      if (w === undefined) return -1;
      if (!this.is(w, 'to') && !(this.is(w, 'and') && this.is(this.tokenBefore(a.qualStart >= 0 ? a.qualStart : a.numStart), 'between'))) return -1;
      q = w.end;
      const st = q;
      while (q < this.n && q - st < 4 && isHSpace(this.c(q))) q++;
      if (q === st) return -1;
    }
    p = q;
    const d = this.c(p);
    if (isDigit(d)) return a.words ? -1 : p;
    if ((d === 0xa3 || d === 0x20ac || d === 0x24) && (isDigit(this.c(p + 1)) || (isHSpace(this.c(p + 1)) && isDigit(this.c(p + 2))))) return p;
    if (isLetter(d) && a.words) {
      const w = this.wordAt(p, false);
      if (w !== undefined && w.known !== undefined && w.known.number !== undefined) return p;
    }
    return -1;
  }

  private inherit(a: Cand, b: Cand): void {
    if (a.currency && !b.currency && !b.unit && !b.noun) {
      b.currency = a.currency;
      b.needsNoun = false;
    }
    if (!a.hasScale && b.hasScale && !a.unit && (a.currency ? b.currency === a.currency : !a.noun)) {
      a.scale = b.scale;
      a.hasScale = true;
      a.plainInt = false;
    }
    const aBare = !a.currency && !a.unit && !a.noun;
    if (aBare && b.unit && !b.currency) {
      a.unit = b.unit;
      a.needsNoun = false;
      a.plainInt = false;
    }
    if (aBare && !b.unit && !b.currency && b.noun) {
      a.noun = b.noun;
      a.needsNoun = false;
    }
    if (aBare && b.currency && a.hasScale) {
      a.currency = b.currency;
      a.needsNoun = false;
    }
  }

  /** "19-20": a financial year written short. */
  private financialYear(a: Cand, b: Cand): boolean {
    if (a.currency || a.unit || a.noun || b.currency || b.unit || b.noun || a.hasScale || b.hasScale) return false;
    if (!a.part || !b.part || a.part.intLen !== 2 || b.part.intLen !== 2 || a.part.fracLen > 0 || b.part.fracLen > 0) return false;
    return (a.part.intValue + 1) % 100 === b.part.intValue;
  }

  // --- emitting -------------------------------------------------------------------------------

  private valueOf(c: Cand): number {
    if (c.words) return c.wordValue * c.scale;
    return (c.mantissa * c.scale) / (Math.pow(10, c.decimals) * c.scaleDen);
  }

  private precisionOf(c: Cand): number {
    if (c.words) return c.wordPrecision * c.scale;
    return c.scale / (Math.pow(10, c.decimals) * c.scaleDen);
  }

  private emit(c: Cand): void {
    if (c.needsNoun && !c.noun && !c.unit && !c.currency && !c.hasScale) return;
    let unit: FigureUnit = c.currency ?? c.unit ?? 'count';
    if (c.currency && c.unit) unit = c.currency;
    let qualifier = c.qualifier;
    let start = c.numStart;
    if (qualifier !== undefined && c.qualStart >= 0) {
      if (c.qualBareOver && isTimeUnit(unit)) qualifier = undefined;
      else start = c.qualStart;
    }
    if (start < this.lastEnd) {
      if (c.numStart < this.lastEnd) return;
      start = c.numStart;
      qualifier = undefined;
    }
    const end = Math.max(c.end, c.numEnd);
    if (start < this.from || end > this.to || end <= start) return;
    const value = this.valueOf(c);
    const precision = this.precisionOf(c);
    if (!Number.isFinite(value) || !Number.isFinite(precision)) return;
    const text = this.s.slice(start, end);
    const numberSpan = { start: c.numStart, end: c.numEnd };
    const noun = unit === 'count' ? c.noun : undefined;
    // One object literal for each set of fields, so a figure never grows after it is made (a
    // field added later goes into a separate store: another object for every figure).
    let fig: Figure;
    if (qualifier === undefined && noun === undefined) fig = { start, end, text, numberSpan, value, unit, precision };
    else if (noun === undefined) fig = { start, end, text, numberSpan, value, unit, precision, qualifier };
    else if (qualifier === undefined) fig = { start, end, text, numberSpan, value, unit, precision, noun };
    else fig = { start, end, text, numberSpan, value, unit, precision, qualifier, noun };
    this.out.push(fig);
    this.lastEnd = end;
  }

  // --- low-level reading ----------------------------------------------------------------------

  /** Skip white space forwards: at most MAX_GAP spaces either side of at most one line break. */
  private skipGap(p: number): number {
    let q = p;
    let k = 0;
    let c = this.c(q);
    while (k < MAX_GAP && isHSpace(c)) {
      c = this.c(++q);
      k++;
    }
    if (c === 13 && this.c(q + 1) === 10) q += 2;
    else if (isLineBreak(c)) q++;
    else return q;
    k = 0;
    while (k < MAX_GAP && isHSpace(this.c(q))) {
      q++;
      k++;
    }
    return q;
  }

  /** Skip white space backwards from `p`, as {@link skipGap} forwards (the last answer is kept). */
  private skipGapBack(p: number): number {
    if (p === this.gapBackFrom) return this.gapBackTo;
    let q = p;
    let k = 0;
    let c = this.c(q - 1);
    while (k < MAX_GAP && isHSpace(c)) {
      c = this.c(--q - 1);
      k++;
    }
    if (c === 10 && this.c(q - 2) === 13) q -= 2;
    else if (isLineBreak(c)) q--;
    else k = -1;
    if (k >= 0) {
      k = 0;
      while (k < MAX_GAP && isHSpace(this.c(q - 1))) {
        q--;
        k++;
      }
    }
    this.gapBackFrom = p;
    this.gapBackTo = q;
    return q;
  }

  private gapBackFrom = -1;
  private gapBackTo = -1;

  /** The word starting exactly at `p` (letters; with `inner`, also apostrophes and hyphens between letters). */
  private wordAt(p: number, inner: boolean): Word | undefined {
    if (!isLetter(this.c(p))) return undefined;
    const slot = inner ? 1 : 0;
    if (this.memoPos[slot] === p) return this.memoWord[slot];
    const w = this.readWord(p, inner);
    this.memoPos[slot] = p;
    this.memoWord[slot] = w;
    return w;
  }

  private readWord(p: number, inner: boolean): Word | undefined {
    let q = p;
    let ascii = true;
    let h = 0;
    for (;;) {
      let c = this.c(q);
      while (q - p <= MAX_WORD && isLetter(c)) {
        if (c >= 0x80) ascii = false;
        h = hashOn(h, c);
        c = this.c(++q);
      }
      if (inner && (isApostrophe(c) || isHyphen(c)) && isLetter(this.c(q + 1)) && q - p <= MAX_WORD) {
        if (c >= 0x80) ascii = false;
        h = hashOn(h, c);
        q++;
        continue;
      }
      break;
    }
    if (q - p > MAX_WORD) return undefined;
    if (inner && isApostrophe(this.c(q)) && this.c(q - 1) === 0x73 && !isLetterOrDigit(this.c(q + 1))) {
      // councils’
      if (this.c(q) >= 0x80) ascii = false;
      h = hashOn(h, this.c(q));
      q++;
    }
    return { start: p, end: q, known: ascii ? knownByHash(this.s, p, q - p, h) : undefined, ascii };
  }

  /** The word after white space following `p` (there must be some white space). */
  private wordAfter(p: number, inner: boolean): Word | undefined {
    const slot = inner ? 1 : 0;
    if (this.memoAfterPos[slot] === p) return this.memoAfterWord[slot];
    const q = this.skipGap(p);
    const w = q === p ? undefined : this.wordAt(q, inner);
    this.memoAfterPos[slot] = p;
    this.memoAfterWord[slot] = w;
    return w;
  }

  /** The word ending exactly at `e` (letters only). */
  private wordEndingAt(e: number): Word | undefined {
    if (this.memoEnd === e) return this.memoEndWord;
    const w = this.readWordEndingAt(e);
    this.memoEnd = e;
    this.memoEndWord = w;
    return w;
  }

  private readWordEndingAt(e: number): Word | undefined {
    let b = e;
    let ascii = true;
    let h = 0;
    let pow = 1;
    let c: number;
    while (e - b <= MAX_WORD && isLetter((c = this.c(b - 1)))) {
      if (c >= 0x80) ascii = false;
      h = hashBack(h, c, pow);
      pow = Math.imul(pow, 31);
      b--;
    }
    if (b === e || isLetterOrDigit(this.c(b - 1))) return undefined;
    if (isApostrophe(this.c(b - 1)) && isLetter(this.c(b - 2))) return undefined;
    return { start: b, end: e, known: ascii ? knownByHash(this.s, b, e - b, h) : undefined, ascii };
  }

  /** Whether the word reads as `lower` (a lower-case word) in any case. */
  private is(w: Word | undefined, lower: string): boolean {
    return w !== undefined && w.end - w.start === lower.length && sameLower(this.s, w.start, lower);
  }

  /** Whether the word is one of a table's words, by its flag (STOP, ADJECTIVE, REFERENCE…). */
  private has(w: Word | undefined, flag: number): boolean {
    return w !== undefined && w.known !== undefined && (w.known.flags & flag) !== 0;
  }

  /** A month, written with its capital ("May", not "may"). */
  private isMonth(w: Word): boolean {
    const month = w.known !== undefined ? w.known.month : undefined;
    return month !== undefined && writtenAs(this.s, w.start, w.end, month);
  }

  /** Written in capitals, perhaps with a plural "s": "NHS", "LAs", "DfE" is not. */
  private isCapitalsWord(w: Word): boolean {
    if (!isAsciiUpper(this.c(w.start))) return false;
    for (let k = w.start + 1; k < w.end; k++) {
      const c = this.c(k);
      if (isAsciiUpper(c) || isDigit(c) || c === 0x26) continue;
      if (c === 0x73 && k === w.end - 1) continue;
      return false;
    }
    return true;
  }

  /** Past digits, letters and the joiners between them: the whole of "COVID-19", "2019-05-01", "10:30am". */
  private skipChain(p: number): number {
    let q = p;
    for (;;) {
      while (q < this.n && isLetterOrDigit(this.c(q))) q++;
      const c = this.c(q);
      if ((c === 0x2e || c === 0x2c || c === 0x3a || c === 0x2f || isDash(c)) && isLetterOrDigit(this.c(q + 1))) {
        q++;
        continue;
      }
      return q;
    }
  }

  private skipWord(p: number): number {
    let q = p;
    while (q < this.n && (isLetter(this.c(q)) || isHyphen(this.c(q)))) q++;
    return q;
  }

  /** Past further groups of a phone number: "0300 123 4567", "+44 (0)20 7946 0000". */
  private skipPhone(p: number): number {
    let q = p;
    for (let groups = 0; groups < 12; groups++) {
      let r = q;
      let k = 0;
      while (k < 3 && (isHSpace(this.c(r)) || isDash(this.c(r)) || this.c(r) === 0x2e || this.c(r) === 0x28 || this.c(r) === 0x29)) {
        r++;
        k++;
      }
      if (!isDigit(this.c(r))) break;
      while (isDigit(this.c(r))) r++;
      if (this.c(r) === 0x29) r++;
      q = r;
    }
    return q;
  }

  private skipToSpace(p: number): number {
    let q = p;
    while (q < this.n && !isHSpace(this.c(q)) && !isLineBreak(this.c(q))) q++;
    return q;
  }
}

/**
 * {@link normaliseHeadNoun}, remembered: a draft counts the same few hundred nouns again and
 * again. Only short words are kept (a longer slice of the text could keep the whole text alive).
 */
const HEAD_NOUNS = new Map<string, string>();

function headNoun(text: string): string {
  if (text.length > 12) return normaliseHeadNoun(text);
  let noun = HEAD_NOUNS.get(text);
  if (noun === undefined) {
    noun = normaliseHeadNoun(text);
    if (HEAD_NOUNS.size >= 4096) HEAD_NOUNS.clear();
    HEAD_NOUNS.set(text, noun);
  }
  return noun;
}

function isYearLike(p: Part): boolean {
  if (p.intLen !== 4 || p.commas || p.fracLen > 0) return false;
  return p.intValue >= 1800 && p.intValue <= 2099;
}

/** Whether the text before `end` is `lower` (a lower-case ASCII ending) in any case. */
function endsWithLower(s: string, end: number, lower: string): boolean {
  return end >= lower.length && sameLower(s, end - lower.length, lower);
}

function isTimeUnit(u: FigureUnit): boolean {
  return u === 'hours' || u === 'days' || u === 'weeks' || u === 'months' || u === 'years';
}
