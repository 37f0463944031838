/**
 * What the matcher is compared with, on the same names and the same drafts:
 *
 * (a) naive: one case-insensitive regular expression, an alternation of every escaped name
 *     (longest first) between word boundaries — what one would write first;
 * (b) the `ahocorasick` npm package run over the lower-cased text, with a word-boundary filter
 *     on its hits afterwards;
 * (c) the floor: one pass over the text reading every character code, doing nothing else.
 */
import AhoCorasick = require('ahocorasick');

export interface Baseline {
  /** Build once per name list (not timed by `scan`). */
  build(names: readonly string[]): void;
  /** Scan a text; returns the number of hits so the work cannot be optimised away. */
  scan(text: string): number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class NaiveRegex implements Baseline {
  private re: RegExp | undefined;

  build(names: readonly string[]): void {
    const unique = [...new Set(names)].sort((a, b) => b.length - a.length);
    this.re = new RegExp(`\\b(?:${unique.map(escapeRegExp).join('|')})\\b`, 'gi');
  }

  scan(text: string): number {
    const re = this.re!;
    re.lastIndex = 0;
    let hits = 0;
    while (re.exec(text) !== null) hits++;
    return hits;
  }
}

const WORD = /[\p{L}\p{N}]/u;
function isWordChar(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return WORD.test(text[i]);
}

export class AhoCorasickPackage implements Baseline {
  private ac: AhoCorasick | undefined;

  build(names: readonly string[]): void {
    this.ac = new AhoCorasick([...new Set(names.map((n) => n.toLowerCase()))]);
  }

  scan(text: string): number {
    const lower = text.toLowerCase();
    let hits = 0;
    for (const [end, words] of this.ac!.search(lower)) {
      for (const w of words) {
        const start = end - w.length + 1;
        if (!isWordChar(lower, start - 1) && !isWordChar(lower, end + 1)) hits++;
      }
    }
    return hits;
  }
}

export class Floor implements Baseline {
  build(): void {}

  scan(text: string): number {
    let x = 0;
    for (let i = 0; i < text.length; i++) x = (x + text.charCodeAt(i)) | 0;
    return x;
  }
}
