/**
 * The period a draft gives a figure ("£2.6bn in 2020-21", "In 2019, 71.8% of children…"), and
 * the period a fact is recorded for, read the same way, so the checker can tell a figure
 * quoted for another year than the one it is recorded for.
 *
 * Only what can be read without doubt is read: a financial or academic year ("2020-21",
 * "2020/21", "2020–2021") or a calendar year ("2019", "January 2021"). A year the figure is
 * compared with ("compared to 2019-20"), one it counts from or to ("since 2015", "by 2024"),
 * and a list of years ("in 2021-22 and 2022-23 respectively") are not the figure's period.
 */
import type { Span } from '../types';

/** A period both sides can be compared by: a financial or academic year, or a calendar year. */
export interface PeriodKey {
  readonly kind: 'year-span' | 'year';
  /** The first calendar year it covers. */
  readonly year: number;
}

/** A period found in a draft, with where it is written. */
export interface StatedPeriod extends Span {
  readonly key: PeriodKey;
  readonly text: string;
  /**
   * Whether the sentence opens with it ("In 2019, …") and gives no other year or time its
   * figures could be of ("up from…", "the year before", "compared with 2013").
   */
  readonly opens: boolean;
}

const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const HAS_MONTH = new RegExp(`\\b${MONTH}\\b`, 'i');
const DASH = '[-/\u2010\u2011\u2012\u2013\u2014]';
/**
 * "2020-21", "2020/21", "2020–2021"; "the 2020 to 2021 financial year" and "financial year
 * 2020 to 2021" (as GOV.UK writes them); or a year, with its month before it.
 */
const PERIOD = new RegExp(
  `\\b(?:FY\\s?)?((?:19|20)\\d\\d)\\s?${DASH}\\s?(\\d\\d(?:\\d\\d)?)\\b` +
    `|\\b((?:19|20)\\d\\d)\\s+to\\s+((?:19|20)\\d\\d)\\s+(?:financial|academic|school)\\s+year\\b` +
    `|\\b(?:financial|academic|school)\\s+year\\s+((?:19|20)\\d\\d)\\s+to\\s+((?:19|20)\\d\\d)\\b` +
    `|\\b(?:(?:\\d\\d?(?:st|nd|rd|th)?\\s+)?${MONTH}\\s+)?((?:19|20)\\d\\d)\\b(?!\\s?${DASH}\\s?\\d)`,
  'gi',
);
/** After "in", "during", "for" (or `first` words): "the", then "financial year" or the like. */
const lead = (first: string) => `(?:${first})\\s+(?:the\\s+)?(?:(?:financial|academic|school|calendar)\\s+year\\s+)?$`;
const LEAD = lead('in|during|for|of|as\\s+(?:of|at)');
/** Words before a year that make it the figure's period. */
const OF_THE_FIGURE = new RegExp(`(?:^|[\\s(])${LEAD}`, 'i');
/** Before those words, a word saying the year is another event's: "children born in 2014", "published in 2020". */
const ANOTHER_EVENT = new RegExp(`\\b(?:born|founded|built|begun|set\\s+up|opened|made|held|taken|written|given|[a-z]+ed)\\s+${LEAD}`, 'i');
/** After a year, words saying it is a price base or a level compared with: "in 2019-20 prices". */
const NOT_ITS_YEAR_AFTER = /^\s*(?:prices|terms|money|cash|levels?|baseline)\b/i;
/** A sentence opening with its year: "In 2019, …", "- During 2020-21 …". */
const OPENS = new RegExp(`^[\\s\\-*+>#"'\u2018\u201c(]*(?:\\d+[.)]\\s*)?${lead('in|during|for|as\\s+(?:of|at)')}`, 'i');
/** A year in a list or a range of years: "2021-22 and 2022-23", "2019, 2020", "2020-21 to 2022-23". */
const LIST_AFTER = new RegExp(
  `^\\s*(?:,|and|or|&|to|through(?:\\s+to)?|until|till|${DASH})\\s*(?:(?:in|during|for)\\s+)?(?:the\\s+)?(?:${MONTH}\\s+)?(?:(?:19|20)\\d\\d|following|next|previous|preceding|subsequent|same|year)`,
  'i',
);
const LIST_BEFORE = new RegExp(`(?:19|20)\\d\\d(?:\\s?${DASH}\\s?\\d\\d(?:\\d\\d)?)?\\s*(?:,|and|or|&|to|through|until|till|[-\u2010-\u2014])\\s*$`, 'i');
/** Words that make the years of a sentence hard to pair with its figures: "respectively". */
const PAIRED_ELSEWHERE = /\brespectively\b/i;
/**
 * Words that put one of a sentence's figures in another year than the one it opens with: "up
 * from 51.7%", "the year before", "compared with 2013", "the previous two years".
 */
const ANOTHER_TIME = /\b(?:from|before|earlier|previous|previously|prior|preceding|last|ago|since|compared|following|next|until|then|later|subsequent)\b/i;
/** Any year. */
const ANY_YEAR = /(?:19|20)\d\d/g;
/** How far before a year its leading words are looked for. */
const LOOK_BACK = 40;

/** The key of a financial or academic year `first`–`second` ("2020", "21"), if the years follow one another. */
function yearSpan(first: string, second: string): PeriodKey | undefined {
  const a = Number(first);
  const b = Number(second);
  const next = second.length === 2 ? (a + 1) % 100 : a + 1;
  return b === next ? { kind: 'year-span', year: a } : undefined;
}

const RECORDED_SPAN = new RegExp(`^(?:FY\\s?)?((?:19|20)\\d\\d)\\s?${DASH}\\s?(\\d\\d(?:\\d\\d)?)$`, 'i');
const RECORDED_YEAR = new RegExp(`^(?:${MONTH}\\s+)?((?:19|20)\\d\\d)$`, 'i');

/**
 * The key of a recorded period or as-of date, when it is one year or one financial or academic
 * year and nothing else ("2020-21", "2019/20", "2019", "January 2021"); otherwise undefined
 * ("since 2015", "2015-21", "each year").
 */
export function periodKeyOf(recorded: string | undefined): PeriodKey | undefined {
  if (!recorded) return undefined;
  const s = recorded.trim();
  const span = RECORDED_SPAN.exec(s);
  if (span) return yearSpan(span[1], span[2]);
  const year = RECORDED_YEAR.exec(s);
  return year ? { kind: 'year', year: Number(year[1]) } : undefined;
}

/** Whether two periods can be compared (the same kind) and differ. */
export function periodsDiffer(a: PeriodKey, b: PeriodKey): boolean {
  return a.kind === b.kind && a.year !== b.year;
}

export function samePeriod(a: PeriodKey | undefined, b: PeriodKey | undefined): boolean {
  return !!a && !!b && a.kind === b.kind && a.year === b.year;
}

/**
 * The year `recorded` (a fact's period or as-of date, read as `key`) written the way the draft
 * wrote `stated`, to put in its place: "2020/21" → "2021/22", "the 2020 to 2021 financial
 * year" → "the 2021 to 2022 financial year", "2020" → "2019". A date with a month or day
 * is replaced by the recorded one as written.
 */
export function yearInStyleOf(stated: StatedPeriod, key: PeriodKey, recorded: string): string {
  if (key.kind !== stated.key.kind || HAS_MONTH.test(stated.text)) return recorded.trim();
  let n = 0;
  return stated.text.replace(/(?:19|20)\d\d|\d\d/g, (digits) => {
    n++;
    if (n === 1) return String(key.year);
    if (n === 2 && key.kind === 'year-span') return digits.length === 4 ? String(key.year + 1) : String((key.year + 1) % 100).padStart(2, '0');
    return digits;
  });
}

/** How a stated period reads in a message: "2020-21", "the 2020 to 2021 financial year". */
export function statedInWords(stated: StatedPeriod): string {
  return /^\d/.test(stated.text) && /\byear\b/i.test(stated.text) ? `the ${stated.text}` : stated.text;
}

/**
 * The periods written in `text[from, to)` (a sentence) that can only be the period of a figure
 * next to them: after "in", "during", "for", "of" or "as of", and not in a list of years.
 */
export function periodsIn(text: string, from: number, to: number): StatedPeriod[] {
  const out: StatedPeriod[] = [];
  if (to - from > 100_000) return out;
  const sentence = text.slice(from, to);
  if (PAIRED_ELSEWHERE.test(sentence)) return out;
  let opening = true;
  PERIOD.lastIndex = 0;
  for (let m = PERIOD.exec(sentence); m; m = PERIOD.exec(sentence)) {
    const key =
      m[1] !== undefined ? yearSpan(m[1], m[2]) : m[3] !== undefined ? yearSpan(m[3], m[4]) : m[5] !== undefined ? yearSpan(m[5], m[6]) : { kind: 'year' as const, year: Number(m[7]) };
    if (!key) continue;
    const before = sentence.slice(Math.max(0, m.index - LOOK_BACK), m.index);
    const after = sentence.slice(m.index + m[0].length, m.index + m[0].length + LOOK_BACK);
    if (!OF_THE_FIGURE.test(before) || ANOTHER_EVENT.test(before) || NOT_ITS_YEAR_AFTER.test(after)) continue;
    if (LIST_AFTER.test(after) || LIST_BEFORE.test(before.replace(OF_THE_FIGURE, ''))) continue;
    const opens = opening && m.index <= LOOK_BACK && OPENS.test(sentence.slice(0, m.index)) && alone(sentence, m.index, m.index + m[0].length);
    opening = false;
    out.push({ start: from + m.index, end: from + m.index + m[0].length, key, text: m[0], opens });
  }
  return out;
}

/** Whether the rest of `sentence`, outside `[a, b)`, names no other year and no other time. */
function alone(sentence: string, a: number, b: number): boolean {
  const rest = `${sentence.slice(0, a)} ${sentence.slice(b)}`;
  ANY_YEAR.lastIndex = 0;
  return !ANY_YEAR.test(rest) && !ANOTHER_TIME.test(rest);
}

/** The most text between a figure and the period given after it, and what may not come between. */
const NEAR_AFTER = 40;
/**
 * Between a figure and a year after it, words that make the year another's: a clause break,
 * or a comparison ("more than in 2019-20", "over the level of", "an increase on funding in").
 */
const CLAUSE_BREAK =
  /[;:,()[\]]|\b(?:and|but|while|whereas|then|compared|against|than|over|above|below|under|from|on|since|relative|level|levels|baseline|excess|ahead|beyond|behind|more|less|higher|lower|greater|fewer|up|down|who|which|that|whose|where|when)\b/i;
/** The most text between a period that opens a sentence and the sentence's first figure. */
const NEAR_BEFORE = 80;

/**
 * The period the draft gives `fig`, of the periods of its sentence (`periodsIn`), when only one
 * reading is likely: one that follows the figure closely, in the same clause ("£2.6bn in
 * 2020-21"); else the year the sentence opens with, when `fig` is its first figure ("In 2019,
 * 71.8% of children…"). `figures[first, last)` are the sentence's figures, in order.
 */
export function periodOf(text: string, fig: Span, periods: readonly StatedPeriod[], figures: readonly Span[], first = 0, last = figures.length): StatedPeriod | undefined {
  const after = periods.find((p) => p.start >= fig.end);
  if (after && after.start - fig.end <= NEAR_AFTER && !CLAUSE_BREAK.test(text.slice(fig.end, after.start)) && !figureBetween(figures, first, last, fig, fig.end, after.start)) return after;
  const opening = periods[0];
  if (opening?.opens && opening.end <= fig.start && figures[first] === fig && fig.start - opening.end <= NEAR_BEFORE && !/[;:]/.test(text.slice(opening.end, fig.start))) return opening;
  return undefined;
}

/** Whether one of `figures[first, last)` other than `fig` lies within `[a, b)`. */
function figureBetween(figures: readonly Span[], first: number, last: number, fig: Span, a: number, b: number): boolean {
  let lo = first;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (figures[mid].start < a) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < last && figures[k].start < b; k++) if (figures[k] !== fig && figures[k].end <= b) return true;
  return false;
}
