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

/**
 * Diagnostics for the findings of one text (`at` turns an offset into a position), a few
 * hundred findings at a time, for `slices`.
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

/**
 * Whether two lists of diagnostics say the same things at the same places, in the same order:
 * every field `findingDiagnosticsInSteps` sets (range, message, severity, code, source, related
 * information), and only those. Compared a few thousand at a time, for `slices`.
 */
function* sameDiagnosticsInSteps(a: readonly vscode.Diagnostic[], b: readonly vscode.Diagnostic[]): Steps<boolean> {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (i > 0 && i % (FINDINGS_PER_STEP * 8) === 0) yield;
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
      if (p.message !== q.message || !p.location.range.isEqual(q.location.range)) return false;
      if (p.location.uri !== q.location.uri && p.location.uri.toString() !== q.location.uri.toString()) return false;
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

/** What a publication showed: where its diagnostics end (the furthest end; null: none), and the lines they are on. */
interface Shown {
  readonly end: vscode.Position | null;
  readonly lines: ReadonlySet<number>;
}

/** Diagnostics made for a document, and the publication they are the same as, if any. */
interface Made {
  readonly diagnostics: vscode.Diagnostic[];
  readonly sameAs?: Shown;
}

/**
 * Whether an edit moves or changes any of the diagnostics shown: one after them all does not;
 * one that adds or removes a line break moves those after it; one within a line changes only
 * those on that line.
 */
function touches(shown: Shown, change: vscode.TextDocumentContentChangeEvent): boolean {
  const { start, end } = change.range;
  if (!shown.end || start.isAfter(shown.end)) return false;
  if (start.line !== end.line || /[\r\n]/.test(change.text)) return true;
  return shown.lines.has(start.line);
}

class DiagnosticsPublisher implements FigureDiagnostics, vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('Policy Facts');
  private readonly timers = new Map<string, { timer: ReturnType<typeof setTimeout>; version: number }>();
  /** The latest refresh of each document: an earlier one still waiting for its check publishes nothing. */
  private readonly refreshes = new Map<string, number>();
  private refreshCount = 0;
  /** Files checked without being open (workspace check), by uri: re-checked when the facts change. */
  private readonly closed = new Map<string, vscode.Uri>();
  /**
   * Each document's last publication, while no edit since has touched its diagnostics (see
   * `touches`). The window draws them as decorations that move and shrink with such edits, so
   * once one has, they are published again even when a check finds the very same ones (a line
   * cut and pasted back).
   */
  private readonly untouched = new Map<string, Shown>();
  /** The latest check of each file that is not open: an earlier one still running publishes nothing. */
  private readonly closedRuns = new Map<string, number>();
  private closedRunCount = 0;
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
      vscode.workspace.onDidChangeTextDocument((e) => {
        const key = e.document.uri.toString();
        const shown = this.untouched.get(key);
        if (shown && e.contentChanges.some((c) => touches(shown, c))) this.untouched.delete(key);
      }),
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
    const key = uri.toString();
    const run = ++this.closedRunCount;
    this.closedRuns.set(key, run);
    // Known from the start: new facts or settings meanwhile have it checked again (`refreshAll`).
    this.closed.set(key, uri);
    // Not if it has been opened (its own check shows), dropped, or checked again since.
    const latest = () => this.closedRuns.get(key) === run && this.closed.has(key);
    const lines = new LineIndex(text);
    const at = (o: number) => {
      const p = lines.positionAt(o);
      return new vscode.Position(p.line, p.character);
    };
    try {
      // Same rules and limits as an open draft (policyFacts.maxDraftChars).
      const { result, kb } = await this.deps.analysis.checkFile(uri, text);
      if (!latest()) return result;
      const made = await slices.run(this.diagnosticsInSteps(uri, kb, result.findings, at));
      if (latest()) this.show(uri, made);
      return result;
    } finally {
      if (this.closedRuns.get(key) === run) this.closedRuns.delete(key);
    }
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
      const made = result && (await slices.run(this.diagnosticsInSteps(document.uri, knowledge.kb, result.findings, (o) => document.positionAt(o))));
      if (latest() && unchanged()) {
        this.refreshes.delete(key);
        if (made) this.show(document.uri, made);
        else this.unpublish(document.uri);
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
      this.unpublish(document.uri);
      return undefined;
    }
    this.show(document.uri, runToEnd(this.diagnosticsInSteps(document.uri, this.deps.knowledge.kb, result.findings, (o) => document.positionAt(o))));
    return result;
  }

  /**
   * The diagnostics of `findings`, and whether they are what is shown for `uri` (see `show`),
   * a step at a time.
   */
  private *diagnosticsInSteps(uri: vscode.Uri, kb: KnowledgeBase, findings: readonly Finding[], at: (offset: number) => vscode.Position): Steps<Made> {
    const diagnostics = yield* findingDiagnosticsInSteps(kb, findings, at);
    const shown = this.untouched.get(uri.toString());
    const same = !!shown && this.collection.has(uri) && (yield* sameDiagnosticsInSteps(this.collection.get(uri) ?? [], diagnostics));
    return { diagnostics, sameAs: same ? shown : undefined };
  }

  /**
   * Publishes diagnostics for `uri`, unless they are exactly what is shown already and no edit
   * has touched them since (see `untouched`): most edits (a word typed on a line without a
   * finding, or below the last one) change no diagnostic, and publishing a thousand again costs
   * the extension host 10–50 ms, and the window takes each one in again.
   */
  private show(uri: vscode.Uri, made: Made): void {
    const key = uri.toString();
    if (made.sameAs && this.untouched.get(key) === made.sameAs) return;
    this.collection.set(uri, made.diagnostics);
    let end: vscode.Position | null = null;
    const lines = new Set<number>();
    for (const d of made.diagnostics) {
      if (!end || d.range.end.isAfter(end)) end = d.range.end;
      for (let line = d.range.start.line; line <= d.range.end.line; line++) lines.add(line);
    }
    this.untouched.set(key, { end, lines });
  }

  private forget(uri: vscode.Uri): void {
    this.cancel(uri);
    this.refreshes.delete(uri.toString());
    this.unpublish(uri);
  }

  private unpublish(uri: vscode.Uri): void {
    this.untouched.delete(uri.toString());
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
        this.unpublish(uri);
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
      this.unpublish(uri);
    }
  }
}
