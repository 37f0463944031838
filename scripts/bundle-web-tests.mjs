// Bundles the tests for VS Code for the web (test/web) into one script, out/web-tests/index.js:
// the web worker extension host evaluates a single CommonJS file in which only `vscode` can be
// required, so mocha's browser build and every test file go inside it. esbuild fails the build
// if anything in it imports a Node built-in.
//   node scripts/bundle-web-tests.mjs [--grep <text>]
// test/e2e/run-tests.mjs --web runs this itself before every run.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_TESTS_OUTFILE = path.join(ROOT, 'out', 'web-tests', 'index.js');

/**
 * Builds out/web-tests/index.js. `grep`: run only the tests whose full title contains it (the
 * worker has no environment to pass it in, so it is fixed in the bundle). Throws with esbuild's
 * message if the build fails or the bundle imports anything but `vscode`.
 */
export async function bundleWebTests({ root = ROOT, grep = '' } = {}) {
  const outfile = path.join(root, path.relative(ROOT, WEB_TESTS_OUTFILE));
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['test/web/index.ts'],
    outfile,
    bundle: true,
    platform: 'browser',
    mainFields: ['browser', 'module', 'main'],
    format: 'cjs',
    target: 'es2022',
    external: ['vscode'],
    sourcemap: true,
    logLevel: 'warning',
    metafile: true,
    define: { POLICY_FACTS_WEB_TEST_GREP: JSON.stringify(grep) },
  });
  const nodeImports = Object.values(result.metafile.inputs)
    .flatMap((input) => input.imports)
    .filter((imp) => imp.external && imp.path !== 'vscode');
  if (nodeImports.length) {
    throw new Error(`imports ${[...new Set(nodeImports.map((x) => x.path))].join(', ')}, which the web worker extension host does not have`);
  }
  return { outfile, bytes: fs.statSync(outfile).size };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--grep');
  const t0 = Date.now();
  try {
    const { outfile, bytes } = await bundleWebTests({ grep: i > 0 ? process.argv[i + 1] : '' });
    console.log(`bundle-web-tests: ${path.relative(ROOT, outfile)} ${(bytes / 1024).toFixed(0)} KB in ${Date.now() - t0} ms`);
  } catch (e) {
    console.error(`bundle-web-tests: ${path.relative(ROOT, WEB_TESTS_OUTFILE)} failed: ${String(e?.message ?? e).split('\n')[0]}`);
    process.exit(1);
  }
}
