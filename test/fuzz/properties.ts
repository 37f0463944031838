/**
 * The fuzz properties, shared by the small sample in `npm test` (test/unit/fuzz.test.ts) and
 * the long run in `npm run fuzz` (test/fuzz/run.ts). Each property states what must hold for
 * every input: no exception, no hang, positions inside the text, no overlaps, the same
 * result when curly quotes, NBSPs and CRLFs are swapped for their plain forms, and the same
 * result read in steps of any size as in one go.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { KnowledgeBase, checkText, namesOf, parseFactFile, type LoadedFactFile } from '../../src/core';
import { parseFigure, parseFigures, parseFiguresInSteps } from '../../src/core/figures/parse';
import { runToEnd } from '../../src/core/steps';
import { segment, segmentInSteps } from '../../src/core/text/segment';
import { Matcher, type Mention } from '../../src/core/match/matcher';
import { RULES } from '../../src/core/rules';
import type { Figure, Span } from '../../src/core/types';
import { draftArb, factFileArb, nameEntryArb, offsetMap, plain, repeatedArb, withoutLoneCr } from './generators';

export type Target = 'parser' | 'matcher' | 'loader' | 'checker';

export interface FuzzProperty {
  readonly target: Target;
  readonly name: string;
  readonly property: fc.IProperty<unknown>;
}

/** One call taking longer than this counts as a hang. */
export const HANG_MS = 5_000;

const UNITS = new Set(['GBP', 'USD', 'EUR', 'count', 'percent', 'percentage-points', 'hours', 'days', 'weeks', 'months', 'years']);
const QUALIFIERS = new Set(['over', 'under', 'up-to', 'at-least', 'around', 'exactly']);

/** The project root, from out/test/fuzz or test/fuzz. */
function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

let bundled: { kb: KnowledgeBase; names: string[] } | undefined;

/** The bundled knowledge base (seeds/*.yaml), loaded once. */
export function bundledKb(): { kb: KnowledgeBase; names: string[] } {
  if (!bundled) {
    const dir = path.join(projectRoot(), 'seeds');
    const files: LoadedFactFile[] = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => parseFactFile(fs.readFileSync(path.join(dir, f), 'utf8'), `seeds/${f}`, 'bundled'));
    const kb = KnowledgeBase.build(files);
    const names = [...new Set(kb.entities.flatMap((e) => namesOf(e).map((n) => n.name)))];
    bundled = { kb, names };
  }
  return bundled;
}

function timed<T>(what: string, f: () => T): T {
  const t0 = Date.now();
  const r = f();
  const ms = Date.now() - t0;
  assert.ok(ms < HANG_MS, `${what} took ${ms} ms`);
  return r;
}

/** Runs `f` and returns what it tried to print: console output and process warnings. */
function silently(f: () => unknown): string[] {
  const printed: string[] = [];
  const con = console as unknown as Record<string, (...a: unknown[]) => void>;
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((m) => con[m]);
  const savedWarning = process.emitWarning;
  for (const m of methods) con[m] = (...a: unknown[]) => void printed.push(`console.${m}: ${a.map(String).join(' ')}`);
  process.emitWarning = ((w: string | Error) => void printed.push(`warning: ${String(w instanceof Error ? w.message : w)}`)) as typeof process.emitWarning;
  try {
    f();
  } finally {
    methods.forEach((m, i) => (con[m] = saved[i]));
    process.emitWarning = savedWarning;
  }
  return printed;
}

function assertSpan(s: Span, from: number, to: number, what: string): void {
  assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end), `${what}: integer offsets`);
  assert.ok(from <= s.start && s.start <= s.end && s.end <= to, `${what}: [${s.start}, ${s.end}) outside [${from}, ${to})`);
}

/** Sorted, non-overlapping, inside [from, to), and `text` is what is there. */
function assertSpans(items: readonly (Span & { text: string })[], text: string, from: number, to: number, what: string): void {
  let last = from;
  for (const it of items) {
    assertSpan(it, from, to, what);
    assert.ok(it.start < it.end, `${what}: empty span at ${it.start}`);
    assert.ok(it.start >= last, `${what}: overlaps or out of order at ${it.start} (previous ended at ${last})`);
    assert.equal(it.text, text.slice(it.start, it.end), `${what}: text differs from the slice`);
    last = it.end;
  }
}

function assertFigure(f: Figure): void {
  assertSpan(f.numberSpan, f.start, f.end, 'numberSpan');
  assert.ok(f.numberSpan.start < f.numberSpan.end, 'empty numberSpan');
  assert.ok(Number.isFinite(f.value) && f.value >= 0, `value ${f.value}`);
  assert.ok(Number.isFinite(f.precision) && f.precision > 0, `precision ${f.precision}`);
  assert.ok(UNITS.has(f.unit), `unit ${f.unit}`);
  if (f.qualifier !== undefined) assert.ok(QUALIFIERS.has(f.qualifier), `qualifier ${f.qualifier}`);
  if (f.noun !== undefined) assert.ok(f.unit === 'count' && f.noun.length > 0 && f.noun === f.noun.toLowerCase(), `noun ${f.noun}`);
}

/** What must not change between a text and its plain form. */
function figureKey(f: Figure, map: (o: number) => number): string {
  return JSON.stringify([map(f.start), map(f.end), map(f.numberSpan.start), map(f.numberSpan.end), f.value, f.unit, f.qualifier ?? null, f.precision, f.noun ?? null, plain(f.text)]);
}

function mentionKey(m: Mention, map: (o: number) => number): string {
  return JSON.stringify([map(m.start), map(m.end), m.entityId, m.name, m.nameKind, plain(m.text)]);
}

/** Texts for the parser and matcher: drafts, long repeats and arbitrary strings. */
function textArb(names: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: draftArb(names) },
    { weight: 1, arbitrary: repeatedArb },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );
}

/** A text and a sub-range of it (sometimes out of bounds or NaN). */
function textWithRange(names: readonly string[]): fc.Arbitrary<{ text: string; from?: number; to?: number }> {
  return textArb(names).chain((text) =>
    fc.oneof(
      fc.constant({ text }),
      fc.record({ text: fc.constant(text), from: fc.integer({ min: -5, max: text.length + 5 }), to: fc.integer({ min: -5, max: text.length + 5 }) }),
      fc.record({ text: fc.constant(text), from: fc.constantFrom(NaN, Infinity, -Infinity, 0.5), to: fc.constantFrom(undefined, NaN, 1e12, 3.7) }),
    ),
  );
}

function clampRange(n: number, from?: number, to?: number): [number, number] {
  const f = typeof from === 'number' && !Number.isNaN(from) ? Math.min(Math.max(Math.floor(from), 0), n) : 0;
  const t = typeof to === 'number' && !Number.isNaN(to) ? Math.min(Math.max(Math.floor(to), f), n) : n;
  return [f, t];
}

// ---------------------------------------------------------------------------------------------

export function fuzzProperties(): FuzzProperty[] {
  const { kb, names } = bundledKb();
  const props: FuzzProperty[] = [];

  // --- the figure parser ---------------------------------------------------------------------

  props.push({
    target: 'parser',
    name: 'figures are sorted, never overlap and lie inside [from, to); nothing throws or hangs',
    property: fc.property(textWithRange(names), ({ text, from, to }) => {
      const figs = timed('parseFigures', () => parseFigures(text, from, to));
      const [f, t] = clampRange(text.length, from, to);
      assertSpans(figs, text, f, t, 'figure');
      for (const fig of figs) assertFigure(fig);
    }),
  });

  props.push({
    target: 'parser',
    name: 'curly quotes, NBSPs and CRLFs give the same figures as their plain forms',
    property: fc.property(textArb(names), (raw) => {
      const text = withoutLoneCr(raw);
      const map = offsetMap(text);
      const a = parseFigures(text).map((f) => figureKey(f, map));
      const b = parseFigures(plain(text)).map((f) => figureKey(f, (o) => o));
      assert.deepEqual(a, b);
    }),
  });

  props.push({
    target: 'parser',
    name: 'each figure is found again, the same, when only its own span is parsed',
    property: fc.property(textArb(names), (text) => {
      for (const fig of parseFigures(text)) {
        // The second end of a range takes its currency from the first ("£1-2m"), which lies
        // outside its own span: it is only required to be found again.
        const secondOfRange = /[\p{L}\p{N}][\s]*(?:[-\u2010-\u2015]|\bto|\band)[\s]*$/iu.test(text.slice(Math.max(0, fig.start - 12), fig.start));
        const again = parseFigures(text, fig.start, fig.end);
        if (secondOfRange) assert.deepEqual(again.map((f) => [f.start, f.end, f.value]), [[fig.start, fig.end, fig.value]]);
        else assert.deepEqual(again, [fig]);
      }
    }),
  });

  props.push({
    target: 'parser',
    name: 'read in steps of any size, the figures are those read in one go',
    property: fc.property(textWithRange(names), fc.integer({ min: 1, max: 64 }), ({ text, from, to }, step) => {
      assert.deepEqual(
        timed('parseFiguresInSteps', () => runToEnd(parseFiguresInSteps(text, from, to, step))),
        parseFigures(text, from, to),
      );
    }),
  });

  props.push({
    target: 'parser',
    name: 'parseFigure returns one figure inside its text, or undefined',
    property: fc.property(fc.oneof(draftArb([], 4), fc.string({ unit: 'binary', maxLength: 40 })), (text) => {
      const fig = timed('parseFigure', () => parseFigure(text));
      if (fig) {
        assertSpans([fig], text, 0, text.length, 'parseFigure');
        assertFigure(fig);
      }
    }),
  });

  // --- the matcher ---------------------------------------------------------------------------

  const bundledMatcher = kb.matcher;
  const matcherArb = fc.oneof(
    { weight: 2, arbitrary: fc.constant(bundledMatcher) },
    { weight: 1, arbitrary: fc.array(nameEntryArb, { maxLength: 12 }).map((entries) => new Matcher(entries)) },
  );

  props.push({
    target: 'matcher',
    name: 'mentions are sorted, never overlap and lie inside [from, to); nothing throws or hangs',
    property: fc.property(matcherArb, textWithRange(names), (m, { text, from, to }) => {
      const found = timed('Matcher.find', () => m.find(text, from, to));
      const [f, t] = clampRange(text.length, from, to);
      assertSpans(found, text, f, t, 'mention');
    }),
  });

  props.push({
    target: 'matcher',
    name: 'curly quotes, NBSPs and CRLFs give the same mentions as their plain forms',
    property: fc.property(matcherArb, textArb(names), (m, raw) => {
      const text = withoutLoneCr(raw);
      const map = offsetMap(text);
      const a = m.find(text).map((x) => mentionKey(x, map));
      const b = m.find(plain(text)).map((x) => mentionKey(x, (o) => o));
      assert.deepEqual(a, b);
    }),
  });

  props.push({
    target: 'matcher',
    name: 'read in steps of any size, the mentions are those read in one go',
    property: fc.property(matcherArb, textWithRange(names), fc.integer({ min: 1, max: 64 }), (m, { text, from, to }, step) => {
      assert.deepEqual(
        timed('Matcher.findInSteps', () => runToEnd(m.findInSteps(text, from, to, step))),
        m.find(text, from, to),
      );
    }),
  });

  props.push({
    target: 'matcher',
    name: 'building a matcher from any names never throws',
    property: fc.property(fc.array(nameEntryArb, { maxLength: 30 }), (entries) => {
      const m = timed('new Matcher', () => new Matcher(entries));
      assert.ok(m.size >= 0);
    }),
  });

  // --- the loader ----------------------------------------------------------------------------

  props.push({
    target: 'loader',
    name: 'any fact file loads without throwing or hanging; every problem and origin points inside the file',
    property: fc.property(factFileArb, (text) => {
      const loaded = timed('parseFactFile', () => parseFactFile(text, 'fuzz.facts.yaml'));
      const lines = text.split(/\r\n|\r|\n/);
      const inside = (r: { start: { line: number; character: number }; end: { line: number; character: number } }, what: string) => {
        for (const p of [r.start, r.end]) {
          assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < Math.max(lines.length, 1), `${what}: line ${p.line} of ${lines.length}`);
          assert.ok(Number.isInteger(p.character) && p.character >= 0 && p.character <= (lines[p.line]?.length ?? 0) + 1, `${what}: character ${p.character} on line ${p.line}`);
        }
        assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${what}: range ends before it starts`);
      };
      for (const p of loaded.problems) {
        assert.ok(p.code in RULES, `unknown problem code ${p.code}`);
        assert.ok(typeof p.message === 'string' && p.message.length > 0);
        inside(p.range, `problem ${p.code}`);
      }
      for (const e of loaded.entities) {
        inside(e.origin.range, `entity ${e.id}`);
        for (const f of e.facts) {
          inside(f.origin.range, `fact ${f.id}`);
          assert.ok(Number.isFinite(f.value) && f.precision > 0);
        }
      }
      for (const s of loaded.sources) inside(s.origin.range, `source ${s.id}`);
    }),
  });

  props.push({
    target: 'loader',
    name: 'loading prints nothing (no console output, no process warnings)',
    property: fc.property(factFileArb, (text) => {
      const printed = silently(() => parseFactFile(text, 'fuzz.facts.yaml'));
      assert.deepEqual(printed, []);
    }),
  });

  props.push({
    target: 'loader',
    name: 'CRLF and LF line endings load the same entities, facts and problems at the same positions',
    property: fc.property(factFileArb, (raw) => {
      const lf = withoutLoneCr(raw).replace(/\r\n/g, '\n');
      const crlf = lf.replace(/\n/g, '\r\n');
      const summary = (l: LoadedFactFile) =>
        JSON.stringify({
          entities: l.entities.map((e) => [e.id, e.name, e.facts.map((f) => [f.value, f.unit, f.qualifier ?? null, f.noun ?? null, f.origin.range.start]), e.origin.range.start]),
          sources: l.sources.map((s) => [s.id, s.origin.range.start]),
          problems: l.problems.map((p) => [p.code, p.range.start]),
        });
      assert.equal(summary(parseFactFile(crlf, 'a.yaml')), summary(parseFactFile(lf, 'a.yaml')));
    }),
  });

  // --- findings (parser + matcher + checker together) ----------------------------------------

  props.push({
    target: 'checker',
    name: 'every finding points inside the text, every figure gets exactly one finding, mentions never overlap',
    property: fc.property(draftArb(names, 60), (text) => {
      const r = timed('checkText', () => checkText(kb, text));
      assertSpans(r.mentions, text, 0, text.length, 'mention');
      assertSpans(r.figures, text, 0, text.length, 'figure');
      for (const f of r.findings) {
        assertSpan(f, 0, text.length, `finding ${f.code}`);
        if (f.end > f.start) assert.equal(f.text, text.slice(f.start, f.end), `finding ${f.code}: text differs from the slice`);
        assert.ok(f.code in RULES, `unknown finding code ${f.code}`);
      }
      const perFigure = new Map<number, number>();
      for (const f of r.findings) if (f.figure) perFigure.set(f.figure.start, (perFigure.get(f.figure.start) ?? 0) + 1);
      for (const fig of r.figures) assert.equal(perFigure.get(fig.start), 1, `figure ${JSON.stringify(fig.text)} at ${fig.start} has ${perFigure.get(fig.start) ?? 0} findings`);
      assert.equal(r.summary !== undefined, true);
    }),
  });

  props.push({
    target: 'checker',
    name: 'split in steps of any size, the sentences and paragraphs are those split in one go',
    property: fc.property(draftArb(names, 60), fc.boolean(), fc.integer({ min: 1, max: 64 }), (text, lines, step) => {
      assert.deepEqual(runToEnd(segmentInSteps(text, 0, text.length, lines, step)), segment(text, 0, text.length, lines));
    }),
  });

  props.push({
    target: 'checker',
    name: 'curly quotes, NBSPs and CRLFs give the same findings as their plain forms',
    property: fc.property(draftArb(names, 60), (raw) => {
      const text = withoutLoneCr(raw);
      const map = offsetMap(text);
      const key = (f: { code: string; status: string; entityId?: string; start: number; end: number }, m: (o: number) => number) =>
        JSON.stringify([f.code, f.status, f.entityId ?? null, m(f.start), m(f.end)]);
      const a = checkText(kb, text).findings.map((f) => key(f, map));
      const b = checkText(kb, plain(text)).findings.map((f) => key(f, (o) => o));
      assert.deepEqual(a, b);
    }),
  });

  return props;
}
