/**
 * How much of a draft is checked. Two limits keep the work on one draft bounded, whatever is
 * in it (a pasted book, a log file, binary data opened as text):
 *
 * - `policyFacts.maxDraftChars` (default 2,000,000 characters, about 300,000 words): only
 *   the beginning of a longer draft is checked;
 * - a paragraph longer than `MAX_PARAGRAPH_CHARS` (100,000 characters without a paragraph
 *   break: a minified file or a very long single line, not prose) is checked up to that many
 *   characters and the check stops there. Attaching figures to names looks at the whole
 *   paragraph a figure is in, so one huge paragraph would cost far more than its length.
 *
 * When a limit stops the check, the checker reports it as a `check.limit` finding (a warning
 * in the Problems panel at the place it stopped, saying how many characters were checked),
 * so nothing is left out silently. Pure: no `vscode`, so it is unit-tested outside VS Code.
 */
import { hasBlankLine, segment } from '../core';

/** Default of `policyFacts.maxDraftChars` (package.json declares the same). */
export const DEFAULT_MAX_DRAFT_CHARS = 2_000_000;
/** The setting is kept within these bounds, whatever a settings file says. */
export const MIN_MAX_DRAFT_CHARS = 1_000;
export const MAX_MAX_DRAFT_CHARS = 20_000_000;
/** A paragraph is checked up to this many characters, and the check stops there. */
export const MAX_PARAGRAPH_CHARS = 100_000;

/** What a check of one draft covers. */
export interface DraftLimit {
  /** The draft's length in characters (UTF-16 code units, as VS Code counts them). */
  readonly length: number;
  /** The check covers at most this many characters (the checker's `maxChars`). */
  readonly maxChars: number;
  /** Why the check stops before the end, when it does. */
  readonly reason?: 'draft' | 'paragraph';
  /** With reason `paragraph`: where the over-long paragraph starts, and its length. */
  readonly paragraph?: { readonly start: number; readonly length: number };
}

/** The setting's value as used: a whole number within the bounds; anything else → the default. */
export function clampMaxDraftChars(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_MAX_DRAFT_CHARS;
  return Math.min(MAX_MAX_DRAFT_CHARS, Math.max(MIN_MAX_DRAFT_CHARS, Math.floor(value)));
}

/**
 * The limit that applies to `text`: the draft limit, lowered to `maxParagraphChars` into the
 * first paragraph (as the checker splits paragraphs) longer than that.
 */
export function draftLimit(text: string, maxDraftChars: number, maxParagraphChars = MAX_PARAGRAPH_CHARS): DraftLimit {
  const length = text.length;
  const upTo = Math.min(length, maxDraftChars);
  let limit: DraftLimit = length > maxDraftChars ? { length, maxChars: maxDraftChars, reason: 'draft' } : { length, maxChars: maxDraftChars };
  // No paragraph can be longer than the part that is checked, nor than the stretch between two
  // places no paragraph runs past (splitting all of it into paragraphs takes far longer).
  if (upTo <= maxParagraphChars || !hasLongStretch(text, upTo, maxParagraphChars)) return limit;
  for (const p of segment(text, 0, upTo).paragraphs) {
    if (p.end - p.start <= maxParagraphChars) continue;
    const cut = p.start + maxParagraphChars;
    if (cut < length) limit = { length, maxChars: cut, reason: 'paragraph', paragraph: { start: p.start, length: paragraphLength(text, p.start, p.end, upTo) } };
    break;
  }
  return limit;
}

/** What a line after a blank line starts with when it certainly starts a paragraph. */
const STARTS_BLOCK = /[A-Z#>|]/;

/**
 * Whether `text[0, upTo)` has a stretch longer than `max` characters between two places no
 * paragraph runs past: a line after a blank line that starts with a capital, a heading or a
 * quote (see `blockStarts` in the core); in a text without a blank line, where each line is a
 * paragraph, any line break. Found with the engine's own string search.
 */
function hasLongStretch(text: string, upTo: number, max: number): boolean {
  let last = 0;
  if (hasBlankLine(text, 0, upTo)) {
    const blank = /\n[ \t\u00a0]*\r?\n/g;
    for (let m = blank.exec(text); m && m.index < upTo; m = blank.exec(text)) {
      // Past the rest of the run of blank lines (once: a search from each would read it again).
      let k = blank.lastIndex;
      for (let c = text.charCodeAt(k); c === 32 || c === 9 || c === 0xa0 || c === 13 || c === 10; c = text.charCodeAt(++k));
      blank.lastIndex = k;
      if (!STARTS_BLOCK.test(text[k] ?? '')) continue;
      if (m.index - last > max) return true;
      last = m.index;
    }
  } else {
    for (let nl = text.indexOf('\n'); nl >= 0 && nl < upTo; nl = text.indexOf('\n', nl + 1)) {
      if (nl - last > max) return true;
      last = nl;
    }
  }
  return upTo - last > max;
}

/** The paragraph's full length: it may go on past the part that was split. */
function paragraphLength(text: string, start: number, end: number, upTo: number): number {
  if (end < upTo) return end - start;
  const blank = /\n[ \t\u00a0]*\r?\n/g;
  blank.lastIndex = end;
  const m = blank.exec(text);
  return (m ? m.index : text.length) - start;
}

/**
 * One sentence for the log and the status bar saying what was not checked and why, or
 * `undefined` when the whole draft is checked. `checked` is what the check covered (it stops
 * at a space just before the limit, so it can be a little less than `maxChars`).
 */
export function describeLimit(limit: DraftLimit, checked: number, line?: (offset: number) => number): string | undefined {
  if (!limit.reason || checked >= limit.length) return undefined;
  const n = (x: number) => x.toLocaleString('en-GB');
  const rest = `the last ${n(limit.length - checked)} of ${n(limit.length)} characters were not checked`;
  if (limit.reason === 'draft') return `Only the first ${n(checked)} characters were checked (setting policyFacts.maxDraftChars): ${rest}.`;
  const p = limit.paragraph!;
  const where = line ? ` on line ${line(p.start) + 1}` : '';
  return `A paragraph${where} is ${n(p.length)} characters long without a break (at most ${n(limit.maxChars - p.start)} are checked in one paragraph), so the check stopped there: ${rest}.`;
}
