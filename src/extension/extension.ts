/**
 * Activation: builds the shared services, registers every feature, starts loading the
 * knowledge base and returns the API. Each feature is registered in its own step, so a
 * feature that fails to start is logged by name and the others still work.
 */
import * as vscode from 'vscode';
import { AnalysisService } from './analysis';
import type { Deps, PolicyFactsApi } from './deps';
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

export function activate(context: vscode.ExtensionContext): PolicyFactsApi {
  const log = new Log();
  const settings = new Settings();
  const knowledge = new KnowledgeService(context.extensionUri, settings, log);
  const analysis = new AnalysisService(knowledge, settings, log);
  context.subscriptions.push(log, settings, knowledge, analysis);

  const api: PolicyFactsApi = { ready: knowledge.ready, knowledge, analysis, settings, trees: {}, features: {} };
  const deps: Deps = { context, settings, knowledge, analysis, log, api };

  /** Registers one feature; a failure is logged with the step's name and the rest go on. */
  const step = (name: string, register: (deps: Deps) => vscode.Disposable): void => {
    try {
      context.subscriptions.push(register(deps));
    } catch (e) {
      log.error(`Activation step "${name}" failed`, e);
    }
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

  void knowledge.start();
  log.info(`Policy Facts ${String(context.extension.packageJSON.version)} activated in ${vscode.env.appName} ${vscode.version} (${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI).`);
  return api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
