/**
 * The checking commands: Check Figures (the active draft), Check Figures in Workspace (every
 * draft, with progress, cancellable and bounded), Reveal in Sidebar, Open Source and Copy
 * Citation. Each works on its argument (an id, or a node of the sidebar) or, without one, on
 * what is under the cursor, and returns what it did so it can be tested.
 */
import * as vscode from 'vscode';
import type { CheckResult, Entity, Fact, Finding, KnowledgeBase, Source } from '../core';
import { originLocation, spanContains } from './convert';
import type { Deps } from './deps';
import type { FigureDiagnostics } from './diagnostics';
import { readClosedDraft } from './readDraft';
import { slices } from './slices';
import { addTallies, describeTally, EMPTY_TALLY, entityCitation, factCitation, plural, sourceReference, tally, type Tally } from './tree/format';
import { KnowledgeTreeProvider } from './tree/knowledgeTree';

/** "Check Figures in Workspace" checks at most this many files… */
export const MAX_WORKSPACE_FILES = 2000;
/** …and skips files larger than this (they are named in the summary). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Extensions of the languages served by default, for when no extension declares them. */
const KNOWN_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  markdown: ['.md', '.markdown', '.mdown', '.mkd', '.mkdn', '.mdwn'],
  plaintext: ['.txt', '.text'],
};
/** Never drafts: installed packages and version-control data. */
const EXCLUDED_FOLDERS = /(^|\/)(node_modules|\.git)\//;

export interface DraftCheck {
  readonly uri: string;
  readonly tally: Tally;
  readonly message: string;
}

export interface WorkspaceCheck {
  readonly files: number;
  readonly tally: Tally;
  /** Files with at least one wrong, misattributed or inconsistent figure. */
  readonly filesWithProblems: number;
  readonly skipped: readonly { readonly uri: string; readonly reason: string }[];
  /** More drafts were found than `MAX_WORKSPACE_FILES`. */
  readonly truncated: boolean;
  readonly cancelled: boolean;
  readonly message: string;
}

/** What a command acts on: an id, a node of one of the views, or (none) the cursor. */
type Target = string | { readonly entityId?: string; readonly factId?: string; readonly sourceId?: string } | undefined;

export function registerCommands(deps: Deps): vscode.Disposable {
  const { log, settings } = deps;
  // For menus: `editorLangId in policyFacts.languages`.
  const languagesContext = () => void vscode.commands.executeCommand('setContext', 'policyFacts.languages', [...settings.languages(firstFolder())]);
  languagesContext();
  return vscode.Disposable.from(
    settings.onDidChange(() => languagesContext()),
    vscode.commands.registerCommand('policyFacts.checkFigures', log.wrap('Check Figures', (uri?: vscode.Uri) => checkFigures(deps, uri))),
    vscode.commands.registerCommand('policyFacts.checkWorkspace', log.wrap('Check Figures in Workspace', () => checkWorkspace(deps))),
    vscode.commands.registerCommand('policyFacts.revealEntity', log.wrap('Reveal in Sidebar', (target?: Target) => revealEntity(deps, target))),
    vscode.commands.registerCommand('policyFacts.openSource', log.wrap('Open Source', (target?: Target) => openSource(deps, target))),
    vscode.commands.registerCommand('policyFacts.copyCitation', log.wrap('Copy Citation', (target?: Target) => copyCitation(deps, target))),
  );
}

function firstFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

function diagnosticsOf(deps: Deps): FigureDiagnostics | undefined {
  return deps.api.features.diagnostics as FigureDiagnostics | undefined;
}

function fileName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

// ---- Check Figures --------------------------------------------------------------------------

async function checkFigures(deps: Deps, uri?: vscode.Uri): Promise<DraftCheck | undefined> {
  const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('Open a draft to check its figures.');
    return undefined;
  }
  if (!deps.analysis.applies(document)) {
    const why = deps.settings.enabled(document.uri)
      ? `Policy Facts checks ${deps.settings.languages(document.uri).join(', ')} documents (setting policyFacts.languages); this one is ${document.languageId}.`
      : 'Policy Facts is switched off for this document (setting policyFacts.enable).';
    void vscode.window.showInformationMessage(why);
    return undefined;
  }
  await deps.knowledge.ready;
  const result = diagnosticsOf(deps)?.check(document) ?? deps.analysis.get(document);
  if (!result) return undefined;
  const t = tally(result.summary);
  const name = fileName(document.uri);
  let message = t.figures ? `Checked ${plural(t.figures, 'figure')} in ${name}: ${describeTally(t)}.` : `No figures found in ${name}${t.formerNames ? `; ${plural(t.formerNames, 'former name')}` : ''}.`;
  if (t.skippedChars) message += ` The last ${t.skippedChars.toLocaleString('en-GB')} characters were not checked (too long).`;
  announce(message, t.wrong > 0 || t.formerNames > 0 || t.skippedChars > 0);
  return { uri: document.uri.toString(), tally: t, message };
}

/** Shows a summary without waiting for it to be dismissed; with findings, offers the Problems panel. */
function announce(message: string, problems: boolean): void {
  if (!problems) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  void vscode.window.showWarningMessage(message, 'Show Problems').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}

// ---- Check Figures in Workspace -----------------------------------------------------------

/** File extensions of a language, from every installed extension's `contributes.languages`. */
function extensionsOf(languages: readonly string[]): string[] {
  const out = new Set<string>();
  for (const l of languages) for (const e of KNOWN_EXTENSIONS[l] ?? []) out.add(e.toLowerCase());
  for (const ext of vscode.extensions.all) {
    const contributed = (ext.packageJSON as { contributes?: { languages?: { id?: string; extensions?: string[] }[] } })?.contributes?.languages;
    for (const lang of contributed ?? []) {
      if (lang.id && languages.includes(lang.id)) for (const e of lang.extensions ?? []) if (/^\.[\w.-]+$/.test(e)) out.add(e.toLowerCase());
    }
  }
  return [...out].sort();
}

function languageOf(uri: vscode.Uri, byExtension: ReadonlyMap<string, string>): string | undefined {
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1).toLowerCase();
  for (const [ext, lang] of byExtension) if (name.endsWith(ext)) return lang;
  return undefined;
}

async function checkWorkspace(deps: Deps): Promise<WorkspaceCheck | undefined> {
  const { settings, knowledge, analysis } = deps;
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Open a folder to check the drafts in it.');
    return undefined;
  }
  if (!settings.enabled(firstFolder())) {
    void vscode.window.showInformationMessage('Policy Facts is switched off (setting policyFacts.enable).');
    return undefined;
  }
  const languages = settings.languages(firstFolder());
  const byExtension = new Map<string, string>();
  for (const l of languages) for (const e of extensionsOf([l])) if (!byExtension.has(e)) byExtension.set(e, l);
  if (!byExtension.size) {
    void vscode.window.showInformationMessage(`No file extensions are known for the languages Policy Facts checks (${languages.join(', ')}).`);
    return undefined;
  }
  await knowledge.ready;
  const diagnostics = diagnosticsOf(deps);
  const pattern = `**/*{${[...byExtension.keys()].join(',')}}`;

  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Policy Facts: checking figures', cancellable: true },
    async (progress, token) => {
      const found = (await vscode.workspace.findFiles(pattern, undefined, MAX_WORKSPACE_FILES + 1, token)).filter((u) => !EXCLUDED_FOLDERS.test(vscode.workspace.asRelativePath(u, false)));
      found.sort((a, b) => a.toString().localeCompare(b.toString()));
      const truncated = found.length > MAX_WORKSPACE_FILES;
      const uris = found.slice(0, MAX_WORKSPACE_FILES);
      const skipped: { uri: string; reason: string }[] = [];
      let total = EMPTY_TALLY;
      let files = 0;
      let filesWithProblems = 0;
      const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
      for (let i = 0; i < uris.length && !token.isCancellationRequested; i++) {
        const uri = uris[i];
        progress.report({ message: `${i + 1} of ${uris.length}: ${fileName(uri)}`, increment: 100 / uris.length });
        const lang = languageOf(uri, byExtension);
        if (!settings.enabled(uri) || (lang && !settings.languages(uri).includes(lang))) continue;
        let result: CheckResult | undefined;
        const document = open.get(uri.toString());
        try {
          // A draft closed since the check started is read from disk like any other file.
          if (document && !document.isClosed) {
            // Checked in slices (or already), then published at once; again if it changed meanwhile.
            while (!document.isClosed && analysis.applies(document) && !analysis.stats(document) && !token.isCancellationRequested) await analysis.getInSlices(document);
            result = diagnostics?.check(document) ?? analysis.get(document);
            if (!result) continue; // open under another language
          } else {
            const stat = await vscode.workspace.fs.stat(uri);
            if (stat.size > MAX_FILE_BYTES) {
              skipped.push({ uri: uri.toString(), reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` });
              continue;
            }
            const read = await readClosedDraft(uri);
            if (!read.ok) {
              skipped.push({ uri: uri.toString(), reason: read.reason });
              continue;
            }
            if (read.warning) deps.log.warn(`${vscode.workspace.asRelativePath(uri)} ${read.warning}`);
            result = diagnostics ? await diagnostics.checkClosed(uri, read.text) : undefined;
            if (!result) continue;
          }
        } catch (e) {
          skipped.push({ uri: uri.toString(), reason: `could not be read (${e instanceof Error ? e.message : String(e)})` });
          continue;
        }
        files++;
        const t = tally(result.summary);
        total = addTallies(total, t);
        if (t.wrong) filesWithProblems++;
        // Let the window breathe between files, as between the slices of each check.
        await slices.pauseIfDue();
      }
      const cancelled = token.isCancellationRequested;
      let message = `${cancelled ? 'Stopped: checked' : 'Checked'} ${plural(total.figures, 'figure')} in ${plural(files, 'file')}${cancelled ? ` of ${uris.length}` : ''}`;
      const breakdown = describeTally(total);
      message += breakdown ? `: ${breakdown}.` : '.';
      if (filesWithProblems) message += ` ${plural(filesWithProblems, 'file')} with figures to look at.`;
      if (skipped.length) message += ` Skipped ${plural(skipped.length, 'file')}: ${skipped.slice(0, 3).map((s) => `${fileName(vscode.Uri.parse(s.uri))} (${s.reason})`).join(', ')}${skipped.length > 3 ? ', …' : ''}.`;
      if (truncated) message += ` Only the first ${MAX_WORKSPACE_FILES.toLocaleString('en-GB')} files were checked.`;
      if (total.skippedChars) message += ` ${total.skippedChars.toLocaleString('en-GB')} characters at the end of long files were not checked.`;
      deps.log.info(message);
      for (const s of skipped) deps.log.warn(`Not checked: ${s.uri} (${s.reason})`);
      announce(message, total.wrong > 0 || skipped.length > 0 || truncated || cancelled);
      return { files, tally: total, filesWithProblems, skipped, truncated, cancelled, message };
    },
  );
}

// ---- what is under the cursor ------------------------------------------------------------------

interface AtCursor {
  readonly entity?: Entity;
  readonly finding?: Finding;
}

function atCursor(deps: Deps): AtCursor {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return {};
  const result = deps.analysis.get(editor.document);
  if (!result) return {};
  const kb = deps.knowledge.kb;
  const offset = editor.document.offsetAt(editor.selection.active);
  const finding = result.findings.find((f) => f.status !== 'former-name' && f.status !== 'limit' && spanContains(f, offset));
  const mention = result.mentions.find((m) => spanContains(m, offset));
  const entityId = mention?.entityId ?? finding?.entityId;
  return { entity: entityId ? kb.get(entityId) : undefined, finding };
}

function factOf(kb: KnowledgeBase, entityId: string, factId: string): Fact | undefined {
  return kb.get(entityId)?.facts.find((f) => f.id === factId);
}

// ---- Reveal in Sidebar ------------------------------------------------------------------------

async function revealEntity(deps: Deps, target: Target): Promise<string | undefined> {
  const id = typeof target === 'string' ? target : (target?.entityId ?? atCursor(deps).entity?.id);
  if (!id) {
    void vscode.window.showInformationMessage('Put the cursor on a programme or organisation to show it in the sidebar.');
    return undefined;
  }
  await deps.knowledge.ready;
  const tree = deps.api.trees.knowledgeBase;
  if (!(tree instanceof KnowledgeTreeProvider)) throw new Error('the Knowledge base view is not available');
  if (!(await tree.revealEntity(id))) {
    void vscode.window.showInformationMessage(`“${id}” is not in the knowledge base.`);
    return undefined;
  }
  return id;
}

// ---- Open Source ---------------------------------------------------------------------------

function sourcesFor(deps: Deps, target: Target): Source[] {
  const kb = deps.knowledge.kb;
  const ids: string[] = [];
  const ofEntity = (e: Entity | undefined) => e && ids.push(...e.sources, ...e.facts.map((f) => f.source.source));
  if (typeof target === 'string') {
    if (kb.source(target)) ids.push(target);
    else ofEntity(kb.get(target));
  } else if (target?.sourceId) ids.push(target.sourceId);
  else if (target?.factId && target.entityId) {
    const f = factOf(kb, target.entityId, target.factId);
    if (f) ids.push(f.source.source);
  } else if (target?.entityId) ofEntity(kb.get(target.entityId));
  else {
    const here = atCursor(deps);
    for (const x of here.finding?.expected ?? []) {
      const f = factOf(kb, x.entityId, x.factId);
      if (f) ids.push(f.source.source);
    }
    if (!ids.length) ofEntity(here.entity);
  }
  return [...new Set(ids)].map((id) => kb.source(id)).filter((s): s is Source => !!s);
}

async function openSource(deps: Deps, target: Target): Promise<{ source: string; opened: string } | undefined> {
  await deps.knowledge.ready;
  const sources = sourcesFor(deps, target);
  if (!sources.length) {
    void vscode.window.showInformationMessage('No source found: put the cursor on a checked figure or a programme or organisation, or pick a source in the Knowledge base view.');
    return undefined;
  }
  let source = sources[0];
  if (sources.length > 1) {
    const pick = await vscode.window.showQuickPick(
      sources.map((s) => ({ label: s.title, description: [s.publisher, s.date].filter(Boolean).join(' · '), detail: s.url, source: s })),
      { title: 'Open which source?', matchOnDescription: true },
    );
    if (!pick) return undefined;
    source = pick.source;
  }
  if (source.url && /^https?:\/\//i.test(source.url)) {
    await vscode.env.openExternal(vscode.Uri.parse(source.url, true));
    return { source: source.id, opened: source.url };
  }
  // No web address: show the source's entry in its fact file.
  const where = originLocation(source.origin);
  await vscode.window.showTextDocument(where.uri, { selection: new vscode.Range(where.range.start, where.range.start), preview: true });
  return { source: source.id, opened: where.uri.toString() };
}

// ---- Copy Citation ---------------------------------------------------------------------------

export function citationFor(deps: Deps, target: Target): string | undefined {
  const kb = deps.knowledge.kb;
  if (typeof target === 'string') {
    const s = kb.source(target);
    if (s) return sourceReference(s);
    const e = kb.get(target);
    return e ? entityCitation(kb, e) : undefined;
  }
  if (target?.factId && target.entityId) {
    const f = factOf(kb, target.entityId, target.factId);
    return f ? factCitation(kb, f) : undefined;
  }
  if (target?.sourceId) {
    const s = kb.source(target.sourceId);
    return s ? sourceReference(s) : undefined;
  }
  if (target?.entityId) {
    const e = kb.get(target.entityId);
    return e ? entityCitation(kb, e) : undefined;
  }
  const here = atCursor(deps);
  const x = here.finding?.expected?.[0];
  const f = x && factOf(kb, x.entityId, x.factId);
  if (f) return factCitation(kb, f);
  return here.entity ? entityCitation(kb, here.entity) : undefined;
}

async function copyCitation(deps: Deps, target: Target): Promise<string | undefined> {
  await deps.knowledge.ready;
  const text = citationFor(deps, target);
  if (!text) {
    void vscode.window.showInformationMessage('Nothing to cite here: put the cursor on a checked figure or a programme or organisation, or pick a fact or source in the Knowledge base view.');
    return undefined;
  }
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(copy) Citation copied: ${text.length > 80 ? `${text.slice(0, 77)}…` : text}`, 4000);
  return text;
}
