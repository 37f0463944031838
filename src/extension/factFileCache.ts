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
 * Bumped whenever the cache's layout changes; another format is never read. Format 3 is lines of
 * UTF-8 JSON: a head (format, loader version, scope), then two lines for each file: where it is
 * and the fingerprint of its bytes, then the loaded file. Each file's line is decoded and parsed
 * only when that file is asked for, and everything is read and written a file at a time.
 */
export const FACT_FILE_CACHE_FORMAT = 3;

/** The file the cache is kept in, in the workspace's storage folder. */
export const FACT_FILE_CACHE_NAME = 'fact-files.json';

/** A head line longer than this is not one this code wrote (an older format is one long line). */
const MAX_HEAD_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;
const ENCODER = new TextEncoder();
/** Bytes that are not UTF-8 are damage, not text to guess at. */
const DECODER = new TextDecoder('utf-8', { fatal: true });

interface Entry {
  /** `hashBytes` of the file's bytes when it was loaded. */
  readonly hash: string;
  /** The loaded file; until it is first asked for, only its line of the cache as read (`bytes`). */
  file?: LoadedFactFile;
  bytes?: Uint8Array;
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
   * The cache in `bytes`, when they were written by `serialize` in this format and by this
   * version of the loader; else an empty cache. Never throws. A damaged file line is dropped when
   * asked for; the cache stops at a damaged outline line, keeping the files before it.
   */
  static read(bytes: Uint8Array | undefined, version: string): FactFileCache {
    return runToEnd(FactFileCache.readInSteps(bytes, version));
  }

  /**
   * `read` a file at a time: the generator stops before each file's lines. Only the outline is
   * read here (where each file is, its fingerprint); each file's own JSON is decoded and parsed
   * when `get` first asks for it. Reading the whole cache of a large knowledge base at once held
   * everything else in the extension host up for a fifth of a second.
   */
  static *readInSteps(bytes: Uint8Array | undefined, version: string): Steps<FactFileCache> {
    const cache = new FactFileCache(version);
    if (!bytes) return cache;
    const headEnd = bytes.indexOf(NEWLINE);
    if (headEnd < 0 || headEnd > MAX_HEAD_BYTES) return cache;
    const head = jsonOf(bytes.subarray(0, headEnd)) as { format?: unknown; version?: unknown; scope?: unknown } | null;
    if (!head || head.format !== FACT_FILE_CACHE_FORMAT || head.version !== version) return cache;
    if (typeof head.scope === 'string') cache.scopeValue = head.scope;
    for (let at = headEnd + 1; at < bytes.length; ) {
      yield;
      const outlineEnd = bytes.indexOf(NEWLINE, at);
      const fileEnd = outlineEnd < 0 ? -1 : bytes.indexOf(NEWLINE, outlineEnd + 1);
      if (fileEnd < 0 || outlineEnd - at > MAX_HEAD_BYTES) break; // cut short, or not written by `serialize`
      const e = jsonOf(bytes.subarray(at, outlineEnd)) as { uri?: unknown; hash?: unknown } | null;
      if (!e || typeof e.uri !== 'string' || typeof e.hash !== 'string') break;
      cache.entries.set(e.uri, { hash: e.hash, bytes: bytes.subarray(outlineEnd + 1, fileEnd) });
      at = fileEnd + 1;
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
      const file = e.bytes === undefined ? undefined : fileFromJson(e.bytes, uri);
      if (!file) {
        // Not what `serialize` writes: the file is parsed again and the cache mended.
        this.entries.delete(uri);
        this.changed = true;
        return undefined;
      }
      e.file = file;
      e.bytes = undefined;
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

  /** The cache as UTF-8 bytes, for `read`. */
  serialize(): Uint8Array {
    return runToEnd(this.serializeInSteps());
  }

  /**
   * `serialize` a file at a time (writing out a large file takes tens of milliseconds): the
   * generator stops before each file and before joining the pieces, and returns the bytes at its
   * end. They are of the cache as it is when this is called, whatever changes after.
   */
  serializeInSteps(): Steps<Uint8Array> {
    this.changed = false;
    // Loaded files are never changed, only replaced: keeping each entry's file keeps the cache as it is now.
    const entries = [...this.entries].map(([uri, e]) => ({ uri, hash: e.hash, file: e.file, bytes: e.bytes }));
    const head = JSON.stringify({ format: FACT_FILE_CACHE_FORMAT, version: this.version, scope: this.scopeValue });
    return (function* () {
      const pieces: Uint8Array[] = [ENCODER.encode(`${head}\n`)];
      for (const e of entries) {
        yield;
        pieces.push(ENCODER.encode(`${JSON.stringify({ uri: e.uri, hash: e.hash })}\n`));
        // A file never asked for is written back as it was read. JSON text holds no line break.
        pieces.push(e.bytes ?? ENCODER.encode(JSON.stringify(e.file)), LINE_END);
      }
      yield;
      const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of pieces) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    })();
  }
}

const LINE_END = new Uint8Array([NEWLINE]);

/** The JSON value in these UTF-8 bytes, or undefined when they are not JSON. */
function jsonOf(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(DECODER.decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** A loaded file from its line of the cache, or undefined when the line is not one. */
function fileFromJson(bytes: Uint8Array, uri: string): LoadedFactFile | undefined {
  const f = jsonOf(bytes) as Partial<LoadedFactFile> | null | undefined;
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
