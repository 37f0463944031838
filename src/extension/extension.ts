/**
 * Activation: builds the shared services, puts the bundled facts in use (precompiled in the
 * bundle: nothing to read), registers every feature, and returns the API while the workspace's
 * own fact files load. Each feature is registered in its own step, so a feature that fails to
 * start is logged by name and the others still work.
 */
import * as vscode from 'vscode';
import { AnalysisService } from './analysis';
import type { Deps, PolicyFactsApi } from './deps';
import { loaderVersion } from './factFileCache';
import { KnowledgeService, registerShowStatus } from './knowledgeService';
import { Log } from './log';
import { Settings } from './settings';
import { registerCodeActions } from './codeActions';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { registerStatusBar } from './statusBar';
import { registerDraftTree } from './tree/draftTree';
import { registerKnowledgeTree } from './tree/knowledgeTree';
import { registerDefinition } from './definition';
import { registerHover } from './hover';
import { registerReferences } from './references';
import { registerSemanticTokens } from './semanticTokens';
import { registerWorkspaceSymbols } from './workspaceSymbols';

/**
 * How long starting took, on the extension host's `performance.now()` clock, so a test or a
 * benchmark in the same process can measure from the very start of `activate`.
 */
export interface ActivationTimings {
  /** `performance.now()` when `activate` started. */
  readonly start: number;
  /** Milliseconds from `start` until `activate` returned. */
  activated?: number;
  /** Milliseconds each activation step took, by step name. */
  readonly steps: Record<string, number>;
  /**
   * Milliseconds from `start` until the first knowledge base (the bundled facts) was in use:
   * inside `activate` when they come precompiled in the bundle.
   */
  firstKnowledge?: number;
  /**
   * Milliseconds from `start` until a knowledge base with workspace fact files in it was first in
   * use (from the cache of loaded files before the workspace search ends, when it can).
   */
  workspaceKnowledge?: number;
  /** Milliseconds from `start` until the knowledge base was ready (`api.ready`): bundled and workspace files. */
  ready?: number;
}

export type PolicyFactsApiWithTimings = PolicyFactsApi & { readonly timings: ActivationTimings };

export function activate(context: vscode.ExtensionContext): PolicyFactsApiWithTimings {
  const timings: ActivationTimings = { start: performance.now(), steps: {} };
  /** The shared services every feature needs: a failure names the step and stops activation. */
  const service = <T extends vscode.Disposable>(name: string, make: () => T): T => {
    try {
      const made = make();
      context.subscriptions.push(made);
      return made;
    } catch (e) {
      const message = `Policy Facts could not start: the "${name}" step failed: ${e instanceof Error ? e.message : String(e)}`;
      void vscode.window.showErrorMessage(message);
      throw new Error(message, { cause: e });
    }
  };
  const log = service('log', () => new Log());
  const settings = service('settings', () => new Settings());
  // Outside a .vsix (run from the sources, or under test) the bundle may be older than seeds/: check.
  const verifyBundled = context.extensionMode !== vscode.ExtensionMode.Production;
  // Loaded workspace fact files are kept for the next session in the workspace's storage.
  const version = loaderVersion();
  const cache = version && context.storageUri ? { storage: context.storageUri, version } : undefined;
  const knowledge = service('knowledge base', () => new KnowledgeService(context.extensionUri, settings, log, { verifyBundled, cache }));
  const analysis = service('analysis', () => new AnalysisService(knowledge, settings, log));

  const api: PolicyFactsApiWithTimings = { ready: knowledge.ready, knowledge, analysis, settings, trees: {}, features: {}, timings };
  const deps: Deps = { context, settings, knowledge, analysis, log, api };
  timings.steps.services = performance.now() - timings.start;

  // The bundled facts first, so every feature starts with them (and none checks a draft
  // against an empty knowledge base); the workspace's fact files load after `activate` returns.
  const firstLoad = knowledge.onDidChange(() => {
    timings.firstKnowledge ??= performance.now() - timings.start;
    firstLoad.dispose();
  });
  context.subscriptions.push(firstLoad);
  const firstWorkspaceLoad = knowledge.onDidChange(() => {
    if (!knowledge.workspaceFilesInUse) return;
    timings.workspaceKnowledge ??= performance.now() - timings.start;
    firstWorkspaceLoad.dispose();
  });
  context.subscriptions.push(firstWorkspaceLoad);
  const tKnowledge = performance.now();
  const ready = knowledge.start();
  timings.steps['bundled facts'] = performance.now() - tKnowledge;

  /** Registers one feature; a failure is logged with the step's name and the rest go on. */
  const step = (name: string, register: (deps: Deps) => vscode.Disposable): void => {
    const t = performance.now();
    try {
      context.subscriptions.push(register(deps));
    } catch (e) {
      log.error(`Activation step "${name}" failed`, e);
    }
    timings.steps[name] = performance.now() - t;
  };

  // ---- feature registrations: one line per feature, `step('<name>', registerX);` ----------
  step('knowledge base status', registerShowStatus);
  step('diagnostics', registerDiagnostics);
  step('quick fixes', registerCodeActions);
  step('check commands', registerCommands);
  step('status bar', registerStatusBar);
  step('draft view', registerDraftTree);
  step('knowledge base view', registerKnowledgeTree);
  step('hover', registerHover);
  step('go to definition', registerDefinition);
  step('references', registerReferences);
  step('workspace symbols', registerWorkspaceSymbols);
  step('semantic tokens', registerSemanticTokens);
  // ---- end of feature registrations -----------------------------------------------------------

  void ready.then(() => {
    timings.ready = performance.now() - timings.start;
    const bundled = timings.firstKnowledge === undefined ? '' : `; the bundled facts were in use after ${Math.round(timings.firstKnowledge)} ms`;
    const workspace = timings.workspaceKnowledge === undefined ? '' : `, workspace fact files after ${Math.round(timings.workspaceKnowledge)} ms`;
    log.info(`Knowledge base ready in ${Math.round(timings.ready)} ms after activation started${bundled}${workspace}.`);
  });
  timings.activated = performance.now() - timings.start;
  log.info(
    `Policy Facts ${String(context.extension.packageJSON.version)} activated in ${Math.round(timings.activated)} ms, in ${vscode.env.appName} ${vscode.version} (${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI).`,
  );
  return api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
