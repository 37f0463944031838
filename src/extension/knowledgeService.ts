/**
 * Loads the knowledge base: the bundled fact files shipped in `seeds/`, then the user's fact
 * files in the workspace (the `policyFacts.factFiles` globs), and keeps it current as those
 * files are created, changed or deleted and as settings change. Problems in the user's fact
 * files become diagnostics at their exact place in the YAML. A broken fact file only loses
 * its own bad entries: the bundled facts and every good entry keep working.
 *
 * The bundled facts come precompiled inside the extension's bundle (see seedsSnapshot.ts):
 * `start()` puts them in use at once, synchronously, before any file is read, so a hover can be
 * answered as soon as activation returns. The workspace's fact files are searched for and read
 * after that and merge in with a reload (`onDidChange`, so hovers, diagnostics and views update);
 * `ready` means "bundled and workspace files loaded".
 *
 * Files are read through `vscode.workspace.fs` only, so this runs in VS Code for the web too.
 * In an untrusted workspace only the bundled facts are loaded (see docs/trust.md).
 */
import * as vscode from 'vscode';
import { decodeText, KnowledgeBase, parseFactFile, parseFactFileInSteps, severityOf, type KbProblem, type Layer, type LoadedFactFile } from '../core';
import { makeDiagnostic, ruleSeverity, toRange, toUri } from './convert';
import type { Deps } from './deps';
import { messageOf, type Log } from './log';
import { FACT_FILE_CACHE_NAME, FactFileCache } from './factFileCache';
import { embeddedSeedsSnapshot, filesFromSnapshot, hashBytes, isSeedFileName, readSeedsSnapshot, SEEDS_DIR, type SeedsSnapshot } from './seedsSnapshot';
import { SETTING, type Settings } from './settings';
import { slices } from './slices';

/** One fact file as the status report shows it. */
export interface FactFileStatus {
  readonly uri: string;
  /** Relative to the workspace folder (workspace files) or to the extension (bundled files). */
  readonly label: string;
  readonly layer: Layer;
  readonly entities: number;
  readonly sources: number;
  readonly facts: number;
  readonly problems: number;
  /** Set when the file could not be read at all. */
  readonly readError?: string;
}

export interface KnowledgeStatus {
  readonly generation: number;
  readonly loadedAt?: Date;
  readonly loadMs?: number;
  /** False in an untrusted workspace: workspace fact files are then not read. */
  readonly workspaceFilesRead: boolean;
  /** How the bundled facts were loaded: from the precompiled snapshot, or parsed from seeds/*.yaml. */
  readonly bundledHow: string;
  /** How many bundled fact files in use come from the precompiled snapshot (the rest were parsed). */
  readonly bundledFromSnapshot: number;
  /** How many workspace fact files in use were unchanged since they were last loaded, and taken from the cache. */
  readonly workspaceFromCache: number;
  readonly patterns: readonly string[];
  readonly files: readonly FactFileStatus[];
  readonly entities: number;
  readonly sources: number;
  readonly facts: number;
  readonly problems: readonly KbProblem[];
  /** Failures outside any one file (listing the seeds, searching the workspace). */
  readonly errors: readonly string[];
}

export interface KnowledgeServiceOptions {
  /** Whether workspace fact files may be read; defaults to `vscode.workspace.isTrusted`. */
  readonly isTrusted?: () => boolean;
  /** Delay that gathers a burst of file events into one reload. */
  readonly debounceMs?: number;
  /** Whether to show problems of workspace fact files as diagnostics (default true). */
  readonly diagnostics?: boolean;
  /**
   * Also compare the snapshot with the bytes of seeds/*.yaml once started (after the bundled
   * facts are in use, with the workspace search) and parse any seed file that differs: for a build
   * run without rebuilding after seeds/ were edited. Default false: an installed .vsix is built
   * in one go.
   */
  readonly verifyBundled?: boolean;
  /**
   * Keep the workspace's loaded fact files between sessions in `storage` (see factFileCache.ts),
   * written by this `version` of the loader. Without it, every fact file is parsed every time.
   */
  readonly cache?: { readonly storage: vscode.Uri; readonly version: string };
  /** Searches the workspace for one fact-file pattern (default `vscode.workspace.findFiles`); tests hold a search back with it. */
  readonly findFiles?: (pattern: vscode.RelativePattern) => Thenable<vscode.Uri[]>;
}

interface FileEntry {
  readonly file?: LoadedFactFile;
  readonly readError?: string;
  /** Taken from the cache of loaded fact files: the bytes are those it was loaded from. */
  readonly fromCache?: boolean;
}

const DECODER = new TextDecoder('utf-8');
/** How long edits of fact files must pause before the cache of loaded files is written again. */
const CACHE_WRITE_DELAY_MS = 10_000;

export class KnowledgeService implements vscode.Disposable {
  private kbValue: KnowledgeBase = KnowledgeBase.build([]);
  private generationValue = 0;
  private bundled?: Map<string, FileEntry>;
  /** The precompiled snapshot the bundled facts came from, if they did. */
  private snapshot?: SeedsSnapshot;
  /** How the bundled facts were loaded (snapshot or YAML), for the log and the status. */
  private bundledHow = '';
  private readonly verifyBundled: boolean;
  private started = false;
  private readonly workspace = new Map<string, FileEntry>();
  private readonly errors: string[] = [];
  private buildError?: string;
  private loadedAt?: Date;
  private loadMs?: number;
  private workspaceFilesRead = false;
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<KnowledgeBase>();
  private readonly diagnostics?: vscode.DiagnosticCollection;
  private readonly isTrusted: () => boolean;
  private readonly debounceMs: number;
  /** Reloads run one after another, never interleaved. */
  private queue: Promise<void> = Promise.resolve();
  private pending = new Map<string, 'changed' | 'deleted'>();
  private rescanPending = false;
  private timer?: ReturnType<typeof setTimeout>;
  private disposed = false;
  private resolveReady!: () => void;
  private readonly cacheOptions?: { readonly storage: vscode.Uri; readonly version: string };
  private readonly findFiles: (pattern: vscode.RelativePattern) => Thenable<vscode.Uri[]>;
  /** Read from storage on the first load that reads workspace files. */
  private cache?: FactFileCache;
  private cacheWrites: Promise<void> = Promise.resolve();
  /** How long reading the cache took, for the next log line. */
  private cacheReadHow = '';
  private cacheTimer?: ReturnType<typeof setTimeout>;

  /** Fires with the new knowledge base after every reload. */
  readonly onDidChange = this.emitter.event;
  /** Resolves once the bundled and the workspace fact files have been loaded the first time. Never rejects. */
  readonly ready: Promise<void>;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly settings: Settings,
    private readonly log: Log,
    options: KnowledgeServiceOptions = {},
  ) {
    this.isTrusted = options.isTrusted ?? (() => vscode.workspace.isTrusted);
    this.debounceMs = options.debounceMs ?? 150;
    this.verifyBundled = options.verifyBundled ?? false;
    this.cacheOptions = options.cache;
    this.findFiles = options.findFiles ?? ((pattern) => vscode.workspace.findFiles(pattern));
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    if (options.diagnostics !== false) {
      this.diagnostics = vscode.languages.createDiagnosticCollection('policy-facts-knowledge');
      this.disposables.push(this.diagnostics);
    }
    this.disposables.push(
      this.emitter,
      settings.onDidChange((e) => {
        if (e.affects(SETTING.factFiles)) this.rescan('the fact-file setting changed');
        else if (e.affects(SETTING.rules)) this.publishDiagnostics();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rescan('workspace folders changed')),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.rescan('the workspace is now trusted')),
    );
  }

  /** The current knowledge base (empty until `start()`, which puts the bundled facts in use at once). */
  get kb(): KnowledgeBase {
    return this.kbValue;
  }

  /** How many workspace fact files the knowledge base in use holds. */
  get workspaceFilesInUse(): number {
    return this.kbValue.files.filter((f) => f.layer === 'workspace').length;
  }

  /** Increases by one on every reload: part of every cache key that depends on the facts. */
  get generation(): number {
    return this.generationValue;
  }

  /**
   * Puts the precompiled bundled facts in use before returning (no file is read: they are in
   * the bundle), then starts loading the workspace's fact files and watching them. Returns `ready`.
   */
  start(): Promise<void> {
    if (this.started) return this.ready;
    this.started = true;
    this.useSnapshot();
    this.enqueue(async () => {
      this.watch();
      await this.loadAll(true);
    });
    void this.queue.then(() => this.resolveReady());
    return this.ready;
  }

  /** Reads every fact file again (bundled files are kept: they do not change). */
  reload(): Promise<void> {
    return this.enqueue(() => this.loadAll());
  }

  /** What is loaded, from where, and what went wrong. */
  status(): KnowledgeStatus {
    const kb = this.kbValue;
    const files: FactFileStatus[] = [];
    const add = (uri: string, entry: FileEntry, layer: Layer) => {
      const f = entry.file;
      files.push({
        uri,
        label: this.label(uri, layer),
        layer,
        entities: f?.entities.length ?? 0,
        sources: f?.sources.length ?? 0,
        facts: f?.entities.reduce((n, e) => n + e.facts.length, 0) ?? 0,
        problems: kb.problems.filter((p) => p.uri === uri).length,
        readError: entry.readError,
      });
    };
    for (const [uri, entry] of this.bundled ?? []) add(uri, entry, 'bundled');
    for (const [uri, entry] of [...this.workspace].sort(([a], [b]) => byUri(a, b))) add(uri, entry, 'workspace');
    return {
      generation: this.generationValue,
      loadedAt: this.loadedAt,
      loadMs: this.loadMs,
      workspaceFilesRead: this.workspaceFilesRead,
      bundledHow: this.bundledHow,
      bundledFromSnapshot: this.countFromSnapshot(),
      workspaceFromCache: [...this.workspace.values()].filter((e) => e.fromCache).length,
      patterns: [...new Set((vscode.workspace.workspaceFolders ?? [undefined]).flatMap((f) => this.settings.factFiles(f)))],
      files,
      entities: kb.entities.length,
      sources: kb.sources.length,
      facts: kb.factCount,
      problems: kb.problems,
      errors: this.allErrors(),
    };
  }

  private countFromSnapshot(): number {
    const files = new Set<LoadedFactFile>(this.snapshot?.files.map((f) => f.file) ?? []);
    let n = 0;
    for (const entry of this.bundled?.values() ?? []) if (entry.file && files.has(entry.file)) n++;
    return n;
  }

  private allErrors(): string[] {
    return this.buildError ? [...this.errors, this.buildError] : [...this.errors];
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    for (const d of this.watchers) d.dispose();
    for (const d of this.disposables) d.dispose();
    this.watchers = [];
  }

  // ---- loading ---------------------------------------------------------------------------

  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.disposed) return;
      try {
        await job();
      } catch (e) {
        this.log.error('Loading the knowledge base failed', e);
      }
    });
    this.queue = run;
    return run;
  }

  /**
   * The bundled facts from the precompiled snapshot, in use at once: synchronous, no file read.
   * Without a usable snapshot they are left to `loadAll`, which parses seeds/*.yaml.
   */
  private useSnapshot(): void {
    // In the bundles only: code compiled by tsc alone (the tests) has no snapshot built in.
    const json = embeddedSeedsSnapshot();
    if (json === undefined) {
      this.bundledHow = 'no precompiled snapshot in this build';
      return;
    }
    const t0 = performance.now();
    try {
      const root = this.extensionUri;
      const snapshot = readSeedsSnapshot(json, (path) => vscode.Uri.joinPath(root, path).toString());
      if (!snapshot) {
        this.bundledHow = 'the precompiled snapshot is not of this version';
        this.log.warn('The precompiled bundled facts are not a snapshot of this version: seeds/*.yaml are parsed instead.');
        return;
      }
      const parseMs = Math.round(performance.now() - t0);
      this.snapshot = snapshot;
      this.bundled = snapshotEntries(snapshot);
      this.bundledHow = `${this.bundled.size} from the precompiled snapshot, parsed in ${parseMs} ms`;
      this.rebuild(Math.round(performance.now() - t0), `bundled facts from the precompiled snapshot (parsed in ${parseMs} ms); workspace fact files not loaded yet`);
    } catch (e) {
      // Never left without bundled facts: loadAll parses them from seeds/*.yaml.
      this.snapshot = undefined;
      this.bundled = undefined;
      this.bundledHow = 'the precompiled snapshot could not be used';
      this.log.error('The precompiled bundled facts could not be used: seeds/*.yaml are parsed instead', e);
    }
  }

  /**
   * Loads the workspace files (and, without a precompiled snapshot, the bundled files, once),
   * then rebuilds. The bundled facts are in use before anything is read: from the snapshot since
   * `start()`, or else published as soon as seeds/*.yaml are parsed, so a hover waits neither
   * for the workspace search nor for the fact files it finds. With `verifyBundled`, the first load
   * also checks the snapshot against seeds/ (read alongside the search). The first load also
   * puts the files of the cache in use while the search runs (`useCachedFiles`). When
   * nothing is added, nothing is rebuilt; `ready` waits for all of it.
   */
  private async loadAll(first = false): Promise<void> {
    const t0 = performance.now();
    const ms = (from: number, to = performance.now()) => Math.round(to - from);
    this.errors.length = 0;
    // The files in use stay listed (status, diagnostics) until those read now replace them.
    this.workspaceFilesRead = this.isTrusted();
    const search = this.workspaceFilesRead ? this.findWorkspaceFiles() : Promise.resolve({ uris: [], failed: [] });
    // What the search looks for, taken with it: a setting changed meanwhile reloads again.
    const scope = this.scope();
    /** The knowledge base in use already holds the bundled facts as they are loaded now (and no workspace file). */
    let published = first && !!this.bundled;
    const seedFiles = published && this.verifyBundled ? this.readSeedFiles() : undefined;
    let tBundled = t0;
    if (!this.bundled) {
      this.bundled = await this.loadBundled(await this.readSeedFiles());
      tBundled = performance.now();
      if (first && this.workspaceFilesRead) {
        this.rebuild(ms(t0), `bundled ${ms(t0)} ms (${this.bundledHow}); loading workspace fact files`);
        published = true;
      }
    }
    let uris: vscode.Uri[] = [];
    let tSearch = tBundled;
    let fromCache = 0;
    /** The files put in use from the cache before the search ended (first load only). */
    let early: ReadonlyMap<string, FileEntry> | undefined;
    if (this.workspaceFilesRead) {
      let searched = false;
      void search.then(() => (searched = true));
      const cacheRead = this.readCache();
      if (first) {
        const cache = await cacheRead;
        if (cache?.size && cache.scope === scope && !searched) early = await this.useCachedFiles(cache, t0);
      }
      const found = await search;
      uris = found.uris;
      tSearch = performance.now();
      const cache = await cacheRead;
      const entries = await Promise.all(uris.map((uri) => early?.get(uri.toString()) ?? readFactFile(uri, 'workspace', cache)));
      const next = new Map(uris.map((uri, i) => [uri.toString(), entries[i]] as const));
      // A folder whose search failed keeps the files in use from it (the failure is reported).
      for (const [key, entry] of [...this.workspace, ...(early ?? [])]) if (!next.has(key) && found.failed.some((folder) => isInFolder(key, folder))) next.set(key, entry);
      this.workspace.clear();
      // In the search's order, as ever.
      for (const [key, entry] of [...next].sort(([a], [b]) => byUri(a, b))) this.workspace.set(key, entry);
      fromCache = entries.filter((e) => e.fromCache).length;
      // A search that failed found nothing: that is no reason to forget its files.
      if (!this.errors.length && cache) {
        cache.retain(new Set(this.workspace.keys()));
        cache.scope = scope;
      }
    } else {
      this.workspace.clear();
      this.log.info('The workspace is not trusted: only the bundled facts are loaded.');
    }
    const tWorkspace = performance.now();
    let checked = '';
    if (seedFiles) {
      const verified = await this.loadBundled(await seedFiles);
      if (!sameFiles(this.bundled, verified)) published = false;
      this.bundled = verified;
      checked = `, seeds/ checked ${ms(tWorkspace)} ms`;
    }
    const cached = this.cache ? ` (${fromCache} of ${uris.length} unchanged, from the cache${this.cacheReadHow ? `; ${this.cacheReadHow}` : ''})` : '';
    this.cacheReadHow = '';
    const detail = `${tBundled > t0 ? `bundled ${ms(t0, tBundled)} ms (${this.bundledHow}), ` : ''}search ${ms(t0, tSearch)} ms, workspace files ${ms(tSearch, tWorkspace)} ms${cached}${checked}`;
    if (early && published && sameFiles(early, this.workspace) && !this.errors.length) {
      // The search found exactly the files already in use from the cache.
      this.loadedAt = new Date();
      this.loadMs = ms(t0);
      this.log.info(`Knowledge base #${this.generationValue} kept: the workspace search found the ${uris.length} fact files already in use; loading took ${this.loadMs} ms (${detail}).`);
      this.saveCache();
      return;
    }
    if (published && !early?.size && !uris.length && !this.errors.length) {
      // Nothing to add to what is already published.
      this.loadedAt = new Date();
      this.loadMs = ms(t0);
      this.log.info(`${this.workspaceFilesRead ? 'No workspace fact files' : 'Bundled facts only'}; loading took ${this.loadMs} ms (${detail}).`);
      this.saveCache();
      return;
    }
    await this.rebuildInSlices(ms(t0), detail);
    this.saveCache();
  }

  /** The cache of loaded fact files: read from storage the first time, then kept. */
  private async readCache(): Promise<FactFileCache | undefined> {
    const options = this.cacheOptions;
    if (!options) return undefined;
    if (this.cache) return this.cache;
    const t0 = performance.now();
    let bytes: Uint8Array | undefined;
    try {
      bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(options.storage, FACT_FILE_CACHE_NAME));
    } catch {
      // None yet (or unreadable): every file is parsed, and the cache written afresh.
    }
    const t1 = performance.now();
    // Its outline read in slices, like everything loading does; each file is read when asked for.
    const cache = await slices.run(FactFileCache.readInSteps(bytes, options.version));
    this.cache ??= cache;
    if (bytes) this.cacheReadHow = `cache read in ${Math.round(t1 - t0)} ms, ${(bytes.length / 1048576).toFixed(1)} MB, its outline in ${Math.round(performance.now() - t1)} ms`;
    return this.cache;
  }

  /**
   * On the first load, while the workspace search is still running: puts in use the files the
   * cache holds (those unchanged from the cache, any changed since parsed again), so the user's
   * facts answer hovers and checks without waiting for the search (which takes a second or two
   * while VS Code starts). Only when the cache was written for the same folders and fact-file
   * patterns; the search then adds the files created since, and drops any deleted or no longer
   * matched. Returns the files put in use.
   */
  private async useCachedFiles(cache: FactFileCache, t0: number): Promise<ReadonlyMap<string, FileEntry>> {
    // In the search's order, which decides which of two entries with one id is used.
    const keys = cache.uris().sort(byUri);
    const entries = await Promise.all(keys.map((key) => readFactFile(toUri(key), 'workspace', cache)));
    const early = new Map<string, FileEntry>();
    // A file that cannot be read (deleted since) waits for the search, which says why if it still finds it.
    keys.forEach((key, i) => {
      if (entries[i].file) early.set(key, entries[i]);
    });
    if (!early.size) return early;
    this.workspace.clear();
    for (const [key, entry] of early) this.workspace.set(key, entry);
    const ms = Math.round(performance.now() - t0);
    const unchanged = entries.filter((e) => e.fromCache).length;
    await this.rebuildInSlices(ms, `${early.size} workspace fact files before the workspace search, ${unchanged} of ${keys.length} unchanged, from the cache${this.cacheReadHow ? `; ${this.cacheReadHow}` : ''}`);
    this.cacheReadHow = '';
    return early;
  }

  /** The workspace's folders and the fact-file patterns of each: what the cache's files were found with. */
  private scope(): string {
    return JSON.stringify((vscode.workspace.workspaceFolders ?? []).map((f) => [f.uri.toString(), this.settings.factFiles(f)]));
  }

  /**
   * Writes the cache when it changed, after any write before it. Never throws; a write that
   * fails costs only the next session's time. What is written is the cache as it is when this is
   * called (made a file at a time, in slices, after any write before it), so each write holds a
   * whole cache as it was then (and each file in it is checked against its bytes when read).
   */
  private saveCache(): void {
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    this.cacheTimer = undefined;
    const cache = this.cache;
    const options = this.cacheOptions;
    if (!cache || !options || !cache.isChanged || this.disposed) return;
    // The cache as it is now, written out in slices (a file at a time) like everything loading does.
    const steps = cache.serializeInSteps();
    this.cacheWrites = this.cacheWrites.then(async () => {
      try {
        const bytes = await slices.run(steps);
        await vscode.workspace.fs.createDirectory(options.storage);
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(options.storage, FACT_FILE_CACHE_NAME), bytes);
      } catch (e) {
        this.log.warn(`The loaded fact files could not be kept for next time: ${messageOf(e)}`);
      }
    });
  }

  /**
   * While fact files are being edited, the cache is written once the edits pause: every write
   * serialises every file in use (about 0.2 s of work for a 10,000-entity knowledge base).
   */
  private saveCacheSoon(): void {
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    this.cacheTimer = setTimeout(() => this.saveCache(), CACHE_WRITE_DELAY_MS);
  }

  /** Resolves once every write of the cache of loaded fact files started so far is done (for tests and the benchmark). */
  cacheWritten(): Promise<void> {
    return this.cacheWrites;
  }

  /** The seed files in seeds/ with their bytes (or why they could not be read), sorted by name. */
  private async readSeedFiles(): Promise<SeedFiles | Error> {
    const dir = vscode.Uri.joinPath(this.extensionUri, SEEDS_DIR);
    let names: string[];
    try {
      names = (await vscode.workspace.fs.readDirectory(dir))
        .filter(([name, type]) => type === vscode.FileType.File && isSeedFileName(name))
        .map(([name]) => name)
        .sort();
    } catch (e) {
      return new Error(messageOf(e));
    }
    return this.readSeedNames(names);
  }

  private async readSeedNames(names: string[]): Promise<SeedFiles> {
    const dir = vscode.Uri.joinPath(this.extensionUri, SEEDS_DIR);
    const read = await Promise.all(
      names.map((name) =>
        vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name)).then(
          (bytes) => ({ bytes }),
          (e: unknown) => ({ readError: `This fact file could not be read: ${messageOf(e)}` }),
        ),
      ),
    );
    return { names, read };
  }

  /**
   * The bundled fact files in seeds/: from the precompiled snapshot where it was built from the
   * very bytes in seeds/ (or where a seed file cannot be read to tell), parsed from YAML
   * otherwise (no snapshot, or a seed file changed or added since it was built). Uris are the
   * real seeds/*.yaml either way.
   */
  private async loadBundled(listed: SeedFiles | Error): Promise<Map<string, FileEntry>> {
    const t0 = performance.now();
    const snapshot = this.snapshot;
    const dir = vscode.Uri.joinPath(this.extensionUri, SEEDS_DIR);
    const out = new Map<string, FileEntry>();
    if (listed instanceof Error) {
      if (!snapshot) {
        this.errors.push(`The bundled facts could not be listed: ${listed.message}`);
        this.bundledHow = 'seeds/ could not be listed';
        return out;
      }
      // Listing a folder is not possible everywhere (an extension served over HTTP): the snapshot knows the names.
      listed = await this.readSeedNames(snapshot.files.map((f) => f.path.slice(SEEDS_DIR.length + 1)).sort());
    }
    const { names, read } = listed;
    const seeds = read.map((r, i) => ({ path: `${SEEDS_DIR}/${names[i]}`, bytes: 'bytes' in r ? r.bytes : new Uint8Array() }));
    const fromSnapshot = filesFromSnapshot(snapshot, seeds);
    const byPath = new Map((snapshot?.files ?? []).map((f) => [f.path, f.file]));
    let parsed = 0;
    let unread = 0;
    names.forEach((name, i) => {
      const uri = vscode.Uri.joinPath(dir, name);
      const r = read[i];
      const kept = byPath.get(seeds[i].path);
      if ('readError' in r) {
        // Good data is never dropped because it could not be checked.
        if (kept) unread++;
        out.set(uri.toString(), kept ? { file: kept } : { readError: r.readError });
      } else if (fromSnapshot[i]) {
        out.set(uri.toString(), { file: fromSnapshot[i] });
      } else {
        parsed++;
        out.set(uri.toString(), parseFactText(DECODER.decode(r.bytes), uri, 'bundled'));
      }
    });
    const reused = out.size - parsed;
    const took = Math.round(performance.now() - t0);
    this.bundledHow = !snapshot
      ? `${parsed} parsed from seeds/*.yaml in ${took} ms (${this.bundledHow || 'no precompiled snapshot'})`
      : parsed
        ? `${reused} from the precompiled snapshot, ${parsed} parsed from YAML in ${took} ms (changed since the snapshot was built)`
        : `${reused} from the precompiled snapshot, checked against seeds/ in ${took} ms`;
    if (unread) this.bundledHow += `; ${unread} could not be read to check`;
    if (snapshot && parsed) {
      this.log.warn(`The precompiled bundled facts are out of date for ${parsed} bundled fact file${parsed === 1 ? '' : 's'}, which were parsed from YAML instead; \`npm run bundle\` rebuilds them.`);
    }
    return out;
  }

  /**
   * The workspace's fact files: every pattern of every folder, searched at once (each search is
   * a round trip); and the folders a search of which failed.
   */
  private async findWorkspaceFiles(): Promise<{ uris: vscode.Uri[]; failed: vscode.WorkspaceFolder[] }> {
    const found = new Map<string, vscode.Uri>();
    const failed = new Set<vscode.WorkspaceFolder>();
    const searches = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) =>
      this.settings.factFiles(folder).map(async (pattern) => {
        try {
          return await this.findFiles(new vscode.RelativePattern(folder, pattern));
        } catch (e) {
          this.errors.push(`Searching ${folder.name} for "${pattern}" failed: ${messageOf(e)}; the fact files in use from that folder, if any, stay in use`);
          failed.add(folder);
          return [];
        }
      }),
    );
    for (const uris of await Promise.all(searches)) for (const uri of uris) found.set(uri.toString(), uri);
    return { uris: [...found.values()].sort((a, b) => byUri(a.toString(), b.toString())), failed: [...failed] };
  }

  /** The files to build from: the bundled ones, then the workspace's; and how many are bundled. */
  private filesToBuild(): { files: LoadedFactFile[]; bundledCount: number } {
    const files: LoadedFactFile[] = [];
    for (const entry of this.bundled?.values() ?? []) if (entry.file) files.push(entry.file);
    const bundledCount = files.length;
    for (const entry of this.workspace.values()) if (entry.file) files.push(entry.file);
    return { files, bundledCount };
  }

  /** Builds the knowledge base from the files loaded and puts it in use at once. */
  private rebuild(ms: number, detail?: string): void {
    if (this.disposed) return;
    const { files, bundledCount } = this.filesToBuild();
    const tBuild = performance.now();
    let built: Built;
    try {
      built = { kb: KnowledgeBase.build(files) };
    } catch (e) {
      built = bundledOnly(files, bundledCount, e);
    }
    this.publish(built, ms, detail, Math.round(performance.now() - tBuild));
  }

  /**
   * `rebuild` in slices, as fact files are parsed: indexing a large
   * knowledge base and building its name matcher take most of a second for 10,000 entities.
   * Until it is done, the knowledge base in use stays in use.
   */
  private async rebuildInSlices(ms: number, detail?: string): Promise<void> {
    if (this.disposed) return;
    const { files, bundledCount } = this.filesToBuild();
    const tBuild = performance.now();
    let built: Built;
    try {
      built = { kb: await slices.run(KnowledgeBase.buildInSteps(files)) };
    } catch (e) {
      built = bundledOnly(files, bundledCount, e);
    }
    if (this.disposed) return;
    this.publish(built, ms, detail, Math.round(performance.now() - tBuild));
  }

  /** Puts a knowledge base in use (with why it holds only the bundled facts, if so) and says so. */
  private publish({ kb, error }: Built, ms: number, detail: string | undefined, buildMs: number): void {
    this.kbValue = kb;
    this.buildError = error;
    this.generationValue++;
    this.loadedAt = new Date();
    this.loadMs = ms;
    const bundledProblems = kb.problems.filter((p) => this.bundled?.has(p.uri));
    this.log.info(
      `Knowledge base #${this.generationValue}: ${kb.entities.length} entities, ${kb.factCount} facts, ${kb.sources.length} sources ` +
        `from ${this.bundled?.size ?? 0} bundled and ${this.workspace.size} workspace fact files; ${kb.problems.length} problems (${ms} ms${detail ? `: ${detail}` : ''}; built in ${buildMs} ms).`,
    );
    for (const p of bundledProblems) this.log.warn(`Bundled fact file ${this.label(p.uri, 'bundled')}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.code}: ${p.message}`);
    for (const e of this.allErrors()) this.log.error(e);
    this.publishDiagnostics();
    this.emitter.fire(kb);
  }

  /** Problems of workspace fact files as diagnostics in those files (bundled ones go to the log). */
  private publishDiagnostics(): void {
    if (!this.diagnostics) return;
    const overrides = this.settings.rules();
    const byUri = new Map<string, vscode.Diagnostic[]>();
    for (const uri of this.workspace.keys()) byUri.set(uri, []);
    for (const p of this.kbValue.problems) {
      const list = byUri.get(p.uri);
      if (!list) continue;
      const severity = ruleSeverity(severityOf(p.code, overrides));
      if (severity === undefined) continue;
      list.push(makeDiagnostic(toRange(p.range), p.message, severity, p.code));
    }
    for (const [uri, entry] of this.workspace) {
      if (entry.readError) byUri.get(uri)?.push(makeDiagnostic(new vscode.Range(0, 0, 0, 0), entry.readError, vscode.DiagnosticSeverity.Error, 'kb.yaml-syntax'));
    }
    this.diagnostics.clear();
    for (const [uri, list] of byUri) if (list.length) this.diagnostics.set(toUri(uri), list);
  }

  // ---- live reload ---------------------------------------------------------------------------

  private watch(): void {
    for (const d of this.watchers) d.dispose();
    this.watchers = [];
    if (!this.isTrusted()) return;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const pattern of this.settings.factFiles(folder)) {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, pattern));
        w.onDidCreate((uri) => this.fileEvent(uri, 'changed'));
        w.onDidChange((uri) => this.fileEvent(uri, 'changed'));
        w.onDidDelete((uri) => this.fileEvent(uri, 'deleted'));
        this.watchers.push(w);
      }
    }
  }

  private fileEvent(uri: vscode.Uri, kind: 'changed' | 'deleted'): void {
    this.pending.set(uri.toString(), kind);
    this.schedule();
  }

  private rescan(reason: string): void {
    this.log.info(`Reloading the knowledge base: ${reason}.`);
    this.rescanPending = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const rescan = this.rescanPending;
      const changes = this.pending;
      this.rescanPending = false;
      this.pending = new Map();
      void this.enqueue(async () => {
        if (rescan) {
          this.watch();
          await this.loadAll();
          return;
        }
        const t0 = Date.now();
        if (!this.isTrusted()) return;
        for (const [key, kind] of changes) {
          if (kind === 'deleted') this.workspace.delete(key);
          else this.workspace.set(key, await readFactFile(toUri(key), 'workspace', this.cache));
        }
        this.cache?.retain(new Set(this.workspace.keys()));
        await this.rebuildInSlices(Date.now() - t0);
        this.saveCacheSoon();
      });
    }, this.debounceMs);
  }

  private label(uri: string, layer: Layer): string {
    const u = toUri(uri);
    if (layer === 'bundled') {
      const base = this.extensionUri.path.replace(/\/$/, '');
      return u.path.startsWith(`${base}/`) ? u.path.slice(base.length + 1) : u.path;
    }
    return vscode.workspace.asRelativePath(u, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  }
}

/** The seed files listed in seeds/, each with its bytes or why it could not be read. */
interface SeedFiles {
  readonly names: string[];
  readonly read: ({ bytes: Uint8Array } | { readError: string })[];
}

/** The snapshot's files, by the uri of their seed file. */
function snapshotEntries(snapshot: SeedsSnapshot): Map<string, FileEntry> {
  return new Map(snapshot.files.map((f) => [f.file.uri, { file: f.file }]));
}

/** A knowledge base built, and why it holds only the bundled facts when it does. */
interface Built {
  readonly kb: KnowledgeBase;
  readonly error?: string;
}

/** Never lose the bundled facts because of the user's files. */
function bundledOnly(files: readonly LoadedFactFile[], bundledCount: number, e: unknown): Built {
  return {
    kb: KnowledgeBase.build(files.slice(0, bundledCount)),
    error: `The knowledge base could not be built with the workspace fact files, so only the bundled facts are used: ${messageOf(e)}`,
  };
}

/** Whether two loads of the bundled (or workspace) files hold the very same loaded files, in the same order. */
function sameFiles(a: ReadonlyMap<string, FileEntry> | undefined, b: ReadonlyMap<string, FileEntry>): boolean {
  if (!a || a.size !== b.size) return false;
  const x = [...a];
  const y = [...b];
  return x.every(([uri, entry], i) => uri === y[i][0] && !!entry.file && entry.file === y[i][1].file);
}

/** Whether the file with this uri (as a string) is inside the folder. */
function isInFolder(uri: string, folder: vscode.WorkspaceFolder): boolean {
  const root = folder.uri.toString();
  return uri.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/**
 * The order workspace fact files are loaded in: of two entries with one id, the first file's is
 * used and the other reported.
 */
function byUri(a: string, b: string): number {
  return a.localeCompare(b);
}

/** Reads and loads one fact file; with a cache, takes it from there when its bytes are unchanged. */
async function readFactFile(uri: vscode.Uri, layer: Layer, cache?: FactFileCache): Promise<FileEntry> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    return { readError: `This fact file could not be read: ${messageOf(e)}` };
  }
  if (!cache) return parseBytes(bytes, uri, layer);
  const key = uri.toString();
  // Reads end together: each file's fingerprint and cached JSON (tens of milliseconds for a large file) wait for their turn.
  await slices.pauseIfDue();
  const hash = hashBytes(bytes);
  const cached = cache.get(key, hash);
  if (cached) return { file: cached, fromCache: true };
  const entry = await parseBytes(bytes, uri, layer);
  if (entry.file) cache.set(key, hash, entry.file);
  return entry;
}

/** A fact file's bytes read as text (see `decodeText`: UTF-8, or UTF-16 by its mark), then `parseInTurn`. */
function parseBytes(bytes: Uint8Array, uri: vscode.Uri, layer: Layer): Promise<FileEntry> {
  const read = decodeText(bytes);
  if (!read.ok) return Promise.resolve({ readError: `This fact file ${read.reason}.` });
  return parseInTurn(read.text, uri, layer);
}

function parseFactText(text: string, uri: vscode.Uri, layer: Layer): FileEntry {
  try {
    return { file: parseFactFile(text, uri.toString(), layer) };
  } catch (e) {
    return { readError: `This fact file could not be loaded: ${messageOf(e)}` };
  }
}

/**
 * Workspace fact files are parsed one at a time, in the order they were read: the slices share
 * the host's turns either way, but one at a time only one file's parse is half done, and held,
 * at once.
 */
let parsing: Promise<unknown> = Promise.resolve();

/** `parseFactText` in slices, after the files already waiting. */
function parseInTurn(text: string, uri: vscode.Uri, layer: Layer): Promise<FileEntry> {
  const turn = parsing.then(() => parseInSlices(text, uri, layer));
  // (Without the file itself, which the queue need not keep.)
  parsing = turn.then(() => undefined);
  return turn;
}

async function parseInSlices(text: string, uri: vscode.Uri, layer: Layer): Promise<FileEntry> {
  try {
    return { file: await slices.run(parseFactFileInSteps(text, uri.toString(), layer)) };
  } catch (e) {
    return { readError: `This fact file could not be loaded: ${messageOf(e)}` };
  }
}


// ---- "Policy Facts: Show Knowledge Base Status" ------------------------------------------------

export const STATUS_SCHEME = 'policy-facts-status';
const STATUS_URI = vscode.Uri.from({ scheme: STATUS_SCHEME, path: '/Knowledge base status.md' });

/** The status report as Markdown: what loaded, from where, counts, and every problem. */
export function renderStatus(s: KnowledgeStatus): string {
  const out: string[] = ['# Policy Facts: knowledge base', ''];
  out.push(
    `**${s.entities}** entities, **${s.facts}** facts, **${s.sources}** sources; ` +
      `**${s.problems.length}** problem${s.problems.length === 1 ? '' : 's'}.`,
    '',
  );
  if (s.loadedAt) out.push(`Loaded at ${s.loadedAt.toLocaleTimeString()} in ${s.loadMs ?? 0} ms (load #${s.generation}).`, '');
  else out.push('Not loaded yet.', '');
  if (!s.workspaceFilesRead) {
    out.push('> This workspace is not trusted, so its fact files are not read: only the bundled facts are in use. Trust the workspace to load them.', '');
  }
  const table = (layer: Layer) => {
    const files = s.files.filter((f) => f.layer === layer);
    if (!files.length) return ['(none)', ''];
    const rows = ['| File | Entities | Facts | Sources | Problems |', '|---|---:|---:|---:|---:|'];
    for (const f of files) {
      rows.push(`| ${escapeCell(f.label)}${f.readError ? ` (${escapeCell(f.readError)})` : ''} | ${f.entities} | ${f.facts} | ${f.sources} | ${f.problems} |`);
    }
    return [...rows, ''];
  };
  out.push('## Bundled fact files', '', `Loaded: ${s.bundledHow || 'not yet'}.`, '', ...table('bundled'));
  const workspaceFiles = s.files.filter((f) => f.layer === 'workspace').length;
  const n = s.workspaceFromCache;
  const cached = !n ? [] : [n === workspaceFiles ? `Loaded: all ${n} unchanged since last loaded, taken from the cache.` : `Loaded: ${n} of ${workspaceFiles} unchanged since last loaded, taken from the cache; the rest parsed.`, ''];
  out.push('## Workspace fact files', '', `Patterns: ${s.patterns.map((p) => `\`${p}\``).join(', ') || '(none)'}`, '', ...cached, ...table('workspace'));
  if (s.errors.length) out.push('## Errors', '', ...s.errors.map((e) => `- ${e}`), '');
  if (s.problems.length) {
    out.push('## Problems', '');
    const labels = new Map(s.files.map((f) => [f.uri, f.label]));
    for (const p of s.problems) {
      out.push(`- ${labels.get(p.uri) ?? p.uri}:${p.range.start.line + 1}:${p.range.start.character + 1} — ${p.severity} \`${p.code}\`: ${p.message}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/**
 * `policyFacts.showStatus`: opens the status report as a read-only Markdown document and
 * returns the status (so tests and other commands can use it).
 */
export function registerShowStatus(deps: Deps): vscode.Disposable {
  const { knowledge, log } = deps;
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: log.guard('knowledge base status report', '# Policy Facts\n\nThe status report could not be made; see the Policy Facts log.\n', () =>
      renderStatus(knowledge.status()),
    ),
  };
  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(STATUS_SCHEME, provider),
    knowledge.onDidChange(() => changed.fire(STATUS_URI)),
    vscode.commands.registerCommand(
      'policyFacts.showStatus',
      log.wrap('Show Knowledge Base Status', async () => {
        await knowledge.ready;
        const status = knowledge.status();
        // The path ends in .md, so VS Code opens it as Markdown.
        const doc = await vscode.workspace.openTextDocument(STATUS_URI);
        await vscode.window.showTextDocument(doc, { preview: true });
        return status;
      }),
    ),
  );
}
