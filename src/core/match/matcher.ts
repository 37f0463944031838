/**
 * Finds mentions of knowledge-base names in text.
 *
 * Every name is cut into tokens by the tokeniser in `normalise.ts` and stored in a trie whose
 * edges are (token, gap before it). Scanning a text is one pass of the tokeniser, which hashes
 * each token as it reads it and looks the hash up in the vocabulary of name tokens; only a
 * token that can start a name starts a walk down the trie. The cost is linear in the text:
 * each token is read once, and a walk is at most `MAX_NAME_TOKENS` tokens long (and in
 * practice as long as the longest name sharing its first words).
 */
import type { Span } from '../types';
import {
  C_APOS,
  C_HIGH,
  C_IGNORABLE,
  C_OTHER,
  C_SPACE,
  C_WORD,
  BLOOM_MUL,
  GAP_HARD as HARD,
  MAX_NAME_TOKENS,
  TokenStream,
  classOf,
  foldUnit,
  isWordAt,
  plainUnit,
  tokenEquals,
  tokenEqualsUnits,
  tokeniseName,
  type NameToken,
  type TokenLookup,
} from './normalise';
import { runToEnd, type Steps } from '../steps';

export type NameKind = 'name' | 'alias' | 'acronym' | 'former' | 'former-acronym';

/** One name of one entity, as the matcher is given it. */
export interface NameEntry {
  readonly entityId: string;
  /** The name as the fact file writes it. */
  readonly name: string;
  readonly kind: NameKind;
  /** True for acronyms: `SEND` must not match "send". */
  readonly caseSensitive: boolean;
}

/** A name found in a text. */
export interface Mention extends Span {
  readonly entityId: string;
  /** `NameEntry.name` that matched. */
  readonly name: string;
  readonly nameKind: NameKind;
  /** Exactly as written in the text (`text.slice(start, end)`). */
  readonly text: string;
  /** Other entities sharing exactly this name, if any. */
  readonly alsoEntityIds?: readonly string[];
}

/** Which entry wins when several entities share a name: current names before former ones. */
const KIND_RANK: Record<NameKind, number> = { name: 0, acronym: 1, alias: 2, former: 3, 'former-acronym': 4 };

interface Entry {
  readonly entityId: string;
  readonly name: string;
  readonly kind: NameKind;
  readonly caseSensitive: boolean;
  /** Case-kept tokens, compared for case-sensitive names. */
  readonly exact: readonly string[];
  /** A case-sensitive name in capitals only (`SEND`), subject to the shouting rule. */
  readonly capitals: boolean;
  readonly rank: number;
  readonly order: number;
}

const NO_CHILD = -1;
/** Numbers per node in `Matcher.nodeInfo`. */
const NI = 4;
/** `Matcher.nodeInfo` flags: every name ending at the node is case-sensitive; the node has two or more children. */
const NODE_ALL_EXACT = 1;
const NODE_MANY = 2;
/** Entry flags: case-sensitive; and in capitals only (`SEND`), subject to the shouting rule. */
const ENTRY_CASE = 1;
const ENTRY_CAPITALS = 2;
/** Case-insensitive entries need not keep their case-kept tokens. */
const NO_TOKENS: readonly string[] = [];
/** How many names are added between the pauses of `Matcher.buildInSteps`. */
const STEP_NAMES = 2000;
/** Passed by `Matcher.buildInSteps` to a constructor that is to build nothing yet. */
const DEFERRED: unique symbol = Symbol('deferred');

/** How much further a scan told to pause reads at a time, to see whether a name runs on. */
const PAUSE_READ_ON = 64;

/** Module-level copy, so the scanning loop reads a constant. */
const GAP_HARD: number = HARD;

/**
 * The vocabulary of name tokens: hash → id. Most tokens of a text are in no name, so a small
 * bit set (one bit per hash bucket, a few hundred KB at most, so it stays in cache) turns
 * them away before the table is read. When two keys share a hash, lookups of either compare
 * the text with the key; otherwise a hit is only as good as the hash, and the matcher
 * compares the text with the key before it reports a mention.
 */
class Vocabulary implements TokenLookup {
  /** The keys, while names are being added (dropped once sealed: `units` holds them). */
  private keys: string[] = [];
  private count = 0;
  /** Every key's code units, one after the other; key `id` is `units[start[id], start[id + 1])`. */
  units = new Uint16Array(0);
  start = new Int32Array(1);
  private ids = new Map<string, number>();
  private hashes: number[] = [];
  /** Slot i: the key's hash at 2i, at 2i + 1 its id + 1, negated when another key has the same hash (0: empty). */
  private table = new Int32Array(2);
  private tableShift = 31;
  bloom = new Int32Array(1);
  bloomShift = 27;

  add(token: NameToken): number {
    let id = this.ids.get(token.key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(token.key, id);
      this.keys.push(token.key);
      this.hashes.push(token.hash);
    }
    return id;
  }

  get size(): number {
    return this.count;
  }

  /** Build the lookup structures once every key is in. */
  seal(): void {
    const count = this.keys.length;
    let total = 0;
    this.start = new Int32Array(count + 1);
    for (let id = 0; id < count; id++) {
      this.start[id] = total;
      total += this.keys[id].length;
    }
    this.start[count] = total;
    this.units = new Uint16Array(total);
    for (let id = 0; id < count; id++) {
      const key = this.keys[id];
      for (let k = 0; k < key.length; k++) this.units[this.start[id] + k] = key.charCodeAt(k);
    }

    let bloomBits = 11;
    while (bloomBits < 23 && 1 << bloomBits < count * 32) bloomBits++;
    this.bloomShift = 32 - bloomBits;
    this.bloom = new Int32Array(1 << (bloomBits - 5));

    let tableBits = 2;
    while (1 << tableBits < count * 2) tableBits++;
    this.tableShift = 32 - tableBits;
    const slots = 1 << tableBits;
    const table = new Int32Array(slots * 2);
    for (let id = 0; id < count; id++) {
      const hash = this.hashes[id];
      const b = Math.imul(hash, BLOOM_MUL) >>> this.bloomShift;
      this.bloom[b >>> 5] |= 1 << (b & 31);
      let shared = false;
      let i = Math.imul(hash, 0x85ebca6b) >>> this.tableShift;
      while (table[i * 2 + 1] !== 0) {
        if (table[i * 2] === hash) {
          shared = true;
          if (table[i * 2 + 1] > 0) table[i * 2 + 1] = -table[i * 2 + 1];
        }
        i = (i + 1) & (slots - 1);
      }
      table[i * 2] = hash;
      table[i * 2 + 1] = shared ? -(id + 1) : id + 1;
    }
    this.table = table;
    this.count = count;
    // Only the typed arrays are needed from now on.
    this.keys = [];
    this.ids = new Map();
    this.hashes = [];
  }

  /** The id of a key with this hash (the text compared with the key when several share it), or -1. */
  probe(hash: number, text: string, start: number, end: number): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let i = (Math.imul(hash, 0x85ebca6b) >>> this.tableShift) | 0;
    for (;;) {
      const v = table[i * 2 + 1];
      if (v === 0) return -1;
      if (table[i * 2] === hash) {
        if (v > 0) return v - 1;
        if (this.equals(-v - 1, text, start, end)) return -v - 1;
      }
      i = (i + 1) & mask;
    }
  }

  /** Whether the text token `text[start, end)` is key `id`. */
  equals(id: number, text: string, start: number, end: number): boolean {
    return tokenEqualsUnits(text, start, end, this.units, this.start[id], this.start[id + 1]);
  }
}

/**
 * The mention matcher for one list of names, built once and reused for every text.
 *
 * Rules:
 * - **Leftmost, then longest**: at each place the longest name that matches wins, and the
 *   scan continues after it, so "Adoption Support Fund COVID-19 Scheme" is one mention and
 *   never also "Adoption Support Fund". Mentions never overlap.
 * - **Whole words only**: a name matches whole tokens (see `normalise.ts`), never the inside
 *   of a word.
 * - Names, aliases and former names match **ignoring case**; acronyms (`caseSensitive`)
 *   match only as written, so `SEND` does not match "send" or "Send", nor `LA` "la".
 * - Apostrophe variants, Unicode spaces, line breaks (not blank lines), hyphen variants and
 *   `COVID- 19` spacing are equivalent to their plain forms.
 * - **Possessives**: `DfE's`, `NSPCC’s` match `DfE` and `NSPCC`, the mention ending before
 *   the `'s`; a plural possessive (`Partners in Practice’`) matches without the apostrophe.
 *   A name that itself ends in `'s` (`Barnardo's`) matches with either apostrophe, and
 *   `Barnardo's's` matches `Barnardo's`.
 * - **Shouting**: an acronym written in capitals only (`SEND`, `LA`) is not reported when
 *   the word right before or after it, on the same line and separated only by spaces, is
 *   another all-capitals word of two or more letters that is not itself a known acronym —
 *   that is text in capitals ("WE SEND OUR THANKS", "SEND REVIEW"), where an acronym cannot
 *   be told from an ordinary word. An acronym standing alone (a heading "SEND"), next to
 *   ordinary words ("the SEND review"), next to other acronyms ("NHS SEND") or in a list
 *   ("DfE, NCB, NSPCC") is reported. Mixed-case acronyms (`DfE`) are never affected.
 * - Several entities sharing a name give one mention: the first by kind (name, acronym,
 *   alias, former name, former acronym), then by input order; the others in `alsoEntityIds`.
 *
 * Names that cannot be matched are left out: empty ones, ones with no letter or digit, and
 * ones longer than `MAX_NAME_TOKENS` tokens (see `isMatchableName`).
 */
export class Matcher {
  /** Number of distinct names (case-folded, or as written for acronyms). */
  get size(): number {
    return this.sizeValue;
  }

  private sizeValue = 0;

  private readonly vocab = new Vocabulary();
  /** Node of the one-token name path starting with each vocabulary key, or `NO_CHILD`. */
  private rootChild!: Int32Array;
  /**
   * The other edges of nodes with two or more children, open addressing, three numbers a
   * slot: parent node (-1: empty), symbol, child. While building: every edge.
   */
  private edges!: Int32Array;
  private edgeShift!: number;
  /** Number of slots of `edges` minus one. */
  private edgeMask!: number;
  /**
   * `NI` numbers a node, so that a step down the trie reads one place (16 bytes):
   * - its first entry (-1: no name ends here; the entries run to `groupEnd[node]`);
   * - flags (`NODE_*`) in the low byte; above them, plus one, the code unit every name here
   *   starts with when all are case-sensitive and start with the same ASCII letter or digit
   *   (so "in" is turned away from `IN` without a closer look), else 0;
   * - for a node with one child (most are: names share their first words, rarely their
   *   last), that child's symbol and node (-1, -1 otherwise).
   */
  private nodeInfo!: Int32Array;
  private groupEnd!: Int32Array;
  /** The entries of every terminal node, node by node. Three strings an entry, read together: entity id, name, kind. */
  private readonly entryData: string[] = [];
  /** Case-kept tokens of case-sensitive entries (empty for the others). */
  private readonly entryExact: (readonly string[])[] = [];
  private entryFlags!: Uint8Array;
  private readonly capitalsNames = new Set<string>();
  /** For each punctuation mark that is a token of a name: the tokens that follow it in names. */
  private readonly afterMarks = new Map<string, Set<string>>();
  private stream!: TokenStream;
  /** The stream `scan` reads (its own for `findInSteps`), for `evaluate`. */
  private active!: TokenStream;
  private cand!: Int32Array;

  constructor(names: readonly NameEntry[], deferred?: typeof DEFERRED) {
    if (deferred !== DEFERRED) runToEnd(this.build(names));
  }

  /**
   * `new Matcher(names)` a piece at a time: the generator stops after every few thousand names
   * (a few milliseconds of work) and returns the matcher at its end, the same as the constructor
   * makes. A caller with other work to do can pause between pieces.
   */
  static *buildInSteps(names: readonly NameEntry[]): Steps<Matcher> {
    const matcher = new Matcher(names, DEFERRED);
    yield* matcher.build(names);
    return matcher;
  }

  private *build(names: readonly NameEntry[]): Steps<void> {
    const prepared: { entry: NameEntry; tokens: NameToken[]; syms: number[] }[] = [];
    const list = Array.isArray(names) ? names : [];
    for (let at = 0; at < list.length; at++) {
      if (at % STEP_NAMES === STEP_NAMES - 1) yield;
      const entry = list[at];
      if (!entry || typeof entry.name !== 'string' || typeof entry.entityId !== 'string') continue;
      const tokens = tokeniseName(entry.name);
      if (!tokens) continue;
      prepared.push({ entry, tokens, syms: tokens.map((t) => this.vocab.add(t)) });
      for (let t = 0; t + 1 < tokens.length; t++) {
        const key = tokens[t].key;
        if (key.length !== 1 || !isMarkUnit(key.charCodeAt(0))) continue;
        let followers = this.afterMarks.get(key);
        if (!followers) this.afterMarks.set(key, (followers = new Set()));
        followers.add(tokens[t + 1].key);
      }
    }
    this.vocab.seal();
    const vocabSize = this.vocab.size;

    // The trie: node 0 is the root; first tokens go through `rootChild`, the rest through `edges`.
    this.rootChild = new Int32Array(vocabSize).fill(NO_CHILD);
    let nodes = 1;
    let edgeSlots = 1 << 10;
    this.edgeShift = 32 - 10;
    this.edgeMask = edgeSlots - 1;
    this.edges = new Int32Array(edgeSlots * 3).fill(-1);
    let edgeCount = 0;
    const terminalOf: number[] = [];
    const groupOfNode = new Map<number, Entry[]>();
    let distinct = 0;
    let order = 0;
    for (let at = 0; at < prepared.length; at++) {
      if (at % STEP_NAMES === STEP_NAMES - 1) yield;
      const { entry, tokens, syms } = prepared[at];
      let node = this.rootChild[syms[0]];
      if (node === NO_CHILD) {
        node = nodes++;
        this.rootChild[syms[0]] = node;
      }
      for (let k = 1; k < tokens.length; k++) {
        const sym = syms[k] * 2 + tokens[k].gap;
        let next = this.buildChild(node, sym);
        if (next === NO_CHILD) {
          next = nodes++;
          // Keep the load under a half.
          if (++edgeCount * 2 > edgeSlots) edgeSlots = this.grow();
          this.insertEdge(node, sym, next);
        }
        node = next;
      }
      const cs = entry.caseSensitive === true;
      // Share the fact file's string when the name is a single token written plainly ("NSPCC").
      const exact = tokens.length === 1 && tokens[0].exact === entry.name ? [entry.name] : tokens.map((t) => t.exact);
      const kind: NameKind = entry.kind in KIND_RANK ? entry.kind : cs ? 'acronym' : 'alias';
      let g = groupOfNode.get(node);
      // Distinct names: a node for names ignoring case; each different spelling for acronyms.
      if (cs ? !g?.some((e) => e.caseSensitive && sameTokens(e.exact, exact)) : !g?.some((e) => !e.caseSensitive)) distinct++;
      if (g?.some((e) => e.entityId === entry.entityId && e.kind === kind && e.caseSensitive === cs && (!cs || sameTokens(e.exact, exact)))) continue;
      const capitals = cs && entry.name === entry.name.toUpperCase() && entry.name !== entry.name.toLowerCase();
      if (cs && tokens.length === 1) this.capitalsNames.add(exact[0]);
      if (!g) {
        g = [];
        groupOfNode.set(node, g);
        terminalOf.push(node);
      }
      g.push({ entityId: entry.entityId, name: entry.name, kind, caseSensitive: cs, exact: cs ? exact : NO_TOKENS, capitals, rank: KIND_RANK[kind], order: order++ });
    }
    this.sizeValue = distinct;
    yield;

    const info = new Int32Array(nodes * NI).fill(-1);
    for (let n = 0; n < nodes; n++) info[n * NI + 1] = 0;
    const groupEnd = new Int32Array(nodes);
    // A node's only edge goes into the node; the edges of nodes with more stay in the table.
    const all = this.edges;
    const children = new Int32Array(nodes);
    for (let e = 0; e < all.length; e += 3) if (all[e] !== -1) children[all[e]]++;
    let many = 0;
    for (let e = 0; e < all.length; e += 3) {
      const node = all[e];
      if (node === -1) continue;
      if (children[node] === 1) {
        info[node * NI + 2] = all[e + 1];
        info[node * NI + 3] = all[e + 2];
      } else {
        info[node * NI + 1] |= NODE_MANY;
        many++;
      }
    }
    let bits = 2;
    while (1 << bits < many * 2) bits++;
    this.edgeShift = 32 - bits;
    this.edgeMask = (1 << bits) - 1;
    this.edges = new Int32Array((1 << bits) * 3).fill(-1);
    for (let e = 0; e < all.length; e += 3) if (all[e] !== -1 && children[all[e]] > 1) this.insertEdge(all[e], all[e + 1], all[e + 2]);
    const flags: number[] = [];
    for (const node of terminalOf) {
      const g = groupOfNode.get(node)!;
      g.sort((a, b) => a.rank - b.rank || a.order - b.order);
      info[node * NI] = flags.length;
      for (const e of g) {
        this.entryData.push(e.entityId, e.name, e.kind);
        this.entryExact.push(e.exact);
        flags.push((e.caseSensitive ? ENTRY_CASE : 0) | (e.capitals ? ENTRY_CAPITALS : 0));
      }
      groupEnd[node] = flags.length;
      const first = g[0].caseSensitive ? g[0].exact[0].charCodeAt(0) : -1;
      const asciiWord = (first >= 48 && first <= 57) || (first >= 65 && first <= 90) || (first >= 97 && first <= 122);
      if (asciiWord && g.every((e) => e.caseSensitive && e.exact[0].charCodeAt(0) === first)) info[node * NI + 1] |= (first + 1) << 8;
      if (g.every((e) => e.caseSensitive)) info[node * NI + 1] |= NODE_ALL_EXACT;
    }
    this.nodeInfo = info;
    this.groupEnd = groupEnd;
    this.entryFlags = Uint8Array.from(flags);

    this.stream = new TokenStream(Math.max(256, MAX_NAME_TOKENS * 2 + 4), this.vocab);
    this.cand = new Int32Array((MAX_NAME_TOKENS + 2) * 2 * 3);
    }

  private insertEdge(node: number, sym: number, child: number): void {
    const edges = this.edges;
    const mask = this.edgeMask;
    // (`| 0`: the slot stays a small integer; `>>>` alone makes a number the compiler may keep as a double.)
    let i = (Math.imul(node ^ Math.imul(sym, 0x85ebca6b), 0x9e3779b1) >>> this.edgeShift) | 0;
    while (edges[i * 3] !== -1) i = (i + 1) & mask;
    edges[i * 3] = node;
    edges[i * 3 + 1] = sym;
    edges[i * 3 + 2] = child;
  }

  /** Double the edge table; returns the new number of slots. */
  private grow(): number {
    const old = this.edges;
    this.edgeShift--;
    this.edgeMask = this.edgeMask * 2 + 1;
    this.edges = new Int32Array(old.length * 2).fill(-1);
    for (let i = 0; i < old.length; i += 3) if (old[i] !== -1) this.insertEdge(old[i], old[i + 1], old[i + 2]);
    return this.edges.length / 3;
  }

  /** The child of `node` by `sym`, or `NO_CHILD`. */
  private child(node: number, sym: number): number {
    const info = this.nodeInfo;
    const o = node * NI;
    if (info[o + 2] === sym) return info[o + 3];
    if ((info[o + 1] & NODE_MANY) === 0) return NO_CHILD;
    return this.buildChild(node, sym);
  }

  /** The child of `node` by `sym` in the edge table, or `NO_CHILD`. */
  private buildChild(node: number, sym: number): number {
    const edges = this.edges;
    const mask = this.edgeMask;
    let i = (Math.imul(node ^ Math.imul(sym, 0x85ebca6b), 0x9e3779b1) >>> this.edgeShift) | 0;
    for (;;) {
      const n = edges[i * 3];
      if (n === node && edges[i * 3 + 1] === sym) return edges[i * 3 + 2];
      if (n === -1) return NO_CHILD;
      i = (i + 1) & mask;
    }
  }

  /**
   * Whether a name may run on from the punctuation mark at `mark` (a full stop ending a line,
   * say) to the token that starts at `next` (the next line's first): only if some name has that
   * mark followed by that token. When none has, no mention holds both, so none runs across.
   * When it cannot tell (a word the scan would read further than its letters), it says yes.
   */
  mayRunOn(text: string, mark: number, next: number): boolean {
    const c = text.charCodeAt(mark);
    if (!isMarkUnit(c)) return true;
    const followers = this.afterMarks.get(String.fromCharCode(foldUnit(c)));
    if (!followers) return false;
    const d = text.charCodeAt(next);
    if (classOf(d) !== C_WORD) return !isMarkUnit(d) || followers.has(String.fromCharCode(foldUnit(d)));
    let key = '';
    let i = next;
    for (; i < text.length && classOf(text.charCodeAt(i)) === C_WORD; i++) key += String.fromCharCode(foldUnit(text.charCodeAt(i)));
    // An apostrophe, an invisible joiner or a letter outside the BMP may continue the word.
    const k = i < text.length ? classOf(text.charCodeAt(i)) : C_OTHER;
    if (k === C_APOS || k === C_IGNORABLE || k === C_HIGH) return true;
    return followers.has(key);
  }

  /**
   * Every mention in `text[from, to)` (default: the whole text), sorted by start, never
   * overlapping. Words are judged whole against the whole text: a word cut by `from` or
   * `to` is not matched, and no name is matched across `from` or `to`. For results equal to
   * a scan of the whole text, cut at line or paragraph boundaries.
   */
  find(text: string, from?: number, to?: number): Mention[] {
    const range = this.rangeOf(text, from, to);
    if (!range) return [];
    const s = this.stream;
    s.reset(text, range[0], range[1]);
    const out: Mention[] = [];
    this.scan(s, text, range[1], out, 0);
    return out;
  }

  /**
   * `find` a piece at a time: the generator stops each time it has read about `stepChars` more
   * of the text, and returns the very same mentions at its end. For a long stretch that cannot
   * be cut into ranges (no place in it where a name certainly does not run on), read by a
   * caller with other work to do. Reads with its own tokeniser, so other calls may come between
   * its steps.
   * A step under one character (or not a number) means no pauses.
   */
  *findInSteps(text: string, from?: number, to?: number, stepChars = 16 * 1024): Steps<Mention[]> {
    const range = this.rangeOf(text, from, to);
    if (!range) return [];
    const s = new TokenStream(this.stream.size, this.vocab);
    s.reset(text, range[0], range[1]);
    const out: Mention[] = [];
    const step = stepChars >= 1 ? Math.floor(stepChars) : Number.POSITIVE_INFINITY;
    s.pauseAt(range[0] + step);
    for (let i = 0; ; ) {
      i = this.scan(s, text, range[1], out, i);
      if (i < 0) return out;
      yield;
      s.pauseAt(s.readTo + step);
    }
  }

  /** `[from, to)` clamped to the text, or undefined when there is nothing to read. */
  private rangeOf(text: string, from?: number, to?: number): [number, number] | undefined {
    if (typeof text !== 'string') return undefined;
    const n = text.length;
    const a = from === undefined || !(from >= 0) ? 0 : Math.min(Math.floor(from), n);
    const b = to === undefined || Number.isNaN(to) ? n : Math.max(0, Math.min(Math.floor(to), n));
    if (a >= b || this.entryFlags.length === 0) return undefined;
    return [a, b];
  }

  /**
   * The scan of `find`, from token `i` of the stream `s` (reset for the text up to `b`): adds
   * the mentions found to `out`, and returns -1 at the end of the range; or, where the stream
   * has been told to pause (`TokenStream.pauseAt`), the index of the token to go on from.
   */
  private scan(s: TokenStream, text: string, b: number, out: Mention[], i: number): number {
    this.active = s;
    const mask = s.mask;
    const ids = s.id;
    const baseIds = s.baseId;
    const gaps = s.gap;
    const rootChild = this.rootChild;
    const info = this.nodeInfo;
    const cand = this.cand;
    for (;;) {
      if (i >= s.count) {
        s.fill(i);
        if (i >= s.count) return s.exhausted ? -1 : i;
      }
      let slot = i & mask;
      const id0 = ids[slot];
      const base0 = baseIds[slot];
      let node = id0 >= 0 ? rootChild[id0] : NO_CHILD;
      const nodeB = base0 >= 0 ? rootChild[base0] : NO_CHILD;
      if (node === NO_CHILD && nodeB === NO_CHILD) {
        i++;
        continue;
      }
      // Walk the trie from token i, noting every name that ends on the way (candidates:
      // node, last token, whether that token counts without its `'s`).
      let nc = 0;
      if (nodeB !== NO_CHILD && info[nodeB * NI] >= 0) {
        cand[nc++] = nodeB;
        cand[nc++] = i;
        cand[nc++] = 1;
      }
      if (node !== NO_CHILD && info[node * NI] >= 0) {
        cand[nc++] = node;
        cand[nc++] = i;
        cand[nc++] = 0;
      }
      let j = i;
      while (node !== NO_CHILD) {
        j++;
        if (j >= s.count) {
          s.fill(i);
          // Paused before the next token: read on to it, unless no name can run on to it.
          while (j >= s.count && !s.exhausted && !s.hardGapNext) {
            s.pauseAt(s.readTo + PAUSE_READ_ON);
            s.fill(i);
          }
          if (j >= s.count) break;
        }
        slot = j & mask;
        const g = gaps[slot];
        if (g === GAP_HARD) break;
        const bid = baseIds[slot];
        if (bid >= 0) {
          const nb = this.child(node, bid * 2 + g);
          if (nb !== NO_CHILD && info[nb * NI] >= 0) {
            cand[nc++] = nb;
            cand[nc++] = j;
            cand[nc++] = 1;
          }
        }
        const id = ids[slot];
        if (id < 0) break;
        node = this.child(node, id * 2 + g);
        if (node !== NO_CHILD && info[node * NI] >= 0) {
          cand[nc++] = node;
          cand[nc++] = j;
          cand[nc++] = 0;
        }
      }
      // The longest candidate that holds wins.
      let found: Mention | undefined;
      let last = i;
      for (let c = nc - 3; c >= 0 && !found; c -= 3) {
        found = this.evaluate(text, b, i, cand[c + 1], cand[c + 2] === 1, cand[c]);
        last = cand[c + 1];
      }
      if (found) {
        out.push(found);
        i = last + 1;
      } else {
        i++;
      }
    }
  }

  /** Turn a candidate (tokens `i..j`, the last one possibly without its `'s`) into a mention, if it holds. */
  private evaluate(text: string, to: number, i: number, j: number, base: boolean, node: number): Mention | undefined {
    const s = this.active;
    const mask = s.mask;
    const lastSlot = j & mask;
    const end = base ? s.baseEnd[lastSlot] : s.end[lastSlot];
    if (end > to) return undefined;
    const info = this.nodeInfo;
    const o = node * NI;
    const start = s.start[i & mask];
    const meta = info[o + 1];
    const exactFirst = (meta >> 8) - 1;
    if (exactFirst >= 0 && text.charCodeAt(start) !== exactFirst) return undefined;
    // The usual case: the text is written exactly as the first name here. That is every check
    // at once (the same characters make the same tokens), in one native comparison.
    const data = this.entryData;
    const first = info[o];
    const name0 = data[first * 3 + 1];
    const asWritten = end - start === name0.length && text.startsWith(name0, start);
    // Otherwise: a token id is only as good as its hash, so compare the text with the keys. Not
    // needed when every name here is case-sensitive: matching one as written implies matching
    // its keys.
    if (!asWritten && (meta & NODE_ALL_EXACT) === 0) {
      const vocab = this.vocab;
      for (let k = i; k <= j; k++) {
        const slot = k & mask;
        const asBase = base && k === j;
        const id = asBase ? s.baseId[slot] : s.id[slot];
        if (!vocab.equals(id, text, s.start[slot], asBase ? s.baseEnd[slot] : s.end[slot])) return undefined;
      }
    }
    const entryFlags = this.entryFlags;
    let primary = -1;
    let also: string[] | undefined;
    let anyLoose = false;
    for (let x = first, last = this.groupEnd[node]; x < last; x++) {
      const f = entryFlags[x];
      if ((f & ENTRY_CASE) !== 0 && !(asWritten && data[x * 3 + 1] === name0) && !this.exactly(text, i, j, base, this.entryExact[x])) continue;
      if ((f & ENTRY_CAPITALS) === 0) anyLoose = true;
      if (primary < 0) primary = x;
      else {
        const entity = data[x * 3];
        if (entity !== data[primary * 3] && !(also ??= []).includes(entity)) also.push(entity);
      }
    }
    if (primary < 0) return undefined;
    if (!anyLoose && this.shouting(text, start, s.end[lastSlot])) return undefined;
    const p = primary * 3;
    const entityId = data[p];
    const name = data[p + 1];
    const nameKind = data[p + 2] as NameKind;
    const written = asWritten ? name0 : text.slice(start, end);
    // Two object literals, so every mention has one of two shapes and code reading them stays fast.
    if (also) return { start, end, entityId, name, nameKind, text: written, alsoEntityIds: also };
    return { start, end, entityId, name, nameKind, text: written };
  }

  /** Whether tokens `i..j` are written exactly as `exact` (apostrophe and hyphen variants aside). */
  private exactly(text: string, i: number, j: number, base: boolean, exact: readonly string[]): boolean {
    const s = this.active;
    for (let k = i; k <= j; k++) {
      const slot = k & s.mask;
      const end = base && k === j ? s.baseEnd[slot] : s.end[slot];
      if (!tokenEquals(text, s.start[slot], end, exact[k - i], false)) return false;
    }
    return true;
  }

  /** Whether the words around `text[start, end)` show it is text in capitals (see the class comment). */
  private shouting(text: string, start: number, end: number): boolean {
    // Word before: at least one space, nothing else, then a word.
    let p = start - 1;
    while (p >= 0 && classOf(text.charCodeAt(p)) === C_SPACE) p--;
    if (p < start - 1 && p >= 0 && isUpperUnit(text.charCodeAt(p))) {
      let q = p;
      while (q >= 0 && isWordish(text, q)) q--;
      if (this.isCapitalsWord(text, q + 1, p + 1)) return true;
    }
    let e = end;
    while (e < text.length && classOf(text.charCodeAt(e)) === C_SPACE) e++;
    if (e > end && e < text.length && isUpperUnit(text.charCodeAt(e))) {
      let q = e;
      while (q < text.length && isWordish(text, q)) q++;
      if (this.isCapitalsWord(text, e, q)) return true;
    }
    return false;
  }

  /** `text[start, end)` has two or more letters, none lower case, and is not a known acronym. */
  private isCapitalsWord(text: string, start: number, end: number): boolean {
    if (end - start < 2) return false;
    let letters = 0;
    for (let k = start; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c < 128) {
        if (c >= 97 && c <= 122) return false;
        if (c >= 65 && c <= 90) letters++;
      } else {
        const ch = text[k];
        const lower = ch.toLowerCase();
        if (lower === ch.toUpperCase()) continue;
        if (ch === lower) return false;
        letters++;
      }
    }
    if (letters < 2) return false;
    let plain = '';
    for (let k = start; k < end; k++) plain += String.fromCharCode(plainUnit(text.charCodeAt(k)));
    if (this.capitalsNames.has(plain)) return false;
    // "NSPCC'S": a known acronym with a possessive is not shouting either.
    return !(plain.endsWith("'S") && this.capitalsNames.has(plain.slice(0, -2)));
  }
}

/** A punctuation mark that is a token of its own (not a word character, space, apostrophe, hyphen or half a surrogate pair). */
function isMarkUnit(c: number): boolean {
  return classOf(c) === C_OTHER && !(c >= 0xd800 && c <= 0xdfff);
}

/** A code unit that is not lower case (a quick test before reading a whole word). */
function isUpperUnit(c: number): boolean {
  return c < 97 || c > 122;
}

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** A code unit that can be part of a word, for reading the words around a mention. */
function isWordish(text: string, i: number): boolean {
  const k = classOf(text.charCodeAt(i));
  if (k === C_WORD || k === C_IGNORABLE || k === C_APOS) return true;
  if (k === C_HIGH) return isWordAt(text, i);
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff && i > 0 && isWordAt(text, i - 1);
}
