/**
 * Shared value types of the core. Everything here is plain data so that the extension, the
 * CLI and the tests can pass it around, serialise it and compare it.
 *
 * Offsets are UTF-16 code-unit offsets into the text that was given (what `String#slice`
 * and `vscode.TextDocument.offsetAt` use). Lines and columns are 0-based inside the core;
 * the CLI adds one when it prints them.
 */

/** A half-open range of UTF-16 offsets `[start, end)` in some text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** 0-based line and character, as `vscode.Position` has them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** Units a figure can be in. Money is in pounds (or the named currency); time amounts in their own unit. */
export type FigureUnit =
  | 'GBP'
  | 'USD'
  | 'EUR'
  | 'count'
  | 'percent'
  | 'percentage-points'
  | 'hours'
  | 'days'
  | 'weeks'
  | 'months'
  | 'years';

/**
 * How a figure is hedged. `over` covers "over", "more than", "in excess of"; `under` covers
 * "under", "less than", "fewer than", "nearly", "almost"; `up-to` "up to", "as much as";
 * `at-least` "at least"; `around` "around", "about", "c.", "~", "approximately", "some".
 */
export type Qualifier = 'over' | 'under' | 'up-to' | 'at-least' | 'around' | 'exactly';

/** A figure found in text: "over £185m", "401,719 families", "71.8 per cent". */
export interface Figure extends Span {
  /** Exactly as written, from the qualifier (if any) to the end of the number and its unit word. */
  readonly text: string;
  /** Where the number itself (with currency sign and scale word) is, without the qualifier. */
  readonly numberSpan: Span;
  /** Normalised value: pounds for money (1.2m → 1200000), plain number for counts, 71.8 for 71.8%. */
  readonly value: number;
  readonly unit: FigureUnit;
  readonly qualifier?: Qualifier;
  /**
   * The smallest step the number was written to, in the normalised unit: £1.1bn → 100000000,
   * 13,500 → 1, 71.8% → 0.1, "c.390k" → 1000. Used to decide whether it is a correct rounding.
   */
  readonly precision: number;
  /** What is counted, singular and lower case ("family", "council", "place"), when the text says. */
  readonly noun?: string;
}
