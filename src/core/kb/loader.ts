/**
 * Fact-file loader: YAML text in, validated entries with exact source ranges out.
 *
 * Loading never throws and never drops good data because of bad data. Each entry of
 * `sources` and `entities` is validated on its own; an invalid entry becomes a problem at the
 * line and column of the offending field and the rest of the file still loads. YAML syntax
 * errors only take out the entries they fall inside.
 *
 * A fact file laid out the usual way (the `sources:` and `entities:` keys at the start of a
 * line, each followed by its list) is parsed one list item at a time, which is much faster and
 * lighter for large files than parsing the whole document at once. Anything else, and any file
 * whose items do not each parse cleanly on their own (a syntax error, an alias), is parsed as
 * one document, so every problem is reported exactly as YAML sees it in the whole file.
 */
import {
  Composer,
  type CST,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  type Node as YamlNode,
  parseDocument,
  Parser,
  type YAMLMap,
} from 'yaml';
import type { z } from 'zod';
import { parseFigure, normaliseNoun } from '../figures/parse';
import { RULES, type RuleId } from '../rules';
import { LineIndex } from '../text/lineIndex';
import type { Position, Range } from '../types';
import { type Entity, type Fact, type FormerName, type KbProblem, type Layer, type LoadedFactFile, type Origin, type Relation, type Source, NO_ORIGINS, NO_STRINGS, ownString, textOrigin } from './model';
import { entitySchema, type EntityInput, type SourceInput, type SourceRef, sourceSchema } from './schema';
import { runToEnd, type Steps } from '../steps';

/** Files larger than this are refused with a clear message instead of being parsed. */
export const MAX_FACT_FILE_CHARS = 20 * 1024 * 1024;
/** YAML aliases allowed per entry: enough for real reuse, far too few for an alias bomb. */
const MAX_ALIAS_COUNT = 100;

/** How every fact file is read as YAML. Exported for the tests. */
export const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false, logLevel: 'error' } as const;

type NodeRange = [number, number, number];

class FileContext {
  readonly problems: KbProblem[] = [];
  readonly lines: LineIndex;
  /** Where the text the YAML parser read starts in the file: node offsets are relative to it. */
  base = 0;
  private readonly strings = new Map<string, string>();
  private readonly refs = new Map<string, SourceRef>();
  private readonly lists = new Map<string, readonly string[]>();

  constructor(
    readonly uri: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  position(offset: number): Position {
    return this.lines.positionAt(this.base + offset);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  origin(node: YamlNode | null | undefined, fallback: number = 0): Origin {
    const r = node?.range as NodeRange | undefined;
    const start = this.position(r ? r[0] : fallback);
    const end = r ? this.position(Math.max(r[0], r[1])) : start;
    return textOrigin(this.uri, start.line, start.character, end.line, end.character);
  }

  report(code: RuleId, message: string, start: number, end: number): void {
    const severity = RULES[code].defaultSeverity;
    this.problems.push({
      code,
      severity: severity === 'off' ? 'hint' : severity,
      message,
      uri: this.uri,
      range: this.range(start, end),
    });
  }

  /**
   * The string to keep: one copy of each value per file, stored on its own. Strings from the
   * YAML parser are often slices of the file's text or chains of small pieces, and keeping one
   * would keep the whole text alive.
   */
  str(s: string): string {
    let kept = this.strings.get(s);
    if (kept === undefined) {
      kept = ownString(s);
      this.strings.set(kept, kept);
    }
    return kept;
  }

  strOpt(s: string | undefined): string | undefined {
    return s === undefined ? undefined : this.str(s);
  }

  /** A list of strings to keep; equal lists (most entries cite the same sources) are one frozen list. */
  strs(list: readonly string[] | undefined): readonly string[] {
    if (!list || list.length === 0) return NO_STRINGS;
    const key = JSON.stringify(list);
    let kept = this.lists.get(key);
    if (!kept) {
      kept = Object.freeze(list.map((s) => this.str(s)));
      this.lists.set(key, kept);
    }
    return kept;
  }

  /** Equal source references (same source, line and section) are one object. */
  sourceRef(ref: SourceRef): SourceRef;
  sourceRef(ref: SourceRef | undefined): SourceRef | undefined;
  sourceRef(ref: SourceRef | undefined): SourceRef | undefined {
    if (!ref) return undefined;
    const key = `${ref.source}\u0000${ref.line ?? ''}\u0000${ref.section ?? '\u0001'}`;
    let kept = this.refs.get(key);
    if (!kept) {
      // The validated object itself, so its fields stay as they were.
      const r = ref as { source: string; section?: string };
      r.source = this.str(r.source);
      if (r.section !== undefined) r.section = this.str(r.section);
      kept = ref;
      this.refs.set(key, kept);
    }
    return kept;
  }
}

/**
 * Parse one fact file. `uri` is only used to label ranges and problems; `layer` says whether
 * it is bundled with the product or the user's own.
 */
export function parseFactFile(text: string, uri: string, layer: Layer = 'workspace'): LoadedFactFile {
  return runToEnd(parseSteps(text, uri, layer, true));
}

/**
 * `parseFactFile` a piece at a time: the generator stops after every few list items (a few
 * milliseconds of work), and returns the very same loaded file at its end. A caller with other
 * work to do (an editor answering hovers while a large fact file loads) can pause between
 * pieces; one that cannot simply runs it to the end, as `parseFactFile` does.
 */
export function parseFactFileInSteps(text: string, uri: string, layer: Layer = 'workspace'): Steps<LoadedFactFile> {
  return parseSteps(text, uri, layer, true);
}

/**
 * Parse one fact file always as one YAML document, never item by item. What `parseFactFile`
 * gives must be exactly this; the tests compare the two.
 */
export function parseFactFileAsOneDocument(text: string, uri: string, layer: Layer = 'workspace'): LoadedFactFile {
  return runToEnd(parseSteps(text, uri, layer, false));
}

function* parseSteps(text: string, uri: string, layer: Layer, byItem: boolean): Steps<LoadedFactFile> {
  let ctx = new FileContext(uri, text);
  const sources: Source[] = [];
  const entities: Entity[] = [];
  if (text.length > MAX_FACT_FILE_CHARS) {
    ctx.report(
      'kb.file-too-large',
      `This fact file is ${(text.length / 1048576).toFixed(1)} MB; fact files over ${MAX_FACT_FILE_CHARS / 1048576} MB are not loaded. Split it into several files.`,
      0,
      0,
    );
    return { uri, layer, sources, entities, problems: ctx.problems };
  }
  if (text.includes('\u0000')) {
    const at = text.indexOf('\u0000');
    ctx.report('kb.yaml-syntax', 'This file contains binary data (a NUL character) and is not a YAML fact file.', at, at + 1);
    return { uri, layer, sources, entities, problems: ctx.problems };
  }
  // The YAML parser reads CRLF and LF differently in some corner cases; positions by line and
  // character are the same either way, so parse the LF form.
  if (text.includes('\r')) {
    text = text.replace(/\r\n?/g, '\n');
    ctx = new FileContext(uri, text);
  }
  const tooDeep = nestingTooDeep(text);
  if (tooDeep !== undefined) {
    ctx.report(
      'kb.file-too-large',
      `This fact file nests lists or maps more than ${MAX_NESTING} levels deep here, so it is not loaded. Fact files need only a few levels.`,
      tooDeep,
      tooDeep + 1,
    );
    return { uri, layer, sources, entities, problems: ctx.problems };
  }
  // Each of the passes above reads the whole text.
  yield;
  if (byItem && (yield* loadByItem(text, ctx, layer, sources, entities))) return { uri, layer, sources, entities, problems: ctx.problems };
  // Not laid out for item-by-item loading, or an item needs the whole document: start afresh.
  ctx.problems.length = 0;
  ctx.base = 0;
  sources.length = 0;
  entities.length = 0;
  let docs: Document.Parsed[];
  try {
    docs = yield* parseAllDocumentsInSteps(text);
  } catch (e) {
    ctx.report('kb.file-too-large', `This fact file could not be read: ${describeError(e)}.`, 0, 0);
    return { uri, layer, sources, entities, problems: ctx.problems };
  }
  for (const doc of docs) {
    try {
      yield* loadDocument(doc, ctx, layer, sources, entities);
    } catch (e) {
      // Deeply nested input can exhaust the stack; say so instead of failing the whole load.
      const r = (doc.contents?.range as NodeRange | undefined) ?? [0, 0, 0];
      ctx.report('kb.file-too-large', `Part of this fact file could not be loaded: ${describeError(e)}.`, r[0], r[0]);
    }
  }
  return { uri, layer, sources, entities, problems: ctx.problems };
}

/** The YAML lexer's tokens read between two pauses: a few thousand characters of a fact file. */
const LEXEMES_PER_STEP = 1000;

/**
 * `parseAllDocuments` a piece at a time, for a file that must be read as one document (a syntax
 * error, an alias, an unusual layout). The YAML library's own lexer, parser and composer, driven
 * the way `parseAllDocuments` drives them, with a pause after every few thousand characters read;
 * composing a document (turning its syntax tree into nodes) is one piece, a few times quicker
 * than reading it. Exported for the tests.
 */
export function* parseAllDocumentsInSteps(text: string): Steps<Document.Parsed[]> {
  const lexer = new Lexer();
  const parser = new Parser();
  const composer = new Composer(PARSE_OPTIONS);
  const docs: Document.Parsed[] = [];
  const compose = function* (tokens: Iterable<CST.Token>): Steps<void> {
    for (const token of tokens) {
      for (const doc of composer.next(token)) docs.push(doc as Document.Parsed);
      yield;
    }
  };
  let read = 0;
  const tokens: CST.Token[] = [];
  for (const lexeme of lexer.lex(text, false)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (++read % LEXEMES_PER_STEP === 0) {
      yield;
      if (tokens.length) yield* compose(tokens.splice(0));
    }
  }
  for (const token of parser.end()) tokens.push(token);
  yield;
  yield* compose(tokens);
  for (const doc of composer.end()) docs.push(doc as Document.Parsed);
  return docs;
}

/** A top-level key line of a fact file laid out the usual way. */
const TOP_LEVEL_KEY = /^(?:sources|entities):(?: +#.*| *)$/;

export interface Section {
  readonly key: 'sources' | 'entities';
  /** Where each list item starts (the start of its `- ` line). */
  readonly starts: number[];
  /** Where the section ends: the next top-level key's line, or the end of the text. */
  end: number;
}

/**
 * The top-level layout of a fact file, read line by line: each `sources:` or `entities:` key
 * at the start of a line and where each item of its list starts. Undefined unless every line
 * is one of those keys (each at most once), an item's `- ` at the list's indentation, a line
 * indented deeper than that (inside an item), a comment or blank. Exported for the tests.
 */
export function layoutOf(text: string): Section[] | undefined {
  const sections: Section[] = [];
  let current: Section | undefined;
  let itemIndent = -1;
  for (let at = 0; at < text.length; ) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    let i = at;
    while (i < eol && text.charCodeAt(i) === 32) i++;
    const indent = i - at;
    const c = i < eol ? text.charCodeAt(i) : -1;
    if (c === -1 || c === 35 /* # */) {
      // blank or a comment
    } else if (current && itemIndent >= 0 && indent > itemIndent) {
      // inside the current item
    } else if (current && c === 45 /* - */ && (i + 1 === eol || text.charCodeAt(i + 1) === 32) && (itemIndent < 0 || indent === itemIndent)) {
      itemIndent = indent;
      current.starts.push(at);
    } else if (indent === 0 && TOP_LEVEL_KEY.test(text.slice(at, eol))) {
      const key = text.startsWith('sources', at) ? 'sources' : 'entities';
      if (sections.some((s) => s.key === key)) return undefined;
      if (current) current.end = at;
      current = { key, starts: [], end: text.length };
      sections.push(current);
      itemIndent = -1;
    } else {
      return undefined;
    }
    at = eol + 1;
  }
  return sections;
}

/** About this much text is parsed at a time: a few items, small enough to stay cheap. */
const ITEMS_CHARS = 4096;

/**
 * Loads a fact file a few list items at a time, each run of items parsed as YAML on its own.
 * Returns false, having loaded nothing that counts, when the file is not laid out for that or
 * some items do not parse cleanly on their own (a syntax error, an alias): the caller then
 * parses the whole document.
 */
function* loadByItem(text: string, ctx: FileContext, layer: Layer, sources: Source[], entities: Entity[]): Steps<boolean> {
  const sections = layoutOf(text);
  if (!sections) return false;
  yield;
  for (const section of sections) {
    const { starts } = section;
    for (let i = 0; i < starts.length; ) {
      const start = starts[i];
      let next = i + 1;
      while (next < starts.length && starts[next] - start < ITEMS_CHARS) next++;
      const end = next < starts.length ? starts[next] : section.end;
      const src = text.slice(start, end);
      let doc: Document.Parsed;
      try {
        doc = parseDocument(src, PARSE_OPTIONS) as Document.Parsed;
      } catch {
        return false;
      }
      const root = doc.contents;
      if (doc.errors.length || !isSeq(root) || root.items.length !== next - i) return false;
      if (src.includes('*') && hasAlias(root)) return false;
      ctx.base = start;
      try {
        for (const item of root.items as (YamlNode | null)[]) {
          if (item == null) continue;
          if (section.key === 'sources') {
            const s = loadSource(item, doc, ctx);
            if (s) sources.push(s);
          } else {
            const e = loadEntity(item, doc, ctx, layer);
            if (e) entities.push(e);
          }
        }
      } catch {
        return false;
      }
      i = next;
      yield;
    }
  }
  return true;
}

/** Whether there is an alias anywhere in a node (so deep that it cannot tell counts as yes). */
function hasAlias(node: unknown, depth = 0): boolean {
  if (node == null) return false;
  if (depth > MAX_NESTING) return true;
  if (isAlias(node)) return true;
  if (isMap(node)) return node.items.some((p) => hasAlias(p.key, depth + 1) || hasAlias(p.value, depth + 1));
  if (isSeq(node)) return node.items.some((n) => hasAlias(n, depth + 1));
  return false;
}

/** Deepest nesting of flow collections or block indentation a fact file may have. */
export const MAX_NESTING = 64;
const MAX_INDENT = 256;

/**
 * Where a text nests deeper than a fact file ever needs, or undefined. A linear pre-scan: the
 * YAML parser recurses per level, and thousands of levels exhaust the stack (or worse) before
 * it can report anything. Quotes are tracked so brackets inside strings do not count.
 */
function nestingTooDeep(text: string): number | undefined {
  let depth = 0;
  let quote = 0; // 0, or the char code of the open quote
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32) {
        if (++indent > MAX_INDENT) return i;
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (c === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) i++; // '' inside '…'
        else quote = 0;
      } else if (c === 92 && quote === 34) i++; // \" inside "…"
      continue;
    }
    if (c === 35 /* # */ && (i === 0 || isSpace(text.charCodeAt(i - 1)))) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
      continue;
    }
    if ((c === 34 || c === 39) && (i === 0 || opensQuote(text.charCodeAt(i - 1)))) quote = c;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** `/\s/` for one UTF-16 code unit. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Whether a quote after this character opens a quoted string: `/[\s:[{,\-?]/`. */
function opensQuote(c: number): boolean {
  return isSpace(c) || c === 58 /* : */ || c === 91 /* [ */ || c === 123 /* { */ || c === 44 /* , */ || c === 45 /* - */ || c === 63 /* ? */;
}

function describeError(e: unknown): string {
  if (e instanceof RangeError) return 'it is nested too deeply';
  return e instanceof Error ? e.message : String(e);
}

/** Loads the entries of one parsed document, stopping after every few thousand characters of them. */
function* loadDocument(doc: Document.Parsed, ctx: FileContext, layer: Layer, sources: Source[], entities: Entity[]): Steps<void> {
  const errorSpans: [number, number][] = [];
  const linesReported = new Set<number>();
  for (const err of doc.errors) {
    const [start, end] = err.pos;
    errorSpans.push([start, end]);
    // One syntax error per line: the parser's follow-on complaints add nothing for a reader.
    const line = ctx.position(start).line;
    if (linesReported.has(line)) continue;
    linesReported.add(line);
    ctx.report('kb.yaml-syntax', yamlMessage(err.code, err.message), start, end);
  }
  const root = doc.contents;
  if (root == null || (isScalar(root) && (root.value == null || root.value === ''))) return;
  if (!isMap(root)) {
    const r = root.range as NodeRange;
    ctx.report('kb.invalid-entry', 'A fact file is a map with the keys `sources` and `entities`.', r[0], r[1]);
    return;
  }
  const touchesError = errorTest(errorSpans);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const keyRange = ((pair.key as YamlNode | null)?.range as NodeRange | undefined) ?? [0, 0, 0];
    if (key !== 'sources' && key !== 'entities') {
      ctx.report('kb.invalid-entry', `Unknown key \`${key ?? '?'}\`: a fact file has only \`sources\` and \`entities\`.`, keyRange[0], keyRange[1]);
      continue;
    }
    const value = pair.value as YamlNode | null;
    if (value == null || (isScalar(value) && value.value == null)) continue;
    if (!isSeq(value)) {
      const r = value.range as NodeRange;
      ctx.report('kb.invalid-entry', `\`${key}\` must be a list (each item starting with "- ").`, r[0], r[1]);
      continue;
    }
    let since = -1;
    for (const item of value.items as YamlNode[]) {
      if (item == null) continue;
      if (touchesError(item)) continue; // already reported as a syntax error
      if (key === 'sources') {
        const s = loadSource(item, doc, ctx);
        if (s) sources.push(s);
      } else {
        const e = loadEntity(item, doc, ctx, layer);
        if (e) entities.push(e);
      }
      const end = (item.range as NodeRange | undefined)?.[2] ?? 0;
      if (since < 0) since = end;
      else if (end - since >= ITEMS_CHARS) {
        since = end;
        yield;
      }
    }
  }
}

/**
 * Whether a node's range meets one of these error spans (`start < node end && end >= node
 * start`). Spans sorted by start with a running maximum of their ends: a binary search per
 * node, so a file with thousands of errors and entries stays fast.
 */
function errorTest(spans: readonly [number, number][]): (node: YamlNode) => boolean {
  if (spans.length === 0) return () => false;
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const starts = sorted.map((s) => s[0]);
  const maxEnd: number[] = [];
  let m = -Infinity;
  for (const [, e] of sorted) maxEnd.push((m = Math.max(m, e)));
  return (node) => {
    const r = node.range as NodeRange | undefined;
    if (!r) return false;
    // How many spans start before the node ends.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < r[2]) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && maxEnd[lo - 1] >= r[0];
  };
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'This key appears twice in the same entry; keep one of them.';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return `YAML syntax: ${first}. Check the indentation and punctuation of this line.`;
    default:
      return `YAML syntax: ${first}.`;
  }
}

function toPlain(item: YamlNode, doc: Document.Parsed, ctx: FileContext): { ok: true; value: unknown } | { ok: false } {
  try {
    if (hasCollectionKey(item)) {
      const r = item.range as NodeRange;
      ctx.report('kb.invalid-entry', 'This entry uses a list or a map as a key; keys are plain words such as `name` or `facts`.', r[0], r[1]);
      return { ok: false };
    }
    return { ok: true, value: item.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    const r = item.range as NodeRange;
    const msg = /alias/i.test(String(e))
      ? 'This entry expands too many YAML aliases (*name); write the values out instead.'
      : `This entry could not be read: ${describeError(e)}.`;
    ctx.report('kb.file-too-large', msg, r[0], r[1]);
    return { ok: false };
  }
}

function hasCollectionKey(node: YamlNode | null | undefined, depth = 0): boolean {
  if (!node || depth > MAX_NESTING) return false;
  if (isMap(node)) return node.items.some((p) => isMap(p.key) || isSeq(p.key) || isAlias(p.key) || hasCollectionKey(p.value as YamlNode, depth + 1));
  if (isSeq(node)) return node.items.some((n) => hasCollectionKey(n as YamlNode, depth + 1));
  return false;
}

/** Find the YAML node at a zod issue path, and whether the issue is about a key. */
function nodeAtPath(root: YamlNode, path: readonly PropertyKey[]): { node: YamlNode; parentMap?: YAMLMap } {
  let node: YamlNode = root;
  let parentMap: YAMLMap | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair || pair.value == null) return { node, parentMap: node };
      parentMap = node;
      node = pair.value as YamlNode;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] != null) {
      node = node.items[seg] as YamlNode;
    } else {
      break;
    }
  }
  return { node, parentMap };
}

function keyNode(map: YAMLMap, key: string): YamlNode | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return (pair?.key as YamlNode | undefined) ?? undefined;
}

function reportZodIssues(issues: readonly z.core.$ZodIssue[], item: YamlNode, ctx: FileContext, what: string): void {
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const { node } = nodeAtPath(item, issue.path);
      for (const k of issue.keys) {
        const kn = isMap(node) ? keyNode(node, k) : undefined;
        const r = (kn?.range as NodeRange | undefined) ?? (node.range as NodeRange);
        ctx.report('kb.invalid-entry', `${what}: unknown field \`${k}\`${suggest(k)}.`, r[0], r[1]);
      }
      continue;
    }
    const { node } = nodeAtPath(item, issue.path);
    const r = node.range as NodeRange;
    const field = issue.path.length ? `\`${issue.path.map(String).join('.')}\`` : 'this entry';
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined/.test(message)) {
      message = `${field} is missing`;
      ctx.report('kb.invalid-entry', `${what}: ${message}.`, r[0], Math.min(r[1], r[0] + 1));
      continue;
    }
    if (issue.code === 'invalid_value' && 'values' in issue) {
      message = `must be one of ${(issue.values as unknown[]).map((v) => `"${String(v)}"`).join(', ')}`;
    }
    ctx.report('kb.invalid-entry', `${what}: ${field} ${message}.`, r[0], r[1]);
  }
}

const KNOWN_FIELDS = ['id', 'kind', 'type', 'name', 'aliases', 'acronyms', 'formerNames', 'summary', 'relations', 'facts', 'sources', 'figure', 'about', 'counts', 'qualifier', 'period', 'asOf', 'source', 'note', 'target', 'until', 'title', 'publisher', 'date', 'file', 'url', 'author', 'line', 'section', 'override'];

function suggest(key: string): string {
  const k = key.toLowerCase().replace(/[_\s-]/g, '');
  let best: string | undefined;
  let bestDistance = 3;
  for (const f of KNOWN_FIELDS) {
    const d = editDistance(k, f.toLowerCase());
    if (d < bestDistance) {
      best = f;
      bestDistance = d;
    }
  }
  return best && best !== key && bestDistance <= Math.max(1, Math.floor(best.length / 4)) ? ` (did you mean \`${best}\`?)` : '';
}

/** Levenshtein distance, for "did you mean" hints on short field names. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

function loadSource(item: YamlNode, doc: Document.Parsed, ctx: FileContext): Source | undefined {
  const plain = toPlain(item, doc, ctx);
  if (!plain.ok) return undefined;
  const parsed = sourceSchema.safeParse(plain.value);
  if (!parsed.success) {
    reportZodIssues(parsed.error.issues, item, ctx, `Source ${labelOf(plain.value)}`);
    return undefined;
  }
  // Every field of the validated entry, in its order, with the strings kept once.
  const data = parsed.data as Record<string, unknown> & SourceInput;
  for (const k in data) {
    const v = data[k];
    if (typeof v === 'string') data[k] = ctx.str(v);
  }
  return { ...data, origin: ctx.origin(item) };
}

function labelOf(v: unknown): string {
  if (v && typeof v === 'object' && 'id' in v && typeof (v as { id: unknown }).id === 'string') return `"${(v as { id: string }).id}"`;
  if (v && typeof v === 'object' && 'name' in v && typeof (v as { name: unknown }).name === 'string') return `"${(v as { name: string }).name}"`;
  return 'entry';
}

/** The value of a key in a YAML map (the node a zod path segment names), or undefined. */
function valueNode(node: YamlNode | undefined, key: string): YamlNode | undefined {
  if (!node || !isMap(node)) return undefined;
  for (const p of node.items) {
    if (isScalar(p.key) && String(p.key.value) === key) return (p.value as YamlNode | null) ?? undefined;
  }
  return undefined;
}

function loadEntity(item: YamlNode, doc: Document.Parsed, ctx: FileContext, layer: Layer): Entity | undefined {
  const plain = toPlain(item, doc, ctx);
  if (!plain.ok) return undefined;
  const parsed = entitySchema.safeParse(plain.value);
  if (!parsed.success) {
    reportZodIssues(parsed.error.issues, item, ctx, `Entity ${labelOf(plain.value)}`);
    return undefined;
  }
  const input: EntityInput = parsed.data;
  const id = ctx.str(input.id);
  const nameNode = nodeAtPath(item, ['name']).node;
  const facts: Fact[] = [];
  if (input.facts?.length) {
    const factNodes = valueNode(item, 'facts');
    input.facts.forEach((f, i) => {
      const factNode = isSeq(factNodes) && factNodes.items[i] != null ? (factNodes.items[i] as YamlNode) : nodeAtPath(item, ['facts', i]).node;
      const figure = parseFigure(f.figure);
      if (!figure) {
        const figNode = nodeAtPath(item, ['facts', i, 'figure']).node;
        const r = figNode.range as NodeRange;
        ctx.report(
          'kb.unparseable-figure',
          `Entity "${input.id}": the figure "${f.figure}" is not an amount of money, a count, a percentage or a time (write it as the source does, e.g. "over £185m", "401,719 families", "71.8 per cent").`,
          r[0],
          r[1],
        );
        return;
      }
      const noun = f.counts ? normaliseNoun(f.counts) : figure.noun;
      facts.push({
        id: ownString(`${id}#${i + 1}`),
        entityId: id,
        figure: ctx.str(f.figure),
        about: ctx.str(f.about),
        counts: ctx.strOpt(f.counts),
        period: ctx.strOpt(f.period),
        asOf: ctx.strOpt(f.asOf),
        note: ctx.strOpt(f.note),
        source: ctx.sourceRef(f.source),
        value: figure.value,
        unit: figure.unit,
        qualifier: f.qualifier ?? figure.qualifier,
        precision: figure.precision,
        noun: ctx.strOpt(noun),
        origin: ctx.origin(factNode),
      });
    });
  }
  let relations: readonly Relation[] = NO_RELATIONS;
  if (input.relations?.length) {
    const relationNodes = valueNode(item, 'relations');
    relations = input.relations.map((r, i) => ({
      type: ctx.str(r.type) as Relation['type'],
      from: id,
      to: ctx.str(r.target),
      note: ctx.strOpt(r.note),
      source: ctx.sourceRef(r.source),
      origin: ctx.origin(isSeq(relationNodes) && relationNodes.items[i] != null ? (relationNodes.items[i] as YamlNode) : nodeAtPath(item, ['relations', i]).node),
    }));
  }
  const formerNames: readonly FormerName[] = input.formerNames?.length
    ? input.formerNames.map((f) => ({
        name: ctx.str(f.name),
        acronyms: ctx.strs(f.acronyms),
        until: ctx.strOpt(f.until),
        note: ctx.strOpt(f.note),
      }))
    : NO_FORMER_NAMES;
  return {
    id,
    kind: ctx.str(input.kind) as Entity['kind'],
    type: ctx.str(input.type),
    name: ctx.str(input.name),
    aliases: ctx.strs(input.aliases),
    acronyms: ctx.strs(input.acronyms),
    formerNames,
    summary: ctx.strOpt(input.summary),
    relations,
    // A copy holds exactly its facts (a list grown item by item keeps room for more).
    facts: facts.length ? facts.slice() : NO_FACTS,
    sources: ctx.strs(input.sources),
    layer,
    origin: ctx.origin(item),
    nameOrigin: ctx.origin(nameNode),
    extendedBy: NO_ORIGINS,
    ...(input.override ? { override: true } : {}),
  };
}

const NO_FACTS: readonly Fact[] = Object.freeze([]);
const NO_RELATIONS: readonly Relation[] = Object.freeze([]);
const NO_FORMER_NAMES: readonly FormerName[] = Object.freeze([]);
