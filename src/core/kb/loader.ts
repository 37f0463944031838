/**
 * Fact-file loader: YAML text in, validated entries with exact source ranges out.
 *
 * Loading never throws and never drops good data because of bad data. Each entry of
 * `sources` and `entities` is validated on its own; an invalid entry becomes a problem at the
 * line and column of the offending field and the rest of the file still loads. YAML syntax
 * errors only take out the entries they fall inside.
 */
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node as YamlNode,
  parseAllDocuments,
  type YAMLMap,
} from 'yaml';
import type { z } from 'zod';
import { parseFigure, normaliseNoun } from '../figures/parse';
import { RULES, type RuleId } from '../rules';
import { LineIndex } from '../text/lineIndex';
import type { Range } from '../types';
import type { Entity, Fact, FormerName, KbProblem, Layer, LoadedFactFile, Origin, Relation, Source } from './model';
import { entitySchema, type EntityInput, sourceSchema } from './schema';

/** Files larger than this are refused with a clear message instead of being parsed. */
export const MAX_FACT_FILE_CHARS = 20 * 1024 * 1024;
/** YAML aliases allowed per entry: enough for real reuse, far too few for an alias bomb. */
const MAX_ALIAS_COUNT = 100;

type NodeRange = [number, number, number];

class FileContext {
  readonly problems: KbProblem[] = [];
  readonly lines: LineIndex;

  constructor(
    readonly uri: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  range(start: number, end: number): Range {
    return { start: this.lines.positionAt(start), end: this.lines.positionAt(Math.max(start, end)) };
  }

  origin(node: YamlNode | null | undefined, fallback: number = 0): Origin {
    const r = node?.range as NodeRange | undefined;
    if (!r) return { uri: this.uri, range: this.range(fallback, fallback) };
    return { uri: this.uri, range: this.range(r[0], r[1]) };
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
}

/**
 * Parse one fact file. `uri` is only used to label ranges and problems; `layer` says whether
 * it is bundled with the product or the user's own.
 */
export function parseFactFile(text: string, uri: string, layer: Layer = 'workspace'): LoadedFactFile {
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
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false, logLevel: 'error' }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [];
  } catch (e) {
    ctx.report('kb.file-too-large', `This fact file could not be read: ${describeError(e)}.`, 0, 0);
    return { uri, layer, sources, entities, problems: ctx.problems };
  }
  for (const doc of docs) {
    try {
      loadDocument(doc, ctx, layer, sources, entities);
    } catch (e) {
      // Deeply nested input can exhaust the stack; say so instead of failing the whole load.
      const r = (doc.contents?.range as NodeRange | undefined) ?? [0, 0, 0];
      ctx.report('kb.file-too-large', `Part of this fact file could not be loaded: ${describeError(e)}.`, r[0], r[0]);
    }
  }
  return { uri, layer, sources, entities, problems: ctx.problems };
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
    if (c === 35 /* # */ && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
      continue;
    }
    if ((c === 34 || c === 39) && (i === 0 || /[\s:[{,\-?]/.test(text[i - 1]))) quote = c;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

function describeError(e: unknown): string {
  if (e instanceof RangeError) return 'it is nested too deeply';
  return e instanceof Error ? e.message : String(e);
}

function loadDocument(doc: Document.Parsed, ctx: FileContext, layer: Layer, sources: Source[], entities: Entity[]): void {
  const errorSpans: [number, number][] = [];
  const linesReported = new Set<number>();
  for (const err of doc.errors) {
    const [start, end] = err.pos;
    errorSpans.push([start, end]);
    // One syntax error per line: the parser's follow-on complaints add nothing for a reader.
    const line = ctx.lines.positionAt(start).line;
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
  const touchesError = (node: YamlNode): boolean => {
    const r = node.range as NodeRange | undefined;
    if (!r) return false;
    return errorSpans.some(([s, e]) => s < r[2] && e >= r[0]);
  };
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
    }
  }
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
  return { ...parsed.data, origin: ctx.origin(item) };
}

function labelOf(v: unknown): string {
  if (v && typeof v === 'object' && 'id' in v && typeof (v as { id: unknown }).id === 'string') return `"${(v as { id: string }).id}"`;
  if (v && typeof v === 'object' && 'name' in v && typeof (v as { name: unknown }).name === 'string') return `"${(v as { name: string }).name}"`;
  return 'entry';
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
  const nameNode = nodeAtPath(item, ['name']).node;
  const facts: Fact[] = [];
  (input.facts ?? []).forEach((f, i) => {
    const factNode = nodeAtPath(item, ['facts', i]).node;
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
    facts.push({
      id: `${input.id}#${i + 1}`,
      entityId: input.id,
      figure: f.figure,
      about: f.about,
      counts: f.counts,
      period: f.period,
      asOf: f.asOf,
      note: f.note,
      source: f.source,
      value: figure.value,
      unit: figure.unit,
      qualifier: f.qualifier ?? figure.qualifier,
      precision: figure.precision,
      noun: f.counts ? normaliseNoun(f.counts) : figure.noun,
      origin: ctx.origin(factNode),
    });
  });
  const relations: Relation[] = (input.relations ?? []).map((r, i) => ({
    type: r.type,
    from: input.id,
    to: r.target,
    note: r.note,
    source: r.source,
    origin: ctx.origin(nodeAtPath(item, ['relations', i]).node),
  }));
  const formerNames: FormerName[] = (input.formerNames ?? []).map((f) => ({
    name: f.name,
    acronyms: f.acronyms ?? [],
    until: f.until,
    note: f.note,
  }));
  return {
    id: input.id,
    kind: input.kind,
    type: input.type,
    name: input.name,
    aliases: input.aliases ?? [],
    acronyms: input.acronyms ?? [],
    formerNames,
    summary: input.summary,
    relations,
    facts,
    sources: input.sources ?? [],
    layer,
    origin: ctx.origin(item),
    nameOrigin: ctx.origin(nameNode),
    extendedBy: [],
    ...(input.override ? { override: true } : {}),
  };
}
