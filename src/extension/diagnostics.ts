/**
 * Figure checks as diagnostics in the Problems panel. Each finding of a checked draft becomes
 * one diagnostic with the rule id as `code`, "Policy Facts" as `source`, the severity the user
 * chose for the rule (none when it is off), and related information pointing at the recorded
 * figures' entries in the fact files. Suppressed findings produce nothing.
 *
 * When drafts are checked follows `policyFacts.checkOn`: on open and as you type (debounced),
 * on open and on save, or only when a check command runs. Diagnostics of a draft go away when
 * it is closed; those of files checked by "Check Figures in Workspace" stay until a new check.
 */
import * as vscode from 'vscode';
import { LineIndex, runToEnd, type CheckResult, type Finding, type KnowledgeBase, type Steps } from '../core';
import { makeDiagnostic, originLocation, ruleSeverity } from './convert';
import type { Deps } from './deps';
import { readClosedDraft } from './readDraft';
import { SETTING } from './settings';
import { slices } from './slices';

/** Typing pauses this long before a draft is checked again. */
export const EDIT_DEBOUNCE_MS = 300;
/** Diagnostics are made this many findings at a time when made in slices. */
const FINDINGS_PER_STEP = 250;
/** At most this many recorded figures are listed under a diagnostic. */
const MAX_RELATED = 6;
/** Documents from these schemes are views of other files (diffs, history): never checked. */
const SKIPPED_SCHEMES = new Set(['git', 'gitfs', 'vscode-scm', 'review', 'pr', 'conflictResolution']);

/** What the check commands use to publish results; on `api.features.diagnostics`. */
export interface FigureDiagnostics {
  readonly collection: vscode.DiagnosticCollection;
  /** Checks an open document now (whatever `checkOn` says) and publishes the result. */
  check(document: vscode.TextDocument): CheckResult | undefined;
  /**
   * Checks the text of a file that is not open, in slices, and publishes the result under its
   * uri (unless the file has been opened meanwhile: then its own check shows).
   */
  checkClosed(uri: vscode.Uri, text: string): Promise<CheckResult>;
}

export function registerDiagnostics(deps: Deps): vscode.Disposable {
  const publisher = new DiagnosticsPublisher(deps);
  deps.api.features.diagnostics = publisher;
  return publisher;
}

/** Diagnostics for the findings of one text; `at` turns an offset into a position. */
export function findingDiagnostics(kb: KnowledgeBase, findings: readonly Finding[], at: (offset: number) => vscode.Position): vscode.Diagnostic[] {
  return runToEnd(findingDiagnosticsInSteps(kb, findings, at));
}

/**
 * `findingDiagnostics` a few hundred findings at a time, for `slices`: making thousands at once
 * (a long draft's first check) took 50–110 ms in one go in VS Code's extension host.
 */
function* findingDiagnosticsInSteps(kb: KnowledgeBase, findings: readonly Finding[], at: (offset: number) => vscode.Position): Steps<vscode.Diagnostic[]> {
  const out: vscode.Diagnostic[] = [];
  for (let i = 0; i < findings.length; i++) {
    if (i > 0 && i % FINDINGS_PER_STEP === 0) yield;
    const f = findings[i];
    if (f.suppressed) continue;
    const severity = ruleSeverity(f.severity);
    if (severity === undefined) continue;
    const d = makeDiagnostic(new vscode.Range(at(f.start), at(f.end)), f.message, severity, f.code);
    const related = relatedInformation(kb, f);
    if (related.length) d.relatedInformation = related;
    out.push(d);
  }
  return out;
}

/** Whether two lists of diagnostics say the same things at the same places, in the same order. */
function sameDiagnostics(a: readonly vscode.Diagnostic[], b: readonly vscode.Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (!x.range.isEqual(y.range) || x.message !== y.message || x.severity !== y.severity || x.code !== y.code || x.source !== y.source) return false;
    const rx = x.relatedInformation ?? [];
    const ry = y.relatedInformation ?? [];
    if (rx.length !== ry.length) return false;
    for (let k = 0; k < rx.length; k++) {
      const p = rx[k];
      const q = ry[k];
      if (p.message !== q.message || !p.location.range.isEqual(q.location.range) || p.location.uri.toString() !== q.location.uri.toString()) return false;
    }
  }
  return true;
}

function relatedInformation(kb: KnowledgeBase, f: Finding): vscode.DiagnosticRelatedInformation[] {
  const out: vscode.DiagnosticRelatedInformation[] = [];
  const entity = f.entityId ? kb.get(f.entityId) : undefined;
  if (f.status === 'former-name' && entity) {
    out.push(new vscode.DiagnosticRelatedInformation(originLocation(entity.nameOrigin), `Current name: ${entity.name}`));
    return out;
  }
  for (const x of (f.expected ?? []).slice(0, MAX_RELATED)) {
    const owner = x.entityId !== f.entityId ? kb.get(x.entityId)?.name : undefined;
    const when = x.period ?? (x.asOf ? `as of ${x.asOf}` : undefined);
    const what = `${x.text}: ${x.about}${when ? `, ${when}` : ''}${x.source ? ` (${x.source})` : ''}`;
    out.push(new vscode.DiagnosticRelatedInformation(originLocation(x.origin), owner ? `Recorded for ${owner}: ${what}` : `Recorded: ${what}`));
  }
  if (!out.length && entity) {
    out.push(new vscode.DiagnosticRelatedInformation(originLocation(entity.nameOrigin), `About: ${entity.name}`));
  }
  return out;
}

class DiagnosticsPublisher implements FigureDiagnostics, vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('Policy Facts');
  private readonly timers = new Map<string, { timer: ReturnType<typeof setTimeout>; version: number }>();
  /** The latest refresh of each document: an earlier one still waiting for its check publishes nothing. */
  private readonly refreshes = new Map<string, number>();
  private refreshCount = 0;
  /** Files checked without being open (workspace check), by uri: re-checked when the facts change. */
  private readonly closed = new Map<string, vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private loaded = false;

  constructor(private readonly deps: Deps) {
    const { analysis, knowledge, settings, log } = deps;
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => {
        this.closed.delete(d.uri.toString());
        if (this.mode(d) !== 'manual') this.schedule(d, 0);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.mode(d) !== 'manual') this.refresh(d);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      analysis.onDidChange((e) => {
        if (e.reason === 'document' && e.uri) {
          const d = vscode.workspace.textDocuments.find((x) => x.uri.toString() === e.uri!.toString());
          if (d && this.mode(d) === 'open-and-edit') this.schedule(d, EDIT_DEBOUNCE_MS);
        } else if (e.reason === 'knowledge' || e.reason === 'settings') {
          this.refreshAll();
        }
      }),
      settings.onDidChange((e) => {
        if (e.affects(SETTING.checkOn)) this.refreshAll();
      }),
      { dispose: () => this.timers.forEach((t) => clearTimeout(t.timer)) },
    );
    void knowledge.ready.then(
      log.guard('Publishing diagnostics', undefined, () => {
        this.loaded = true;
        for (const d of vscode.workspace.textDocuments) if (this.mode(d) !== 'manual') this.refresh(d);
      }),
    );
  }

  check(document: vscode.TextDocument): CheckResult | undefined {
    this.cancel(document.uri);
    return this.publish(document);
  }

  async checkClosed(uri: vscode.Uri, text: string): Promise<CheckResult> {
    // Same rules and limits as an open draft (policyFacts.maxDraftChars).
    const { result, kb } = await this.deps.analysis.checkFile(uri, text);
    const lines = new LineIndex(text);
    const at = (o: number) => {
      const p = lines.positionAt(o);
      return new vscode.Position(p.line, p.character);
    };
    const made = await slices.run(findingDiagnosticsInSteps(kb, result.findings, at));
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return result;
    this.show(uri, made);
    this.closed.set(uri.toString(), uri);
    return result;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.timers.clear();
    this.closed.clear();
  }

  /** `checkOn` for a document, or `manual` when the document is not one we check. */
  private mode(document: vscode.TextDocument) {
    if (SKIPPED_SCHEMES.has(document.uri.scheme) || !this.deps.analysis.applies(document)) return 'manual';
    return this.deps.settings.checkOn(document.uri);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    this.cancel(document.uri);
    const key = document.uri.toString();
    const version = document.version;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      // A newer edit has its own timer; a closed document has nothing to show.
      if (document.isClosed || document.version !== version) return;
      this.refresh(document);
    }, delay);
    this.timers.set(key, { timer, version });
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending.timer);
    this.timers.delete(key);
  }

  private refresh(document: vscode.TextDocument): void {
    if (!this.loaded) return; // first results once the facts are loaded, not against an empty knowledge base
    const { analysis, knowledge } = this.deps;
    if (SKIPPED_SCHEMES.has(document.uri.scheme) || !analysis.applies(document)) {
      this.deps.log.guard('Checking figures', undefined, () => this.publish(document))();
      return;
    }
    // Checked in slices: a long draft's first check does not hold the editor up.
    const mine = ++this.refreshCount;
    this.refreshes.set(document.uri.toString(), mine);
    const version = document.version;
    const generation = knowledge.generation;
    void analysis
      .getInSlices(document)
      .then(() => this.publishChecked(document, mine, version, generation))
      .catch((e) => this.deps.log.error('Checking figures failed', e));
  }

  /**
   * After a refresh's check in slices: its diagnostics, made in slices too, published if the
   * draft and the facts are still as checked. Else, checked on open or on save, the draft is
   * checked again as it is now (newer facts have a refresh of their own, and so do edits as you
   * type).
   */
  private async publishChecked(document: vscode.TextDocument, mine: number, version: number, generation: number): Promise<void> {
    const { analysis, knowledge } = this.deps;
    const key = document.uri.toString();
    // A later refresh publishes instead.
    const latest = () => this.refreshes.get(key) === mine && !document.isClosed;
    const unchanged = () => document.version === version && knowledge.generation === generation;
    if (latest() && unchanged()) {
      const result = analysis.get(document);
      const made = result && (await slices.run(findingDiagnosticsInSteps(knowledge.kb, result.findings, (o) => document.positionAt(o))));
      if (latest() && unchanged()) {
        this.refreshes.delete(key);
        if (made) this.show(document.uri, made);
        else this.collection.delete(document.uri);
        return;
      }
    }
    if (!latest()) return;
    this.refreshes.delete(key);
    if (knowledge.generation === generation && this.mode(document) !== 'open-and-edit') this.refresh(document);
  }

  private publish(document: vscode.TextDocument): CheckResult | undefined {
    const result = SKIPPED_SCHEMES.has(document.uri.scheme) ? undefined : this.deps.analysis.get(document);
    if (!result) {
      this.collection.delete(document.uri);
      return undefined;
    }
    this.show(document.uri, findingDiagnostics(this.deps.knowledge.kb, result.findings, (o) => document.positionAt(o)));
    return result;
  }

  /**
   * Publishes `diagnostics` for `uri`, unless they are exactly what is shown already: most
   * edits (a word typed on a line without a finding) change no diagnostic, and publishing a
   * thousand again costs the extension host 10–50 ms, and the window takes each one in again.
   */
  private show(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): void {
    if (this.collection.has(uri) && sameDiagnostics(this.collection.get(uri) ?? [], diagnostics)) return;
    this.collection.set(uri, diagnostics);
  }

  private forget(uri: vscode.Uri): void {
    this.cancel(uri);
    this.refreshes.delete(uri.toString());
    this.collection.delete(uri);
  }

  /** After the facts or the settings changed: check again every draft that has (or should have) results. */
  private refreshAll(): void {
    if (!this.loaded) return;
    const open = new Set<string>();
    for (const d of vscode.workspace.textDocuments) {
      open.add(d.uri.toString());
      if (this.mode(d) !== 'manual' || this.collection.has(d.uri)) this.refresh(d);
    }
    for (const [key, uri] of [...this.closed]) {
      if (open.has(key)) continue;
      if (!this.deps.settings.enabled(uri)) {
        this.closed.delete(key);
        this.collection.delete(uri);
        continue;
      }
      void this.recheckClosed(uri);
    }
  }

  private async recheckClosed(uri: vscode.Uri): Promise<void> {
    try {
      const read = await readClosedDraft(uri);
      if (!read.ok) throw new Error(read.reason);
      if (this.closed.has(uri.toString())) await this.checkClosed(uri, read.text);
    } catch {
      // The file is gone or unreadable: its old results would mislead.
      this.closed.delete(uri.toString());
      this.collection.delete(uri);
    }
  }
}
