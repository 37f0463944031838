/**
 * Measures one knowledge-base size in a fresh process (so heap figures are its own):
 * `node --expose-gc out/bench/worker.js <entities> [--drafts 10000,100000] [--quick]`.
 * Prints one line of JSON (a `KbRun`) on stdout; progress goes to stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { checkText, findingsFor, KnowledgeBase, namesOf, parseFactFile, parseFigures, type LoadedFactFile } from '../src/core';
import { IncrementalChecker, type TextEdit } from '../src/core/incremental';
import { AhoCorasickPackage, Floor, NaiveRegex, type Baseline } from './baselines';
import { factFiles, makeDraft, makeEntities, rng, type SyntheticEntity } from './generate';

/**
 * Times are CPU time of the process (user + system), not wall-clock: on a shared machine the
 * wall-clock time of the same work varies several-fold with what else runs, its CPU time
 * hardly. On an idle machine the two agree for this single-threaded work (`wallMs` shows it).
 */
export interface Timing {
  /** Fastest of `runs`, CPU ms: the best estimate of the time on a machine doing nothing else. */
  readonly ms: number;
  /** Median of `runs`, CPU ms. */
  readonly medianMs: number;
  /** Fastest of `runs`, wall-clock ms. */
  readonly wallMs: number;
  /** The first run (cold: before the JIT has warmed up), CPU ms. */
  readonly firstMs: number;
  readonly runs: number;
}

/** CPU time of this process in ms. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface BaselineRun {
  readonly buildMs: number;
  /** Time for the whole draft, in ms (extrapolated from `measuredChars` when smaller). */
  readonly ms: number;
  /**
   * Our scan of the same text, timed in turn with the baseline (one run of each, alternately),
   * so the ratio compares runs made under the same load; scaled like `ms`.
   */
  readonly oursMs: number;
  readonly measuredChars: number;
  readonly hits: number;
  readonly error?: string;
}

export interface DraftRun {
  readonly chars: number;
  readonly mentions: number;
  readonly figures: number;
  readonly findings: number;
  readonly scan: Timing;
  readonly check?: Timing;
  /** The full check's parts, 1 MB drafts only: reading the figures, then judging them (with segmenting). */
  readonly phases?: { readonly figures: Timing; readonly findings: Timing };
  readonly baselines: { naive?: BaselineRun; ahoCorasick?: BaselineRun; floor?: BaselineRun };
}

export interface RecheckRun {
  readonly draftChars: number;
  /** First check of the draft through the incremental checker (all blocks). */
  readonly firstCheckMs: number;
  readonly blocks: number;
  /** One-line edits with the edit given (as VS Code reports it). */
  readonly editMs: number;
  readonly editMaxMs: number;
  /** The same edits without telling what changed (the checker compares the texts). */
  readonly diffMs: number;
  readonly edits: number;
  readonly checkedChars: number;
  /** Whether every incremental result equalled a full check of the same text. */
  readonly sameAsFull: boolean;
  /**
   * The same draft without blank lines (each line a paragraph, as text pasted from a web page):
   * a whole check, then the same kind of one-line edits, told (median and max).
   */
  readonly lines: { readonly checkMs: number; readonly blocks: number; readonly editMs: number; readonly editMaxMs: number; readonly sameAsFull: boolean };
}

export interface KbRun {
  readonly entities: number;
  readonly names: number;
  /** Total length of every name given to the matcher (name, aliases, acronyms, former names). */
  readonly nameChars: number;
  readonly facts: number;
  readonly factFiles: number;
  readonly yamlChars: number;
  readonly problems: number;
  readonly loadMs: number;
  readonly matcherBuildMs: number;
  /** Heap held by the loaded knowledge base and its matcher, after a full GC (MB). */
  readonly heapMB: number;
  /** Of which the matcher (MB). */
  readonly matcherHeapMB: number;
  /** Largest committed heap seen while loading, matching and checking (baselines excluded), in MB. */
  readonly peakHeapMB: number;
  readonly drafts: DraftRun[];
  readonly recheck?: RecheckRun;
  /** Time per MB on the smallest and largest drafts, timed in turn (see `perMb`). */
  readonly linear?: LinearRun;
}

export interface LinearRun {
  readonly smallChars: number;
  readonly largeChars: number;
  /** Scan (and full check, when measured) ms per MB on each. */
  readonly scan: { readonly small: number; readonly large: number };
  readonly check?: { readonly small: number; readonly large: number };
  /** The full check again, the small runs' results kept until the last of them is done. */
  readonly checkKept?: { readonly small: number; readonly large: number };
}

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
let peakHeap = 0;
function notePeak(): void {
  peakHeap = Math.max(peakHeap, v8.getHeapStatistics().total_heap_size);
}
function log(message: string): void {
  process.stderr.write(`  [${process.argv[2]}] ${message}\n`);
}

/** Run `fn` at least `minRuns` times and until `budgetMs` is spent (at most `maxRuns`). */
function time(fn: () => unknown, minRuns: number, budgetMs: number, maxRuns = 30): Timing {
  const samples: number[] = [];
  let wall = Number.POSITIVE_INFINITY;
  const t0 = cpuNow();
  while (samples.length < maxRuns && (samples.length < minRuns || cpuNow() - t0 < budgetMs)) {
    const w = performance.now();
    const s = cpuNow();
    fn();
    samples.push(cpuNow() - s);
    wall = Math.min(wall, performance.now() - w);
    notePeak();
  }
  return timingOf(samples, wall);
}

/** The fastest and median of CPU samples (in the order they were taken), with the fastest wall-clock run. */
function timingOf(samples: readonly number[], wallMs: number): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { ms: sorted[0], medianMs: sorted[Math.floor(sorted.length / 2)], wallMs, firstMs: samples[0], runs: samples.length };
}

/**
 * Time `a` and `b` in turn, one run of each, until both have run `minRuns` times and
 * `budgetMs` is spent (at most `maxRuns` each): on a shared machine whose speed drifts, runs
 * made alternately see the same conditions, so the ratio of their fastest runs holds. `before`
 * runs before each timed run, outside the timing.
 */
function timePair(a: () => unknown, b: () => unknown, minRuns: number, budgetMs: number, maxRuns = 30, before?: () => void): [Timing, Timing] {
  const samples: [number[], number[]] = [[], []];
  const wall = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const fns = [a, b];
  const t0 = cpuNow();
  while (samples[0].length < maxRuns && (samples[0].length < minRuns || cpuNow() - t0 < budgetMs)) {
    for (let k = 0; k < 2; k++) {
      before?.();
      const w = performance.now();
      const c = cpuNow();
      fns[k]();
      samples[k].push(cpuNow() - c);
      wall[k] = Math.min(wall[k], performance.now() - w);
    }
  }
  return [timingOf(samples[0], wall[0]), timingOf(samples[1], wall[1])];
}

/**
 * Time a baseline on the draft, in turn with our scan of the same text; a slow one is timed on a
 * prefix that grows until one run takes `budgetMs`, and both times extrapolated to the whole
 * draft (they are linear).
 */
function timeBaseline(b: Baseline, draft: string, budgetMs: number, ours: (text: string) => unknown): { ms: number; oursMs: number; measuredChars: number; hits: number } {
  let chars = Math.min(draft.length, 4096);
  for (;;) {
    // A prefix is made a flat string, as the whole draft is.
    const text = chars >= draft.length ? draft : Buffer.from(draft.slice(0, chars), 'utf8').toString('utf8');
    // Warm up (the JIT), then time: as for the matcher, the fastest of several runs.
    const s = cpuNow();
    for (let i = 0; i < 3 && cpuNow() - s < budgetMs; i++) {
      b.scan(text);
      ours(text);
    }
    const [t, o] = timePair(
      () => b.scan(text),
      () => ours(text),
      3,
      Math.min(budgetMs, 400) * 2,
      30,
    );
    if (chars >= draft.length || t.ms >= budgetMs) {
      const hits = chars >= draft.length ? b.scan(text) : -1;
      return { ms: (t.ms * draft.length) / chars, oursMs: (o.ms * draft.length) / chars, measuredChars: chars, hits };
    }
    chars = Math.min(draft.length, chars * 4);
  }
}

/**
 * Milliseconds per MB of `fn` on a small and a large text, timed in turn: one run over the large
 * text, then the small one as many times as it takes to cover as many characters; the fastest
 * of `pairs` of each, each after a full collection (outside the timing), so that neither pays
 * for the other's garbage. Each small run's result is dropped at once, unless `keepSmall`: then
 * all are kept until the last of them is done, as the large run keeps its own until it ends.
 */
function perMb(small: string, large: string, fn: (text: string) => unknown, pairs: number, keepSmall = false): { small: number; large: number } {
  const reps = Math.max(1, Math.round(large.length / small.length));
  const [a, b] = timePair(
    () => {
      const kept: unknown[] = [];
      for (let i = 0; i < reps; i++) {
        const result = fn(small);
        if (keepSmall) kept.push(result);
      }
      return kept.length;
    },
    () => fn(large),
    pairs,
    0,
    pairs,
    gc,
  );
  return { small: (a.ms / (reps * small.length)) * 1e6, large: (b.ms / large.length) * 1e6 };
}

function oneLineEdits(draft: string, count: number): { text: string; edit: TextEdit }[] {
  const r = rng(99);
  const out: { text: string; edit: TextEdit }[] = [];
  let text = draft;
  const words = ['new ', 'revised ', '£2.5m ', '12,000 families ', 'additional ', 'the DfE '];
  for (let i = 0; i < count; i++) {
    // Somewhere in the middle third, at a word boundary.
    let at = Math.floor(text.length / 3 + (r() * text.length) / 3);
    while (at < text.length && text[at] !== ' ') at++;
    at++;
    const insert = words[i % words.length];
    // Alternate: insert a word; then delete one (keeps the text about the same size).
    const edit: TextEdit = i % 2 === 0 ? { rangeOffset: at, rangeLength: 0, text: insert } : { rangeOffset: at, rangeLength: text.indexOf(' ', at) + 1 - at, text: '' };
    text = text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
    out.push({ text, edit });
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A first check of `draft` through the incremental checker, then one-line edits of it, each told
 * (CPU ms); `same`: whether the first and last edits' results equal a full check of the same text.
 */
function timeEdits(kb: KnowledgeBase, draft: string, quick: boolean): { edits: { text: string; edit: TextEdit }[]; firstCheckMs: number; blocks: number; samples: number[]; checkedChars: number; same: boolean } {
  const edits = oneLineEdits(draft, quick ? 6 : 30);
  const inc = new IncrementalChecker(kb);
  const t0 = cpuNow();
  inc.check(draft);
  const firstCheckMs = cpuNow() - t0;
  const blocks = inc.stats.blocks;
  const samples: number[] = [];
  let checkedChars = 0;
  let sameAsFull = true;
  for (const [i, { text, edit }] of edits.entries()) {
    const s = cpuNow();
    const result = inc.check(text, [edit]);
    samples.push(cpuNow() - s);
    checkedChars = Math.max(checkedChars, inc.stats.checkedChars);
    // Spot-check correctness on a few edits (a full check is slow).
    if (i === 0 || i === edits.length - 1) sameAsFull &&= same(result, checkText(kb, text));
  }
  return { edits, firstCheckMs, blocks, samples, checkedChars, same: sameAsFull };
}

function recheck(kb: KnowledgeBase, draft: string, quick: boolean): RecheckRun {
  const told = timeEdits(kb, draft, quick);
  notePeak();
  // The same edits, this time without saying what changed.
  const diffInc = new IncrementalChecker(kb);
  diffInc.check(draft);
  const diffSamples: number[] = [];
  for (const { text } of told.edits) {
    const s = cpuNow();
    diffInc.check(text);
    diffSamples.push(cpuNow() - s);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // The draft without its blank lines.
  const lines = timeEdits(kb, draft.replace(/\n[ \t]*\n+/g, '\n'), quick);
  return {
    lines: { checkMs: lines.firstCheckMs, blocks: lines.blocks, editMs: median(lines.samples.slice(1)), editMaxMs: Math.max(...lines.samples.slice(1)), sameAsFull: lines.same },
    draftChars: draft.length,
    firstCheckMs: told.firstCheckMs,
    blocks: told.blocks,
    editMs: median(told.samples.slice(1)),
    editMaxMs: Math.max(...told.samples.slice(1)),
    diffMs: median(diffSamples.slice(1)),
    edits: told.edits.length,
    checkedChars: told.checkedChars,
    sameAsFull: told.same,
  };
}

function cacheDir(): string {
  // out/bench/worker.js → <root>/bench/.cache
  return path.resolve(__dirname, '..', '..', 'bench', '.cache');
}

function main(): void {
  const entitiesWanted = Number(process.argv[2]);
  const quick = process.argv.includes('--quick');
  const draftArg = process.argv.indexOf('--drafts');
  const draftSizes = draftArg > 0 ? process.argv[draftArg + 1].split(',').map(Number) : [10_000, 100_000, 1_000_000, 10_000_000];
  // Baselines up to 10,000 entities: for 50,000, building them alone takes minutes (the regular
  // expression ~2 min to compile, the Aho-Corasick tables ~1 min); `--baselines-all` for all.
  const withBaselines = !process.argv.includes('--no-baselines') && (entitiesWanted <= 10_000 || process.argv.includes('--baselines-all'));
  const baselinesFor = (chars: number) => withBaselines && chars <= 10_000_000;
  const checkFor = (chars: number) => chars < 10_000_000 || entitiesWanted === 10_000 || process.argv.includes('--check-all');

  // 1. Fact files, written out and read back through the real loader.
  const entities: SyntheticEntity[] = makeEntities(entitiesWanted);
  const dir = path.join(cacheDir(), `kb-${entitiesWanted}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let yamlChars = 0;
  for (const [name, text] of factFiles(entities)) {
    fs.writeFileSync(path.join(dir, name), text);
    yamlChars += text.length;
  }
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  log(`loading ${entitiesWanted} entities (${(yamlChars / MB).toFixed(1)} MB of YAML)`);
  let t0 = cpuNow();
  const loaded: LoadedFactFile[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    loaded.push(parseFactFile(fs.readFileSync(file, 'utf8'), `file://${file}`, 'workspace'));
    notePeak();
  }
  const kb = KnowledgeBase.build(loaded);
  const loadMs = cpuNow() - t0;
  loaded.length = 0;
  notePeak();
  gc();
  const heapKb = process.memoryUsage().heapUsed;
  t0 = cpuNow();
  const matcher = kb.matcher;
  const matcherBuildMs = cpuNow() - t0;
  notePeak();
  gc();
  const heapMB = (process.memoryUsage().heapUsed - heap0) / MB;
  const matcherHeapMB = (process.memoryUsage().heapUsed - heapKb) / MB;
  log(`loaded in ${loadMs.toFixed(0)} ms, matcher in ${matcherBuildMs.toFixed(0)} ms, heap ${heapMB.toFixed(1)} MB`);

  // 2. Drafts: our scan and full check.
  const drafts: DraftRun[] = [];
  const texts: string[] = [];
  let oneMb: string | undefined;
  for (const chars of draftSizes) {
    const draft = makeDraft(entities, chars);
    texts.push(draft);
    if (chars === 1_000_000) oneMb = draft;
    const big = chars >= 1_000_000;
    let mentions = 0;
    const scan = time(() => (mentions = matcher.find(draft).length), big ? 3 : 5, big ? 1500 : 800);
    let figures = 0;
    let findings = 0;
    let check: Timing | undefined;
    let phases: DraftRun['phases'];
    if (checkFor(chars)) {
      // Like the scan: the fastest of warm runs (the first, cold, run is kept as `firstMs`), as
      // many as fit in a few seconds, so that a slow spell of the machine does not cover them all.
      const huge = chars >= 10_000_000;
      check = time(
        () => {
          const r = checkText(kb, draft);
          figures = r.figures.length;
          findings = r.findings.length;
        },
        huge ? 1 : 3,
        huge ? 0 : big ? 4000 : 1000,
        huge ? 1 : big ? 30 : 10,
      );
      if (chars === 1_000_000) {
        const found = matcher.find(draft);
        const figs = parseFigures(draft);
        phases = {
          figures: time(() => parseFigures(draft), 3, 1000, 10),
          findings: time(() => findingsFor(kb, draft, found, figs), 3, 1500, 10),
        };
      }
    }
    drafts.push({ chars, mentions, figures, findings, scan, check, phases, baselines: {} });
    log(`${chars} chars: scan ${scan.ms.toFixed(2)} ms${check ? `, check ${check.ms.toFixed(0)} ms` : ''}`);
  }

  // 2b. Time per MB on the smallest and largest of 100 KB … 10 MB, timed in turn so that a change
  //     in the machine's speed between them does not pass for growth.
  const smallAt = draftSizes.indexOf(100_000);
  const largeAt = draftSizes.indexOf(10_000_000);
  let linear: LinearRun | undefined;
  if (smallAt >= 0 && largeAt >= 0) {
    const small = texts[smallAt];
    const large = texts[largeAt];
    linear = {
      smallChars: small.length,
      largeChars: large.length,
      scan: perMb(small, large, (t) => matcher.find(t), 5),
      check: checkFor(large.length) ? perMb(small, large, (t) => checkText(kb, t), 2) : undefined,
      checkKept: checkFor(large.length) ? perMb(small, large, (t) => checkText(kb, t), 2, true) : undefined,
    };
    log(`per MB, ${small.length} vs ${large.length} chars: scan ${linear.scan.small.toFixed(1)} vs ${linear.scan.large.toFixed(1)} ms`);
  }

  // 3. Re-checking the 1 MB draft after one-line edits.
  const recheckRun = oneMb && !process.argv.includes('--no-recheck') ? recheck(kb, oneMb, quick) : undefined;
  if (recheckRun) log(`re-check after an edit: ${recheckRun.editMs.toFixed(2)} ms (max ${recheckRun.editMaxMs.toFixed(1)})`);
  const peakHeapMB = peakHeap / MB;

  // 4. Baselines, one at a time on the same names and drafts (built, timed, dropped, so one's
  //    heap does not slow the others or the figures above).
  if (withBaselines) {
    const names = kb.entities.flatMap((e) => [e.name, ...e.aliases, ...e.acronyms, ...e.formerNames.flatMap((f) => [f.name, ...f.acronyms])]);
    const makers: [keyof DraftRun['baselines'], () => Baseline][] = [
      ['floor', () => new Floor()],
      ['naive', () => new NaiveRegex()],
      ['ahoCorasick', () => new AhoCorasickPackage()],
    ];
    for (const [key, make] of makers) {
      let b: Baseline | undefined = make();
      const s0 = cpuNow();
      let error: string | undefined;
      try {
        b.build(names);
        // Compile lazily built parts (a regular expression compiles on first use) before timing.
        b.scan('warm up');
      } catch (e) {
        error = String(e instanceof Error ? e.message : e).slice(0, 120);
      }
      const buildMs = cpuNow() - s0;
      log(`baseline ${key} built in ${buildMs.toFixed(0)} ms`);
      texts.forEach((draft, i) => {
        if (!baselinesFor(draft.length)) return;
        drafts[i].baselines[key] = error
          ? { buildMs, ms: Number.NaN, oursMs: Number.NaN, measuredChars: 0, hits: 0, error }
          : { buildMs, ...timeBaseline(b!, draft, key === 'floor' ? 200 : 1500, (text) => matcher.find(text)) };
      });
      b = undefined;
      gc();
    }
  }

  const out: KbRun = {
    entities: kb.entities.length,
    names: matcher.size,
    nameChars: kb.entities.reduce((n, e) => n + namesOf(e).reduce((m, x) => m + x.name.length, 0), 0),
    facts: kb.factCount,
    factFiles: kb.files.length,
    yamlChars,
    problems: kb.problems.length,
    loadMs,
    matcherBuildMs,
    heapMB,
    matcherHeapMB,
    peakHeapMB,
    drafts,
    recheck: recheckRun,
    linear,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main();
