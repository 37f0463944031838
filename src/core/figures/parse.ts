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
import type { Figure, FigureUnit, Qualifier } from '../types';
import {
  ADJECTIVES,
  NUMBER_WORDS,
  type NumberWord,
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
  looksPlural,
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

// ---------------------------------------------------------------------------------------------
// Scanner

/** How far the parser looks across white space between the words of one figure. */
const MAX_GAP = 16;
/** The longest word it reads (longer runs of letters are not words it knows). */
const MAX_WORD = 40;

interface Word {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly lower: string;
}

interface Part {
  readonly start: number;
  readonly end: number;
  /** Integer digits without grouping commas (empty when there are more than 20). */
  readonly int: string;
  readonly intLen: number;
  readonly frac: string;
  readonly commas: boolean;
  readonly ok: boolean;
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
  currency?: Currency;
  unit?: FigureUnit;
  noun?: string;
  /** The counted noun was written as a plural ("councils", "children"). */
  nounPlural?: boolean;
  qualifier?: Qualifier;
  qualStart: number;
  /** The qualifier was the bare word "over" (dropped before an amount of time). */
  qualBareOver: boolean;
  /** A number word, or a bare number in digits: reported only with a noun, unit, currency or scale. */
  needsNoun: boolean;
  /** Integer in digits with no grouping, decimals, scale or unit. */
  plainInt: boolean;
  part?: Part;
}

/** A number that is not a figure: where scanning resumes, and whether what follows "and 4" is one too. */
interface Skip {
  readonly skip: number;
  readonly chain: boolean;
  readonly age?: boolean;
}

type Result = Cand | Skip;

function isSkip(r: Result): r is Skip {
  return (r as Skip).skip !== undefined;
}

class Scanner {
  private readonly out: Figure[] = [];
  private readonly n: number;
  private lastEnd: number;
  /** End of the last reference-like number ("Q5", "Questions 3", "aged 5"), for chains like "and 8". */
  private refEnd = -1;

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
    // A regular expression finds where a figure could start (digits, currency signs, number
    // words, currency codes) and the starts of web and e-mail addresses; everything between is
    // skipped without being looked at one character at a time.
    const rx = new RegExp(CANDIDATE_SOURCE, 'gi');
    rx.lastIndex = this.from;
    for (;;) {
      const m = rx.exec(this.s);
      if (m === null) break;
      const i = m.index;
      if (i >= this.to) break;
      const next = this.dispatch(i, m[0].length);
      rx.lastIndex = next > i ? next : i + 1;
    }
    return this.out;
  }

  private dispatch(i: number, len: number): number {
    const c = this.c(i);
    if (isDigit(c)) return this.handle(i, this.atDigit(i));
    if (c === 0xa3) return this.handle(i, this.atSign(i, 'GBP', i));
    if (c === 0x20ac) return this.handle(i, this.atSign(i, 'EUR', i));
    if (c === 0x24) return this.handle(i, isLetter(this.c(i - 1)) ? { skip: this.skipChain(i + 1), chain: false } : this.atSign(i, 'USD', i));
    if (c === 0x3a || c === 0x40) return this.skipToSpace(i); // "://", "@"
    return this.atWord(i, i + len);
  }

  // --- dispatch -------------------------------------------------------------------------------

  /** Run a candidate, follow a range to its second number, emit what is a figure; return where to go on. */
  private handle(i: number, a: Result | undefined): number {
    if (a === undefined) return i + 1;
    if (isSkip(a)) {
      if (a.chain) this.refEnd = a.skip;
      return a.skip;
    }
    let next = a.end;
    // A range: "10-15%", "5 to 10 days", "£1-2m", "12 -13".
    const glued = a.part !== undefined && a.numEnd === a.part.end && isDash(this.c(a.numEnd)) && isDigit(this.c(a.numEnd + 1));
    const bStart = glued ? a.numEnd + 1 : this.rangePartner(a);
    if (bStart >= 0) {
      // The second end of a spaced range ("5 to 10", "12 -13") is judged as it would be on its
      // own (a year stays a year); only a glued one ("12-13") skips the look-behind rules.
      const b = glued ? this.candidateAt(bStart) : this.standaloneAt(bStart);
      if (b !== undefined && isSkip(b)) {
        if (glued || b.age) {
          if (b.chain || b.age) this.refEnd = b.skip;
          return Math.max(b.skip, next);
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
      if (w && NUMBER_WORDS.has(w.lower)) return this.fromWords(w, true);
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
      if (w && NUMBER_WORDS.has(w.lower)) return this.fromWords(w, false);
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
    const text = this.s.slice(i, e);
    // Web addresses: nothing inside them is a figure.
    if (text.length === 4 && text.charCodeAt(3) === 0x2e) return this.skipToSpace(e);
    if (isLetter(this.c(e))) return e;
    // Currency codes: "GBP 5m", "USD10bn", "US$ 3m".
    const code = CURRENCY_CODES.get(text);
    if (code !== undefined || text === 'US') {
      if (text === 'US' && this.c(e) !== 0x24) return e;
      let q = code !== undefined ? e : e + 1;
      if (isHSpace(this.c(q))) q++;
      if (isDigit(this.c(q))) return this.handle(i, this.fromDigits(q, i, code ?? 'USD', false));
      return e;
    }
    const lower = text.toLowerCase();
    if (!NUMBER_WORDS.has(lower)) return e;
    return this.handle(i, this.fromWords({ start: i, end: e, text, lower }, false));
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
      return { skip: this.skipChain(i), chain };
    }
    if (isDigit(p) || p === 0xa3 || p === 0x20ac || p === 0x24) return { skip: this.skipChain(i), chain: false }; // only at `from`
    if (i === this.from && isDash(p)) {
      // `from` cuts a range ("0–1,000", "£1m-2m", "2 thousand–3 thousand") between its ends:
      // read this end as the range's second, whatever the first was.
      return this.fromDigits(i, i, undefined, true);
    }
    if (isDash(p) && isLetterOrDigit(this.c(i - 2))) {
      // COVID-19, post-16, under-5s, A-1: part of a compound.
      return { skip: this.skipChain(i), chain: false };
    }
    if (isHSpace(p) && isHyphen(this.c(i - 2)) && isLetter(this.c(i - 3))) {
      // "COVID- 19": a compound broken across a line in the PDF it was copied from.
      return { skip: this.skipChain(i), chain: false };
    }
    if (p === 0x2e /* . */) {
      const w = this.wordEndingAt(i - 1);
      if (!(w && DOTTED_QUALIFIERS.has(w.lower))) {
        // "families.12": a footnote marker after a full stop; "No.5", "v1.2"; ".5" with no leading digit.
        return { skip: this.skipChain(i), chain: false };
      }
    }
    if (isApostrophe(p) || isDoubleQuote(p)) {
      const q = this.c(i - 2);
      if (isLetterOrDigit(q) || q === 0x2e || q === 0x2c || q === 0x29) return { skip: this.skipChain(i), chain: false };
    }
    if (p === 0x29 || p === 0x5d || p === 0x3e || p === 0x7d) {
      // ")4", "]4", "<sup>4": a footnote marker or markup.
      if (!isHSpace(this.c(i - 2)) && !isLineBreak(this.c(i - 2)) && i - 2 >= 0) return { skip: this.skipChain(i), chain: false };
    }
    if (p === 0x2c || p === 0x3b || p === 0x3a) {
      // "families,12", "ratio 3:2" — glued after a word.
      if (isLetterOrDigit(this.c(i - 2)) || isApostrophe(this.c(i - 2)) || isDoubleQuote(this.c(i - 2)) || this.c(i - 2) === 0x29) {
        return { skip: this.skipChain(i), chain: false };
      }
    }
    if (p === 0x2f || p === 0x5c || p === 0x5f || p === 0x3d || p === 0x23 || p === 0x5e || p === 0x40) {
      // / \ _ = # ^ @: part of a path, identifier or address.
      return { skip: this.skipChain(i), chain: false };
    }
    if (p === 0xa7 || p === 0x2116) return { skip: this.skipChain(i), chain: true }; // § 3, № 5
    if (p === 0x2b) return { skip: this.skipPhone(this.skipChain(i)), chain: false }; // +44 …
    return this.fromDigits(i, i, undefined, false);
  }

  // --- numbers in digits ----------------------------------------------------------------------

  private readPart(p: number): Part {
    let q = p;
    while (isDigit(this.c(q))) q++;
    const firstLen = q - p;
    let intLen = firstLen;
    let int = firstLen <= 20 ? this.s.slice(p, q) : '';
    let ok = true;
    let commas = false;
    while (this.c(q) === 0x2c && isDigit(this.c(q + 1))) {
      let r = q + 1;
      while (isDigit(this.c(r))) r++;
      if (r - (q + 1) !== 3) ok = false;
      commas = true;
      intLen += r - (q + 1);
      int = intLen <= 20 ? int + this.s.slice(q + 1, r) : '';
      q = r;
    }
    if (commas && firstLen > 3) ok = false;
    let frac = '';
    if (this.c(q) === 0x2e && isDigit(this.c(q + 1))) {
      let r = q + 1;
      while (isDigit(this.c(r))) r++;
      frac = r - (q + 1) <= 20 ? this.s.slice(q + 1, r) : '0'.repeat(21);
      q = r;
      // "1.2.3", "12.05.2019": section numbers, versions, dates.
      while ((this.c(q) === 0x2e || this.c(q) === 0x2c) && isDigit(this.c(q + 1))) {
        ok = false;
        q++;
        while (isDigit(this.c(q))) q++;
      }
    }
    if (intLen + frac.length > 15) ok = false;
    return { start: p, end: q, int, intLen, frac, commas, ok };
  }

  private fromDigits(i: number, numStart: number, currency: Currency | undefined, inRange: boolean): Result {
    const part = this.readPart(i);
    const skipAll = (chain = false): Skip => ({ skip: this.skipChain(i), chain });
    if (!part.ok) return skipAll();
    let e = part.end;
    const d = this.c(e);
    // Chains: dates, times, financial years, ratios, phone numbers.
    if ((d === 0x2f || d === 0x3a) && isDigit(this.c(e + 1))) return skipAll();
    let gluedRange = false;
    if (isDash(d) && isDigit(this.c(e + 1))) {
      const p2 = this.readPart(e + 1);
      const d2 = this.c(p2.end);
      if (!p2.ok || ((isDash(d2) || d2 === 0x2f || d2 === 0x3a) && isDigit(this.c(p2.end + 1)))) return skipAll();
      if (!currency && isYearLike(part) && ((p2.intLen === 2 && !p2.frac && !p2.commas) || isYearLike(p2))) return skipAll();
      gluedRange = true;
    }
    if (!inRange && !currency && part.intLen >= 2 && part.int.charCodeAt(0) === 48 && !part.frac && !part.commas) {
      return { skip: this.skipPhone(this.skipChain(i)), chain: false }; // 0300 123 4567, 020 7946 0000
    }

    const cand: Cand = {
      numStart,
      numEnd: e,
      end: e,
      mantissa: part.int === '' ? 0 : Number(part.int + part.frac),
      decimals: part.frac.length,
      words: false,
      wordValue: 0,
      wordPrecision: 1,
      scale: 1,
      scaleDen: 1,
      hasScale: false,
      currency,
      qualStart: -1,
      qualBareOver: false,
      needsNoun: false,
      plainInt: !part.commas && !part.frac,
      part,
    };

    let noTail = gluedRange;
    if (!gluedRange) {
      // Letters glued to the number: scale (1.2m, 390k, 1.085bn), pence (50p), points (3pp).
      if (isLetter(this.c(e))) {
        let r = e;
        while (isLetter(this.c(r)) && r - e <= 8) r++;
        if (isLetter(this.c(r)) || isDigit(this.c(r))) return skipAll();
        const suf = this.s.slice(e, r);
        const scale = SCALE_SUFFIXES.get(suf) ?? (suf.length > 3 ? SCALE_SUFFIXES.get(suf.toLowerCase()) : undefined);
        if (scale !== undefined) {
          cand.scale = scale;
          cand.hasScale = true;
        } else if (suf === 'pp' || suf === 'ppt' || suf === 'ppts') {
          if (currency) return skipAll();
          cand.unit = 'percentage-points';
        } else if (suf === 'pc') {
          if (currency) return skipAll();
          cand.unit = 'percent';
        } else if (suf === 'p' && !currency) {
          cand.currency = 'GBP';
          cand.scaleDen = 100;
        } else {
          // 1st, 1990s, 2YOs, 3ZL, 10am, 4Children: ordinals, decades, ages, codes, times.
          return skipAll();
        }
        e = r;
        cand.numEnd = e;
        cand.end = e;
        if (cand.unit) cand.numEnd = part.end;
        cand.plainInt = false;
      }
      if (this.c(e) === 0x40 || this.c(e) === 0x5f) return skipAll(); // 12@…, 12_…
      if (isHyphen(this.c(e)) && isLetter(this.c(e + 1))) {
        // "12-month progress report", "5-year-olds", "2-part": a description, not a fact.
        if (cand.currency) noTail = true;
        else {
          const unit = this.lenient ? this.hyphenTimeUnit(e) : undefined;
          if (!unit) return { skip: this.skipChain(i), chain: false, age: this.hyphenAge(e) };
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
    let total = 0;
    let current = 0;
    let precision = 1;
    let lastKind = '';
    let lastScale = Infinity;
    let multiplied = false;
    let end = first.end;
    let half = false;

    const apply = (w: NumberWord): boolean => {
      switch (w.kind) {
        case 'unit':
        case 'teen':
          if (lastKind === 'unit' || lastKind === 'teen' || (lastKind === 'tens' && w.kind === 'teen')) return false;
          current += w.value;
          precision = 1;
          break;
        case 'tens':
          if (lastKind === 'unit' || lastKind === 'teen' || lastKind === 'tens') return false;
          current += w.value;
          precision = 1;
          break;
        case 'hundred':
          if (!(lastKind === 'unit' || lastKind === 'teen') || current >= 100 || current === 0) return false;
          current *= 100;
          precision *= 100;
          multiplied = true;
          break;
        case 'scale':
          if (lastKind === '' || lastKind === 'scale' || w.value >= lastScale) return false;
          total += current * w.value;
          current = 0;
          precision *= w.value;
          lastScale = w.value;
          multiplied = true;
          break;
      }
      lastKind = w.kind;
      return true;
    };

    if (!apply(NUMBER_WORDS.get(first.lower) as NumberWord)) return undefined;
    for (let k = 0; k < 12; k++) {
      // tens-unit with a hyphen: "twenty-one"
      if (lastKind === 'tens' && isHyphen(this.c(end)) && isLetter(this.c(end + 1))) {
        const w = this.wordAt(end + 1, false);
        const nw = w ? NUMBER_WORDS.get(w.lower) : undefined;
        if (w && nw && nw.kind === 'unit' && apply(nw)) {
          end = w.end;
          continue;
        }
        break;
      }
      let w = this.wordAfter(end);
      if (!w) break;
      if (w.lower === 'and') {
        // "two and a half", "two hundred and fifty"
        const a = this.wordAfter(w.end);
        if (a && a.lower === 'a' && !half && (lastKind === 'unit' || lastKind === 'teen' || lastKind === 'tens')) {
          const h = this.wordAfter(a.end);
          if (h && h.lower === 'half') {
            current += 0.5;
            precision = 0.5;
            half = true;
            end = h.end;
            lastKind = 'half';
            continue;
          }
        }
        if (!(lastKind === 'hundred' || lastKind === 'scale') || !a) break;
        const na = NUMBER_WORDS.get(a.lower);
        if (!na || !(na.kind === 'unit' || na.kind === 'teen' || na.kind === 'tens')) break;
        w = a;
      }
      const nw = NUMBER_WORDS.get(w.lower);
      if (!nw) break;
      if (lastKind === 'half' && nw.kind !== 'scale') break;
      if (lastKind === 'half') lastKind = 'unit';
      if (!apply(nw)) break;
      end = w.end;
    }
    const value = total + current;
    const cand: Cand = {
      numStart: first.start,
      numEnd: end,
      end,
      mantissa: 0,
      decimals: 0,
      words: true,
      wordValue: value,
      wordPrecision: precision,
      scale: 1,
      scaleDen: 1,
      hasScale: multiplied && lastScale !== Infinity,
      qualStart: -1,
      qualBareOver: false,
      needsNoun: !this.lenient && !(multiplied && lastScale !== Infinity),
      plainInt: false,
    };
    const skip = (): Skip => ({ skip: this.skipWord(end), chain: false });
    // "one of the", "no one": only "one million", "one hundred" count, unless in a fact file.
    if (!this.lenient && value === 1 && !multiplied) return skip();
    if (isHyphen(this.c(end)) && isLetter(this.c(end + 1))) {
      // "ten-year strategy", "two-year partnership", "one-off": descriptions.
      const unit = this.lenient ? this.hyphenTimeUnit(end) : undefined;
      if (!unit) return { skip: this.skipWord(end), chain: false, age: this.hyphenAge(end) };
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

  // --- after the number: scale word, currency word, unit, noun --------------------------------

  private tail(cand: Cand): Skip | undefined {
    let q = cand.numEnd;
    // "£4.6 billion", "1.5 million", "£1.2 m"
    if (!cand.hasScale && !cand.unit && cand.scaleDen === 1 && !cand.words) {
      const w = this.wordAfter(q);
      if (w) {
        const sc = SCALE_WORDS.get(w.lower) ?? (cand.currency ? SPACED_MONEY_SCALES.get(w.text) : undefined);
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
      const w = this.wordAfter(q);
      if (w) {
        const cur = CURRENCY_WORDS_AFTER.get(w.lower) ?? CURRENCY_CODES.get(w.text);
        if (cur !== undefined) {
          cand.currency = cur;
          q = w.end;
          cand.numEnd = q;
          cand.end = q;
        } else if (w.lower === 'pence' && !cand.hasScale) {
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
        const w = this.wordAfter(q);
        if (w && (w.lower === 'percent' || w.lower === 'pc')) {
          cand.unit = 'percent';
          cand.end = w.end;
        } else if (w && w.lower === 'per' && (isHSpace(this.c(w.end)) || isLineBreak(this.c(w.end)) || isHyphen(this.c(w.end)))) {
          const w2 = this.wordAt(isHyphen(this.c(w.end)) ? w.end + 1 : this.skipGap(w.end), false);
          if (w2 && w2.lower === 'cent') {
            cand.unit = 'percent';
            cand.end = w2.end;
          }
        } else if (w && w.lower === 'percentage') {
          const w2 = this.wordAfter(w.end) ?? (isHyphen(this.c(w.end)) ? this.wordAt(w.end + 1, false) : undefined);
          if (w2 && (w2.lower === 'points' || w2.lower === 'point')) {
            cand.unit = 'percentage-points';
            cand.end = w2.end;
          }
        }
      }
      if (cand.unit === 'percent') {
        const w = this.wordAfter(cand.end);
        if (w && (w.lower === 'points' || w.lower === 'point')) {
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
    const w = this.wordAfter(q);
    if (w) {
      const tu = TIME_UNITS.get(w.lower);
      if (tu !== undefined) {
        if (this.ageAfterUnit(w.end)) return { skip: this.skipWord(w.end), chain: true, age: true };
        const value = this.valueOf(cand);
        if (!tu[1] && value !== 1 && !this.lenient) {
          // "a 12 month review": a description.
          return { skip: w.end, chain: false };
        }
        cand.unit = tu[0];
        cand.end = w.end;
        cand.needsNoun = false;
        cand.plainInt = false;
        return undefined;
      }
      if (NOT_COUNTED_AFTER.has(w.lower)) return { skip: w.end, chain: false };
      if (w.lower === 'olds' || w.lower === 'yo' || w.lower === 'yos') return { skip: w.end, chain: true, age: true };
    }
    // Counted noun: "401,719 families", "eight new Partners in Practice"
    const noun = this.nounAfter(q, this.valueOf(cand));
    if (noun) {
      cand.noun = noun.noun;
      cand.nounPlural = noun.plural;
      cand.end = noun.end;
      cand.needsNoun = false;
    }
    return undefined;
  }

  /** "5 years old", "0-19 year olds", "16 years of age". */
  private ageAfterUnit(p: number): boolean {
    let q = p;
    if (isHyphen(this.c(q))) q++;
    const w = isHyphen(this.c(p)) ? this.wordAt(q, false) : this.wordAfter(q);
    if (!w) return false;
    if (w.lower === 'old' || w.lower === 'olds') return true;
    if (w.lower === 'of') {
      const w2 = this.wordAfter(w.end);
      return !!w2 && w2.lower === 'age';
    }
    return false;
  }

  /** "5-year-olds", "under-5s" read as a compound: whether it names an age. */
  private hyphenAge(p: number): boolean {
    const w = this.wordAt(p + 1, false);
    if (!w) return false;
    if (w.lower === 'year' || w.lower === 'years' || w.lower === 'yr' || w.lower === 'month') {
      if (isHyphen(this.c(w.end))) {
        const w2 = this.wordAt(w.end + 1, false);
        return !!w2 && (w2.lower === 'old' || w2.lower === 'olds');
      }
      return this.ageAfterUnit(w.end);
    }
    return false;
  }

  /** In a fact file, "two-year" is an amount of time. */
  private hyphenTimeUnit(p: number): { unit: FigureUnit; end: number } | undefined {
    const w = this.wordAt(p + 1, false);
    if (!w) return undefined;
    const tu = TIME_UNITS.get(w.lower);
    if (!tu) return undefined;
    if (isHyphen(this.c(w.end)) || isLetter(this.c(w.end))) return undefined;
    return { unit: tu[0], end: w.end };
  }

  private nounAfter(p: number, value: number): { noun: string; end: number; plural: boolean } | undefined {
    const words: Word[] = [];
    let q = p;
    for (let k = 0; k < 6; k++) {
      const w = this.wordAfter(q, true);
      if (!w) break;
      const lower = w.lower;
      if (STOP_WORDS.has(lower) || NUMBER_WORDS.has(lower) || SCALE_WORDS.has(lower)) break;
      if (MONTHS.has(w.text) || TIME_UNITS.has(lower)) break;
      if (words.length > 0 && lower.length > 4 && (lower.endsWith('ed') || lower.endsWith('ing'))) break;
      words.push(w);
      q = w.end;
      if (value !== 1 && looksPlural(w.text)) break;
      if (value === 1 && words.length >= 1 && !ADJECTIVES.has(lower)) break;
    }
    while (words.length > 0 && ADJECTIVES.has(words[words.length - 1].lower)) words.pop();
    if (words.length === 0) return undefined;
    const head = words[words.length - 1];
    const hl = head.lower;
    const plural = looksPlural(head.text);
    if (hl.length > 4 && (hl.endsWith('ing') || hl.endsWith('ed')) && !plural) return undefined;
    // More than one of something is written as a plural: "1.4m eligible", "12 receiving support" count nothing named.
    if (value !== 1 && !plural) return undefined;
    const noun = normaliseHeadNoun(head.text);
    if (noun === '') return undefined;
    return { noun, end: head.end, plural };
  }

  // --- before and around the number -----------------------------------------------------------

  private contextChecks(cand: Cand, part: Part | undefined): Skip | undefined {
    const s = cand.numStart;
    const skipAll = (chain: boolean, age = false): Skip => ({ skip: Math.max(cand.end, this.skipChain(s)), chain, age });
    const value = this.valueOf(cand);
    const bare = !cand.currency && !cand.unit && !cand.hasScale;

    // Chains after a reference: "Questions 3 and 4", "Q5 and 8", "aged 5 to 11".
    if (this.refEnd >= 0 && s >= this.refEnd && s - this.refEnd <= 12 && bare && this.isChainGap(this.refEnd, s)) {
      return skipAll(true);
    }

    // Words before the number (and before its qualifier).
    const q = this.findQualifier(s);
    const before = this.tokenBefore(s);
    const w1 = before.word;
    if (before.symbol === 0x2b) return { skip: this.skipPhone(this.skipChain(s)), chain: false };
    if ((before.symbol === 0xa7 || before.symbol === 0x2116) && bare) return skipAll(true); // § 3, № 5
    if (w1) {
      const l = w1.lower;
      if (before.dotted) {
        // "para. 12", "p. 4", "No. 5", "fig. 3"
        if (REFERENCE_WORDS.has(l) && bare) return skipAll(true);
      } else {
        if (REFERENCE_WORDS.has(l) && bare) return skipAll(true);
        if (YEAR_GROUP_WORDS.has(l) && bare && !cand.words && cand.plainInt && value <= 14) return skipAll(true);
        if (YEAR_GROUP_WORDS.has(l) && bare && cand.words && value <= 14 && isAsciiUpper(this.c(w1.start))) return skipAll(true);
        if (AGE_WORDS.has(l)) return skipAll(true, true);
        if (l === 'of') {
          const w2 = this.tokenBefore(w1.start).word;
          if (w2 && AGE_WORDS.has(w2.lower)) return skipAll(true, true);
        }
        if (MONTHS.has(w1.text) && bare && value <= 31 && !cand.noun) return skipAll(false);
        if (PHONE_WORDS.has(l) && cand.plainInt) return { skip: this.skipPhone(this.skipChain(s)), chain: false };
      }
    }
    if (q) {
      const wq = this.tokenBefore(q.start).word;
      if (wq) {
        if (AGE_WORDS.has(wq.lower)) return skipAll(true, true); // "aged up to 25", "aged under 5"
        if (wq.lower === 'of') {
          const w2 = this.tokenBefore(wq.start).word;
          if (w2 && AGE_WORDS.has(w2.lower)) return skipAll(true, true);
        }
        // "children under 5", "young people over 16"
        if ((q.q === 'under' || q.q === 'over' || q.q === 'up-to') && PERSON_WORDS.has(wq.lower) && bare && !cand.noun && value <= 120) {
          return skipAll(true, true);
        }
      }
    }

    // Words after the number.
    if (bare && !cand.noun) {
      const w = this.wordAfter(cand.numEnd);
      if (w && MONTHS.has(w.text) && value >= 1 && value <= 31 && (cand.words || cand.plainInt)) return skipAll(false); // 12 May
    }
    if (bare && this.timeOfDayAfter(cand.numEnd)) return skipAll(false); // 3 pm, 10 o'clock

    if (part && !cand.words) {
      // Years: 2019, "in 2010" — unless clearly a count ("over 2000 children").
      if (bare && cand.plainInt && isYearLike(part) && !(cand.noun && (q || this.lenient))) return skipAll(false);
      // "’19"
      if (bare && cand.plainInt && part.intLen === 2 && isApostrophe(this.c(s - 1)) && !cand.noun) return skipAll(false);
      // "[12]": a citation.
      if (this.c(s - 1) === 0x5b && this.c(cand.numEnd) === 0x5d && bare) return skipAll(false);
      // Three bare groups of digits: a phone number or reference.
      if (cand.plainInt && !cand.noun && part.intLen <= 5 && this.bareGroupsAfter(part.end) >= 2) {
        return { skip: this.skipPhone(part.end), chain: false };
      }
      // List numbering and footnotes at the start of a line: "1.", "2)", "(3)", "1 Department…"
      if (!this.lenient && !cand.currency && this.atLineStart(s)) {
        const after = this.c(part.end);
        const afterNext = this.c(part.end + 1);
        const endish = afterNext === -1 || isHSpace(afterNext) || isLineBreak(afterNext);
        if (cand.plainInt && (after === 0x2e || after === 0x29) && endish && part.intLen <= 3) return skipAll(false);
        if (this.c(s - 1) === 0x28 && after === 0x29) return skipAll(false);
        if (bare && part.intLen <= 2 && !part.commas) {
          // "1 Department for Education…" (a footnote), "4.2 Funding" (a heading); not "12 Work Coaches", "50 LAs".
          const w = this.wordAfter(part.end);
          if (w && isAsciiUpper(this.c(w.start)) && !/^[A-Z][A-Z0-9&]*s?$/.test(w.text) && (!cand.noun || part.frac || !cand.nounPlural)) {
            return skipAll(false);
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

  private findQualifier(numStart: number): { q: Qualifier; start: number; bareOver: boolean } | undefined {
    const p = this.skipGapBack(numStart);
    const sym = this.c(p - 1);
    let res: { q: Qualifier; start: number; bareOver: boolean } | undefined;
    if (sym === 0x7e || sym === 0x2248) res = { q: 'around', start: p - 1, bareOver: false };
    else if (sym === 0x2e) {
      const w = this.wordEndingAt(p - 1);
      if (w && DOTTED_QUALIFIERS.has(w.lower)) res = { q: 'around', start: w.start, bareOver: false };
    } else {
      const w0 = this.wordEndingAt(p);
      if (!w0 || (!QUALIFIERS_BY_LAST.has(w0.lower) && !FILLERS_BY_LAST.has(w0.lower))) return undefined;
      // Words are read backwards only as far as some phrase ending in w0 needs.
      const words: Word[] = [w0];
      const more = (k: number): boolean => {
        while (words.length <= k) {
          const last = words[words.length - 1];
          const e = this.skipGapBack(last.start);
          if (e === last.start) return false;
          const w = this.wordEndingAt(e);
          if (!w) return false;
          words.push(w);
        }
        return true;
      };
      res = this.matchQualifier(words, 0, more);
      if (!res) {
        const fillers = FILLERS_BY_LAST.get(w0.lower);
        for (const filler of fillers ?? []) {
          if (more(filler.length - 1) && matchesBackwards(words, 0, filler)) {
            res = this.matchQualifier(words, filler.length, more);
            break;
          }
        }
      }
    }
    if (!res || res.start < this.lastEnd || res.start < this.from) return undefined;
    return res;
  }

  private matchQualifier(
    words: Word[],
    offset: number,
    more: (k: number) => boolean,
  ): { q: Qualifier; start: number; bareOver: boolean } | undefined {
    if (!more(offset)) return undefined;
    const candidates = QUALIFIERS_BY_LAST.get(words[offset].lower);
    if (!candidates) return undefined;
    for (const [phrase, q] of candidates) {
      if (more(offset + phrase.length - 1) && matchesBackwards(words, offset, phrase)) {
        const first = words[offset + phrase.length - 1];
        return { q, start: first.start, bareOver: phrase.length === 1 && phrase[0] === 'over' };
      }
    }
    return undefined;
  }

  /** The word (or symbol) right before `p`, across white space: "para." gives para and dotted. */
  private tokenBefore(p: number): { word?: Word; dotted: boolean; symbol: number } {
    const q = this.skipGapBack(p);
    const c = this.c(q - 1);
    if (c === 0x2e) {
      const w = this.wordEndingAt(q - 1);
      return { word: w, dotted: true, symbol: c };
    }
    const w = this.wordEndingAt(q);
    return { word: w, dotted: false, symbol: w ? -1 : c };
  }

  private timeOfDayAfter(p: number): boolean {
    let q = p;
    while (q < this.n && q - p < 2 && isHSpace(this.c(q))) q++;
    const f = this.c(q) | 0x20;
    if (f !== 0x61 && f !== 0x70 && f !== 0x6f) return false;
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
      if (!w) return -1;
      if (w.lower !== 'to' && !(w.lower === 'and' && this.tokenBefore(a.qualStart >= 0 ? a.qualStart : a.numStart).word?.lower === 'between')) return -1;
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
      if (w && NUMBER_WORDS.has(w.lower)) return p;
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
    if (!a.part || !b.part || a.part.intLen !== 2 || b.part.intLen !== 2 || a.part.frac || b.part.frac) return false;
    return (Number(a.part.int) + 1) % 100 === Number(b.part.int);
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
    const fig: { -readonly [K in keyof Figure]: Figure[K] } = {
      start,
      end,
      text: this.s.slice(start, end),
      numberSpan: { start: c.numStart, end: c.numEnd },
      value,
      unit,
      precision,
    };
    if (qualifier !== undefined) fig.qualifier = qualifier;
    if (c.noun !== undefined && unit === 'count') fig.noun = c.noun;
    this.out.push(fig);
    this.lastEnd = end;
  }

  // --- low-level reading ----------------------------------------------------------------------

  /** Skip white space forwards: at most MAX_GAP spaces either side of at most one line break. */
  private skipGap(p: number): number {
    let q = p;
    let k = 0;
    while (k < MAX_GAP && isHSpace(this.c(q))) {
      q++;
      k++;
    }
    const c = this.c(q);
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

  private skipGapBack(p: number): number {
    let q = p;
    let k = 0;
    while (k < MAX_GAP && isHSpace(this.c(q - 1))) {
      q--;
      k++;
    }
    const c = this.c(q - 1);
    if (c === 10 && this.c(q - 2) === 13) q -= 2;
    else if (isLineBreak(c)) q--;
    else return q;
    k = 0;
    while (k < MAX_GAP && isHSpace(this.c(q - 1))) {
      q--;
      k++;
    }
    return q;
  }

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

  private readonly memoPos = [-1, -1];
  private readonly memoWord: Array<Word | undefined> = [undefined, undefined];

  private readWord(p: number, inner: boolean): Word | undefined {
    let q = p;
    for (;;) {
      while (q < this.n && isLetter(this.c(q)) && q - p <= MAX_WORD) q++;
      if (inner && (isApostrophe(this.c(q)) || isHyphen(this.c(q))) && isLetter(this.c(q + 1)) && q - p <= MAX_WORD) {
        q++;
        continue;
      }
      break;
    }
    if (q - p > MAX_WORD) return undefined;
    if (inner && isApostrophe(this.c(q)) && this.c(q - 1) === 0x73 && !isLetterOrDigit(this.c(q + 1))) q++; // councils’
    const text = this.s.slice(p, q);
    return { start: p, end: q, text, lower: text.toLowerCase() };
  }

  /** The word after white space following `p` (there must be some white space). */
  private wordAfter(p: number, inner = false): Word | undefined {
    const q = this.skipGap(p);
    if (q === p) return undefined;
    return this.wordAt(q, inner);
  }

  /** The word ending exactly at `e` (letters only). */
  private wordEndingAt(e: number): Word | undefined {
    if (this.memoEnd === e) return this.memoEndWord;
    const w = this.readWordEndingAt(e);
    this.memoEnd = e;
    this.memoEndWord = w;
    return w;
  }

  private memoEnd = -1;
  private memoEndWord: Word | undefined;

  private readWordEndingAt(e: number): Word | undefined {
    let b = e;
    while (b > 0 && e - b <= MAX_WORD && isLetter(this.c(b - 1))) b--;
    if (b === e || isLetterOrDigit(this.c(b - 1))) return undefined;
    if (isApostrophe(this.c(b - 1)) && isLetter(this.c(b - 2))) return undefined;
    const text = this.s.slice(b, e);
    return { start: b, end: e, text, lower: text.toLowerCase() };
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

function matchesBackwards(words: readonly Word[], offset: number, phrase: readonly string[]): boolean {
  if (words.length - offset < phrase.length) return false;
  for (let k = 0; k < phrase.length; k++) {
    if (words[offset + k].lower !== phrase[phrase.length - 1 - k]) return false;
  }
  return true;
}

function isYearLike(p: Part): boolean {
  if (p.intLen !== 4 || p.commas || p.frac) return false;
  const v = Number(p.int);
  return v >= 1800 && v <= 2099;
}

function isTimeUnit(u: FigureUnit): boolean {
  return u === 'hours' || u === 'days' || u === 'weeks' || u === 'months' || u === 'years';
}
