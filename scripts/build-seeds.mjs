// Precompiles the bundled knowledge base: parses seeds/*.yaml with the extension's own loader
// (src/extension/seedsSnapshot.ts over src/core, bundled on the fly with esbuild, so it is
// always the current source) and writes the loaded files to dist/seeds.json, which
// activation reads instead of parsing YAML. scripts/bundle.mjs runs this; on its own:
//   node scripts/build-seeds.mjs [--check]
// --check writes nothing and exits 1 when dist/seeds.json is missing or out of date.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { Module } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The pure snapshot module (and the core loader behind it), compiled for this Node process. */
async function loadSnapshotModule(root) {
  const result = await esbuild.build({
    stdin: {
      contents: "export { createSeedsSnapshot, isSeedFileName, SEEDS_DIR, SEEDS_SNAPSHOT_PATH } from './src/extension/seedsSnapshot.ts';",
      resolveDir: root,
      sourcefile: 'build-seeds-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
    absWorkingDir: root,
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  // Evaluated in memory: nothing is written next to the sources.
  const filename = path.join(root, 'scripts', 'build-seeds-entry.js');
  const mod = new Module(filename);
  mod.filename = filename;
  mod.paths = Module._nodeModulePaths(path.dirname(filename));
  mod._compile(result.outputFiles[0].text, filename);
  return mod.exports;
}

/**
 * Writes `dist/seeds.json` under `root` (unless `check`). Returns
 * `{ file, changed, files, bytes, ms }`; `changed` is false when the file was already up to date.
 */
export async function buildSeeds({ root = ROOT, check = false } = {}) {
  const t0 = Date.now();
  const { createSeedsSnapshot, isSeedFileName, SEEDS_DIR, SEEDS_SNAPSHOT_PATH } = await loadSnapshotModule(root);
  const dir = path.join(root, SEEDS_DIR);
  const seeds = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && isSeedFileName(e.name))
    .map((e) => ({ path: `${SEEDS_DIR}/${e.name}`, bytes: new Uint8Array(fs.readFileSync(path.join(dir, e.name))) }));
  const json = `${JSON.stringify(createSeedsSnapshot(seeds))}\n`;
  const file = path.join(root, ...SEEDS_SNAPSHOT_PATH.split('/'));
  const changed = !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== json;
  if (changed && !check) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, json);
  }
  return { file, changed, files: seeds.length, bytes: json.length, ms: Date.now() - t0 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check');
  const r = await buildSeeds({ check });
  const rel = path.relative(ROOT, r.file);
  if (check) {
    console.log(r.changed ? `seeds: ${rel} is out of date: run \`npm run bundle\`` : `seeds: ${rel} is up to date`);
    process.exit(r.changed ? 1 : 0);
  }
  console.log(`seeds: ${rel} (${r.files} fact files, ${(r.bytes / 1024).toFixed(0)} KB)${r.changed ? '' : ' unchanged'} in ${r.ms} ms`);
}
