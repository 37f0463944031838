/**
 * Text normalisation for matching names, done as tokenisation: one pass over UTF-16 code
 * units that cuts text into tokens and hashes each token's normalised form on the fly, so the
 * matcher never builds a string per word.
 *
 * The same tokeniser reads the names in fact files and the drafts, so a name and the text
 * that mentions it are normalised by exactly the same rules:
 *
 * - A **word** is a run of letters, digits and combining marks. An apostrophe between two
 *   word characters belongs to the word (`Barnardo's`, `Children’s`), so possessives stay
 *   one token and are handled by the matcher.
 * - Every other visible character is a one-character **punctuation** token (`-`, `&`, `.`).
 * - Whitespace between tokens is not a token; each token records the **gap** before it:
 *   none (`COVID-19`), space (any run of spaces, tabs, non-breaking or other Unicode spaces,
 *   or a single line break, CRLF included) or a **hard** break (a blank line or a paragraph
 *   separator). Names never match across a hard break.
 * - Case is folded per code unit (`toLowerCase` when it yields one code unit).
 * - Apostrophes `' ’ ‘ ʼ ′` are all `'`; hyphens `- ‐ ‑ ‒ – −` are all `-`.
 * - A hyphen written straight after a word and followed by a space or line break, then a word
 *   (`COVID- 19`, `COVID-⏎19` from pasted PDFs) has no gap after it: it reads as `COVID-19`.
 * - Soft hyphens, zero-width joiners and word joiners are invisible: skipped inside words.
 *
 * Not done: Unicode normalisation (NFC/NFKC), so a decomposed `é` or a PDF ligature `ﬁ`
 * does not equal its composed form.
 */

/** Character classes. */
const C_OTHER = 0;
const C_WORD = 1;
const C_SPACE = 2;
const C_NEWLINE = 3;
const C_CR = 4;
const C_PARA = 5;
const C_APOS = 6;
const C_HYPHEN = 7;
const C_IGNORABLE = 8;
const C_HIGH = 9;
const C_UNKNOWN = 255;

/** Normalised code units of the apostrophe and the hyphen. */
const APOS = 39;
const HYPHEN = 45;

/** Gap before a token. */
const GAP_NONE = 0;
const GAP_SPACE = 1;
const GAP_HARD = 2;

const CLASS = new Uint8Array(65536).fill(C_UNKNOWN);
const FOLD = new Uint16Array(65536);
/**
 * Both at once, for the scanning loop: a word unit's case-folded form (>= 0), else
 * `-1 - class` (the `S_*` values), so one read and one sign test tell a letter from the rest.
 */
const SCAN = new Int32Array(65536).fill(-1 - C_UNKNOWN);
const S_SPACE = -1 - C_SPACE;
const S_NEWLINE = -1 - C_NEWLINE;
const S_CR = -1 - C_CR;
const S_PARA = -1 - C_PARA;
const S_APOS = -1 - C_APOS;
const S_HYPHEN = -1 - C_HYPHEN;
const S_IGNORABLE = -1 - C_IGNORABLE;
const S_HIGH = -1 - C_HIGH;
const S_UNKNOWN = -1 - C_UNKNOWN;

const WORD_RE = /^[\p{L}\p{N}\p{M}]$/u;
const SPACE_RE = /^\s$/u;

function classifyUnit(c: number): number {
  let k: number;
  let f = c;
  if (c === 39 || c === 0x2019 || c === 0x2018 || c === 0x02bc || c === 0x2032) {
    k = C_APOS;
    f = APOS;
  } else if (c === 45 || c === 0x2010 || c === 0x2011 || c === 0x2012 || c === 0x2013 || c === 0x2212) {
    k = C_HYPHEN;
    f = HYPHEN;
  } else if (c === 0x00ad || c === 0x200c || c === 0x200d || c === 0x2060 || c === 0xfeff) {
    k = C_IGNORABLE;
  } else if (c === 10 || c === 11 || c === 12 || c === 0x85 || c === 0x2028) {
    k = C_NEWLINE;
  } else if (c === 13) {
    k = C_CR;
  } else if (c === 0x2029) {
    k = C_PARA;
  } else if (c >= 0xd800 && c <= 0xdbff) {
    k = C_HIGH;
  } else if (c >= 0xdc00 && c <= 0xdfff) {
    k = C_OTHER; // a lone low surrogate
  } else {
    const s = String.fromCharCode(c);
    if (c === 0x200b || SPACE_RE.test(s)) {
      k = C_SPACE;
    } else if (WORD_RE.test(s)) {
      k = C_WORD;
      const l = s.toLowerCase();
      if (l.length === 1) f = l.charCodeAt(0);
    } else {
      k = C_OTHER;
    }
  }
  CLASS[c] = k;
  FOLD[c] = f;
  SCAN[c] = k === C_WORD ? f : -1 - k;
  return k;
}

for (let c = 0; c < 128; c++) classifyUnit(c);

/** The class of a UTF-16 code unit (surrogates: `C_HIGH` for a high one, `C_OTHER` for a low one). */
export function classOf(c: number): number {
  const k = CLASS[c];
  return k === C_UNKNOWN ? classifyUnit(c) : k;
}

/** A code unit case-folded, apostrophe and hyphen variants made plain. */
export function foldUnit(c: number): number {
  if (CLASS[c] === C_UNKNOWN) classifyUnit(c);
  return FOLD[c];
}

/** A code unit with apostrophe and hyphen variants made plain, case kept. */
export function plainUnit(c: number): number {
  const k = classOf(c);
  return k === C_APOS ? APOS : k === C_HYPHEN ? HYPHEN : c;
}

const astralWord = new Map<number, boolean>();
/** Whether the surrogate pair at `i` is a letter, digit or mark. */
function astralIsWord(text: string, i: number): boolean {
  const cp = text.codePointAt(i)!;
  let w = astralWord.get(cp);
  if (w === undefined) {
    w = WORD_RE.test(String.fromCodePoint(cp));
    if (astralWord.size < 4096) astralWord.set(cp, w);
  }
  return w;
}

/** Whether `text[i]` starts a word character (BMP letter/digit/mark or an astral one). */
export function isWordAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  const k = classOf(c);
  if (k === C_WORD) return true;
  if (k === C_HIGH && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff && astralIsWord(text, i);
  }
  return false;
}

/** Whether the position `i` is inside a word (a word character, or a word-internal apostrophe, before it and after it). */
export function insideWord(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  if (!isWordAt(text, i)) return false;
  const p = text.charCodeAt(i - 1);
  if (p >= 0xdc00 && p <= 0xdfff && i >= 2) return isWordAt(text, i - 2);
  const k = classOf(p);
  if (k === C_WORD || k === C_IGNORABLE) return true;
  return k === C_APOS && i >= 2 && (isWordAt(text, i - 2) || (i >= 3 && isWordAt(text, i - 3) && classOf(text.charCodeAt(i - 2)) === C_HIGH));
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Hash of a normalised token string, as the tokeniser computes it while scanning. */
export function hashKey(key: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Multiplier that spreads a token hash over the bloom filter of a `TokenLookup`. */
const BLOOM_MUL = 0x9e3779b1 | 0;

/**
 * A vocabulary of token hashes. `bloom` has one bit per bucket (bucket of a hash:
 * `Math.imul(hash, BLOOM_MUL) >>> bloomShift`), set for every key, so most tokens in no name
 * are turned away without a call. `probe` gives the id of a key with that hash, or `-1`; a
 * hit may be a different text with the same hash: whoever uses the id compares the text with
 * the key.
 */
export interface TokenLookup {
  readonly bloom: Int32Array;
  readonly bloomShift: number;
  probe(hash: number, text: string, start: number, end: number): number;
}

const NO_BLOOM = new Int32Array(1);
const FLAG_WORD = 1;
const FLAG_POSSESSIVE = 2;
export { FLAG_WORD, FLAG_POSSESSIVE };
// Plain `const`s exported by name so that uses inside this module stay constants.
export { BLOOM_MUL, C_OTHER, C_WORD, C_SPACE, C_NEWLINE, C_CR, C_PARA, C_APOS, C_HYPHEN, C_IGNORABLE, C_HIGH, APOS, HYPHEN, GAP_NONE, GAP_SPACE, GAP_HARD };

/**
 * The tokeniser. Tokens go into a ring buffer of `size` slots (a power of two); token `n`
 * lives in slot `n & mask`. `fill(keepFrom)` produces tokens until the ring holds
 * `keepFrom + size` tokens or the text is used up, never overwriting tokens from `keepFrom`
 * on. With a vocabulary, each token's id (and its possessive base's id) is looked up as it
 * is produced, and a token that is in no name is dropped: the next token gets a hard gap
 * instead, so no name can run across it.
 */
export class TokenStream {
  readonly size: number;
  readonly mask: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly hash: Int32Array;
  readonly gap: Uint8Array;
  readonly flags: Uint8Array;
  /** Vocabulary id of the token, or -1. */
  readonly id: Int32Array;
  /** For `X's`: vocabulary id of `X`, or -1; and where `X` ends. */
  readonly baseId: Int32Array;
  readonly baseEnd: Int32Array;
  /** Number of tokens produced so far. */
  count = 0;

  private text = '';
  private pos = 0;
  /** Where `fill` stops: the end of the range, or before it (see `pauseAt`). */
  private limit = 0;
  private rangeEnd = 0;
  private pendingGap = 0;
  private newlines = 0;
  /** 0: nothing yet, 1: word, 2: hyphen straight after a word, 3: other punctuation. */
  private last = 0;
  /** What `wordTail` read: the hash so far, and the last word-internal apostrophe (-1: none) with the hash before it. */
  private tailHash = 0;
  private tailApos = -1;
  private tailAposHash = 0;

  constructor(
    minSize: number,
    private readonly vocab?: TokenLookup,
  ) {
    let size = 16;
    while (size < minSize) size *= 2;
    this.size = size;
    this.mask = size - 1;
    this.start = new Int32Array(size);
    this.end = new Int32Array(size);
    this.hash = new Int32Array(size);
    this.gap = new Uint8Array(size);
    this.flags = new Uint8Array(size);
    this.id = new Int32Array(size);
    this.baseId = new Int32Array(size);
    this.baseEnd = new Int32Array(size);
  }

  /**
   * Have `fill` stop at the first place at or after `at` between two tokens (or a token and a
   * space), where it can go on from as if it had not stopped, until this is called again: for
   * reading a range a step at a time. Without it, `fill` reads to the end of the range.
   */
  pauseAt(at: number): void {
    this.limit = Math.min(this.rangeEnd, Math.max(at, this.pos));
  }

  /** How far the text has been read: the tokens up to here are in the ring. */
  get readTo(): number {
    return this.pos;
  }

  /** Whether the range is read to its end (else `fill` stopped at `pauseAt`, or with the ring full). */
  get exhausted(): boolean {
    return this.pos >= this.rangeEnd;
  }

  /** Whether the next token will come after a hard gap: no name runs on to it. */
  get hardGapNext(): boolean {
    return this.pendingGap === GAP_HARD;
  }

  /**
   * Start tokenising `text[from, to)`. A word cut by `from` is skipped (it cannot be a whole
   * word); a word cut by `to` is read to its real end, so the caller can tell it overruns.
   */
  reset(text: string, from: number, to: number): void {
    this.text = text;
    this.limit = to;
    this.rangeEnd = to;
    this.count = 0;
    this.pendingGap = GAP_HARD;
    this.newlines = 0;
    this.last = 0;
    let p = from;
    if (insideWord(text, p)) {
      while (p < text.length) {
        const c = text.charCodeAt(p);
        const k = classOf(c);
        if (k === C_WORD || k === C_IGNORABLE || (k === C_APOS && isWordAt(text, p + 1))) p++;
        else if (k === C_HIGH && isWordAt(text, p)) p += 2;
        else break;
      }
    }
    this.pos = p;
  }

  /**
   * Produce tokens until `keepFrom + size` are held or the text is used up.
   *
   * The common case — a run of letters and digits, then a space — takes the short path: per
   * character, a plain ASCII letter or digit is folded by arithmetic, any other one with one
   * read of `SCAN`, and the hash takes one multiply. Anything else inside a word (an
   * apostrophe, an invisible joiner, a letter outside the BMP, a character not yet
   * classified) continues the word in `wordTail`. A word in no name is dropped after one
   * look at the bloom filter, and the space after it skipped with it.
   */
  fill(keepFrom: number): void {
    const text = this.text;
    const n = text.length;
    const limit = this.limit;
    const max = keepFrom + this.size;
    const mask = this.mask;
    const vocab = this.vocab;
    const bloom = vocab ? vocab.bloom : NO_BLOOM;
    const bloomShift = vocab ? vocab.bloomShift : 0;
    let pos = this.pos;
    let count = this.count;
    let pendingGap = this.pendingGap;
    let newlines = this.newlines;
    let last = this.last;
    while (count < max && pos < limit) {
      const c = text.charCodeAt(pos);
      let v = SCAN[c];
      if (v === S_SPACE) {
        if (pendingGap === GAP_NONE) pendingGap = GAP_SPACE;
        pos++;
        continue;
      }
      const start = pos;
      let h = FNV_OFFSET;
      let id = -1;
      let baseId = -1;
      let flags = FLAG_WORD;
      if (v >= 0 || (v === S_HIGH && pos + 1 < n && isWordAt(text, pos))) {
        // A word: letters, digits, marks, invisible joiners and word-internal apostrophes.
        // ASCII letters and digits are folded without the tables; anything else is looked up,
        // and the first character that is not a classified BMP letter or digit ends the run.
        let aposAt = -1;
        let aposHash = 0;
        let d = c;
        for (;;) {
          const l = d | 32;
          if (((l - 97) >>> 0) < 26) {
            h = Math.imul(h ^ l, FNV_PRIME);
          } else if (((d - 48) >>> 0) < 10) {
            h = Math.imul(h ^ d, FNV_PRIME);
          } else {
            v = SCAN[d];
            if (v < 0) break;
            h = Math.imul(h ^ v, FNV_PRIME);
          }
          if (++pos === n) break;
          d = text.charCodeAt(pos);
        }
        if (pos < n && (v === S_APOS || v === S_IGNORABLE || v === S_HIGH || v === S_UNKNOWN)) {
          // (`| 0`: keeps these small integers in registers, whatever the compiler guesses.)
          pos = this.wordTail(text, pos, h) | 0;
          h = this.tailHash | 0;
          aposAt = this.tailApos | 0;
          aposHash = this.tailAposHash | 0;
          v = S_UNKNOWN;
        }
        // "COVID- 19": a hyphen attached to the word before it joins the word after it.
        if (last === 2 && pendingGap === GAP_SPACE) pendingGap = GAP_NONE;
        last = 1;
        if (aposAt >= 0 && aposAt === pos - 2 && FOLD[text.charCodeAt(pos - 1)] === 115 /* s */) {
          flags = FLAG_WORD | FLAG_POSSESSIVE;
          if (vocab) baseId = vocab.probe(aposHash, text, start, aposAt) | 0;
          this.baseEnd[count & mask] = aposAt;
        }
        if (vocab) {
          const b = Math.imul(h, BLOOM_MUL) >>> bloomShift;
          if ((bloom[b >>> 5] & (1 << (b & 31))) !== 0) id = vocab.probe(h, text, start, pos) | 0;
          if (id < 0 && baseId < 0) {
            // Not part of any name: drop it, and let no name run across it.
            pendingGap = GAP_HARD;
            newlines = 0;
            // The space after it, if any, changes nothing.
            if (v === S_SPACE) pos++;
            continue;
          }
        }
      } else {
        if (v === S_NEWLINE || v === S_CR) {
          pos++;
          if (v === S_CR && pos < n && text.charCodeAt(pos) === 10) pos++;
          newlines++;
          pendingGap = newlines >= 2 ? GAP_HARD : pendingGap === GAP_HARD ? GAP_HARD : GAP_SPACE;
          continue;
        }
        if (v === S_PARA) {
          pendingGap = GAP_HARD;
          pos++;
          continue;
        }
        if (v === S_IGNORABLE) {
          pos++;
          continue;
        }
        if (v === S_UNKNOWN) {
          // First sight of this code unit: classify it and read it again.
          classifyUnit(c);
          continue;
        }
        // One punctuation character (a whole surrogate pair when there is one).
        let u = FOLD[c];
        if (v === S_HIGH && pos + 1 < n) {
          const d = text.charCodeAt(pos + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            h = Math.imul(h ^ c, FNV_PRIME);
            u = d;
            pos++;
          }
        }
        h = Math.imul(h ^ u, FNV_PRIME);
        pos++;
        flags = 0;
        last = v === S_HYPHEN && last === 1 && pendingGap === GAP_NONE ? 2 : 3;
        if (vocab) {
          const b = Math.imul(h, BLOOM_MUL) >>> bloomShift;
          if ((bloom[b >>> 5] & (1 << (b & 31))) !== 0) id = vocab.probe(h, text, start, pos) | 0;
          if (id < 0) {
            pendingGap = GAP_HARD;
            newlines = 0;
            continue;
          }
        }
      }
      const slot = count & mask;
      this.start[slot] = start;
      this.end[slot] = pos;
      this.hash[slot] = h;
      this.gap[slot] = pendingGap;
      this.flags[slot] = flags;
      this.id[slot] = id;
      this.baseId[slot] = baseId;
      count++;
      pendingGap = GAP_NONE;
      newlines = 0;
    }
    this.pos = pos;
    this.count = count;
    this.pendingGap = pendingGap;
    this.newlines = newlines;
    this.last = last;
  }

  /**
   * The rest of a word from `pos`, where something other than a classified BMP letter or
   * digit comes: returns where the word ends, and leaves the hash and the last
   * word-internal apostrophe in `tailHash`, `tailApos` and `tailAposHash`.
   */
  private wordTail(text: string, pos: number, h: number): number {
    const n = text.length;
    let aposAt = -1;
    let aposHash = 0;
    while (pos < n) {
      const d = text.charCodeAt(pos);
      let j = CLASS[d];
      if (j === C_WORD) {
        h = Math.imul(h ^ FOLD[d], FNV_PRIME);
        pos++;
        continue;
      }
      if (j === C_UNKNOWN) {
        j = classifyUnit(d);
        if (j === C_WORD) continue;
      }
      if (j === C_APOS) {
        if (!isWordAt(text, pos + 1)) break;
        aposAt = pos;
        aposHash = h;
        h = Math.imul(h ^ APOS, FNV_PRIME);
        pos++;
      } else if (j === C_IGNORABLE) {
        pos++;
      } else if (j === C_HIGH && pos + 1 < n && isWordAt(text, pos)) {
        h = Math.imul(h ^ d, FNV_PRIME);
        h = Math.imul(h ^ text.charCodeAt(pos + 1), FNV_PRIME);
        pos += 2;
      } else {
        break;
      }
    }
    this.tailHash = h;
    this.tailApos = aposAt;
    this.tailAposHash = aposHash;
    return pos;
  }
}

/**
 * Whether the text token `text[start, end)` normalises to `key` (`fold`: case-folded, else
 * only apostrophes and hyphens made plain).
 */
export function tokenEquals(text: string, start: number, end: number, key: string, fold: boolean): boolean {
  let n = 0;
  const kl = key.length;
  if (end - start < kl) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    let k = CLASS[c];
    if (k === C_UNKNOWN) k = classifyUnit(c);
    if (k === C_IGNORABLE) continue;
    const u = fold ? FOLD[c] : k === C_APOS ? APOS : k === C_HYPHEN ? HYPHEN : c;
    if (n >= kl || key.charCodeAt(n) !== u) return false;
    n++;
  }
  return n === kl;
}

/**
 * Like `tokenEquals`, against a key stored as `units[from, to)` (keys live in one array so a
 * check reads one stretch of memory).
 */
export function tokenEqualsUnits(text: string, start: number, end: number, units: Uint16Array, from: number, to: number): boolean {
  let n = from;
  if (end - start < to - from) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    let u = SCAN[c];
    if (u < 0) {
      if (u === S_UNKNOWN) classifyUnit(c);
      if (CLASS[c] === C_IGNORABLE) continue;
      u = FOLD[c];
    }
    if (n >= to || units[n] !== u) return false;
    n++;
  }
  return n === to;
}

/** A token of a name: its case-folded key, its case-kept form, and the gap before it. */
export interface NameToken {
  readonly key: string;
  readonly exact: string;
  readonly hash: number;
  readonly gap: number;
  readonly word: boolean;
}

/** Longest name, in tokens, the matcher accepts. Longer "names" are paragraphs, not names. */
export const MAX_NAME_TOKENS = 64;

function tokenText(text: string, start: number, end: number, fold: boolean): string {
  const units: number[] = [];
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const k = classOf(c);
    if (k === C_IGNORABLE) continue;
    units.push(fold ? FOLD[c] : k === C_APOS ? APOS : k === C_HYPHEN ? HYPHEN : c);
  }
  // One flat string (not a chain of concatenations): compared unit by unit on every match.
  return String.fromCharCode(...units);
}

let nameStream: TokenStream | undefined;

/**
 * The tokens of a name, or `undefined` when it cannot be matched: empty, only spaces or
 * punctuation (no letter or digit), or longer than `MAX_NAME_TOKENS` tokens.
 */
export function tokeniseName(name: string): NameToken[] | undefined {
  if (typeof name !== 'string' || name.length === 0) return undefined;
  const stream = (nameStream ??= new TokenStream(MAX_NAME_TOKENS * 2));
  stream.reset(name, 0, name.length);
  const out: NameToken[] = [];
  let words = 0;
  for (;;) {
    stream.fill(stream.count);
    const before = out.length;
    for (let t = before; t < stream.count; t++) {
      const s = t & stream.mask;
      const word = (stream.flags[s] & FLAG_WORD) !== 0;
      if (word) words++;
      out.push({
        key: tokenText(name, stream.start[s], stream.end[s], true),
        exact: tokenText(name, stream.start[s], stream.end[s], false),
        hash: stream.hash[s],
        gap: t === 0 ? GAP_NONE : stream.gap[s] === GAP_NONE ? GAP_NONE : GAP_SPACE,
        word,
      });
      if (out.length > MAX_NAME_TOKENS) return undefined;
    }
    if (out.length === before) break;
  }
  return words > 0 ? out : undefined;
}

/** Whether a name can be matched at all (see `tokeniseName`). */
export function isMatchableName(name: string): boolean {
  return tokeniseName(name) !== undefined;
}

/**
 * A name's normal form, for looking names up: tokens as the matcher sees them, joined by one
 * space where the text has a gap. `"Barnardo’s"` and `"barnardo's"` give the same key;
 * `caseSensitive` keeps the case (for acronyms). Empty for a name that cannot be matched.
 */
export function normaliseName(name: string, caseSensitive = false): string {
  const tokens = tokeniseName(name);
  if (!tokens) return '';
  let s = '';
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0 && tokens[i].gap !== GAP_NONE) s += ' ';
    s += caseSensitive ? tokens[i].exact : tokens[i].key;
  }
  return s;
}
