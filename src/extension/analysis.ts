/**
 * One place that checks drafts. Every feature (diagnostics, hover, trees, status bar…) asks
 * `analysis.get(document)` and gets the same `CheckResult`, computed once per document
 * version and knowledge-base generation, with the user's rule severities applied.
 *
 * Robustness: the work on one draft is bounded by the limits in limits.ts (the checker
 * reports where a limit stopped it, as a `check.limit` finding); a result is only ever
 * returned for the document version it was computed for, so an answer about older text is
 * never shown; the state of a document is dropped when it is closed; and a check that throws
 * is logged (once per version) and treated as "not checked" instead of breaking every
 * feature that asks. Nothing is computed on an edit itself: features that follow typing ask
 * after a pause (longer for a draft whose check is slow, see `editDelay`), only the blocks an
 * edit touches are checked again (src/core/incremental.ts), and the answer is cached for
 * everyone else.
 */
import * as vscode from 'vscode';
import { checkTextInSteps, draftBlockStarts, IncrementalChecker, type KnowledgeBase, LineIndex, runToEnd, type CheckResult, type Steps } from '../core';
import type { KnowledgeService } from './knowledgeService';
import { STATUS_SCHEME } from './knowledgeService';
import { describeLimit, draftLimit, type DraftLimit } from './limits';
import type { Log } from './log';
import { SETTING, type Settings } from './settings';
import { SLICE_MS, slices } from './slices';

/** Why results may have changed: a document was edited, closed, or everything changed. */
export interface AnalysisChange {
  /** `checked`: a check done in slices (see `peek`) has ended, and its result is there to `get`. */
  readonly reason: 'document' | 'closed' | 'knowledge' | 'settings' | 'checked';
  /** The document concerned; `undefined` means every document. */
  readonly uri?: vscode.Uri;
}

/** What the last check of a document did: for the log, tests and measurements. */
export interface CheckStats {
  readonly uri: string;
  readonly version: number;
  /** Milliseconds the check took (reading the text included). */
  readonly ms: number;
  /** Characters in the document, and how many the check covered. */
  readonly chars: number;
  readonly checkedChars: number;
  readonly limit: DraftLimit;
  /** Whether only the changed part was checked again. */
  readonly incremental: boolean;
  /** The longest piece of the check, in milliseconds: how long it held the extension host up at once. */
  readonly longestStepMs: number;
  /** Set when the check failed (the error is in the log). */
  readonly error?: string;
}

interface DocumentState {
  readonly version: number;
  readonly generation: number;
  /** `undefined` when the check failed (it is not tried again for the same version). */
  readonly result: CheckResult | undefined;
  readonly stats: CheckStats;
  /** Re-checks only what changed; bound to one knowledge base and one set of options. */
  readonly checker?: { readonly generation: number; readonly key: string; readonly instance: IncrementalChecker };
}

/** Schemes whose documents are never checked (our own status report, output panes). */
const IGNORED_SCHEMES = new Set([STATUS_SCHEME, 'output', 'vscode-settings']);
/** Checks slower than this are written to the log. */
const SLOW_CHECK_MS = 200;
/**
 * After an edit of a draft whose last check took more than `QUICK_CHECK_MS`, the change is
 * announced only once typing has paused for twice that long (at most `MAX_EDIT_DELAY_MS`),
 * so features that follow typing check a big draft once per pause, not once per keystroke.
 */
const QUICK_CHECK_MS = 50;
const MAX_EDIT_DELAY_MS = 2_000;

export interface AnalysisOptions {
  /**
   * Re-check only the blocks an edit touches (src/core/incremental.ts; same result as a whole
   * check). On by default; a draft over a limit is always checked whole.
   */
  readonly incremental?: boolean;
}

export class AnalysisService implements vscode.Disposable {
  private readonly states = new Map<string, DocumentState>();
  private readonly emitter = new vscode.EventEmitter<AnalysisChange>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly incremental: boolean;
  private last?: CheckStats;
  private count = 0;
  /** Which limit applied to each open document last, so the log says when that changes. */
  private readonly limits = new Map<string, DraftLimit['reason']>();
  /** How long the last check of each open document took, and edits waiting to be announced. */
  private readonly costs = new Map<string, number>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Checks being done in slices (begun by `getInSlices` or `peek`), by document. */
  private readonly running = new Map<string, Running>();

  /** Fires when results may differ from the last `get`; call `get` again to see them. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly settings: Settings,
    private readonly log: Log,
    options: AnalysisOptions = {},
  ) {
    this.incremental = options.incremental ?? true;
    this.disposables.push(
      this.emitter,
      knowledge.onDidChange(() => {
        this.states.clear();
        this.stopAll();
        this.emitter.fire({ reason: 'knowledge' });
      }),
      settings.onDidChange((e) => {
        if (e.affects(SETTING.enable) || e.affects(SETTING.languages) || e.affects(SETTING.rules) || e.affects(SETTING.maxDraftChars)) {
          this.states.clear();
          this.stopAll();
          this.emitter.fire({ reason: 'settings' });
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.applies(e.document)) this.edited(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.forget(d.uri.toString());
        if (this.states.delete(d.uri.toString())) this.emitter.fire({ reason: 'closed', uri: d.uri });
      }),
    );
  }

  /** Whether this document is checked: the master switch is on and its language is listed. */
  applies(document: vscode.TextDocument): boolean {
    return !IGNORED_SCHEMES.has(document.uri.scheme) && this.settings.appliesTo(document);
  }

  /**
   * The check result for the document as it is now, or `undefined` when the document is not
   * checked (switched off, another language, closed, or the check failed — see the log).
   * Cached by uri + version + knowledge generation; equal to `checkText` on the document's
   * text with the options `checkOptions` gives.
   */
  get(document: vscode.TextDocument): CheckResult | undefined {
    if (!this.applies(document)) return undefined;
    const key = document.uri.toString();
    if (document.isClosed) {
      // A closed document has nothing to show, and keeping its results would keep its text alive.
      this.states.delete(key);
      this.forget(key);
      return undefined;
    }
    const generation = this.knowledge.generation;
    const previous = this.states.get(key);
    if (previous && previous.version === document.version && previous.generation === generation) return previous.result;
    // A check of this very version being done in slices is finished now, not done again.
    const running = this.running.get(key);
    if (running && running.version === document.version && running.generation === generation) {
      this.running.delete(key);
      return this.finished(key, running.finish(), true).result;
    }
    this.stop(key);
    return this.finished(key, runToEnd(this.check(document, generation, previous)), false).result;
  }

  /**
   * `get`, with a check that is due done in slices (see slices.ts), so that checking a long draft
   * does not hold everything else in the extension host up. A `get` meanwhile finishes the same
   * check at once. Resolves to what `get` would give, or `undefined` when the document changed
   * (or the facts did) before the check ended: the newer version is checked when asked for.
   */
  async getInSlices(document: vscode.TextDocument): Promise<CheckResult | undefined> {
    const running = this.checkInSlices(document);
    if (!running) return this.get(document);
    await running.done;
    const key = document.uri.toString();
    const state = this.states.get(key);
    return state && state.version === document.version && state.generation === this.knowledge.generation && !document.isClosed ? state.result : undefined;
  }

  /**
   * For what is shown without being asked for (the status bar, the draft view, the light bulb):
   * the result for the document as it is now, like `get`, when it has been checked or its check
   * ends within one slice (re-checking what an edit changed takes a few milliseconds). Else
   * `undefined`, and the check goes on in slices (see `getInSlices`), announced as `checked`
   * when it ends. So a whole check of a long draft (it has just opened, the facts changed, or a
   * draft without blank lines was edited) does not hold the editor up, and what is shown does
   * not blink as you type, but for such whole checks.
   */
  peek(document: vscode.TextDocument): CheckResult | undefined {
    const running = this.checkInSlices(document);
    if (!running) return this.get(document);
    const done = running.runFor(SLICE_MS);
    if (!done) return undefined;
    const key = document.uri.toString();
    if (this.running.get(key) === running) this.running.delete(key);
    return this.finished(key, done, true).result;
  }

  /** The check in slices of the document as it is now, begun if need be; `undefined` when `get` has the answer at hand. */
  private checkInSlices(document: vscode.TextDocument): Running | undefined {
    if (!this.applies(document) || document.isClosed) return undefined;
    const key = document.uri.toString();
    const generation = this.knowledge.generation;
    const previous = this.states.get(key);
    if (previous && previous.version === document.version && previous.generation === generation) return undefined;
    const running = this.running.get(key);
    if (running && running.version === document.version && running.generation === generation) return running;
    this.stop(key);
    const fresh = new Running(document.version, generation, this.check(document, generation, previous));
    this.running.set(key, fresh);
    fresh.done = slices.run(fresh.steps()).then(() => {
      if (this.running.get(key) !== fresh) return;
      this.running.delete(key);
      this.finished(key, fresh.finish(), true);
    });
    return fresh;
  }

  /** Gives up a check in slices of the document (it changed, or was closed). */
  private stop(key: string): void {
    this.running.get(key)?.cancel();
    this.running.delete(key);
  }

  private stopAll(): void {
    for (const r of this.running.values()) r.cancel();
    this.running.clear();
  }

  /**
   * What the last check of this document (at its current version) covered: its length, the
   * limit applied and why. `undefined` until `get` has checked this version.
   */
  stats(document: vscode.TextDocument): CheckStats | undefined {
    const state = this.states.get(document.uri.toString());
    return state && state.version === document.version && state.generation === this.knowledge.generation ? state.stats : undefined;
  }

  /** How many checks have run (cache misses), for tests and measurements. */
  get checks(): number {
    return this.count;
  }

  /** The last check done, of any document. */
  get lastCheck(): CheckStats | undefined {
    return this.last;
  }

  /**
   * Checks a text that is not open (the workspace check reads files from disk) with the same
   * rules and limits as an open draft under that uri, in slices (see slices.ts). The result is
   * for the knowledge base in use when it ends, given with it: if the facts are reloaded
   * meanwhile, the text is checked again.
   */
  async checkFile(uri: vscode.Uri, text: string): Promise<{ readonly result: CheckResult; readonly kb: KnowledgeBase }> {
    const options = this.checkOptions(uri, text);
    for (;;) {
      const generation = this.knowledge.generation;
      const kb = this.knowledge.kb;
      const breaks = draftBlockStarts(kb, text, Math.min(text.length, options.maxChars));
      const result = await slices.run(checkTextInSteps(kb, text, options, breaks));
      if (generation === this.knowledge.generation) return { result, kb };
    }
  }

  /** The options a text under this uri is checked with: the user's rules and the limits. */
  checkOptions(uri: vscode.Uri, text: string): { rules: Readonly<Record<string, string>>; maxChars: number } {
    return { rules: this.settings.rules(uri), maxChars: draftLimit(text, this.settings.maxDraftChars(uri)).maxChars };
  }

  /**
   * How long after an edit of this document its change is announced: at once for a draft that
   * checks quickly, after a pause in typing for one whose check is slow.
   */
  editDelay(document: vscode.TextDocument): number {
    const cost = this.costs.get(document.uri.toString()) ?? 0;
    return cost <= QUICK_CHECK_MS ? 0 : Math.min(MAX_EDIT_DELAY_MS, 2 * cost);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    this.stopAll();
    this.states.clear();
    this.limits.clear();
    this.costs.clear();
  }

  private edited(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    // A check in slices of the text before the edit is of no more use.
    this.stop(key);
    const waiting = this.pending.get(key);
    if (waiting) clearTimeout(waiting);
    this.pending.delete(key);
    const delay = this.editDelay(document);
    if (!delay) {
      this.emitter.fire({ reason: 'document', uri: document.uri });
      return;
    }
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (!document.isClosed) this.emitter.fire({ reason: 'document', uri: document.uri });
      }, delay),
    );
  }

  /** Drops what is kept about a closed document besides its result. */
  private forget(key: string): void {
    const waiting = this.pending.get(key);
    if (waiting) clearTimeout(waiting);
    this.pending.delete(key);
    this.stop(key);
    this.limits.delete(key);
    this.costs.delete(key);
  }

  /** Keeps what a check found, once it has ended; one done in slices is announced as `checked`. */
  private finished(key: string, done: Checked, inSlices: boolean): DocumentState {
    const { state, document } = done;
    this.states.set(key, state);
    if (state.result) this.report(document, done.text, state.stats);
    else this.last = state.stats;
    // Announced after whoever finished it (perhaps a feature answering VS Code) has its answer.
    if (inSlices) void Promise.resolve().then(() => this.emitter.fire({ reason: 'checked', uri: document.uri }));
    return state;
  }

  /**
   * Checks the document as it is now, a piece at a time; the check's cost (`stats.ms`, which sets
   * how long edits wait, see `editDelay`) is the time its pieces took. Only the whole-draft check
   * of a long draft has many pieces; re-checking what an edit changed is one.
   */
  private *check(document: vscode.TextDocument, generation: number, previous: DocumentState | undefined): Steps<Checked> {
    const uri = document.uri;
    const version = document.version;
    let spent = 0;
    let longest = 0;
    let t0 = performance.now();
    const pause = function* (): Steps<void> {
      const step = performance.now() - t0;
      spent += step;
      longest = Math.max(longest, step);
      yield;
      t0 = performance.now();
    };
    const stepsEnded = () => {
      const step = performance.now() - t0;
      return { ms: Math.round(spent + step), longestStepMs: Math.round(Math.max(longest, step)) };
    };
    const piecewise = function* <T>(steps: Steps<T>): Steps<T> {
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        yield* pause();
      }
    };
    this.count++;
    let limit: DraftLimit = { length: 0, maxChars: 0 };
    let chars = 0;
    try {
      // Reading a long draft's text, and measuring it against the limits, each read all of it.
      const text = document.getText();
      chars = text.length;
      yield* pause();
      const rules = this.settings.rules(uri);
      limit = draftLimit(text, this.settings.maxDraftChars(uri));
      yield* pause();
      const options = { rules, maxChars: limit.maxChars };
      let checker: DocumentState['checker'];
      let incremental = false;
      let result: CheckResult | undefined;
      if (this.incremental && !limit.reason) {
        // Whole draft within the limits: re-check only what changed since the last version.
        const optionsKey = JSON.stringify(options);
        const reuse = previous?.checker && previous.checker.generation === generation && previous.checker.key === optionsKey;
        checker = reuse ? previous!.checker : { generation, key: optionsKey, instance: new IncrementalChecker(this.knowledge.kb, options) };
        try {
          result = yield* piecewise(checker!.instance.checkInSteps(text));
          incremental = !!reuse && !checker!.instance.stats.full;
        } catch (e) {
          this.log.error(`Re-checking the changes to ${vscode.workspace.asRelativePath(uri)} failed; checking all of it instead`, e);
          checker = undefined;
        }
      }
      if (!result) {
        // Over a limit (or without the incremental checker): read in pieces all the same.
        const breaks = draftBlockStarts(this.knowledge.kb, text, Math.min(text.length, limit.maxChars));
        yield* pause();
        result = yield* piecewise(checkTextInSteps(this.knowledge.kb, text, options, breaks));
      }
      const stats: CheckStats = { uri: uri.toString(), version, ...stepsEnded(), chars, checkedChars: result.summary.checkedChars, limit, incremental };
      return { state: { version, generation, result, stats, checker }, document, text };
    } catch (e) {
      const stats: CheckStats = { uri: uri.toString(), version, ...stepsEnded(), chars, checkedChars: 0, limit, incremental: false, error: e instanceof Error ? e.message : String(e) };
      this.log.error(`Checking ${vscode.workspace.asRelativePath(uri)} (version ${version}, ${chars.toLocaleString('en-GB')} characters) failed; its figures are not checked until it changes`, e);
      return { state: { version, generation, result: undefined, stats }, document, text: '' };
    }
  }

  /** Logs slow checks, and a limit when it starts (or stops) applying to a document. */
  private report(document: vscode.TextDocument, text: string, stats: CheckStats): void {
    this.last = stats;
    this.costs.set(document.uri.toString(), stats.ms);
    const name = vscode.workspace.asRelativePath(document.uri);
    if (stats.ms > SLOW_CHECK_MS) {
      this.log.info(`Checking ${name} (${stats.chars.toLocaleString('en-GB')} characters${stats.incremental ? ', changed part only' : ''}) took ${stats.ms} ms.`);
    }
    const key = document.uri.toString();
    if (stats.limit.reason !== this.limits.get(key)) {
      this.limits.set(key, stats.limit.reason);
      const lines = stats.limit.reason === 'paragraph' ? new LineIndex(text) : undefined;
      const note = describeLimit(stats.limit, stats.checkedChars, lines && ((o) => lines.positionAt(o).line));
      if (note) this.log.warn(`${name}: ${note}`);
    }
  }
}

/** What one check of a document found, with the text it read. */
interface Checked {
  readonly state: DocumentState;
  readonly document: vscode.TextDocument;
  readonly text: string;
}

/**
 * A check being done in slices: its steps are run by the slices, or finished at once by a `get`,
 * whichever comes first; either way they run once. Given up (`cancel`) when it is no longer
 * wanted, it stops between two pieces; the incremental checker it uses is left as it was.
 */
class Running {
  /** Settles when the slices have run it to its end, or it was given up. */
  done: Promise<void> = Promise.resolve();
  private result?: Checked;
  private cancelled = false;

  constructor(
    readonly version: number,
    readonly generation: number,
    private readonly work: Steps<Checked>,
  ) {}

  /** The steps not run yet, one at a time, for `Slices.run`. */
  *steps(): Steps<void> {
    while (!this.result && !this.cancelled) {
      if (this.step()) break;
      yield;
    }
  }

  /** Runs steps for about `ms` (at least one, unless it has ended); what the check found once it has. */
  runFor(ms: number): Checked | undefined {
    const until = performance.now() + ms;
    while (!this.result && !this.cancelled) {
      if (this.step() || performance.now() >= until) break;
    }
    return this.result;
  }

  /** One step; whether the work has ended. */
  private step(): boolean {
    const step = this.work.next();
    if (!step.done) return false;
    this.result = step.value;
    return true;
  }

  /** Runs what is left at once, and gives what the check found. */
  finish(): Checked {
    const steps = this.steps();
    while (!steps.next().done);
    return this.result!;
  }

  cancel(): void {
    this.cancelled = true;
  }
}
