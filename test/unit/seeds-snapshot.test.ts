import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KnowledgeBase, parseFactFile, renderEntityHover, type LoadedFactFile } from '../../src/core';
import {
  createSeedsSnapshot,
  filesFromSnapshot,
  hashBytes,
  isSeedFileName,
  readSeedsSnapshot,
  SEEDS_DIR,
  SEEDS_SNAPSHOT_PATH,
  type SeedBytes,
} from '../../src/extension/seedsSnapshot';
import { ROOT } from './helpers';

/**
 * The precompiled bundled knowledge base (dist/seeds.json, written by `npm run bundle`) is
 * exactly what the loader makes of seeds/*.yaml today, so starting from it changes nothing a
 * user sees; and a snapshot that no longer matches a seed file is never used for that file.
 */

/** Where the extension is installed, as activation would resolve it. */
const EXTENSION = 'file:///extensions/policy-facts';
const resolve = (p: string) => `${EXTENSION}/${p}`;

function seedsOnDisk(): SeedBytes[] {
  return fs
    .readdirSync(path.join(ROOT, SEEDS_DIR))
    .filter(isSeedFileName)
    .sort()
    .map((name) => ({ path: `${SEEDS_DIR}/${name}`, bytes: new Uint8Array(fs.readFileSync(path.join(ROOT, SEEDS_DIR, name))) }));
}

/** What activation would get by parsing the YAML itself (the path before the snapshot existed). */
function parsedFromYaml(seeds: readonly SeedBytes[]): LoadedFactFile[] {
  return seeds.map((s) => parseFactFile(new TextDecoder('utf-8').decode(s.bytes), resolve(s.path), 'bundled'));
}

/** The value as JSON carries it: properties whose value is `undefined` are absent. Anything else is kept as is. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)])) as T;
  }
  return value;
}

function shippedSnapshot(): string {
  const file = path.join(ROOT, ...SEEDS_SNAPSHOT_PATH.split('/'));
  assert.ok(fs.existsSync(file), `${SEEDS_SNAPSHOT_PATH} is missing: run \`npm run bundle\``);
  return fs.readFileSync(file, 'utf8');
}

/** The files activation takes from dist/seeds.json (all of them, when it is up to date). */
function shippedFiles(seeds: readonly SeedBytes[]): LoadedFactFile[] {
  const files = filesFromSnapshot(readSeedsSnapshot(shippedSnapshot(), resolve), seeds);
  assert.ok(files.every((f) => f !== undefined), `${SEEDS_SNAPSHOT_PATH} is out of date with seeds/: run \`npm run bundle\``);
  return files as LoadedFactFile[];
}

describe('precompiled bundled knowledge base (dist/seeds.json)', () => {
  const seeds = seedsOnDisk();

  it('was built from the seed files as they are now (rebuild with `npm run bundle` after editing seeds/)', () => {
    const snapshot = readSeedsSnapshot(shippedSnapshot(), resolve);
    assert.ok(snapshot, 'dist/seeds.json is a snapshot of the current format');
    assert.deepEqual(
      snapshot.files.map((f) => [f.path, f.hash]),
      seeds.map((s) => [s.path, hashBytes(s.bytes)]),
    );
    assert.ok(filesFromSnapshot(snapshot, seeds).every((f) => f !== undefined), 'activation uses the snapshot for every seed file');
  });

  it('holds exactly what parsing the YAML gives, with every uri in the installed seeds/*.yaml', () => {
    const fromSnapshot = shippedFiles(seeds);
    // Drift in the loader (a new field, another range, another message) fails here.
    assert.deepStrictEqual(fromSnapshot, withoutUndefined(parsedFromYaml(seeds)));
    const uris = new Set<string>();
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === 'uri' && typeof x === 'string' ? uris.add(x) : collect(x);
    };
    collect(fromSnapshot);
    assert.deepEqual([...uris].sort(), seeds.map((s) => resolve(s.path)));
  });

  it('gives the same knowledge base and the same hover cards as parsing the YAML', () => {
    const fromSnapshot = KnowledgeBase.build(shippedFiles(seeds));
    const fromYaml = KnowledgeBase.build(parsedFromYaml(seeds));
    assert.ok(fromYaml.entities.length > 100, 'the seeds define the bundled entities');
    assert.deepStrictEqual(fromSnapshot.entities, withoutUndefined(fromYaml.entities));
    assert.deepStrictEqual(fromSnapshot.sources, withoutUndefined(fromYaml.sources));
    assert.deepStrictEqual(fromSnapshot.problems, withoutUndefined(fromYaml.problems));
    for (const e of fromYaml.entities) {
      assert.equal(renderEntityHover(fromSnapshot, fromSnapshot.get(e.id)!, { commands: true }), renderEntityHover(fromYaml, e, { commands: true }), e.id);
    }
    const text = 'The Department for Education (DfE) funds Partners in Practice, which received £12.4m.';
    assert.deepStrictEqual(fromSnapshot.matcher.find(text, 0, text.length), fromYaml.matcher.find(text, 0, text.length));
  });

  it('is not used for a seed file edited, added or missing since it was built', () => {
    const snapshot = readSeedsSnapshot(JSON.stringify(createSeedsSnapshot(seeds)), resolve)!;
    const edited = seeds.map((s, i) => (i === 1 ? { ...s, bytes: s.bytes.map((b, j) => (j === s.bytes.length - 2 ? b ^ 1 : b)) } : s));
    assert.deepEqual(
      filesFromSnapshot(snapshot, edited).map((f) => f !== undefined),
      seeds.map((_, i) => i !== 1),
    );
    const added = [...seeds, { path: `${SEEDS_DIR}/new.yaml`, bytes: new TextEncoder().encode('entities: []\n') }];
    assert.equal(filesFromSnapshot(snapshot, added).at(-1), undefined, 'a new seed file is parsed');
    assert.deepEqual(filesFromSnapshot(undefined, seeds), seeds.map(() => undefined), 'no snapshot: everything is parsed');
    // Same length, one digit changed ("£17m" → "£18m"): still caught.
    const a = new TextEncoder().encode('figure: £17m');
    const b = new TextEncoder().encode('figure: £18m');
    assert.notEqual(hashBytes(a), hashBytes(b));
  });

  it('rejects anything that is not a snapshot of this format', () => {
    assert.equal(readSeedsSnapshot('not json', resolve), undefined);
    assert.equal(readSeedsSnapshot('{"format":0,"files":[]}', resolve), undefined);
    assert.equal(readSeedsSnapshot('{"format":1}', resolve), undefined);
    assert.equal(readSeedsSnapshot('null', resolve), undefined);
  });
});
