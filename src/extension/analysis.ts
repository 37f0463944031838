/**
 * One place that checks drafts. Every feature (diagnostics, hover, trees, status bar…) asks
 * `analysis.get(document)` and gets the same `CheckResult`, computed once per document
 * version and knowledge-base generation, with the user's rule severities applied.
 */
import * as vscode from 'vscode';
import { checkText, type CheckResult } from '../core';
import type { KnowledgeService } from './knowledgeService';
import { STATUS_SCHEME } from './knowledgeService';
import type { Log } from './log';
import { SETTING, type Settings } from './settings';

/** Why results may have changed: a document was edited, closed, or everything changed. */
export interface AnalysisChange {
  readonly reason: 'document' | 'closed' | 'knowledge' | 'settings';
  /** The document concerned; `undefined` means every document. */
  readonly uri?: vscode.Uri;
}

interface CacheEntry {
  readonly version: number;
  readonly generation: number;
  readonly result: CheckResult;
}

/** Schemes whose documents are never checked (our own status report, output panes). */
const IGNORED_SCHEMES = new Set([STATUS_SCHEME, 'output', 'vscode-settings']);

export class AnalysisService implements vscode.Disposable {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly emitter = new vscode.EventEmitter<AnalysisChange>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires when results may differ from the last `get`; call `get` again to see them. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly settings: Settings,
    private readonly log: Log,
  ) {
    this.disposables.push(
      this.emitter,
      knowledge.onDidChange(() => {
        this.cache.clear();
        this.emitter.fire({ reason: 'knowledge' });
      }),
      settings.onDidChange((e) => {
        if (e.affects(SETTING.enable) || e.affects(SETTING.languages) || e.affects(SETTING.rules)) {
          this.cache.clear();
          this.emitter.fire({ reason: 'settings' });
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.applies(e.document)) this.emitter.fire({ reason: 'document', uri: e.document.uri });
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.cache.delete(d.uri.toString())) this.emitter.fire({ reason: 'closed', uri: d.uri });
      }),
    );
  }

  /** Whether this document is checked: the master switch is on and its language is listed. */
  applies(document: vscode.TextDocument): boolean {
    return !IGNORED_SCHEMES.has(document.uri.scheme) && this.settings.appliesTo(document);
  }

  /**
   * The check result for the document as it is now, or `undefined` when the document is not
   * checked (switched off, another language). Cached by uri + version + knowledge generation.
   */
  get(document: vscode.TextDocument): CheckResult | undefined {
    if (!this.applies(document)) return undefined;
    const key = document.uri.toString();
    const generation = this.knowledge.generation;
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version && hit.generation === generation) return hit.result;
    const t0 = Date.now();
    const result = checkText(this.knowledge.kb, document.getText(), { rules: this.settings.rules(document.uri) });
    const ms = Date.now() - t0;
    if (ms > 200) this.log.info(`Checking ${vscode.workspace.asRelativePath(document.uri)} took ${ms} ms.`);
    this.cache.set(key, { version: document.version, generation, result });
    return result;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.cache.clear();
  }
}
