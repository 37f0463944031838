/**
 * Go to definition (and so Peek Definition): from a mention in a draft to the entry in its
 * fact file, landing on the `name:` value; in a fact file, from a `target:` or `source:` id to
 * the entry it names. Also what the other navigation features share: what is under
 * the cursor, in a draft or in a fact file, and which documents are served.
 */
import * as vscode from 'vscode';
import { ID_PATTERN, spansAt, type Entity, type Mention, type Source } from '../core';
import { originLocation, spanToRange, toRange, toUri } from './convert';
import type { Deps } from './deps';
import { SETTING } from './settings';

/** What the cursor is on: one or more entities (a shared name names several), or a source. */
export interface Target {
  readonly entities: readonly Entity[];
  readonly source?: Source;
  /** The text the cursor is on: the mention, or the id in a fact file. */
  readonly range: vscode.Range;
  readonly mention?: Mention;
  /** The cursor is on a fact-file entry or id rather than a mention in a draft. */
  readonly inFactFile: boolean;
}

/** Language ids of the fact files (YAML). */
export const FACT_FILE_SELECTOR: vscode.DocumentFilter = { language: 'yaml' };

/**
 * Registers a provider for the languages the user has Policy Facts check (and, with
 * `factFiles`, for fact files), and registers it again when that setting changes.
 */
export function registerForServedDocuments(
  deps: Deps,
  register: (selector: vscode.DocumentSelector) => vscode.Disposable,
  options: { factFiles?: boolean } = {},
): vscode.Disposable {
  let current: vscode.Disposable | undefined;
  let key = '';
  const update = () => {
    const languages = servedLanguages(deps);
    const next = JSON.stringify(languages);
    if (current && next === key) return;
    key = next;
    current?.dispose();
    const selector: vscode.DocumentFilter[] = languages.map((language) => ({ language }));
    if (options.factFiles) selector.push(FACT_FILE_SELECTOR);
    current = register(selector);
  };
  update();
  const listener = deps.settings.onDidChange((e) => {
    if (e.affects(SETTING.languages)) update();
  });
  return new vscode.Disposable(() => {
    listener.dispose();
    current?.dispose();
  });
}

/** The languages served in any workspace folder (the setting can differ per folder). */
export function servedLanguages(deps: Deps): string[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const lists = folders.length ? folders.map((f) => deps.settings.languages(f)) : [deps.settings.languages()];
  return [...new Set(lists.flat())].sort();
}

/** Whether the document is one of the loaded fact files (bundled or the workspace's). */
export function isFactFile(deps: Deps, document: vscode.TextDocument): boolean {
  const uri = document.uri.toString();
  return deps.knowledge.kb.files.some((f) => f.uri === uri);
}

/** The mentions under `position` in a checked draft (several only when mentions touch). */
export function mentionsAt(deps: Deps, document: vscode.TextDocument, position: vscode.Position): Mention[] {
  const result = deps.analysis.get(document);
  if (!result) return [];
  const offset = document.offsetAt(position);
  return spansAt(result.mentions, offset);
}

/** Every entity a mention may name: the first one, then others sharing exactly that name. */
export function entitiesOf(deps: Deps, mention: Mention): Entity[] {
  const kb = deps.knowledge.kb;
  return [mention.entityId, ...(mention.alsoEntityIds ?? [])].map((id) => kb.get(id)).filter((e): e is Entity => !!e);
}

const ID_WORD = /[a-z0-9]+(?:[-.][a-z0-9]+)*/;

/**
 * What is under the cursor. In a draft: the mention. In a fact file: an id after `target:`,
 * `source:`, `sources:` or `id:`; else the entry the cursor is in (its `name:` for example).
 */
export function targetAt(deps: Deps, document: vscode.TextDocument, position: vscode.Position): Target | undefined {
  if (isFactFile(deps, document)) return factFileTargetAt(deps, document, position);
  const mentions = mentionsAt(deps, document, position);
  if (!mentions.length) return undefined;
  // Two touching mentions: prefer the one the cursor is inside rather than at the edge of.
  const offset = document.offsetAt(position);
  const m = mentions.find((x) => offset > x.start && offset < x.end) ?? mentions[0];
  const entities = entitiesOf(deps, m);
  if (!entities.length) return undefined;
  return { entities, range: spanToRange(document, m), mention: m, inFactFile: false };
}

function factFileTargetAt(deps: Deps, document: vscode.TextDocument, position: vscode.Position): Target | undefined {
  const kb = deps.knowledge.kb;
  const word = document.getWordRangeAtPosition(position, ID_WORD);
  if (word) {
    const id = document.getText(word);
    const key = keyOf(document, word);
    if (key === 'target') {
      const e = kb.get(id);
      if (e) return { entities: [e], range: word, inFactFile: true };
    } else if (key === 'source' || key === 'sources') {
      const s = kb.source(id);
      if (s) return { entities: [], source: s, range: word, inFactFile: true };
    } else if (key === 'id' && ID_PATTERN.test(id)) {
      const e = kb.get(id);
      if (e && isEntryHere(e, document, word)) return { entities: [e], range: word, inFactFile: true };
      const s = kb.source(id);
      if (s && s.origin.uri === document.uri.toString()) return { entities: [], source: s, range: word, inFactFile: true };
    }
  }
  // Inside an entity entry: the innermost one holding the cursor.
  const entity = entryAt(deps, document, position);
  if (!entity) return undefined;
  const nameRange = toRange(entity.nameOrigin.range);
  const range = entity.nameOrigin.uri === document.uri.toString() && nameRange.contains(position) ? nameRange : (word ?? new vscode.Range(position, position));
  return { entities: [entity], range, inFactFile: true };
}

/** The entity whose entry (or workspace extension of it) in this file holds the position. */
export function entryAt(deps: Deps, document: vscode.TextDocument, position: vscode.Position): Entity | undefined {
  const uri = document.uri.toString();
  let best: { entity: Entity; size: number } | undefined;
  for (const e of deps.knowledge.kb.entities) {
    for (const o of [e.origin, ...e.extendedBy]) {
      if (o.uri !== uri) continue;
      const r = toRange(o.range);
      if (!r.contains(position)) continue;
      const size = r.end.line - r.start.line;
      if (!best || size < best.size) best = { entity: e, size };
    }
  }
  return best?.entity;
}

function isEntryHere(e: Entity, document: vscode.TextDocument, range: vscode.Range): boolean {
  const uri = document.uri.toString();
  return [e.origin, ...e.extendedBy].some((o) => o.uri === uri && toRange(o.range).contains(range));
}

/**
 * The YAML key an id belongs to: `target: x`, `source: x`, `{ source: x, line: 3 }`,
 * `sources: [a, b]`, or a `- x` item of a block list under `sources:`.
 */
function keyOf(document: vscode.TextDocument, word: vscode.Range): string | undefined {
  const line = document.lineAt(word.start.line).text;
  const before = line.slice(0, word.start.character);
  const direct = /([A-Za-z]+)\s*:\s*["']?$/.exec(before);
  if (direct) return direct[1];
  const flowList = /([A-Za-z]+)\s*:\s*\[[^\]]*$/.exec(before);
  if (flowList) return flowList[1];
  // A block list item: "  - x"; find the parent key above it, less indented.
  const item = /^(\s*)-\s*["']?$/.exec(before);
  if (!item) return undefined;
  const indent = item[1].length;
  for (let l = word.start.line - 1; l >= 0 && l >= word.start.line - 500; l--) {
    const text = document.lineAt(l).text;
    if (!text.trim() || /^\s*#/.test(text)) continue;
    const m = /^(\s*)(?:-\s+)?([A-Za-z]+)\s*:\s*$/.exec(text);
    const lineIndent = /^\s*/.exec(text)![0].length;
    if (m && lineIndent <= indent) return m[2];
    if (lineIndent < indent) return undefined;
  }
  return undefined;
}

/** Where an entity is defined: its `name:` in its fact file, inside the whole entry. */
export function entityLink(entity: Entity, originSelectionRange?: vscode.Range): vscode.LocationLink {
  return {
    originSelectionRange,
    targetUri: toUri(entity.nameOrigin.uri),
    targetRange: toRange(entity.origin.range),
    targetSelectionRange: toRange(entity.nameOrigin.range),
  };
}

export function registerDefinition(deps: Deps): vscode.Disposable {
  const provider: vscode.DefinitionProvider = {
    provideDefinition: deps.log.guard('Go to definition', undefined, (document: vscode.TextDocument, position: vscode.Position) => {
      if (!deps.settings.enabled(document.uri)) return undefined;
      const target = targetAt(deps, document, position);
      if (!target) return undefined;
      if (target.source) {
        const loc = originLocation(target.source.origin);
        return [{ originSelectionRange: target.range, targetUri: loc.uri, targetRange: loc.range, targetSelectionRange: loc.range }];
      }
      // In a fact file, only ids lead somewhere: an entry's own text is its definition already.
      if (target.inFactFile && !isIdOf(document, target)) return undefined;
      return target.entities.map((e) => entityLink(e, target.range));
    }),
  };
  return registerForServedDocuments(deps, (selector) => vscode.languages.registerDefinitionProvider(selector, provider), { factFiles: true });
}

function isIdOf(document: vscode.TextDocument, target: Target): boolean {
  const e = target.entities[0];
  if (!e) return false;
  // The cursor is on an id that names another entry (`target: x`), not in the entry itself.
  return document.getText(target.range) === e.id && !isEntryHere(e, document, target.range);
}
