// Bundles the extension and the CLI with esbuild:
//   dist/seeds.json        seeds/*.yaml, loaded at build time (scripts/build-seeds.mjs)
//   dist/extension.js      the extension for desktop VS Code (Node extension host)
//   dist/web/extension.js  the same extension for VS Code for the web (browser worker)
//   dist/cli.js            the CLI (src/cli/main.ts); bin/policy-facts.js requires it
// Both extension bundles carry dist/seeds.json inside them (esbuild `define` of
// POLICY_FACTS_SEEDS_SNAPSHOT, see src/extension/seedsSnapshot.ts), so activation reads no file
// for the bundled facts; the .vsix does not ship dist/seeds.json itself. They also carry the
// loader's version (POLICY_FACTS_LOADER_VERSION), which names the cache of loaded workspace fact
// files they keep (src/extension/factFileCache.ts).
// `vscode` is provided by the host and never bundled. The web bundle may not use Node
// built-ins: esbuild fails the build if anything on its runtime path imports one.
//   node scripts/bundle.mjs [--watch] [--minify]
//   node scripts/bundle.mjs --bench    only out/bench/worker.bundle.js, for `npm run bench`
// In --watch mode an edit in seeds/ rebuilds dist/seeds.json and both extension bundles.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The name src/extension/seedsSnapshot.ts reads the embedded snapshot from (`embeddedSeedsSnapshot`). */
const SEEDS_DEFINE = 'POLICY_FACTS_SEEDS_SNAPSHOT';
/** How every snapshot begins (`createSeedsSnapshot`): found exactly once in a bundle that embeds it. */
const SNAPSHOT_START = '"format":1,"files":[';

/**
 * `yaml` resolves to its browser build in every bundle, Node ones too. Its Node build reads
 * `process.env` for every token it parses (a debugging switch), and each read is a call into the
 * environment: about 2 million reads, 0.4–0.7 s, for 7 MB of fact files. The browser build is the
 * same parser without those reads, and the web bundle already uses it.
 * @returns {esbuild.Plugin}
 */
export function yamlBrowserBuild(root = ROOT) {
  const entry = path.join(root, 'node_modules', 'yaml', 'browser', 'index.js');
  return {
    name: 'yaml-browser-build',
    setup(build) {
      build.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
    },
  };
}

/** @returns {esbuild.BuildOptions} */
function commonOptions(root, minify) {
  return {
    bundle: true,
    format: 'cjs',
    target: 'es2022',
    sourcemap: true,
    minify,
    logLevel: 'warning',
    absWorkingDir: root,
    // zod and yaml check NODE_ENV in places; a constant keeps `process` out of the web bundle.
    define: { 'process.env.NODE_ENV': minify ? '"production"' : '"development"' },
    plugins: [yamlBrowserBuild(root)],
  };
}

/** The name src/extension/factFileCache.ts reads the loader's version from (`loaderVersion`). */
const LOADER_DEFINE = 'POLICY_FACTS_LOADER_VERSION';

/**
 * What loaded fact files depend on besides their bytes: the engine's sources and the versions of
 * the YAML parser and the validator. A cache of loaded files written by another build is never
 * read (see src/extension/factFileCache.ts).
 */
export function loaderVersion(root = ROOT) {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
    }
  };
  walk(path.join(root, 'src', 'core'));
  for (const pkg of ['package.json', 'node_modules/yaml/package.json', 'node_modules/zod/package.json']) {
    hash.update(JSON.parse(fs.readFileSync(path.join(root, pkg), 'utf8')).version ?? '').update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The two extension bundles (Node and browser). With `seedsJson` (the text of dist/seeds.json)
 * each carries it as its bundled facts; without, the extension parses seeds/*.yaml when it starts.
 * `outdir` (instead of dist/) takes them elsewhere. Without `cacheable` they carry no loader
 * version, so they keep no cache of loaded fact files.
 * @returns {esbuild.BuildOptions[]}
 */
export function extensionBuilds({ root = ROOT, minify = false, seedsJson, outdir, cacheable = true } = {}) {
  const common = commonOptions(root, minify);
  const define = {
    ...common.define,
    // Not in --watch builds: the define is fixed per context, and the engine changes under it.
    ...(cacheable ? { [LOADER_DEFINE]: JSON.stringify(loaderVersion(root)) } : {}),
    ...(seedsJson === undefined ? {} : { [SEEDS_DEFINE]: JSON.stringify(seedsJson) }),
  };
  const builds = [
    {
      ...common,
      define,
      entryPoints: ['src/extension/extension.ts'],
      outfile: 'dist/extension.js',
      platform: 'node',
      external: ['vscode'],
    },
    {
      ...common,
      define,
      entryPoints: ['src/extension/extension.ts'],
      outfile: 'dist/web/extension.js',
      platform: 'browser',
      mainFields: ['browser', 'module', 'main'],
      external: ['vscode'],
    },
  ];
  return outdir ? builds.map((b) => ({ ...b, outfile: path.join(outdir, path.relative('dist', b.outfile)) })) : builds;
}

/**
 * The benchmark's worker (bench/worker.ts) with the engine bundled exactly as the extension and
 * the CLI ship it, so `npm run bench` measures the code users run. Needs `tsc -p .` first only for
 * run.js, which starts it.
 * @returns {esbuild.BuildOptions}
 */
export function benchWorkerBuild({ root = ROOT } = {}) {
  return {
    ...commonOptions(root, false),
    entryPoints: ['bench/worker.ts'],
    outfile: 'out/bench/worker.bundle.js',
    platform: 'node',
  };
}

/** Builds dist/seeds.json (scripts/build-seeds.mjs) and returns it with its text. */
async function buildSeedsJson(root) {
  const { buildSeeds } = await import('./build-seeds.mjs');
  const r = await buildSeeds({ root });
  return { ...r, json: fs.readFileSync(r.file, 'utf8') };
}

/** What is wrong with a built bundle, if anything: yaml's Node build, Node built-ins in the browser, the snapshot missing or twice. */
function problemsOf(build, result, embedded) {
  const problems = [];
  if (Object.keys(result.metafile.inputs).some((input) => input.replace(/\\/g, '/').includes('node_modules/yaml/dist/'))) {
    problems.push("bundles yaml's Node build, which reads process.env for every token it parses");
  }
  if (build.platform === 'browser') {
    // No Node built-in may reach the browser bundle, not even as an unresolved import.
    const nodeImports = Object.values(result.metafile.inputs)
      .flatMap((input) => input.imports)
      .filter((imp) => imp.external && imp.path !== 'vscode');
    if (nodeImports.length) problems.push(`imports ${[...new Set(nodeImports.map((x) => x.path))].join(', ')}, which a browser does not have`);
  }
  if (embedded) {
    const text = fs.readFileSync(path.resolve(build.absWorkingDir, build.outfile), 'utf8');
    const copies = text.split(SNAPSHOT_START).length - 1;
    if (copies !== 1) problems.push(`holds ${copies} copies of the bundled facts instead of one`);
  }
  return problems;
}

async function main() {
  const root = ROOT;
  const watch = process.argv.includes('--watch');
  const minify = process.argv.includes('--minify');
  const t0 = Date.now();
  if (process.argv.includes('--bench')) {
    const build = benchWorkerBuild({ root });
    await esbuild.build(build).catch((e) => {
      console.error(`bundle: ${build.outfile} failed: ${e?.message ?? e}`);
      process.exit(1);
    });
    return;
  }

  // First the bundled knowledge base, precompiled: both extension bundles embed it.
  let seeds;
  try {
    seeds = await buildSeedsJson(root);
  } catch (e) {
    console.error(`bundle: dist/seeds.json failed: ${e?.message ?? e}`);
    process.exit(1);
  }
  const cli = [];
  if (fs.existsSync(path.join(root, 'src/cli/main.ts'))) {
    cli.push({
      ...commonOptions(root, minify),
      entryPoints: ['src/cli/main.ts'],
      outfile: 'dist/cli.js',
      platform: 'node',
      // Some dependencies are ESM and read import.meta.url, which a CommonJS bundle lacks.
      banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      define: { ...commonOptions(root, minify).define, 'import.meta.url': '__importMetaUrl' },
    });
  } else {
    console.warn('bundle: src/cli/main.ts does not exist yet; dist/cli.js not built');
  }

  if (watch) {
    let extension = await Promise.all(extensionBuilds({ root, minify, seedsJson: seeds.json, cacheable: false }).map((b) => esbuild.context(b)));
    const others = await Promise.all(cli.map((b) => esbuild.context(b)));
    await Promise.all([...extension, ...others].map((c) => c.watch()));
    // The snapshot is a define, fixed per context: an edit in seeds/ means new contexts.
    let timer;
    let queue = Promise.resolve();
    fs.watch(path.join(root, 'seeds'), () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        queue = queue.then(async () => {
          try {
            const next = await buildSeedsJson(root);
            if (next.json === seeds.json) return;
            seeds = next;
            await Promise.all(extension.map((c) => c.dispose()));
            extension = await Promise.all(extensionBuilds({ root, minify, seedsJson: seeds.json, cacheable: false }).map((b) => esbuild.context(b)));
            await Promise.all(extension.map((c) => c.watch()));
            console.log('bundle: seeds/ changed: dist/seeds.json and the extension bundles rebuilt');
          } catch (e) {
            console.error(`bundle: seeds/ changed but could not be loaded: ${e?.message ?? e}`);
          }
        });
      }, 200);
    });
    console.log(`bundle: watching src/ and seeds/ for ${[...extensionBuilds({ root }), ...cli].map((b) => b.outfile).join(', ')}`);
    return;
  }

  const builds = [...extensionBuilds({ root, minify, seedsJson: seeds.json }), ...cli];
  const results = await Promise.allSettled(builds.map((b) => esbuild.build({ ...b, metafile: true })));
  let failed = false;
  for (const [i, r] of results.entries()) {
    const name = builds[i].outfile;
    if (r.status === 'rejected') {
      failed = true;
      console.error(`bundle: ${name} failed: ${r.reason?.message ?? r.reason}`);
      continue;
    }
    for (const problem of problemsOf(builds[i], r.value, SEEDS_DEFINE in (builds[i].define ?? {}))) {
      failed = true;
      console.error(`bundle: ${name} ${problem}`);
    }
  }
  if (failed) process.exit(1);
  const sizes = builds.map((b) => `${b.outfile} ${(fs.statSync(path.join(root, b.outfile)).size / 1024).toFixed(0)} KB`);
  console.log(`bundle: ${[`${path.relative(root, seeds.file)} ${(seeds.bytes / 1024).toFixed(0)} KB (in both extension bundles)`, ...sizes].join(', ')} in ${Date.now() - t0} ms`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
