/**
 * Loads the knowledge base: the bundled fact files shipped in `seeds/`, then the user's fact
 * files in the workspace (the `policyFacts.factFiles` globs), and keeps it current as those
 * files are created, changed or deleted and as settings change. Problems in the user's fact
 * files become diagnostics at their exact place in the YAML. A broken fact file only loses
 * its own bad entries: the bundled facts and every good entry keep working.
 *
 * Files are read through `vscode.workspace.fs` only, so this runs in VS Code for the web too.
 * In an untrusted workspace only the bundled facts are loaded (see docs/trust.md).
 */
import * as vscode from 'vscode';
import { KnowledgeBase, parseFactFile, severityOf, type KbProblem, type Layer, type LoadedFactFile } from '../core';
import { makeDiagnostic, ruleSeverity, toRange, toUri } from './convert';
import type { Deps } from './deps';
import { messageOf, type Log } from './log';
import { SETTING, type Settings } from './settings';

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
}

interface FileEntry {
  readonly file?: LoadedFactFile;
  readonly readError?: string;
}

const DECODER = new TextDecoder('utf-8');

export class KnowledgeService implements vscode.Disposable {
  private kbValue: KnowledgeBase = KnowledgeBase.build([]);
  private generationValue = 0;
  private bundled?: Map<string, FileEntry>;
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

  /** The current knowledge base (empty until the first load finishes). */
  get kb(): KnowledgeBase {
    return this.kbValue;
  }

  /** Increases by one on every reload: part of every cache key that depends on the facts. */
  get generation(): number {
    return this.generationValue;
  }

  /** Starts the first load and the file watchers. Returns `ready`. */
  start(): Promise<void> {
    this.enqueue(async () => {
      this.watch();
      await this.loadAll();
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
    for (const [uri, entry] of [...this.workspace].sort(([a], [b]) => a.localeCompare(b))) add(uri, entry, 'workspace');
    return {
      generation: this.generationValue,
      loadedAt: this.loadedAt,
      loadMs: this.loadMs,
      workspaceFilesRead: this.workspaceFilesRead,
      patterns: [...new Set((vscode.workspace.workspaceFolders ?? [undefined]).flatMap((f) => this.settings.factFiles(f)))],
      files,
      entities: kb.entities.length,
      sources: kb.sources.length,
      facts: kb.factCount,
      problems: kb.problems,
      errors: this.allErrors(),
    };
  }

  private allErrors(): string[] {
    return this.buildError ? [...this.errors, this.buildError] : [...this.errors];
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
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

  private async loadAll(): Promise<void> {
    const t0 = Date.now();
    this.errors.length = 0;
    if (!this.bundled) this.bundled = await this.loadBundled();
    const t1 = Date.now();
    this.workspace.clear();
    this.workspaceFilesRead = this.isTrusted();
    let t2 = t1;
    if (this.workspaceFilesRead) {
      const uris = await this.findWorkspaceFiles();
      t2 = Date.now();
      const entries = await Promise.all(uris.map((uri) => readFactFile(uri, 'workspace')));
      uris.forEach((uri, i) => this.workspace.set(uri.toString(), entries[i]));
    } else {
      this.log.info('The workspace is not trusted: only the bundled facts are loaded.');
    }
    this.rebuild(Date.now() - t0, `bundled ${t1 - t0} ms, search ${t2 - t1} ms, workspace files ${Date.now() - t2} ms`);
  }

  private async loadBundled(): Promise<Map<string, FileEntry>> {
    const dir = vscode.Uri.joinPath(this.extensionUri, 'seeds');
    const out = new Map<string, FileEntry>();
    let names: string[];
    try {
      names = (await vscode.workspace.fs.readDirectory(dir))
        .filter(([name, type]) => type === vscode.FileType.File && /\.ya?ml$/i.test(name))
        .map(([name]) => name)
        .sort();
    } catch (e) {
      this.errors.push(`The bundled facts could not be listed: ${messageOf(e)}`);
      return out;
    }
    const uris = names.map((name) => vscode.Uri.joinPath(dir, name));
    const entries = await Promise.all(uris.map((uri) => readFactFile(uri, 'bundled')));
    uris.forEach((uri, i) => out.set(uri.toString(), entries[i]));
    return out;
  }

  private async findWorkspaceFiles(): Promise<vscode.Uri[]> {
    const found = new Map<string, vscode.Uri>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const pattern of this.settings.factFiles(folder)) {
        try {
          for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, pattern))) {
            found.set(uri.toString(), uri);
          }
        } catch (e) {
          this.errors.push(`Searching ${folder.name} for "${pattern}" failed: ${messageOf(e)}`);
        }
      }
    }
    return [...found.values()].sort((a, b) => a.toString().localeCompare(b.toString()));
  }

  private rebuild(ms: number, detail?: string): void {
    const files: LoadedFactFile[] = [];
    for (const entry of this.bundled?.values() ?? []) if (entry.file) files.push(entry.file);
    const bundledCount = files.length;
    for (const entry of this.workspace.values()) if (entry.file) files.push(entry.file);
    this.buildError = undefined;
    try {
      this.kbValue = KnowledgeBase.build(files);
    } catch (e) {
      // Never lose the bundled facts because of the user's files.
      this.buildError = `The knowledge base could not be built with the workspace fact files, so only the bundled facts are used: ${messageOf(e)}`;
      this.kbValue = KnowledgeBase.build(files.slice(0, bundledCount));
    }
    this.generationValue++;
    this.loadedAt = new Date();
    this.loadMs = ms;
    const kb = this.kbValue;
    const bundledProblems = kb.problems.filter((p) => this.bundled?.has(p.uri));
    this.log.info(
      `Knowledge base #${this.generationValue}: ${kb.entities.length} entities, ${kb.factCount} facts, ${kb.sources.length} sources ` +
        `from ${this.bundled?.size ?? 0} bundled and ${this.workspace.size} workspace fact files; ${kb.problems.length} problems (${ms} ms${detail ? `: ${detail}` : ''}).`,
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
          else this.workspace.set(key, await readFactFile(toUri(key), 'workspace'));
        }
        this.rebuild(Date.now() - t0);
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

async function readFactFile(uri: vscode.Uri, layer: Layer): Promise<FileEntry> {
  let text: string;
  try {
    text = DECODER.decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    return { readError: `This fact file could not be read: ${messageOf(e)}` };
  }
  try {
    return { file: parseFactFile(text, uri.toString(), layer) };
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
  out.push('## Bundled fact files', '', ...table('bundled'));
  out.push('## Workspace fact files', '', `Patterns: ${s.patterns.map((p) => `\`${p}\``).join(', ') || '(none)'}`, '', ...table('workspace'));
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
    provideTextDocumentContent: () => renderStatus(knowledge.status()),
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
