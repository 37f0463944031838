// Start and hover benchmark of Policy Facts inside the real VS Code (code-server + headless
// Chromium, as the integration tests run). Each start is a fresh VS Code with a fresh profile
// on a generated workspace; bench/vscode/suite.ts (compiled to out/bench/vscode/suite.js) runs
// in its extension host and measures. Prints a table and writes bench/VSCODE-RESULTS.md.
//   node bench/vscode/run.mjs [--runs 3] [--hovers 400] [--no-yaml] [--kb-entities 10000,100] [--kb-documents 20000] [--baseline <dir>] [--no-write]
//                             [--out <file>] [--json <file>] [--profile <file>] [--start-profile <file>]
//                             [--keep] [--timeout 300]
// --runs: cold starts measured per variant; --hovers: measured hover positions (≥ 300);
// --no-yaml: skip the comparison start with the seeds parsed from YAML (the same extension bundled
// without the precompiled snapshot, as before it existed);
// --kb-entities: also start on a workspace with its own knowledge base of that many entities (the
// benchmark's synthetic fact files; a comma-separated list, one workspace each, default
// 10000,100), twice on the same profile: the first start parses them, the next takes them from
// the cache of loaded fact files (0: skip; at most 3 pairs each);
// --kb-documents: how many other documents (small Markdown papers in folders) that workspace
// also holds, for VS Code's search for fact files to walk through (default 20000);
// --baseline: also measure the starts of another build of the extension (a folder laid out like
// the .vsix, e.g. an older version unpacked, with its dist/seeds.json if it has one; its
// activate() must return `timings`), described in the report by --baseline-label "<text>";
// --json: all raw results; --profile: a CPU profile of the in-process hovers (slows them);
// --start-profile: a CPU profile of the extension host during the first start, from opening
// draft.md to the first hover answered in process (slows it);
// --out: write the report elsewhere than bench/VSCODE-RESULTS.md; --no-write: print only.
// Needs `npm run build` (`npm run bench:vscode` builds first). A failed start writes no report.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { extensionBuilds } from '../../scripts/bundle.mjs';
import { ROOT, CS_VERSION, ensureInstalled, extensionHostLogTail, launchBrowser, log, remoteUri, startServer, workbenchUrl } from '../../test/e2e/lib.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Math.max(1, Number(arg('--runs', 3)));
const hovers = Math.max(1, Number(arg('--hovers', 400)));
const timeoutS = Number(arg('--timeout', 300));
const withYaml = !process.argv.includes('--no-yaml');
const kbSizes = String(arg('--kb-entities', '10000,100'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const kbPairs = Math.min(runs, 3);
const kbDocuments = Math.max(0, Number(arg('--kb-documents', 20_000)));
const write = !process.argv.includes('--no-write');
const keep = process.argv.includes('--keep');
const jsonOut = arg('--json'); // also write the raw results of every start here
const profileOut = arg('--profile'); // CPU profile of the in-process hovers (slows them: not for measuring)
const startProfileOut = arg('--start-profile'); // CPU profile of the first start, up to the first hover (idem)
const baselineDir = arg('--baseline');
const baselineLabel = arg('--baseline-label'); // what the baseline build is, for the report
const RESULTS_MD = path.resolve(arg('--out', path.join(ROOT, 'bench', 'VSCODE-RESULTS.md')));
const SUITE = path.join(ROOT, 'out', 'bench', 'vscode', 'suite.js');
const SNAPSHOT = path.join(ROOT, 'dist', 'seeds.json');
const FIRST_HOVER_NAME = 'Department for Education'; // the same constant is in suite.ts
/** Activation → first hover answered, in process (the provider called in the extension host). */
const TARGET_START_MS = 150;
const TARGET_HOVER_P99_MS = 2;

for (const [file, what] of [
  [path.join(ROOT, 'dist', 'extension.js'), 'the bundled extension'],
  [SNAPSHOT, 'the precompiled knowledge base'],
  [SUITE, 'the compiled benchmark suite'],
]) {
  if (!fs.existsSync(file)) {
    console.error(`${path.relative(ROOT, file)} is missing (${what}): run \`npm run build\` first`);
    process.exit(1);
  }
}
if (!ensureInstalled()) {
  console.error('installing code-server failed; see above, or run `npm run setup:e2e`');
  process.exit(1);
}

// ---- the workspace ------------------------------------------------------------------------------

// mulberry32 (bench/generate.ts, compiled): the same drafts on every run.
const { rng } = createRequire(import.meta.url)('../../out/bench/generate.js');

/** A figure with its first number changed, so the draft has wrong figures too. */
function wrongFigure(figure) {
  return figure.replace(/\d+/, (d) => String(Number(d) + 3));
}

/** A 10,000-line draft that names the bundled programmes and organisations and cites their figures. */
function bigDraft(entities, lines = 10_000) {
  const r = rng(7);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const withFacts = entities.filter((e) => e.facts.length);
  const withAcronyms = entities.filter((e) => e.acronyms.length);
  const places = ['Leeds', 'Essex', 'Cumbria', 'Devon', 'Hull', 'Bristol', 'Sheffield', 'Norfolk', 'Camden', 'Stockport'];
  const filler = [
    'The evidence base is still developing, and partners asked for clearer guidance on outcomes.',
    'Practitioners described the change as positive but uneven across the region.',
    'Further work is planned with schools, health partners and the voluntary sector.',
    'The next section sets out what the evaluation found and what it leaves open.',
    'Several councils said recruitment and retention remained their main pressure.',
  ];
  const sentence = () => {
    const x = r();
    if (x < 0.3) {
      const e = pick(withFacts);
      const f = pick(e.facts);
      return `${e.name} reported ${r() < 0.8 ? f.figure : wrongFigure(f.figure)} for ${f.about.replace(/\s+/g, ' ').slice(0, 60)}.`;
    }
    if (x < 0.45) {
      const e = pick(withAcronyms);
      return `${pick(e.acronyms)} officials met colleagues in ${pick(places)} to discuss ${pick(entities).name}.`;
    }
    if (x < 0.6) return `Around ${Math.floor(r() * 90) + 5} per cent of councils in ${pick(places)} reported ${Math.floor(r() * 900) + 100} new referrals in ${2015 + Math.floor(r() * 8)}.`;
    if (x < 0.75) return `The ${pick(entities).name} works alongside the ${pick(entities).name} in ${pick(places)}.`;
    return pick(filler);
  };
  const out = ['# Children\'s services: a long briefing', ''];
  let section = 0;
  while (out.length < lines) {
    if (out.length % 60 === 2) out.push(`## Section ${++section}`, '');
    else if (out.length % 7 === 0) out.push('');
    else out.push(sentence());
  }
  return `${out.slice(0, lines).join('\n')}\n`;
}

const SMALL_DRAFT = `# Briefing: support for children's services

The ${FIRST_HOVER_NAME} (DfE) funds Partners in Practice, which received £12.4m.
The Local Government Association said sector-led improvement works.
The Adoption Support Fund has paid out over £185m since it began.
Ofsted found that 86% of providers were good or outstanding.

Next steps are set out below.
`;

/** The workspace with a knowledge base of its own: `entities` synthetic entities in .policy-facts/. */
function makeKbWorkspace(dir, entities) {
  makeWorkspace(dir);
  const { factFiles, makeEntities } = createRequire(import.meta.url)('../../out/bench/generate.js');
  const kb = path.join(dir, '.policy-facts');
  fs.mkdirSync(kb, { recursive: true });
  let bytes = 0;
  for (const [name, text] of factFiles(makeEntities(entities))) {
    fs.writeFileSync(path.join(kb, name), text);
    bytes += Buffer.byteLength(text);
  }
  // A team's folder of other papers, which VS Code's search for fact files walks through.
  for (let i = 0; i < kbDocuments; i++) {
    const sub = path.join(dir, 'papers', `year-${i % 20}`, `team-${i % 37}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `briefing-${i}.md`), `# Briefing ${i}\n\nThe programme reached ${i} families.\n`);
  }
  return bytes;
}

function makeWorkspace(dir) {
  const snapshot = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8'));
  const entities = snapshot.files.flatMap((f) => f.file.entities);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'draft.md'), SMALL_DRAFT);
  fs.writeFileSync(path.join(dir, 'draft-10k.md'), bigDraft(entities));
  fs.writeFileSync(path.join(dir, 'floor.ini'), ['[bench]', ...Array.from({ length: 60 }, (_, i) => `key${i} = value ${i}`)].join('\n') + '\n');
}

/**
 * The extension as the .vsix ships it (see .vscodeignore), activated only by opening a Markdown
 * file: the real manifest also activates on plain text, which VS Code triggers while it starts,
 * before the suite could ask for a hover; with Markdown only, the suite's own `openTextDocument`
 * starts the activation it measures. The .vsix has no dist/seeds.json (the bundles embed it); an
 * older build given as `source` keeps its own if it has one.
 */
function extensionCopy(dir, { source = ROOT } = {}) {
  const files = ['package.json', 'dist/extension.js', 'dist/extension.js.map', 'dist/web', 'seeds', 'schemas', 'syntaxes', 'media'];
  if (source !== ROOT) files.push('dist/seeds.json');
  for (const p of files) {
    if (fs.existsSync(path.join(source, p))) fs.cpSync(path.join(source, p), path.join(dir, p), { recursive: true });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  manifest.activationEvents = ['onLanguage:markdown'];
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

/** The same extension bundled without the precompiled snapshot: activation parses seeds/*.yaml. */
async function yamlExtension(dir) {
  extensionCopy(dir);
  await Promise.all(extensionBuilds({ root: ROOT, outdir: path.join(dir, 'dist') }).map((b) => esbuild.build({ ...b, logLevel: 'error' })));
  return dir;
}

// ---- one start: a fresh VS Code, the suite, its results -----------------------------------------

/** A port free on the loopback interface now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function policyFactsLog(tmp) {
  const found = [];
  const walk = (dir) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Policy Facts\.log$/.test(e.name)) found.push(p);
    }
  };
  walk(path.join(tmp, 'user-data', 'logs'));
  return found
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
    .filter((l) => /activated in|Knowledge base|Bundled facts|No workspace fact files|out of date/i.test(l))
    .map((l) => l.replace(/^\S+ \S+ /, '').trim());
}

/** One start; with `tmp`, on the profile (and its workspace storage) a start before left there, kept after unless `cleanup`. */
async function startVsCode({ label, extensionPath, workspace, part, tmp: reuse, cleanup = true, port }) {
  const tmp = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), 'policy-facts-bench-'));
  const resultsFile = path.join(tmp, 'results.json');
  let server;
  let browser;
  const t0 = Date.now();
  try {
    server = await startServer({
      tmp,
      port,
      env: {
        POLICY_FACTS_BENCH_RESULTS: resultsFile,
        POLICY_FACTS_BENCH_PART: part,
        POLICY_FACTS_BENCH_HOVERS: String(hovers),
        POLICY_FACTS_BENCH_SNAPSHOT: SNAPSHOT,
        ...(profileOut && part === 'all' ? { POLICY_FACTS_BENCH_PROFILE: path.resolve(profileOut) } : {}),
        ...(startProfileOut && part === 'all' ? { POLICY_FACTS_BENCH_START_PROFILE: path.resolve(startProfileOut) } : {}),
      },
    });
    const launched = await launchBrowser();
    browser = launched.browser;
    const { page } = launched;
    let exit;
    const exited = new Promise((resolve, reject) => {
      exit = resolve;
      server.proc.on('exit', (c) => reject(new Error(`code-server exited unexpectedly (${c})`)));
      page.on('crash', () => reject(new Error('the browser page crashed')));
      setTimeout(() => reject(new Error(`no result within ${timeoutS} s`)), timeoutS * 1000).unref();
    });
    // The web workbench calls these when it runs the suite; expose them BEFORE loading it.
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      if (process.env.E2E_VERBOSE) (console[type] || console.log)(...args);
    });
    if (process.env.E2E_VERBOSE) page.on('console', (m) => console.log('[console]', m.type(), m.text()));
    await page.goto(
      workbenchUrl(server, {
        folder: workspace,
        payload: [
          ['extensionDevelopmentPath', remoteUri(server.host, extensionPath)],
          ['extensionTestsPath', remoteUri(server.host, SUITE)],
          ['skipWelcome', 'true'],
        ],
      }),
    );
    const code = await exited;
    const results = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : undefined;
    if (code !== 0 || !results || results.error) throw new Error(results?.error ?? `the suite exited with code ${code}`);
    results.log = policyFactsLog(tmp);
    log(`${label}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return results;
  } catch (e) {
    if (server) console.log(extensionHostLogTail(tmp));
    throw e;
  } finally {
    try {
      await browser?.close();
    } catch {
      // already closed
    }
    await server?.stop(keep || !cleanup);
    if (keep) log(`${label}: logs kept in ${tmp}`);
    else if (cleanup) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---- run ----------------------------------------------------------------------------------------

const load = [os.loadavg()[0]];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-facts-bench-ws-'));
const workspace = path.join(scratch, 'workspace');
makeWorkspace(workspace);
const snapshotExtension = extensionCopy(path.join(scratch, 'extension'));
const yamlExtensionDir = withYaml ? await yamlExtension(path.join(scratch, 'extension-yaml')) : undefined;
const baselineExtension = baselineDir ? extensionCopy(path.join(scratch, 'extension-baseline'), { source: path.resolve(baselineDir) }) : undefined;

const plan = [];
for (let i = 0; i < runs; i++) {
  plan.push({ variant: 'snapshot', label: `snapshot start ${i + 1}/${runs}${i === 0 ? ' + hovers' : ''}`, extensionPath: snapshotExtension, part: i === 0 ? 'all' : 'start' });
  if (yamlExtensionDir) plan.push({ variant: 'yaml', label: `YAML start ${i + 1}/${runs}`, extensionPath: yamlExtensionDir, part: 'start' });
  if (baselineExtension) plan.push({ variant: 'baseline', label: `baseline start ${i + 1}/${runs}`, extensionPath: baselineExtension, part: 'start' });
}
const done = [];
/** Per knowledge-base size: its workspace, and pairs of starts there: first (parsed), next (from the cache). */
const kbRuns = kbSizes.map((entities) => ({ entities, workspace: path.join(scratch, `workspace-kb-${entities}`), bytes: 0, pairs: [] }));
try {
  for (const s of plan) {
    log(`${s.label}…`);
    done.push({ ...s, results: await startVsCode({ ...s, workspace }) });
    load.push(os.loadavg()[0]);
  }
  for (const kb of kbRuns) {
    kb.bytes = makeKbWorkspace(kb.workspace, kb.entities);
    for (let i = 0; i < kbPairs; i++) {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-facts-bench-'));
      try {
        // The same port too: VS Code keys the workspace's storage by the server's address as well.
        const common = { extensionPath: snapshotExtension, workspace: kb.workspace, part: 'start', tmp, cleanup: false, port: await freePort() };
        const label = (which) => `workspace knowledge base of ${kb.entities} entities, ${which} start ${i + 1}/${kbPairs}`;
        log(`${label('first')}…`);
        const first = await startVsCode({ ...common, label: label('first') });
        log(`${label('next')}…`);
        const next = await startVsCode({ ...common, label: label('next') });
        kb.pairs.push({ first, next });
      } finally {
        if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
      }
      load.push(os.loadavg()[0]);
    }
  }
} catch (e) {
  console.error(`benchmark failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
if (!done.length) process.exit(1);

// ---- report -------------------------------------------------------------------------------------

if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(kbRuns.some((kb) => kb.pairs.length) ? { starts: done, workspaceKnowledgeBase: kbRuns } : done, null, 2));
for (const d of done) for (const l of d.results.log ?? []) console.log(`  [${d.variant}] ${l}`);

const fmt = (ms, digits) => (ms === undefined || Number.isNaN(ms) ? '–' : ms.toFixed(digits ?? (ms < 10 ? 3 : ms < 100 ? 1 : 0)));
const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (!s.length) return undefined;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const starts = (variant) => done.filter((d) => d.variant === variant).map((d) => d.results.start);
const snapStarts = starts('snapshot');
const VARIANT_NAMES = {
  snapshot: 'Bundled facts precompiled in the bundle',
  yaml: 'Seeds parsed from YAML (no snapshot)',
  baseline: `Baseline: ${baselineLabel ?? (baselineDir ? path.basename(path.resolve(baselineDir)) : '')}`,
};
const ROW_NAMES = { snapshot: 'in the bundle', yaml: 'seeds/*.yaml, parsed', baseline: 'baseline build' };
const variants = ['snapshot', 'yaml', 'baseline'].filter((v) => done.some((d) => d.variant === v));
const first = done[0].results;
const hover = done.find((d) => d.results.hover)?.results.hover;
const env = first.env;
const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model?.trim() ?? 'unknown',
  cores: cpus.length,
  memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
  node: process.version,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  load: `${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`,
};

const med = (list, key) => median(list.map((s) => s[key]));
const load_ = done.find((d) => d.results.load)?.results.load;
const ratio = (a, b) => (a !== undefined && b ? ` (${(a / b).toFixed(1)}×)` : '');
const lines = [];
const p = (...xs) => lines.push(...xs);
p('# Policy Facts in VS Code: start and hover benchmark', '');
p(
  `Measured inside the real VS Code (${env.appName} ${CS_VERSION}, VS Code ${env.vscode}, ${env.uiKind} workbench in headless Chromium, Node extension host v${env.extensionHostNode}) ` +
    'with `npm run bench:vscode` (bench/vscode/run.mjs, bench/vscode/suite.ts). ' +
    `Generated ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on the machine below; every number is wall-clock time on that machine under its load at the time.`,
  '',
);
p('## Headline', '');
p(`Start: median of ${snapStarts.length} cold start${snapStarts.length === 1 ? '' : 's'} per column (min–max in brackets), all times from the first line of \`activate()\`; then how much slower than the precompiled facts in the bundle.`, '');
p(`| | ${variants.map((v) => VARIANT_NAMES[v]).join(' | ')} | Target |`, `|---|${variants.map(() => '---:|').join('')}---:|`);
const range = (list, key) => {
  const xs = list.map((s) => s[key]).filter((x) => x !== undefined);
  return xs.length > 1 ? ` (${fmt(Math.min(...xs), 0)}–${fmt(Math.max(...xs), 0)})` : '';
};
const startRow = (label, key, target) => {
  const base = med(snapStarts, key);
  const cells = variants.map((v) => {
    const m = med(starts(v), key);
    return v === 'snapshot' ? `**${fmt(m, 0)} ms**${range(starts(v), key)}` : `${fmt(m, 0)} ms${range(starts(v), key)}${ratio(m, base)}`;
  });
  p(`| ${label} | ${cells.join(' | ')} | ${target} |`);
};
startRow('First hover answered by the provider called in process (no round trip to the workbench)', 'activateToInProcessHoverMs', `< ${TARGET_START_MS} ms`);
startRow('First hover answered through `vscode.executeHoverProvider`', 'activateToFirstHoverMs', '–');
startRow('Bundled facts in use', 'firstKnowledgeMs', '–');
startRow('Ready: bundled and workspace fact files loaded (includes the workspace search)', 'readyMs', '–');
p('');
if (hover) {
  p('Hover:', '');
  p('| | Median | p99 | Target |', '|---|---:|---:|---:|');
  p(`| In process, ${hover.lines.toLocaleString('en-GB')}-line draft, ${hover.direct.all.n} hovers | **${fmt(hover.direct.all.median)} ms** | **${fmt(hover.direct.all.p99)} ms** | p99 < ${TARGET_HOVER_P99_MS} ms |`);
  p(`| Through \`vscode.executeHoverProvider\`, same positions | ${fmt(hover.executeHover.all.median, 1)} ms | ${fmt(hover.executeHover.all.p99, 1)} ms | – |`);
  p(`| IPC floor: \`executeHoverProvider\` where no provider answers | ${fmt(hover.floor.median, 1)} ms | ${fmt(hover.floor.p99, 1)} ms | – |`);
  p('');
}
// Where the start goes, from the extension's own log lines and timings (precompiled facts).
const fromLog = (re) =>
  median(
    done
      .filter((d) => d.variant === 'snapshot')
      .map((d) => (d.results.log ?? []).map((l) => l.match(re)).find(Boolean))
      .map((m) => (m ? Number(m[1]) : undefined)),
  );
const parseMs = fromLog(/precompiled snapshot \(parsed in (\d+) ms\)/);
const buildMs = fromLog(/^\[info\] Knowledge base #1:.*built in (\d+) ms/);
const bundledStep = median(snapStarts.map((x) => x.steps?.['bundled facts']));
const afterActivate = median(snapStarts.map((x) => (x.activateToInProcessHoverMs ?? NaN) - (x.activateMs ?? NaN)).filter((x) => !Number.isNaN(x)));
p(
  `Where the start goes with the precompiled facts (medians): \`activate()\` ${fmt(med(snapStarts, 'activateMs'), 0)} ms, of which putting the bundled facts in use ${fmt(bundledStep, 0)} ms ` +
    `(parsing the embedded snapshot ${fmt(parseMs, 0)} ms, building the knowledge base ${fmt(buildMs, 0)} ms; no file is read); ` +
    `from \`activate()\` returning to the first hover answered in process ${fmt(afterActivate, 0)} ms, of which the hover call itself ${fmt(med(snapStarts, 'firstHoverCallMs'), 0)} ms. ` +
    `The first check of draft.md, which builds the name matcher, took ${fmt(med(snapStarts, 'firstCheckMs'), 0)} ms: inside \`activate()\` (the draft view shows the active draft) when draft.md was already the active editor, else in that hover call. ` +
    "Between `activate()` returning and the hover, the extension host is busy with VS Code's own start (the built-in Markdown extension activates on the same file).",
  '',
);
// Each target, met or not; when not, by how much, why and what would close it.
const firstHover = med(snapStarts, 'activateToInProcessHoverMs');
if (firstHover !== undefined) {
  const met = firstHover < TARGET_START_MS;
  p(
    `First hover target (< ${TARGET_START_MS} ms in process, median): ${met ? '**met**' : '**not met**'} at ${fmt(firstHover, 0)} ms.` +
      (met
        ? ''
        : ` ${firstHover - TARGET_START_MS < 1 ? 'Missed by less than 1 ms' : `Missed by ${fmt(firstHover - TARGET_START_MS, 0)} ms (${fmt(firstHover / TARGET_START_MS, 2)}×)`}. ` +
          `Most of it is \`activate()\` (${fmt(med(snapStarts, 'activateMs'), 0)} ms), and within it building the knowledge base from the snapshot ` +
          `(${fmt(buildMs, 0)} ms: it normalises every name) and the first check of the draft (${fmt(med(snapStarts, 'firstCheckMs'), 0)} ms, which builds the name matcher); ` +
          `the rest is the extension host running VS Code's own start. The load average during the run was ${machine.load}, and these times move with it. ` +
          'Closing it: the name index precompiled into the snapshot, so that neither the knowledge base nor the matcher is built at start.'),
    '',
  );
}
if (hover) {
  const met = hover.direct.all.p99 < TARGET_HOVER_P99_MS;
  p(
    `Hover target (p99 < ${TARGET_HOVER_P99_MS} ms in process): ${met ? '**met**' : '**not met**'} at ${fmt(hover.direct.all.p99)} ms.` +
      (met ? '' : ` Missed by ${fmt(hover.direct.all.p99 / TARGET_HOVER_P99_MS, 2)}×: the slowest hovers are those that wait for a garbage collection or for the draft's check; closing it means a hover that never waits for a check.`),
    '',
  );
}
for (const { entities: kbEntities, bytes: kbBytes, pairs: kbDone } of kbRuns.filter((kb) => kb.pairs.length)) {
  // The extension's log lines of the knowledge base with the workspace's fact files. The profile
  // is reused, so the next start's log follows the first's: the last such lines are its own.
  const loaded = (r) => (r.log ?? []).filter((l) => /workspace files \d+ ms/.test(l)).pop();
  const early = (r) => (r.log ?? []).filter((l) => /before the workspace search/.test(l)).pop();
  // How long reading the workspace's fact files took, and how many came from the cache: when they
  // were put in use before the search ended, from loading's start until then (reading the cache
  // included), else after the search.
  const files = (r) => {
    const e = (early(r) ?? '').match(/\((\d+) ms: \d+ workspace fact files before the workspace search, (\d+) of (\d+) unchanged, from the cache/);
    if (e) return { ms: Number(e[1]), cached: `${e[2]} of ${e[3]}, before the search` };
    const m = (loaded(r) ?? '').match(/workspace files (\d+) ms(?: \((\d+) of (\d+) unchanged, from the cache[;)])?/);
    return m ? { ms: Number(m[1]), cached: m[2] === undefined ? undefined : `${m[2]} of ${m[3]}` } : {};
  };
  const holdUp = (st) => (st.longestHoldUpMs === undefined ? '–' : `${fmt(st.longestHoldUpMs, 0)} ms (${fmt(st.heldUpMs, 0)} ms)`);
  const firstReady = median(kbDone.map((x) => x.first.start.readyMs));
  const nextReady = median(kbDone.map((x) => x.next.start.readyMs));
  const firstInUse = median(kbDone.map((x) => x.first.start.workspaceKnowledgeMs));
  const nextInUse = median(kbDone.map((x) => x.next.start.workspaceKnowledgeMs));
  const entities = kbDone[0].next.knowledge?.entities;
  p(`## A workspace with its own ${kbEntities.toLocaleString('en-GB')}-entity knowledge base`, '');
  p(
    `The same extension on a workspace that also holds the benchmark's synthetic fact files for ${kbEntities.toLocaleString('en-GB')} entities (${(kbBytes / 1048576).toFixed(1)} MB of YAML in .policy-facts/${entities ? `; ${entities.toLocaleString('en-GB')} entities in use with the bundled ones` : ''})${kbDocuments ? ` and ${kbDocuments.toLocaleString('en-GB')} other documents in folders (small Markdown papers, for VS Code's search for fact files to walk through)` : ''}, ` +
      'started twice on the same profile: the first start parses every fact file and keeps what it loaded in the workspace\'s storage; the next takes each unchanged file from there, and puts those files in use before VS Code\'s workspace search has ended. ' +
      `Median of ${kbDone.length} pair${kbDone.length === 1 ? '' : 's'}: the workspace's facts were in use after **${fmt(firstInUse, 0)} ms** on the first start and **${fmt(nextInUse, 0)} ms** on the next${ratio(firstInUse, nextInUse)}; ` +
      `ready (the search ended and every file loaded) after ${fmt(firstReady, 0)} ms and ${fmt(nextReady, 0)} ms. ` +
      `Meanwhile the longest hold-up of the extension host was ${fmt(median(kbDone.map((x) => x.first.start.longestHoldUpMs)), 0)} ms on the first start and ${fmt(median(kbDone.map((x) => x.next.start.longestHoldUpMs)), 0)} ms on the next (medians; see below).`,
    '',
  );
  p('| Pair | First start: workspace facts in use | ready | its fact files | longest hold-up (total beyond 50 ms) | Next start: workspace facts in use | ready | its fact files (from the cache) | longest hold-up (total beyond 50 ms) |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  kbDone.forEach((x, i) => {
    const a = files(x.first);
    const b = files(x.next);
    p(
      `| ${i + 1} | ${fmt(x.first.start.workspaceKnowledgeMs, 0)} ms | ${fmt(x.first.start.readyMs, 0)} ms | ${fmt(a.ms, 0)} ms | ${holdUp(x.first.start)} | ${fmt(x.next.start.workspaceKnowledgeMs, 0)} ms | ${fmt(x.next.start.readyMs, 0)} ms | ${fmt(b.ms, 0)} ms (${b.cached ?? '–'}) | ${holdUp(x.next.start)} |`,
    );
  });
  p(
    '',
    '"Its fact files": on the first start, reading and parsing them once the search has ended; on the next, from the start of loading until the files of the cache were in use ("before the search"), reading the cache included, or else reading them after the search. ' +
      '"Longest hold-up": from the first line of `activate()` until ready, the longest the extension host went without running a timer due every 5 ms, so the longest a hover, a keystroke\'s check or another extension had to wait while the knowledge base loaded; in brackets, the time beyond 50 ms of every hold-up, added up. It counts everything the extension host ran meanwhile, other extensions included. Before `activate()`, VS Code starting the extension host held it up for up to ' +
        `${fmt(Math.max(...kbDone.flatMap((x) => [x.first.start.longestHoldUpBeforeMs ?? 0, x.next.start.longestHoldUpBeforeMs ?? 0])), 0)} ms.`,
    '',
  );
  const lines = [loaded(kbDone[0].first), early(kbDone[0].next), loaded(kbDone[0].next)].filter(Boolean);
  if (lines.length) p("Where the time goes, from the extension's log (pair 1): the first start, then the next start (its files from the cache before the search, then the search's end):", '', '```', ...lines, '```', '');
}
p('## Machine', '');
p('| | |', '|---|---|');
p(`| CPU | ${machine.cpu} |`, `| Cores | ${machine.cores} |`, `| Memory | ${machine.memory} |`, `| OS | ${machine.os} |`);
p(`| Node (runner / extension host) | ${machine.node} / v${env.extensionHostNode} |`, `| VS Code | ${env.vscode} (${env.appName} ${CS_VERSION}) |`);
p(`| 1-minute load average during the run | ${machine.load} |`, '');
if (first.knowledge) {
  p(`Knowledge base: the bundled facts only — ${first.knowledge.entities} entities, ${first.knowledge.facts} facts, ${first.knowledge.sources} sources in ${first.knowledge.files} fact files. The workspace has no fact files of its own${kbRuns.some((kb) => kb.pairs.length) ? ' (except in the last sections)' : ''}.`, '');
}
p('## Start', '');
p(
  `Each row is a fresh VS Code (new server, new profile, new browser page) on the same workspace; the variants alternate. The suite opens \`draft.md\`, which activates the extension, and from then on asks for the hover on "${FIRST_HOVER_NAME}" two ways at once: through \`vscode.executeHoverProvider\` (one call after another, like a mouse resting on the name) and by calling the registered provider in the extension host every millisecond. All times are on the extension host's \`performance.now()\` clock, from the first line of \`activate()\` (\`api.timings.start\`).`,
  '',
);
p(
  '| Bundled facts from | Open → `activate()` | `activate()` returned | Bundled facts in use | **First hover, in process** | That hover call (the check of draft.md it used) | **First hover, `executeHoverProvider`** | `executeHoverProvider` calls (sent → answered) | Ready, incl. workspace search |',
  '|---|---:|---:|---:|---:|---:|---:|---|---:|',
);
for (const d of done) {
  const s = d.results.start;
  const polls = s.polls.map((x) => `${fmt(x.sent, 0)}→${fmt(x.answered, 0)}${x.content ? ' ✓' : ''}`).join(', ');
  p(
    `| ${ROW_NAMES[d.variant]}${s.wasActive ? ' (already active!)' : ''} | ${fmt(s.openToActivateMs, 0)} ms | ${fmt(s.activateMs, 1)} ms | ${fmt(s.firstKnowledgeMs, 0)} ms | **${fmt(s.activateToInProcessHoverMs, 0)} ms** | ${fmt(s.firstHoverCallMs, 0)} ms (${fmt(s.firstCheckMs, 0)} ms) | **${fmt(s.activateToFirstHoverMs, 0)} ms** | ${polls} | ${fmt(s.readyMs, 0)} ms |`,
  );
}
p('');
const steps = done.find((d) => d.variant === 'snapshot')?.results.start.steps;
if (steps) {
  p(`Inside \`activate()\` (first start with the precompiled facts): ${Object.entries(steps).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmt(v, 1)} ms`).join(', ')}.`, '');
}
const logs = variants.flatMap((v) => {
  const l = done.find((d) => d.variant === v)?.results.log ?? [];
  return l.length ? [`# ${ROW_NAMES[v]}`, ...l] : [];
});
if (logs.length) p("The extension's log, first start of each kind:", '', '```', ...logs, '```', '');
if (load_) {
  p(
    `Once VS Code has settled, one \`vscode.workspace.fs.readFile\` of a file of the extension (its package.json) takes ${fmt(load_.readFile.median, 1)} ms (median of ${load_.readFile.n}; p90 ${fmt(load_.readFile.p90, 1)} ms): even for the extension's own files it is a round trip to the workbench, and while VS Code starts it takes hundreds of milliseconds, which is why the bundled facts are in the bundle. ` +
      `Warm (median of ${load_.parseAndBuild.n}), parsing the snapshot and building the knowledge base takes ${fmt(load_.parseAndBuild.median, 1)} ms, and building its name matcher ${fmt(load_.matcher.median, 1)} ms; the first time, in \`activate()\`, both cost several times more (cold code).`,
    '',
  );
}
if (hover) {
  p('## Hover latency', '');
  p(
    `Draft: ${hover.lines.toLocaleString('en-GB')} lines, ${hover.chars.toLocaleString('en-GB')} characters, ${hover.mentions.toLocaleString('en-GB')} mentions, ${hover.findings.toLocaleString('en-GB')} findings. ` +
      `${hover.direct.all.n} positions (half on mentions, a quarter on figures, a quarter on plain words; fixed seed) after ${hover.warmup} warm-up hovers. ` +
      `The first hover on the draft, which checks the whole draft, took ${fmt(hover.firstHoverMs, 0)} ms; every later one reuses that check.`,
    '',
  );
  p('| Call | Positions | n | With content | Median | p90 | p99 | Max | Median ÷ IPC floor |', '|---|---|---:|---:|---:|---:|---:|---:|---:|');
  const row = (call, what, x) => {
    const r = x.median / hover.floor.median;
    p(`| ${call} | ${what} | ${x.n} | ${x.withContent ?? '–'} | ${fmt(x.median)} ms | ${fmt(x.p90)} ms | ${fmt(x.p99)} ms | ${fmt(x.max)} ms | ${r.toFixed(r < 0.1 ? 3 : 2)} |`);
  };
  const kinds = [['all', 'all'], ['mention', 'mentions'], ['figure', 'figures'], ['plain', 'plain words']];
  for (const [key, what] of kinds) row('`provideHover`, in process', what, hover.direct[key]);
  for (const [key, what] of kinds) row('`vscode.executeHoverProvider`', what, hover.executeHover[key]);
  row('IPC floor: `executeHoverProvider` on floor.ini', 'any', hover.floor);
  p('');
  p(
    "In process = the registered provider's `provideHover` (exposed as `api.features.hover`) called directly in the extension host. " +
      '`executeHoverProvider` adds the round trip to the workbench (in the browser here) and back, and any other hover provider for Markdown. The IPC floor is the same command on a file of a language no extension serves hovers for; each floor call is paired with one hover call, so both see the same load.',
    '',
  );
}
p('## Method', '');
p(
  '- `npm run bench:vscode` builds, then for each start: code-server on 127.0.0.1 with a fresh profile, headless Chromium on the workbench, `out/bench/vscode/suite.js` as the tests entry point (the harness of the integration tests, test/e2e/lib.mjs). Its options (`--runs`, `--hovers`, `--no-yaml`, `--baseline`, `--json`, `--profile`, …) are described at the top of run.mjs.',
  '- The extension under test is a copy of what the .vsix ships (.vscodeignore) whose only activation event is opening a Markdown file, so that the suite starts the activation it measures (the real manifest also activates on plain text, which VS Code triggers while starting, before the suite could ask for a hover). The .vsix no longer holds dist/seeds.json: both bundles carry the precompiled facts. The YAML variant is the same copy with the bundles rebuilt without the snapshot: activation then parses seeds/*.yaml as it did before the snapshot existed.',
  ...(baselineDir ? [`- Baseline: ${baselineLabel ?? 'another build of the extension'}, copied and started the same way.`] : []),
  '- Workspace (generated from dist/seeds.json): `draft.md` (a short briefing), `draft-10k.md` (10,000 lines naming the bundled programmes and organisations, with right and wrong figures), `floor.ini`. No workspace fact files.',
  '- A first hover through `executeHoverProvider` is only as precise as one round trip, and while VS Code starts one round trip takes hundreds of milliseconds (the "sent → answered" column); the in-process column has 1 ms resolution.',
  '',
);
const md = `${lines.join('\n')}`;

// Console table.
console.log('');
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, node ${machine.node}, VS Code ${env.vscode}, load ${machine.load}`);
console.table(
  done.map((d) => {
    const s = d.results.start;
    return {
      from: ROW_NAMES[d.variant],
      'open→activate': Number(fmt(s.openToActivateMs, 0)),
      'activate()': Number(fmt(s.activateMs, 1)),
      'bundled facts in use': Number(fmt(s.firstKnowledgeMs, 0)),
      'first hover, in process': Number(fmt(s.activateToInProcessHoverMs, 0)),
      'that call': Number(fmt(s.firstHoverCallMs, 0)),
      'first hover, executeHoverProvider': Number(fmt(s.activateToFirstHoverMs, 0)),
      'ready (with workspace search)': Number(fmt(s.readyMs, 0)),
    };
  }),
);
if (hover) {
  const r = (name, s) => ({ call: name, n: s.n, 'median ms': Number(fmt(s.median)), 'p90 ms': Number(fmt(s.p90)), 'p99 ms': Number(fmt(s.p99)), 'max ms': Number(fmt(s.max)), '÷ floor': Number((s.median / hover.floor.median).toFixed(3)) });
  console.table([r('provideHover (in process)', hover.direct.all), r('executeHoverProvider', hover.executeHover.all), r('IPC floor', hover.floor)]);
}
for (const v of variants) {
  console.log(`${ROW_NAMES[v]}: activation → first hover, median ${fmt(med(starts(v), 'activateToFirstHoverMs'), 0)} ms through executeHoverProvider, ${fmt(med(starts(v), 'activateToInProcessHoverMs'), 0)} ms in process (target < ${TARGET_START_MS} ms)`);
}
if (hover) console.log(`hover in process: median ${fmt(hover.direct.all.median)} ms, p99 ${fmt(hover.direct.all.p99)} ms (target p99 < ${TARGET_HOVER_P99_MS} ms)`);
for (const { entities: kbEntities, pairs: kbDone } of kbRuns) kbDone.forEach((x, i) =>
  console.log(`workspace knowledge base of ${kbEntities} entities, pair ${i + 1}: workspace facts in use ${fmt(x.first.start.workspaceKnowledgeMs, 0)} ms, ready ${fmt(x.first.start.readyMs, 0)} ms, longest hold-up ${fmt(x.first.start.longestHoldUpMs, 0)} ms on the first start; ${fmt(x.next.start.workspaceKnowledgeMs, 0)} ms, ${fmt(x.next.start.readyMs, 0)} ms and ${fmt(x.next.start.longestHoldUpMs, 0)} ms on the next (from the cache)`),
);
if (write && !process.exitCode) {
  fs.writeFileSync(RESULTS_MD, `${md}\n`);
  console.log(`wrote ${path.relative(ROOT, RESULTS_MD)}`);
}
