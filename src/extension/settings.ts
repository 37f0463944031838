/**
 * Typed access to the `policyFacts.*` settings. Features get a `Settings` and read plain
 * values from it; nothing else calls `workspace.getConfiguration`. Every key the manifest
 * declares is read here (a unit test checks the two lists against each other).
 */
import * as vscode from 'vscode';
import type { RuleSetting } from '../core';
import { clampMaxDraftChars, DEFAULT_MAX_DRAFT_CHARS } from './limits';

export type CheckOn = 'open-and-edit' | 'save' | 'manual';

export const DEFAULT_LANGUAGES: readonly string[] = ['markdown', 'plaintext'];
export const DEFAULT_FACT_FILES: readonly string[] = ['**/*.facts.yaml', '.policy-facts/**/*.yaml'];
export const DEFAULT_REFERENCES_MAX_FILES = 500;
export { DEFAULT_MAX_DRAFT_CHARS };

/** Every setting, by its full name. */
export const SETTING = {
  enable: 'policyFacts.enable',
  languages: 'policyFacts.languages',
  factFiles: 'policyFacts.factFiles',
  checkOn: 'policyFacts.checkOn',
  rules: 'policyFacts.rules',
  hoverEnable: 'policyFacts.hover.enable',
  referencesMaxFiles: 'policyFacts.references.maxFiles',
  maxDraftChars: 'policyFacts.maxDraftChars',
} as const;
export type SettingName = (typeof SETTING)[keyof typeof SETTING];

const RULE_SETTINGS: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];
const CHECK_ON: readonly CheckOn[] = ['open-and-edit', 'save', 'manual'];

/** A settings change; `affects` tells whether a given setting may have changed. */
export interface SettingsChange {
  affects(setting: SettingName, scope?: vscode.ConfigurationScope): boolean;
}

export class Settings implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SettingsChange>();
  private readonly listener: vscode.Disposable;

  /** Fires only when a `policyFacts.*` setting changed. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.listener = vscode.Disposable.from(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('policyFacts')) return;
        cache.clear();
        this.emitter.fire({ affects: (setting, scope) => e.affectsConfiguration(setting, scope) });
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => cache.clear()),
    );
  }

  /** The master switch. */
  enabled(scope?: vscode.ConfigurationScope): boolean {
    return read<boolean>(SETTING.enable, true, scope, (v) => typeof v === 'boolean');
  }

  /** Language ids of the documents that are checked (markdown and plaintext by default). */
  languages(scope?: vscode.ConfigurationScope): readonly string[] {
    return read<string[]>(SETTING.languages, [...DEFAULT_LANGUAGES], scope, isStringArray);
  }

  /** Glob patterns (relative to the workspace folder) of the user's fact files. */
  factFiles(folder?: vscode.WorkspaceFolder): readonly string[] {
    return read<string[]>(SETTING.factFiles, [...DEFAULT_FACT_FILES], folder?.uri, isStringArray);
  }

  /** When drafts are checked automatically. */
  checkOn(scope?: vscode.ConfigurationScope): CheckOn {
    return read<CheckOn>(SETTING.checkOn, 'open-and-edit', scope, (v) => CHECK_ON.includes(v as CheckOn));
  }

  /** Rule id → severity overrides; unknown severities are dropped. */
  rules(scope?: vscode.ConfigurationScope): Readonly<Record<string, RuleSetting>> {
    const raw = read<Record<string, unknown>>(SETTING.rules, {}, scope, (v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    const out: Record<string, RuleSetting> = {};
    for (const [id, value] of Object.entries(raw)) {
      if (typeof value === 'string' && RULE_SETTINGS.includes(value)) out[id] = value as RuleSetting;
    }
    return out;
  }

  hoverEnabled(scope?: vscode.ConfigurationScope): boolean {
    return read<boolean>(SETTING.hoverEnable, true, scope, (v) => typeof v === 'boolean');
  }

  /** At most this many drafts are searched when finding references to an entry. */
  referencesMaxFiles(): number {
    const n = read<number>(SETTING.referencesMaxFiles, DEFAULT_REFERENCES_MAX_FILES, undefined, (v) => typeof v === 'number' && v >= 0);
    return Math.floor(n);
  }

  /**
   * At most this many characters of a draft are checked (see limits.ts); kept between
   * 1,000 and 20,000,000 whatever the settings file says.
   */
  maxDraftChars(scope?: vscode.ConfigurationScope): number {
    return clampMaxDraftChars(read<number>(SETTING.maxDraftChars, DEFAULT_MAX_DRAFT_CHARS, scope, (v) => typeof v === 'number'));
  }

  /** Whether a document is one Policy Facts checks: switched on, and in one of the languages. */
  appliesTo(document: vscode.TextDocument): boolean {
    if (!this.enabled(document.uri)) return false;
    return this.languages(document.uri).includes(document.languageId);
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}

/**
 * Values read, by setting and scope. Hovers and checks ask for the same few settings on every
 * call; reading the configuration each time was a tenth of a hover's cost. Cleared whenever a
 * `policyFacts.*` setting or the workspace folders change.
 */
const cache = new Map<string, unknown>();

function scopeKey(scope: vscode.ConfigurationScope | undefined): string {
  if (!scope) return '';
  if (scope instanceof vscode.Uri) return scope.toString();
  const s = scope as { uri?: vscode.Uri; languageId?: string };
  return `${s.uri?.toString() ?? ''}\u0000${s.languageId ?? ''}`;
}

function read<T>(name: SettingName, fallback: T, scope: vscode.ConfigurationScope | undefined, valid: (v: unknown) => boolean): T {
  const key = `${name}\u0000${scopeKey(scope)}`;
  if (cache.has(key)) return cache.get(key) as T;
  // `null` (not undefined) asks for the value that applies to any resource, without a warning.
  const value = vscode.workspace.getConfiguration(undefined, scope ?? null).get<unknown>(name);
  const result = value !== undefined && valid(value) ? (value as T) : fallback;
  if (cache.size > 10_000) cache.clear();
  cache.set(key, result);
  return result;
}

function isStringArray(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
