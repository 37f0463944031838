/**
 * `npm run fuzz`: the fuzz properties on 100,000+ generated inputs per target (figure parser,
 * matcher, fact-file loader, checker), plus a few 5 MB single-line inputs.
 *
 *   node out/test/fuzz/run.js [--runs N] [--seed S] [--target parser|matcher|loader|checker]
 *
 * `--runs` is per target, shared between that target's properties (default: 100,000 for the
 * parser and the matcher, 25,000 for the loader and the checker, which are slower). Each
 * target runs in its own child process, so that a crash of the process itself (a fatal V8
 * error is not an exception and cannot be caught) is reported for that target and the other
 * targets still run. Exit code 1 if any property failed or any target crashed.
 */
import { fork } from 'node:child_process';
import fc from 'fast-check';
import { parseFigures } from '../../src/core/figures/parse';
import { bundledKb, fuzzProperties, type Target } from './properties';

const TARGETS: readonly Target[] = ['parser', 'matcher', 'loader', 'checker'];

interface PropertyResult {
  readonly name: string;
  readonly runs: number;
  readonly ms: number;
  readonly failure?: string;
}

interface TargetResult {
  readonly target: Target;
  readonly properties: readonly PropertyResult[];
  readonly crashed?: string;
}

const DEFAULT_RUNS: Record<Target, number> = { parser: 100_000, matcher: 100_000, loader: 25_000, checker: 25_000 };

function args(): { runs?: number; seed?: number; target?: Target } {
  const a = process.argv.slice(2);
  const get = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const runs = get('--runs') !== undefined ? Number(get('--runs')) : undefined;
  const seed = get('--seed') !== undefined ? Number(get('--seed')) : undefined;
  const target = get('--target') as Target | undefined;
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1)) throw new Error('--runs must be a positive integer');
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error('--seed must be an integer');
  if (target !== undefined && !TARGETS.includes(target)) throw new Error(`--target must be one of ${TARGETS.join(', ')}`);
  return { runs, seed, target };
}

/** 5 MB single lines of the worst shapes: no exception, no hang, positions inside. */
function bigInputs(): PropertyResult {
  const t0 = Date.now();
  const shapes = ['£1 ', 'two ', '1-', '1,', '1.', 'Q1 and ', 'over c.', '\ud83c', '5 per ', 'aged 5 to ', '(1) ', '\n1. ', '12 May ', 'COVID- 19 '];
  const { kb } = bundledKb();
  let runs = 0;
  try {
    for (const unit of shapes) {
      const text = unit.repeat(Math.ceil(5_000_000 / unit.length));
      for (const f of parseFigures(text)) if (!(f.start >= 0 && f.end <= text.length && f.start < f.end)) throw new Error(`figure outside the text in ${JSON.stringify(unit)} × 5 MB`);
      for (const m of kb.matcher.find(text)) if (!(m.start >= 0 && m.end <= text.length)) throw new Error(`mention outside the text in ${JSON.stringify(unit)} × 5 MB`);
      runs++;
    }
  } catch (e) {
    return { name: '5 MB single lines (parser and matcher)', runs, ms: Date.now() - t0, failure: String(e) };
  }
  return { name: '5 MB single lines (parser and matcher)', runs, ms: Date.now() - t0 };
}

function runTarget(target: Target, runs: number, seed?: number): TargetResult {
  const props = fuzzProperties().filter((p) => p.target === target);
  const each = Math.ceil(runs / props.length);
  const results: PropertyResult[] = [];
  for (const p of props) {
    const t0 = Date.now();
    const details = fc.check(p.property, { numRuns: each, ...(seed !== undefined ? { seed } : {}) });
    results.push({
      name: p.name,
      runs: details.numRuns,
      ms: Date.now() - t0,
      ...(details.failed ? { failure: fc.defaultReportMessage(details) ?? 'failed' } : {}),
    });
  }
  if (target === 'parser') results.push(bigInputs());
  return { target, properties: results };
}

function runChild(target: Target, runs: number, seed?: number): Promise<TargetResult> {
  console.log(`${target}: running ${runs.toLocaleString('en-GB')} inputs…`);
  return new Promise((resolve) => {
    const argv = ['--target', target, '--runs', String(runs), ...(seed !== undefined ? ['--seed', String(seed)] : [])];
    const child = fork(__filename, argv, { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    let result: TargetResult | undefined;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('message', (m) => {
      result = m as TargetResult;
    });
    child.on('exit', (code, signal) => {
      if (result) resolve(result);
      else {
        const fatal = stderr.split('\n').find((l) => /FATAL|Error/.test(l)) ?? '';
        resolve({ target, properties: [], crashed: `process exited (${signal ?? `code ${code}`}) ${fatal}`.trim() });
      }
    });
  });
}

function fmt(n: number): string {
  return n.toLocaleString('en-GB');
}

async function main(): Promise<void> {
  const { runs: runsArg, seed, target } = args();
  if (target && process.send) {
    // Child: run one target and send the result back.
    process.send(runTarget(target, runsArg ?? DEFAULT_RUNS[target], seed));
    return;
  }
  const targets = target ? [target] : TARGETS;
  const t0 = Date.now();
  let total = 0;
  let failed = false;
  for (const t of targets) {
    const runs = runsArg ?? DEFAULT_RUNS[t];
    const r = target ? runTarget(t, runs, seed) : await runChild(t, runs, seed);
    const inputs = r.properties.reduce((s, p) => s + p.runs, 0);
    const ms = r.properties.reduce((s, p) => s + p.ms, 0);
    total += inputs;
    console.log(`${t}: ${fmt(inputs)} inputs in ${(ms / 1000).toFixed(1)} s${r.crashed ? ' — CRASHED' : ''}`);
    for (const p of r.properties) {
      console.log(`  ${p.failure ? 'FAIL' : 'ok  '} ${fmt(p.runs).padStart(8)}  ${(p.ms / 1000).toFixed(1).padStart(6)} s  ${p.name}`);
      if (p.failure) {
        failed = true;
        console.log(p.failure.split('\n').map((l) => `       ${l.length > 400 ? l.slice(0, 400) + '…' : l}`).join('\n'));
      }
    }
    if (r.crashed) {
      failed = true;
      console.log(`  ${r.crashed}`);
    }
  }
  console.log(`total: ${fmt(total)} inputs in ${((Date.now() - t0) / 1000).toFixed(1)} s${failed ? ' — FAILURES above' : ', no failure'}`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
});
