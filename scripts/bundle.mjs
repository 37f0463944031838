// Bundles the extension and the CLI with esbuild:
//   dist/extension.js      the extension for desktop VS Code (Node extension host)
//   dist/web/extension.js  the same extension for VS Code for the web (browser worker)
//   dist/cli.js            the CLI (src/cli/main.ts); bin/policy-facts.js requires it
//   dist/seeds.json        seeds/*.yaml, loaded at build time (scripts/build-seeds.mjs)
// `vscode` is provided by the host and never bundled. The web bundle may not use Node
// built-ins: esbuild fails the build if anything on its runtime path imports one.
//   node scripts/bundle.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  format: 'cjs',
  target: 'es2022',
  sourcemap: true,
  minify,
  logLevel: 'warning',
  absWorkingDir: root,
  // zod and yaml check NODE_ENV in places; a constant keeps `process` out of the web bundle.
  define: { 'process.env.NODE_ENV': minify ? '"production"' : '"development"' },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    mainFields: ['browser', 'module', 'main'],
    external: ['vscode'],
  },
];
if (fs.existsSync(path.join(root, 'src/cli/main.ts'))) {
  builds.push({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    // Some dependencies are ESM and read import.meta.url, which a CommonJS bundle lacks.
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
  });
} else {
  console.warn('bundle: src/cli/main.ts does not exist yet; dist/cli.js not built');
}

// dist/seeds.json: the bundled knowledge base, precompiled so activation parses no YAML.
const seeds = import('./build-seeds.mjs').then(({ buildSeeds }) => buildSeeds({ root }));

if (watch) {
  await seeds;
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`bundle: watching ${builds.map((b) => b.outfile).join(', ')}`);
} else {
  const t0 = Date.now();
  const results = await Promise.allSettled(builds.map((b) => esbuild.build({ ...b, metafile: true })));
  let failed = false;
  for (const [i, r] of results.entries()) {
    if (r.status === 'rejected') {
      failed = true;
      console.error(`bundle: ${builds[i].outfile} failed: ${r.reason?.message ?? r.reason}`);
      continue;
    }
    if (builds[i].platform === 'browser') {
      // No Node built-in may reach the browser bundle, not even as an unresolved import.
      const nodeImports = Object.values(r.value.metafile.inputs)
        .flatMap((input) => input.imports)
        .filter((imp) => imp.external && imp.path !== 'vscode');
      if (nodeImports.length) {
        failed = true;
        console.error(`bundle: ${builds[i].outfile} imports ${[...new Set(nodeImports.map((x) => x.path))].join(', ')}, which a browser does not have`);
      }
    }
  }
  const seedsBuilt = await seeds.then(
    (r) => `${path.relative(root, r.file)} ${(r.bytes / 1024).toFixed(0)} KB`,
    (e) => {
      failed = true;
      console.error(`bundle: dist/seeds.json failed: ${e?.message ?? e}`);
    },
  );
  if (failed) process.exit(1);
  const sizes = builds.map((b) => `${b.outfile} ${(fs.statSync(path.join(root, b.outfile)).size / 1024).toFixed(0)} KB`);
  console.log(`bundle: ${[...sizes, seedsBuilt].join(', ')} in ${Date.now() - t0} ms`);
}
