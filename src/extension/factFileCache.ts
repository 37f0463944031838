/**
 * The workspace's fact files as they were last loaded, kept between sessions. Parsing YAML is
 * by far the slowest part of loading (about 1.5 MB a second: seconds for a department's
 * knowledge base), and most fact files have not changed since the last time VS Code opened the
 * workspace. Each file is kept with a fingerprint of its bytes; a file whose bytes differ, or
 * that is not in the cache, is parsed as always. The cache also names the loader that wrote it
 * (`version`): one written by any other build is not read at all; and where its files were
 * found (`scope`), so that while that is the same they can be used before the workspace has
 * been searched again.
 *
 * Pure: no `vscode`, no Node built-ins. The knowledge service reads and writes the text.
 */
import { runToEnd, type LoadedFactFile, type Steps } from '../core';

/**
 * The loader's version: scripts/bundle.mjs defines this name (esbuild `define`) in the
 * extension's bundles, from the engine's sources and the parser's and validator's versions. In
 * what `tsc` compiles it is not defined at all.
 */
declare const POLICY_FACTS_LOADER_VERSION: string | undefined;

/** The version of the loader in this bundle; `undefined` outside one (then nothing is cached). */
export function loaderVersion(): string | undefined {
  return typeof POLICY_FACTS_LOADER_VERSION === 'string' ? POLICY_FACTS_LOADER_VERSION : undefined;
}

/**
 * Bumped whenever the cache's layout changes; another format is never read. Format 2 keeps each
 * file as its own JSON text inside the cache, read only when that file is asked for.
 */
export const FACT_FILE_CACHE_FORMAT = 2;

/** The file the cache is kept in, in the workspace's storage folder. */
export const FACT_FILE_CACHE_NAME = 'fact-files.json';

interface Entry {
  /** `hashBytes` of the file's bytes when it was loaded. */
  readonly hash: string;
  /** The loaded file; until it is first asked for, only its JSON text (`json`). */
  file?: LoadedFactFile;
  json?: string;
}

export class FactFileCache {
  private readonly entries = new Map<string, Entry>();
  private changed = false;
  private scopeValue?: string;

  constructor(readonly version: string) {}

  /**
   * Where the files were found (the workspace's folders and fact-file patterns, as the caller
   * describes them) when the cache was last written; undefined when unknown. While it is the same,
   * the files in the cache are the ones a search would find, but for files created or deleted since.
   */
  get scope(): string | undefined {
    return this.scopeValue;
  }

  set scope(scope: string | undefined) {
    if (scope === this.scopeValue) return;
    this.scopeValue = scope;
    this.changed = true;
  }

  /** The uris of the files in the cache, in no particular order. */
  uris(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * The cache in `json`, when it was written by `serialize` in this format and by this version
   * of the loader; else an empty cache. Never throws. Each file's own JSON is parsed only when
   * `get` first asks for it: reading the whole cache of a large knowledge base at once held
   * everything else in the extension host up for most of a second.
   */
  static read(json: string | undefined, version: string): FactFileCache {
    const cache = new FactFileCache(version);
    if (!json) return cache;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      return cache;
    }
    const v = value as { format?: unknown; version?: unknown; scope?: unknown; files?: unknown } | null;
    if (!v || v.format !== FACT_FILE_CACHE_FORMAT || v.version !== version || !Array.isArray(v.files)) return cache;
    if (typeof v.scope === 'string') cache.scopeValue = v.scope;
    for (const item of v.files as unknown[]) {
      const e = item as { uri?: unknown; hash?: unknown; file?: unknown } | null;
      if (!e || typeof e.uri !== 'string' || typeof e.hash !== 'string' || typeof e.file !== 'string') continue;
      cache.entries.set(e.uri, { hash: e.hash, json: e.file });
    }
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether something was added or dropped, or the scope changed, since the cache was read or last serialized. */
  get isChanged(): boolean {
    return this.changed;
  }

  /** The file as loaded from exactly these bytes (`hash`), or undefined. */
  get(uri: string, hash: string): LoadedFactFile | undefined {
    const e = this.entries.get(uri);
    if (!e || e.hash !== hash) return undefined;
    if (!e.file) {
      const file = e.json === undefined ? undefined : fileFromJson(e.json, uri);
      if (!file) {
        // Not what `serialize` writes: the file is parsed again and the cache mended.
        this.entries.delete(uri);
        this.changed = true;
        return undefined;
      }
      e.file = file;
      e.json = undefined;
    }
    return e.file;
  }

  set(uri: string, hash: string, file: LoadedFactFile): void {
    const e = this.entries.get(uri);
    if (e && e.hash === hash && e.file === file) return;
    this.entries.set(uri, { hash, file });
    this.changed = true;
  }

  /** Drops every file but these (a file deleted, or no longer matched by the fact-file setting). */
  retain(uris: ReadonlySet<string>): void {
    for (const uri of [...this.entries.keys()]) {
      if (uris.has(uri)) continue;
      this.entries.delete(uri);
      this.changed = true;
    }
  }

  /** The cache as JSON text, for `read`. */
  serialize(): string {
    return runToEnd(this.serializeInSteps());
  }

  /**
   * `serialize` a file at a time (writing out a large file takes tens of milliseconds): the
   * generator stops before each file and returns the text at its end. The text is of the cache
   * as it is when this is called, whatever changes after.
   */
  serializeInSteps(): Steps<string> {
    this.changed = false;
    // Loaded files are never changed, only replaced: keeping each entry's file keeps the cache as it is now.
    const entries = [...this.entries].map(([uri, e]) => ({ uri, hash: e.hash, file: e.file, json: e.json }));
    const head = JSON.stringify({ format: FACT_FILE_CACHE_FORMAT, version: this.version, scope: this.scopeValue });
    return (function* () {
      const files: string[] = [];
      for (const e of entries) {
        yield;
        // A file never asked for is written back as it was read.
        files.push(JSON.stringify({ uri: e.uri, hash: e.hash, file: e.json ?? JSON.stringify(e.file) }));
      }
      return `${head.slice(0, -1)},"files":[${files.join(',')}]}`;
    })();
  }
}

/** A loaded file from its JSON text in the cache, or undefined when the text is not one. */
function fileFromJson(json: string, uri: string): LoadedFactFile | undefined {
  let f: Partial<LoadedFactFile> | null;
  try {
    f = JSON.parse(json) as Partial<LoadedFactFile> | null;
  } catch {
    return undefined;
  }
  if (!f || typeof f !== 'object' || f.uri !== uri) return undefined;
  if (!Array.isArray(f.entities) || !Array.isArray(f.sources) || !Array.isArray(f.problems)) return undefined;
  try {
    shareStrings(f, new Map());
  } catch {
    return undefined; // nested deeper than any loaded file (not written by `serialize`)
  }
  return f as LoadedFactFile;
}

/**
 * Makes every repeated string of a file read from JSON one string again, as the loader made
 * them: JSON gives each occurrence its own copy (the file's uri in every entry's origin, an id
 * in every fact), which took a 10,000-entity knowledge base from 29 to 38 MB of heap.
 */
function shareStrings(value: object, pool: Map<string, string>): void {
  const o = value as Record<string, unknown>;
  for (const key in o) {
    const v = o[key];
    if (typeof v === 'string') {
      const shared = pool.get(v);
      if (shared === undefined) pool.set(v, v);
      else o[key] = shared;
    } else if (v !== null && typeof v === 'object') shareStrings(v, pool);
  }
}
