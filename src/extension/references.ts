/**
 * Find all references: from a mention (or from an entry in a fact file) to every mention of
 * that programme or organisation in the drafts, open or not. Drafts are read through
 * `vscode.workspace.fs` so this works in VS Code for the web too; how many are searched is
 * bounded by `policyFacts.references.maxFiles`, and a search that stops there says so.
 *
 * Also the commands the hover card links to: find mentions, go to the entry, show the card.
 */
import * as vscode from 'vscode';
import { LineIndex, type Entity, type Mention } from '../core';
import { toRange, toUri } from './convert';
import type { Deps } from './deps';
import { registerForServedDocuments, servedLanguages, targetAt } from './definition';
import { readClosedDraft } from './readDraft';

/** File extensions of drafts in the languages we know how to find on disk. */
const EXTENSIONS_BY_LANGUAGE: Readonly<Record<string, readonly string[]>> = {
  markdown: ['md', 'markdown'],
  plaintext: ['txt'],
};

/** Drafts larger than this are not read from disk when searching (they are still searched when open). */
const MAX_DRAFT_BYTES = 10 * 1024 * 1024;
/** Files read at once. */
const BATCH = 16;

export interface MentionSearch {
  readonly locations: vscode.Location[];
  /** Drafts searched, open ones included. */
  readonly searched: number;
  /** Drafts not searched because of `policyFacts.references.maxFiles` or their size; 0 when none. */
  readonly skipped: number;
  /** Why some were skipped, for the log and the user. */
  readonly note?: string;
}

/** The glob of drafts on disk for the served languages, or `undefined` when none can be found by extension. */
export function draftGlob(languages: readonly string[]): string | undefined {
  const exts = [...new Set(languages.flatMap((l) => EXTENSIONS_BY_LANGUAGE[l] ?? []))];
  if (!exts.length) return undefined;
  return exts.length === 1 ? `**/*.${exts[0]}` : `**/*.{${exts.join(',')}}`;
}

function names(m: Mention): string[] {
  return [m.entityId, ...(m.alsoEntityIds ?? [])];
}

/**
 * Every mention of the given entities in open drafts and in drafts in the workspace.
 * Open documents are searched as they are in the editor (unsaved edits included).
 */
export async function findMentions(
  deps: Deps,
  entityIds: readonly string[],
  token?: vscode.CancellationToken,
  progress?: vscode.Progress<{ message?: string; increment?: number }>,
): Promise<MentionSearch> {
  const wanted = new Set(entityIds);
  const locations: vscode.Location[] = [];
  const done = new Set<string>();
  let searched = 0;

  for (const doc of vscode.workspace.textDocuments) {
    const result = deps.analysis.get(doc);
    if (!result) continue;
    done.add(doc.uri.toString());
    searched++;
    for (const m of result.mentions) {
      if (names(m).some((id) => wanted.has(id))) locations.push(new vscode.Location(doc.uri, new vscode.Range(doc.positionAt(m.start), doc.positionAt(m.end))));
    }
  }

  const glob = draftGlob(servedLanguages(deps));
  const maxFiles = deps.settings.referencesMaxFiles();
  let skipped = 0;
  const notes: string[] = [];
  if (glob && maxFiles > 0 && vscode.workspace.workspaceFolders?.length) {
    const found = await vscode.workspace.findFiles(glob, '**/node_modules/**', maxFiles + 1 + done.size, token);
    const todo = found.filter((u) => !done.has(u.toString())).sort((a, b) => a.toString().localeCompare(b.toString()));
    if (todo.length > maxFiles) {
      notes.push(`only the first ${maxFiles} drafts were searched (policyFacts.references.maxFiles)`);
      skipped += todo.length - maxFiles;
      todo.length = maxFiles;
    }
    const matcher = deps.knowledge.kb.matcher;
    let tooLarge = 0;
    for (let i = 0; i < todo.length; i += BATCH) {
      if (token?.isCancellationRequested) {
        notes.push('the search was cancelled');
        skipped += todo.length - i;
        break;
      }
      const batch = todo.slice(i, i + BATCH);
      const texts = await Promise.all(
        batch.map(async (uri) => {
          try {
            const stat = await vscode.workspace.fs.stat(uri);
            if (stat.size > MAX_DRAFT_BYTES) return null;
            const read = await readClosedDraft(uri);
            if (!read.ok) throw new Error(read.reason);
            return read.text;
          } catch (e) {
            deps.log.warn(`Could not read ${uri.toString()} while finding mentions: ${e instanceof Error ? e.message : String(e)}`);
            return undefined;
          }
        }),
      );
      batch.forEach((uri, j) => {
        const text = texts[j];
        if (text === null) {
          tooLarge++;
          return;
        }
        if (text === undefined) return;
        searched++;
        let lines: LineIndex | undefined;
        for (const m of matcher.find(text)) {
          if (!names(m).some((id) => wanted.has(id))) continue;
          lines ??= new LineIndex(text);
          locations.push(new vscode.Location(uri, toRange(lines.rangeOf(m))));
        }
      });
      progress?.report({ message: `${Math.min(i + BATCH, todo.length)} of ${todo.length} drafts`, increment: (batch.length / todo.length) * 100 });
    }
    if (tooLarge) {
      skipped += tooLarge;
      notes.push(`${tooLarge} draft${tooLarge === 1 ? ' was' : 's were'} larger than ${MAX_DRAFT_BYTES / 1024 / 1024} MB and not read`);
    }
  }
  const note = notes.length ? notes.join('; ') : undefined;
  if (note) deps.log.info(`Finding mentions of ${entityIds.join(', ')}: ${note}.`);
  return { locations, searched, skipped, note };
}

/** Accepts an id, or anything carrying one (a tree item, an entity), as command argument. */
function idOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (Array.isArray(arg)) return idOf(arg[0]);
  if (arg && typeof arg === 'object') {
    const o = arg as Record<string, unknown>;
    if (typeof o.entityId === 'string') return o.entityId;
    if (o.entity && typeof o.entity === 'object') return idOf(o.entity);
    if (typeof o.id === 'string') return o.id;
  }
  return undefined;
}

/** The entity a command is about: its argument, else the one under the cursor, else the user picks one. */
async function resolveEntity(deps: Deps, arg: unknown): Promise<Entity | undefined> {
  const kb = deps.knowledge.kb;
  const id = idOf(arg);
  if (id) {
    const e = kb.get(id);
    if (!e) void vscode.window.showWarningMessage(`Policy Facts: no programme or organisation has the id "${id}".`);
    return e;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const target = targetAt(deps, editor.document, editor.selection.active);
    if (target?.entities.length) return target.entities[0];
  }
  await deps.knowledge.ready;
  const items = deps.knowledge.kb.entities
    .map((e) => ({ label: e.name, description: [e.acronyms.join(', '), e.type].filter(Boolean).join(' · '), detail: e.summary, entity: e }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Programme or organisation', matchOnDescription: true, matchOnDetail: true });
  return pick?.entity;
}

/** Opens the fact file at the entity's `name:`. */
export async function goToEntity(entity: Entity): Promise<vscode.TextEditor> {
  const selection = toRange(entity.nameOrigin.range);
  const document = await vscode.workspace.openTextDocument(toUri(entity.nameOrigin.uri));
  return vscode.window.showTextDocument(document, { selection, preview: true });
}

export function registerReferences(deps: Deps): vscode.Disposable {
  const provider: vscode.ReferenceProvider = {
    provideReferences: async (document, position, context, token) => {
      try {
        if (!deps.settings.enabled(document.uri)) return undefined;
        const target = targetAt(deps, document, position);
        if (!target?.entities.length) return undefined;
        const ids = target.entities.map((e) => e.id);
        const search = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Policy Facts: finding mentions' },
          (progress) => findMentions(deps, ids, token, progress),
        );
        const declarations = context.includeDeclaration ? target.entities.map((e) => new vscode.Location(toUri(e.nameOrigin.uri), toRange(e.nameOrigin.range))) : [];
        return [...declarations, ...search.locations];
      } catch (e) {
        deps.log.error('Find references failed', e);
        return undefined;
      }
    },
  };

  /** Shows every mention of an entity in the references view; returns the locations. */
  const findMentionsOf = async (arg?: unknown): Promise<vscode.Location[] | undefined> => {
    const entity = await resolveEntity(deps, arg);
    if (!entity) return undefined;
    const search = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Finding mentions of ${entity.name}`, cancellable: true },
      (progress, token) => findMentions(deps, [entity.id], token, progress),
    );
    const { locations } = search;
    if (!locations.length) {
      const drafts = `${search.searched} draft${search.searched === 1 ? '' : 's'}`;
      void vscode.window.showInformationMessage(`No mentions of ${entity.name} in ${drafts}${search.note ? ` (${search.note})` : ''}.`);
      return locations;
    }
    if (search.note) void vscode.window.showInformationMessage(`Mentions of ${entity.name}: ${search.note}.`);
    // The references view needs an anchor: the active draft, else the entry itself.
    const editor = vscode.window.activeTextEditor ?? (await goToEntity(entity));
    await vscode.commands.executeCommand('editor.action.showReferences', editor.document.uri, editor.selection.active, locations);
    return locations;
  };

  /** Opens the fact file at the entity's name. */
  const goToEntry = async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const entity = await resolveEntity(deps, arg);
    return entity ? (await goToEntity(entity)).document.uri : undefined;
  };

  /** Its card, where it is written: the entry, with the hover at its name. */
  const showEntity = async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const entity = await resolveEntity(deps, arg);
    if (!entity) return undefined;
    const editor = await goToEntity(entity);
    await vscode.commands.executeCommand('editor.action.showHover');
    return editor.document.uri;
  };

  const commands = [
    vscode.commands.registerCommand('policyFacts.findMentions', deps.log.wrap('Find mentions', findMentionsOf)),
    vscode.commands.registerCommand('policyFacts.goToEntity', deps.log.wrap('Go to entry', goToEntry)),
    vscode.commands.registerCommand('policyFacts.showEntity', deps.log.wrap('Show programme or organisation', showEntity)),
  ];

  const registration = registerForServedDocuments(deps, (selector) => vscode.languages.registerReferenceProvider(selector, provider), { factFiles: true });
  return vscode.Disposable.from(registration, ...commands);
}
