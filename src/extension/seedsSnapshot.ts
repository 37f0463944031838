/**
 * The bundled fact files, precompiled. Parsing YAML is by far the slowest part of starting
 * (hundreds of milliseconds for seeds/*.yaml), so `scripts/build-seeds.mjs` runs the real
 * loader over them at build time and writes the loaded files to `dist/seeds.json`, and
 * `scripts/bundle.mjs` puts that same JSON text into the extension's bundles (see
 * `embeddedSeedsSnapshot`). Activation takes the bundled facts from there: no YAML to parse and
 * no file to read (at startup every `vscode.workspace.fs` call waits for the busy workbench).
 *
 * Every `uri` in the snapshot is relative to the extension (`seeds/organisations.yaml`) and is
 * resolved against the installed extension when read, so hovers and go to definition land in
 * the real seeds/*.yaml.
 *
 * Pure: no `vscode`, no Node built-ins (the build script, the tests and VS Code for the web use it).
 */
import { parseFactFile, type LoadedFactFile } from '../core';

/** Bumped whenever the snapshot's layout changes; another format is never read. */
export const SEEDS_SNAPSHOT_FORMAT = 1;
/** Where the build writes the snapshot, relative to the project (the bundles carry the same text). */
export const SEEDS_SNAPSHOT_PATH = 'dist/seeds.json';
/** Where the bundled fact files are, relative to the extension. */
export const SEEDS_DIR = 'seeds';
/**
 * The snapshot's JSON text: scripts/bundle.mjs defines this name (esbuild `define`) in the
 * extension's bundles only. In what `tsc` compiles (the tests) it is not defined at all.
 */
declare const POLICY_FACTS_SEEDS_SNAPSHOT: string | undefined;

/**
 * The snapshot's JSON text as the build put it into this bundle: exactly `dist/seeds.json` of
 * the same build. `undefined` in code compiled by `tsc` alone; the bundled facts are then
 * parsed from seeds/*.yaml.
 */
export function embeddedSeedsSnapshot(): string | undefined {
  // esbuild replaces the name with the string and folds the `typeof`: the text is in the bundle once.
  return typeof POLICY_FACTS_SEEDS_SNAPSHOT === 'string' ? POLICY_FACTS_SEEDS_SNAPSHOT : undefined;
}

/** One seed file as read from disk: its path relative to the extension and its bytes. */
export interface SeedBytes {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface SeedsSnapshot {
  readonly format: number;
  readonly files: readonly {
    /** Relative to the extension, e.g. `seeds/organisations.yaml`. */
    readonly path: string;
    /** `hashBytes` of the file the snapshot was built from. */
    readonly hash: string;
    /** The loaded file; when read with `readSeedsSnapshot`, its uris are resolved. */
    readonly file: LoadedFactFile;
  }[];
}

/** Whether a file name is a fact file in `seeds/`. */
export function isSeedFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/**
 * A fast 64-bit fingerprint of a file's bytes (two multiplicative lanes, cyrb53's mixing),
 * prefixed with the length. Only detects edits; it is not a security measure.
 */
export function hashBytes(bytes: Uint8Array): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `${bytes.length.toString(16)}-${hex(h2)}${hex(h1)}`;
}

const DECODER = new TextDecoder('utf-8');

/** Loads seed files exactly as activation would, with `uri` = the path relative to the extension. */
export function parseSeed(seed: SeedBytes): LoadedFactFile {
  return parseFactFile(DECODER.decode(seed.bytes), seed.path, 'bundled');
}

/** Builds the snapshot of these seed files (sorted by path, as activation loads them). */
export function createSeedsSnapshot(seeds: readonly SeedBytes[]): SeedsSnapshot {
  const sorted = [...seeds].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    format: SEEDS_SNAPSHOT_FORMAT,
    files: sorted.map((seed) => ({ path: seed.path, hash: hashBytes(seed.bytes), file: parseSeed(seed) })),
  };
}

/**
 * A `uri` property and its string value in JSON text: after `{` or `,`, so never inside a
 * string (where every quote is escaped).
 */
const URI_PROPERTY = /([{,]\s*)"uri"\s*:\s*("(?:[^"\\]|\\.)*")/g;

/**
 * Reads a snapshot, resolving every `uri` in it with `resolve(relativePath)`. Returns
 * `undefined` for anything that is not a snapshot of the current format.
 */
export function readSeedsSnapshot(json: string, resolve: (path: string) => string): SeedsSnapshot | undefined {
  // The uris are resolved in the text, before it is parsed: cheaper than visiting every
  // object afterwards, and this runs while VS Code waits for the extension to start.
  const resolved = new Map<string, string>();
  const withUris = json.replace(URI_PROPERTY, (match: string, before: string, quoted: string) => {
    let value = resolved.get(quoted);
    if (value === undefined) {
      try {
        value = JSON.stringify(resolve(JSON.parse(quoted) as string));
      } catch {
        return match; // not JSON: the parse below rejects it
      }
      resolved.set(quoted, value);
    }
    return `${before}"uri":${value}`;
  });
  let value: unknown;
  try {
    value = JSON.parse(withUris);
  } catch {
    return undefined;
  }
  const snapshot = value as Partial<SeedsSnapshot> | null;
  if (!snapshot || snapshot.format !== SEEDS_SNAPSHOT_FORMAT || !Array.isArray(snapshot.files)) return undefined;
  for (const entry of snapshot.files) {
    if (!entry || typeof entry.path !== 'string' || typeof entry.hash !== 'string' || !entry.file) return undefined;
  }
  return snapshot as SeedsSnapshot;
}

/**
 * For each seed file on disk (in order), the snapshot's loaded file when the snapshot was built
 * from exactly these bytes, else `undefined`: that file must be parsed from its YAML.
 */
export function filesFromSnapshot(snapshot: SeedsSnapshot | undefined, seeds: readonly SeedBytes[]): (LoadedFactFile | undefined)[] {
  const byPath = new Map((snapshot?.files ?? []).map((f) => [f.path, f]));
  return seeds.map((seed) => {
    const entry = byPath.get(seed.path);
    return entry && entry.hash === hashBytes(seed.bytes) ? entry.file : undefined;
  });
}
