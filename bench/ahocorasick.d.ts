/** The few types the benchmark needs from the `ahocorasick` package (it ships none). */
declare module 'ahocorasick' {
  class AhoCorasick {
    constructor(keywords: string[]);
    /** Every hit, grouped by the index of its last character. */
    search(text: string): [number, string[]][];
  }
  export = AhoCorasick;
}
