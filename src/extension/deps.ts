/**
 * What every feature gets. Each feature file exports `registerX(deps: Deps): vscode.Disposable`
 * and reads settings, facts and check results only through these services.
 */
import type * as vscode from 'vscode';
import type { AnalysisService } from './analysis';
import type { KnowledgeService } from './knowledgeService';
import type { Log } from './log';
import type { Settings } from './settings';

export interface Deps {
  readonly context: vscode.ExtensionContext;
  readonly settings: Settings;
  readonly knowledge: KnowledgeService;
  readonly analysis: AnalysisService;
  readonly log: Log;
  /** The API `activate` returns; features may attach what integration tests need to reach. */
  readonly api: PolicyFactsApi;
}

/** The tree views, set by the features that create them. */
export interface PolicyFactsTrees {
  draft?: vscode.TreeDataProvider<unknown>;
  draftView?: vscode.TreeView<unknown>;
  knowledgeBase?: vscode.TreeDataProvider<unknown>;
  knowledgeBaseView?: vscode.TreeView<unknown>;
}

/** Returned by `activate`: `vscode.extensions.getExtension(EXTENSION_ID).exports`. */
export interface PolicyFactsApi {
  /** Resolves once the knowledge base has loaded for the first time. Never rejects. */
  readonly ready: Promise<void>;
  readonly knowledge: KnowledgeService;
  readonly analysis: AnalysisService;
  readonly settings: Settings;
  readonly trees: PolicyFactsTrees;
  /** Anything else a feature exposes for tests, by feature name. */
  readonly features: Record<string, unknown>;
}

export const EXTENSION_ID = 'policy-facts.policy-facts';
