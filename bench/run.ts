/**
 * `npm run bench`: measures loading, matching and checking against synthetic knowledge bases
 * of 100 to 50,000 entities and drafts of 10 KB to 10 MB, with the baselines, and writes
 * bench/RESULTS.md.
 *
 *   npm run bench                  all sizes; table on stdout; writes bench/RESULTS.md
 *   npm run bench -- --json        the same, JSON on stdout instead of the table
 *   npm run bench -- --quick       small sizes only (does not write RESULTS.md)
 *   npm run bench -- --sizes 100,10000 --drafts 10000,1000000   chosen sizes (no RESULTS.md)
 *   npm run bench -- --no-write    do not write RESULTS.md
 *
 * Each knowledge-base size runs in its own process (`worker.ts`, bundled with the engine as the
 * extension and the CLI ship it) so heap figures are its own.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DraftRun, KbRun } from './worker';

interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly node: string;
  readonly os: string;
  /** 1-minute load average before and after: other work on the machine slows every figure. */
  readonly loadBefore: number;
  readonly loadAfter: number;
}

interface Target {
  readonly name: string;
  readonly goal: string;
  readonly value: string;
  readonly met: boolean | undefined;
  /** When missed: by how much, why, and what would close it. */
  readonly note?: string;
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const quick = flag('--quick');
const sizes = (option('--sizes') ?? (quick ? '100,1000' : '100,1000,10000,50000')).split(',').map(Number);
const drafts = option('--drafts') ?? (quick ? '10000,100000,1000000' : '10000,100000,1000000,10000000');
const complete = !quick && !option('--sizes') && !option('--drafts');

function machine(loadBefore: number): Machine {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadBefore,
    loadAfter: os.loadavg()[0],
  };
}

function runSize(entities: number): KbRun {
  // The worker as `scripts/bundle.mjs --bench` bundles it: the engine as the extension and CLI ship it.
  const worker = path.join(__dirname, 'worker.bundle.js');
  if (!fs.existsSync(worker)) throw new Error(`${path.relative(process.cwd(), worker)} is missing: run the benchmark with \`npm run bench\`, which builds it.`);
  const extra = quick ? ['--quick'] : [];
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', worker, String(entities), '--drafts', drafts, ...extra], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`The benchmark for ${entities} entities failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}).`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as KbRun;
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits));
const size = (chars: number) => (chars >= 1e6 ? `${chars / 1e6} MB` : `${chars / 1e3} KB`);
const mbps = (chars: number, ms: number) => chars / 1e6 / (ms / 1000);
/** A speed ratio (baseline time ÷ ours) in words: "8× faster", "1.4× faster", "3.2× slower". */
const speed = (ratio: number, digits = 1) =>
  !Number.isFinite(ratio) || ratio <= 0 ? '—' : ratio >= 1 ? `${fmt(ratio, ratio >= 10 ? 0 : digits)}× faster` : `${fmt(1 / ratio, digits)}× slower`;

function ratios(d: DraftRun): { naive?: number; ac?: number; floor?: number } {
  const b = d.baselines;
  return {
    naive: b.naive && !b.naive.error ? b.naive.ms / b.naive.oursMs : undefined,
    ac: b.ahoCorasick && !b.ahoCorasick.error ? b.ahoCorasick.ms / b.ahoCorasick.oursMs : undefined,
    floor: b.floor ? b.floor.oursMs / b.floor.ms : undefined,
  };
}

function table(runs: readonly KbRun[]): string {
  const rows: string[][] = [];
  rows.push(['entities', 'names', 'draft', 'mentions', 'scan ms', 'median', 'wall', 'scan MB/s', 'cold ms', 'check ms', 'check wall', 'check cold', 'vs naive', 'vs Aho-Corasick', 'vs floor']);
  for (const run of runs) {
    for (const d of run.drafts) {
      const r = ratios(d);
      rows.push([
        run.entities.toLocaleString('en-GB'),
        run.names.toLocaleString('en-GB'),
        size(d.chars),
        d.mentions.toLocaleString('en-GB'),
        fmt(d.scan.ms, 2),
        fmt(d.scan.medianMs, 2),
        fmt(d.scan.wallMs, 2),
        fmt(mbps(d.chars, d.scan.ms), 0),
        fmt(d.scan.firstMs, 1),
        d.check ? fmt(d.check.ms, 0) : '—',
        d.check ? fmt(d.check.wallMs, 0) : '—',
        d.check ? fmt(d.check.firstMs, 0) : '—',
        r.naive ? speed(r.naive) : d.baselines.naive?.error ? 'failed' : '—',
        r.ac ? speed(r.ac) : '—',
        r.floor ? `${fmt(r.floor, 1)}× floor` : '—',
      ]);
    }
  }
  const kbRows: string[][] = [['entities', 'fact files', 'YAML MB', 'load + validate ms', 'problems', 'matcher build ms', 'heap MB', 'of which matcher', 'peak heap MB', 'first check 1 MB ms', 'one-line edit ms (max)', 'edit, not told ms', 'no blank lines: edit ms (max)', 'same as full']];
  for (const run of runs) {
    const rc = run.recheck;
    kbRows.push([
      run.entities.toLocaleString('en-GB'),
      String(run.factFiles),
      fmt(run.yamlChars / 1048576, 1),
      fmt(run.loadMs, 0),
      String(run.problems),
      fmt(run.matcherBuildMs, 0),
      fmt(run.heapMB, 1),
      fmt(run.matcherHeapMB, 1),
      fmt(run.peakHeapMB, 0),
      rc ? fmt(rc.firstCheckMs, 0) : '—',
      rc ? `${fmt(rc.editMs, 2)} (${fmt(rc.editMaxMs, 1)})` : '—',
      rc ? fmt(rc.diffMs, 2) : '—',
      rc ? `${fmt(rc.lines.editMs, 2)} (${fmt(rc.lines.editMaxMs, 1)})` : '—',
      rc ? (rc.sameAsFull && rc.lines.sameAsFull ? 'yes' : 'NO') : '—',
    ]);
  }
  return `${markdownTable(kbRows)}\n\n${markdownTable(rows)}`;
}

function markdownTable(rows: readonly string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: readonly string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w, c) => (c === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

function find(runs: readonly KbRun[], entities: number, chars: number): DraftRun | undefined {
  return runs.find((r) => r.entities === entities)?.drafts.find((d) => d.chars === chars);
}

const WASM_TRIED =
  'What WebAssembly would give was measured once, on 2026-11-24 on this machine (it is not repeated by `npm run bench`), on the 10,000-entity 1 MB draft: a WebAssembly loop that only cuts the text into ' +
  'words, hashes them and tests the bloom filter took 2.0 ms, against 4.4–4.9 ms for the same loop in JavaScript, and copying ' +
  'the text into its memory took 0.1 ms with Node’s `Buffer` (2.2 ms a code unit at a time, as a browser would have to). ' +
  'Handing it only the runs of words in no name, with the rest of the scan left in JavaScript, made the scan 5% slower: 27% of ' +
  'this draft’s words are in some name, so a run is about three words, and the calls cost what the loop saves. Closing the gap ' +
  'would take the whole tokeniser and the walk of the name tree in WebAssembly, handing back candidate mentions in batches, ' +
  'with the JavaScript tokeniser kept for VS Code for the web.';

function targets(runs: readonly KbRun[]): Target[] {
  const out: Target[] = [];
  const main = find(runs, 10_000, 1_000_000);
  const r = main ? ratios(main) : {};
  const check = main?.check?.ms;
  out.push({
    name: 'Full check, 1 MB draft, 10,000 entities',
    goal: '< 100 ms',
    value: check === undefined ? 'not measured' : `${fmt(check, 0)} ms`,
    met: check === undefined ? undefined : check < 100,
    note:
      check !== undefined && check >= 100
        ? `Missed by ${fmt(check / 100, 1)}×. Of it, the mention scan takes ${fmt(main!.scan.ms, 0)} ms` +
          (main!.phases
            ? `, reading the figures ${fmt(main!.phases.figures.ms, 0)} ms and judging them (with splitting the draft into sentences) ${fmt(main!.phases.findings.ms, 0)} ms`
            : '') +
          ` (each phase timed on its own, fastest warm run, garbage collection included). The fastest wall-clock run took ${fmt(main!.check!.wallMs, 0)} ms: ` +
          'the CPU time also counts the garbage collector’s helper threads. The synthetic draft is dense in figures: ' +
          `${main!.figures.toLocaleString('en-GB')} of them, one every ${fmt(main!.chars / Math.max(main!.figures, 1), 0)} characters, and ` +
          `${main!.findings.toLocaleString('en-GB')} findings, each with its message written out; the misattributed ones ` +
          'name the other owners of the value and what they record. Everything a check returns (mentions, figures, findings ' +
          'and their messages) outlives the young generation of the heap, so the collector copies it at least once. ' +
          'Closing the rest: fewer objects per figure. Writing messages only when they are shown would move most of the ' +
          'cost rather than remove it: the editor shows every finding but the verified and rounded ones as a diagnostic, ' +
          'with its message. ' +
          'While editing, the incremental checker below re-checks only what changed.'
        : undefined,
  });
  const naiveMBps = main?.baselines.naive && !main.baselines.naive.error ? mbps(main.chars, main.baselines.naive.ms) : undefined;
  out.push({
    name: 'Scan vs naive regex alternation (a)',
    goal: '≥ 20× faster',
    value: r.naive === undefined ? 'not measured' : speed(r.naive),
    met: r.naive === undefined ? undefined : r.naive >= 20,
    note:
      r.naive !== undefined && r.naive < 20
        ? `Missed by ${fmt(20 / r.naive, 1)}×. V8 compiles the alternation well: it ran at ${fmt(naiveMBps, 0)} MB/s here ` +
          `(the floor, reading each character, at ${fmt(mbps(main!.chars, main!.baselines.floor!.ms), 0)} MB/s), so 20× would put the ` +
          'scan at about twice the floor. The regular expression also does much less: ASCII-only `\\b`, no apostrophe, space, ' +
          'line-break or hyphen variants, no possessives, no case rule for acronyms, no longest-match across overlapping ' +
          'names, and it is ' +
          `slow to build (${fmt(main!.baselines.naive!.buildMs / 1000, 1)} s to compile for 10,000 entities, about 2 minutes for 50,000). ` +
          'The scan is now within a few times the floor; what is left is reading each character (`charCodeAt`) and cache misses in the ' +
          `name tree of a large knowledge base. ${WASM_TRIED}`
        : undefined,
  });
  out.push({
    name: 'Scan vs `ahocorasick` package (b)',
    goal: 'no slower (aim 2×)',
    value: r.ac === undefined ? 'not measured' : speed(r.ac),
    met: r.ac === undefined ? undefined : r.ac >= 1,
  });
  out.push({
    name: 'Scan vs reading every character (c)',
    goal: 'within 5×',
    value: r.floor === undefined ? 'not measured' : `${fmt(r.floor, 1)}× the floor`,
    met: r.floor === undefined ? undefined : r.floor <= 5,
    note:
      r.floor !== undefined && r.floor > 5
        ? `Missed by ${fmt(r.floor / 5, 2)}×. The floor only adds character codes; the scan also folds the case of every ` +
          'character, hashes every word and looks it up in the name vocabulary (a bare loop doing only that takes about twice ' +
          'the floor), then walks the name tree from each word that can start a name and checks each candidate against how the ' +
          'name is written; a 10,000-entity matcher is about 2 MB, so those steps miss the processor’s caches. The floor is a ' +
          'loop of a few milliseconds, so this ratio varies most from run to run. What WebAssembly would give: see (a).'
        : undefined,
  });
  const rc = runs.find((x) => x.entities === 10_000)?.recheck;
  out.push({
    name: 'Re-check after a one-line edit, 1 MB draft, 10,000 entities',
    goal: '< 16 ms',
    value: rc ? `${fmt(rc.editMs, 2)} ms (median; max ${fmt(rc.editMaxMs, 1)} ms); without blank lines ${fmt(rc.lines.editMs, 2)} ms (max ${fmt(rc.lines.editMaxMs, 1)} ms)` : 'not measured',
    met: rc ? Math.max(rc.editMs, rc.lines.editMs) < 16 && rc.sameAsFull && rc.lines.sameAsFull : undefined,
    note:
      rc && Math.max(rc.editMs, rc.lines.editMs) >= 16
        ? `Missed by ${fmt(Math.max(rc.editMs, rc.lines.editMs) / 16, 1)}×. Each edit re-checks only ~${fmt(rc.checkedChars / 1000, 0)} KB, but ` +
          'moving the results of every later paragraph and putting the result arrays together is linear in the draft.'
        : undefined,
  });
  const big = runs.find((x) => x.entities === 50_000);
  out.push({
    name: 'Heap for a 50,000-entity knowledge base (loaded, with matcher)',
    goal: '< 200 MB',
    value: big ? `${fmt(big.heapMB, 0)} MB (peak committed while loading ${fmt(big.peakHeapMB, 0)} MB)` : 'not measured',
    met: big ? big.heapMB < 200 : undefined,
    note:
      big && big.heapMB >= 200
        ? `Missed by ${fmt(big.heapMB / 200, 2)}×. The matcher is ${fmt(big.matcherHeapMB, 0)} MB of it; the rest is the loaded entities, ` +
          'each fact, name and relation with its own `Origin`. Storing origins as offsets with lines computed on demand would close it.'
        : undefined,
  });
  // Matcher build against total name length, from 10,000 entities up (smaller builds are mostly
  // the JIT warming up).
  const built = runs.filter((x) => x.entities >= 10_000 && x.nameChars > 0);
  if (built.length >= 2) {
    const a = built[0];
    const b = built[built.length - 1];
    const ratio = b.matcherBuildMs / b.nameChars / (a.matcherBuildMs / a.nameChars);
    out.push({
      name: `Matcher build near-linear in total name length (${a.entities.toLocaleString('en-GB')} → ${b.entities.toLocaleString('en-GB')} entities, time per name character)`,
      goal: 'about constant',
      value: `×${fmt(ratio, 2)} (${fmt(a.matcherBuildMs, 0)} ms for ${fmt(a.nameChars / 1e6, 2)} M characters, ${fmt(b.matcherBuildMs, 0)} ms for ${fmt(b.nameChars / 1e6, 2)} M)`,
      met: ratio < 1.5,
    });
  }
  const tenK = runs.find((x) => x.entities === 10_000) ?? runs[runs.length - 1];
  const small = tenK?.drafts.find((d) => d.chars === 100_000);
  const large = tenK?.drafts.find((d) => d.chars === 10_000_000) ?? tenK?.drafts.find((d) => d.chars === 1_000_000);
  if (small && large) {
    // Timed in turn when both ends were measured (`linear`), else from the separate runs above.
    const lin = tenK?.linear;
    const scanRatio = lin ? lin.scan.large / lin.scan.small : large.scan.ms / large.chars / (small.scan.ms / small.chars);
    const checkRatio = lin?.check
      ? lin.check.large / lin.check.small
      : large.check && small.check
        ? large.check.ms / large.chars / (small.check.ms / small.chars)
        : undefined;
    const keptRatio = lin?.checkKept ? lin.checkKept.large / lin.checkKept.small : undefined;
    out.push({
      name: `Time linear in draft size (${size(small.chars)} → ${size(large.chars)}, time per MB)`,
      goal: 'per-MB time about constant',
      value:
        `scan ×${fmt(scanRatio, 2)}${checkRatio === undefined ? '' : `, full check ×${fmt(checkRatio, 2)}`}` +
        (keptRatio === undefined ? '' : ` (×${fmt(keptRatio, 2)} with the small checks’ results kept)`),
      met: scanRatio < 1.5 && (checkRatio === undefined || checkRatio < 1.5),
      note:
        scanRatio >= 1.5 || (checkRatio !== undefined && checkRatio >= 1.5)
          ? `Missed by ${fmt(Math.max(scanRatio, checkRatio ?? 0) / 1.5, 2)}× (the limit is ×1.5). ` +
            (scanRatio < 1.5 ? 'The scan stays linear; the full check does not quite. ' : '') +
            `A check keeps everything it finds until it ends: for ${size(large.chars)} about a hundred times what it keeps for ` +
            `${size(small.chars)} (mentions, figures, and findings with their messages). The young-generation collector copies ` +
            'all of the large check’s, while each small check’s result is dropped before a collection comes. ' +
            (keptRatio !== undefined
              ? `Timed again with the small checks’ results kept until the last of them is done (as much kept as the large check ` +
                `keeps), the ratio is ×${fmt(keptRatio, 2)}: the difference is that copying, not work that grows faster than the ` +
                'draft. '
              : '') +
            'Every step of the check is a scan, a lookup bounded per figure, or a search that starts where the last one ' +
            'ended. Closing it: fewer objects per figure and finding, so that less is copied. The extension checks at most ' +
            '2,000,000 characters of a draft by default (`policyFacts.maxDraftChars`) and re-checks only what an edit changed.'
          : undefined,
    });
  }
  return out;
}

function markdown(runs: readonly KbRun[], m: Machine): string {
  const t = targets(runs);
  const main = find(runs, 10_000, 1_000_000);
  const r = main ? ratios(main) : {};
  const headline = main
    ? `Scanning a 1 MB draft for the ${runs.find((x) => x.entities === 10_000)!.names.toLocaleString('en-GB')} names of a 10,000-entity knowledge base takes ` +
      `${fmt(main.scan.ms, 1)} ms (${fmt(mbps(main.chars, main.scan.ms), 0)} MB/s): ${speed(r.naive ?? NaN)} than one big regular expression, ` +
      `${speed(r.ac ?? NaN)} than the \`ahocorasick\` package and ${fmt(r.floor, 1)}× the time of just reading the text. ` +
      `Targets met: ${t.filter((x) => x.met).length} of ${t.length}.`
    : 'Partial run.';
  const lines = [
    '# Benchmark results',
    '',
    `**${headline}**`,
    '',
    'Generated by `npm run bench` (sources in `bench/`). Inputs are synthetic and deterministic (fixed seeds): knowledge bases of',
    'about three names per entity (name, acronym, former name or alias) and one to four facts each, every programme funded',
    'by one of a few hub bodies (one funds hundreds of programmes), some also led or delivered by another, written as fact',
    'files and loaded through the real loader; drafts of realistic sentences mixing mentions (by name, acronym and former',
    'name, some possessive), figures, dates and ordinary text, returning to a few hundred entities as a real draft does,',
    'and giving some programmes\' figures next to the name of their funding or leading body alone.',
    'The engine runs bundled exactly as the extension and the CLI ship it (`scripts/bundle.mjs`).',
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores; memory ${m.memoryGB} GB; ${m.os}; Node ${m.node}`,
    `- Load average (1 min) before / after the run: ${fmt(m.loadBefore, 2)} / ${fmt(m.loadAfter, 2)}` +
      (Math.max(m.loadBefore, m.loadAfter) > m.cores * 0.5 ? ' — the machine was busy with other work, so absolute times are inflated; the ratios compare runs made side by side.' : ''),
    '',
    '## Targets',
    '',
    '| target | goal | measured | met |',
    '|:--|:--|:--|:--|',
    ...t.map((x) => `| ${x.name} | ${x.goal} | ${x.value} | ${x.met === undefined ? '—' : x.met ? 'yes' : '**no**'} |`),
    '',
    ...t.filter((x) => x.note).flatMap((x) => [`- **${x.name}:** ${x.note}`, '']),
    '## Figures',
    '',
    'Per knowledge base (CPU ms; heap after a full GC with the knowledge base and its matcher loaded; peak = largest',
    'committed heap while loading and checking; the re-check columns use the 1 MB draft: thirty one-line edits in the',
    'middle third, each followed by `IncrementalChecker.check`, median and max; “no blank lines”: the same kind of edits',
    'of that draft with its blank lines taken out, so that each line is a paragraph, as in text pasted from a web page;',
    '“same as full” compares two of each with `checkText`):',
    '',
    table(runs),
    '',
    'All times are CPU time of the benchmark process (user + system), not wall-clock: on a shared machine the wall-clock',
    'time of the same work varies several-fold with whatever else runs, its CPU time hardly; on an idle machine the two',
    'agree for this single-threaded work (the scan’s fastest wall-clock run is shown as “wall”).',
    'Scan = `Matcher.find` over the whole draft: the fastest of repeated runs (the median beside it; cold = the first run,',
    'before the JIT has warmed up). Check = `checkText` (mentions, figures and findings), timed the same way (check wall = its fastest wall-clock run, check cold = its first run). Baselines, timed the',
    'same way on the same drafts in the same process, one at a time after the matcher’s runs, each in turn with a run of',
    'our scan of the same text (one run of each, alternately), the ratio taken between those paired runs so that a change',
    'in the machine’s speed during the run does not move it:',
    '(a) one case-insensitive regular expression, an alternation of all escaped names (longest first) between `\\b`s;',
    '(b) the [`ahocorasick`](https://github.com/BrunoRB/ahocorasick) package over the lower-cased text, hits filtered to whole',
    'words afterwards; (c) one pass reading every character code. A slow baseline is timed on a prefix of the draft that',
    'takes at least 1.5 s and its time scaled to the whole draft. Growth in draft size is per-MB time on the 100 KB and',
    '10 MB drafts, timed in turn the same way (the 100 KB draft checked as many times as it takes to cover 10 MB), each run',
    'after a full collection outside the timing.',
    '',
    '### Why `ahocorasick` for (b)',
    '',
    'Candidates were timed on a 1 MB draft against 30,000 lower-cased names: `ahocorasick` 1.0.2 scanned in ~0.1 s (build',
    '~5 s); `@monyone/aho-corasick` 1.1.11 took ~0.8 s (`/greedy` ~0.5 s, `/fast` needed 71 s to build); `modern-ahocorasick`',
    '3.3.0, the most downloaded, matches by grapheme cluster and took 15 s for 100 KB once the text held a single `£`',
    '(1.7 MB/s on pure ASCII). `ahocorasick` is the fastest scanner of the three on real text, has no dependencies and is',
    'small enough to read; its object-per-state tables make it slow to build and heavy for large name lists.',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function main(): void {
  const loadBefore = os.loadavg()[0];
  const runs: KbRun[] = [];
  for (const n of sizes) {
    process.stderr.write(`Benchmark: ${n.toLocaleString('en-GB')} entities…\n`);
    runs.push(runSize(n));
  }
  const m = machine(loadBefore);
  if (flag('--json')) process.stdout.write(`${JSON.stringify({ machine: m, runs, targets: targets(runs) }, null, 2)}\n`);
  else {
    process.stdout.write(`\n${table(runs)}\n\n`);
    for (const t of targets(runs)) process.stdout.write(`${t.met === undefined ? '  ' : t.met ? '✓ ' : '✗ '}${t.name}: ${t.value} (goal ${t.goal})\n`);
  }
  if (complete && !flag('--no-write')) {
    const file = path.resolve(__dirname, '..', '..', 'bench', 'RESULTS.md');
    fs.writeFileSync(file, markdown(runs, m));
    process.stderr.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
  }
}

main();
