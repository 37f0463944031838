/**
 * The "In this draft" view: the figures of the active draft with their check status, then
 * every programme and organisation it mentions with its mentions. Clicking a figure or a
 * mention selects it in the draft. Follows the active editor, and the text as you type.
 */
import * as vscode from 'vscode';
import type { CheckResult, Finding, KnowledgeBase, Mention } from '../../core';
import { spanToRange } from '../convert';
import type { Deps } from '../deps';
import { EDIT_DEBOUNCE_MS } from '../diagnostics';
import { guardedTreeProvider, isFigureFinding, isProblem, kindIcon, md, plural, STATUS_LOOK, statusIcon, tally, tooltip } from './format';

export const DRAFT_VIEW = 'policyFacts.draft';

export type DraftNode =
  | { readonly type: 'figures'; readonly id: string; readonly parent?: undefined }
  | { readonly type: 'figure'; readonly id: string; readonly finding: Finding; readonly parent: DraftNode }
  | { readonly type: 'entity'; readonly id: string; readonly entityId: string; readonly mentions: readonly Mention[]; readonly parent?: undefined }
  | { readonly type: 'mention'; readonly id: string; readonly entityId: string; readonly mention: Mention; readonly former: boolean; readonly parent: DraftNode }
  | { readonly type: 'limit'; readonly id: string; readonly finding: Finding; readonly parent?: undefined };

/** What a row was made from. */
interface Row {
  readonly snap: Snapshot;
  readonly kb: KnowledgeBase;
  /** A figure's or mention's line (1-based). */
  line?: number;
}

interface Snapshot {
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly generation: number;
  readonly result: CheckResult;
  readonly roots: readonly DraftNode[];
  readonly children: ReadonlyMap<string, readonly DraftNode[]>;
}

export class DraftTreeProvider implements vscode.TreeDataProvider<DraftNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DraftNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private snapshot?: Snapshot;
  /** What each row was made from (by `getTreeItem`), for its tooltip. */
  private readonly rows = new WeakMap<DraftNode, Row>();
  private current?: vscode.TextDocument;
  private view?: vscode.TreeView<DraftNode>;

  constructor(
    private readonly deps: Pick<Deps, 'analysis' | 'knowledge'>,
    document?: vscode.TextDocument,
  ) {
    this.current = document;
  }

  /** The draft shown (the active editor's, or the last one that was active). */
  get document(): vscode.TextDocument | undefined {
    return this.current;
  }

  attach(view: vscode.TreeView<DraftNode>): void {
    this.view = view;
    this.updateView();
  }

  /** Shows another draft, or none (`undefined`, or a document Policy Facts does not check). */
  show(document: vscode.TextDocument | undefined): void {
    this.current = document && this.deps.analysis.applies(document) ? document : undefined;
    this.refresh();
  }

  /** Whether what the view shows is of the draft as it is now, with the facts in use. */
  get isCurrent(): boolean {
    const s = this.snapshot;
    const document = this.current;
    return !!s && !!document && s.document === document && s.version === document.version && s.generation === this.deps.knowledge.generation;
  }

  refresh(): void {
    this.snapshot = undefined;
    this.updateView();
    this.changed.fire(undefined);
  }

  getChildren(node?: DraftNode): DraftNode[] {
    const snap = this.take();
    if (!snap) return [];
    return [...(node ? (snap.children.get(node.id) ?? []) : snap.roots)];
  }

  getParent(node: DraftNode): DraftNode | undefined {
    return node.parent;
  }

  getTreeItem(node: DraftNode): vscode.TreeItem {
    const kb = this.deps.knowledge.kb;
    const snap = this.take();
    if (!snap) return Object.assign(new vscode.TreeItem(''), { id: node.id });
    const row: Row = { snap, kb };
    const item = this.item(row, node);
    item.id = node.id;
    this.rows.set(node, row);
    return item;
  }

  /**
   * The tooltip, made when the row is hovered: VS Code reads every Markdown tooltip it is given
   * for links, so tooltips on all 14,000 rows of a long draft's figures held the extension host
   * up longer at every refresh. Made from what the row was made from, not from the draft as it
   * is now (a row hovered between an edit and the view's refresh says the line its row says).
   */
  resolveTreeItem(item: vscode.TreeItem, node: DraftNode): vscode.TreeItem {
    const row = this.rows.get(node);
    if (row) item.tooltip = tooltipOf(row, node);
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }

  // ---- building ---------------------------------------------------------------------------

  /** The current snapshot, rebuilt when the draft, its version or the facts changed. */
  private take(): Snapshot | undefined {
    const document = this.current;
    if (!document || document.isClosed) return undefined;
    if (this.isCurrent) return this.snapshot;
    const generation = this.deps.knowledge.generation;
    // Shown once checked (in slices, announced as `checked`): opening a long draft does not wait for it.
    const result = this.deps.analysis.peek(document);
    if (!result) return undefined;
    this.snapshot = build(document, generation, result, this.deps.knowledge.kb);
    // The badge and message follow (the check may have ended here, with nothing else to announce it to the view).
    this.updateView();
    return this.snapshot;
  }

  /** A row; notes in `row` the line of a figure or mention, for its tooltip. */
  private item(row: Row, node: DraftNode): vscode.TreeItem {
    const { snap, kb } = row;
    const doc = snap.document;
    switch (node.type) {
      case 'figures': {
        const t = tally(snap.result.summary);
        const item = new vscode.TreeItem('Figures', vscode.TreeItemCollapsibleState.Expanded);
        const parts = [`${t.ok} ✓`];
        if (t.wrong) parts.push(`${t.wrong} ✗`);
        if (t.unverified) parts.push(`${t.unverified} ?`);
        item.description = parts.join('  ');
        item.iconPath = new vscode.ThemeIcon(t.wrong ? 'warning' : 'checklist');
        item.contextValue = 'policyFacts.figures';
        return item;
      }
      case 'figure':
      case 'limit': {
        const f = node.finding;
        const entity = f.entityId ? kb.get(f.entityId) : undefined;
        const word = f.suppressed ? 'suppressed' : STATUS_LOOK[f.status].word;
        const item = new vscode.TreeItem(node.type === 'limit' ? 'Not all of this draft was checked' : f.text, vscode.TreeItemCollapsibleState.None);
        item.description = entity && node.type === 'figure' ? `${word} · ${entity.name}` : word;
        item.iconPath = statusIcon(f.status, f.suppressed);
        item.contextValue = `policyFacts.figure.${f.status}`;
        const range = spanToRange(doc, f);
        row.line = range.start.line + 1;
        item.command = reveal(doc, range);
        return item;
      }
      case 'entity': {
        const e = kb.get(node.entityId);
        const item = new vscode.TreeItem(e?.name ?? node.entityId, vscode.TreeItemCollapsibleState.Collapsed);
        const former = node.mentions.filter(isFormer).length;
        item.description = `${plural(node.mentions.length, 'mention')}${former ? `, ${former} by a former name` : ''}`;
        item.iconPath = e ? kindIcon(e) : new vscode.ThemeIcon('symbol-misc');
        item.contextValue = 'policyFacts.entity';
        return item;
      }
      case 'mention': {
        const m = node.mention;
        const { label, highlight } = excerpt(doc.getText(), m.start, m.end);
        const item = new vscode.TreeItem({ label, highlights: [highlight] }, vscode.TreeItemCollapsibleState.None);
        const line = doc.positionAt(m.start).line + 1;
        row.line = line;
        item.description = node.former ? `line ${line} · former name` : `line ${line}`;
        item.iconPath = new vscode.ThemeIcon(node.former ? 'history' : 'symbol-reference', node.former ? new vscode.ThemeColor('problemsInfoIcon.foreground') : undefined);
        item.contextValue = 'policyFacts.mention';
        item.command = reveal(doc, spanToRange(doc, m));
        return item;
      }
    }
  }

  private updateView(): void {
    const view = this.view;
    if (!view) return;
    const snap = this.take();
    if (!this.current) {
      view.message = 'Open a Markdown or plain-text draft to see the programmes, organisations and figures in it.';
      view.description = undefined;
      view.badge = undefined;
      return;
    }
    view.description = vscode.workspace.asRelativePath(this.current.uri, false);
    view.message = snap && !snap.roots.length ? 'No programmes, organisations or figures found in this draft.' : undefined;
    const wrong = snap ? snap.result.findings.filter(isProblem).length : 0;
    view.badge = wrong ? { value: wrong, tooltip: `${plural(wrong, 'figure')} to look at` } : undefined;
  }
}

function isFormer(m: Mention): boolean {
  return m.nameKind === 'former' || m.nameKind === 'former-acronym';
}

/** A row's tooltip, from what the row was made from. */
function tooltipOf({ snap, kb, line }: Row, node: DraftNode): vscode.MarkdownString {
  switch (node.type) {
    case 'figures': {
      const t = tally(snap.result.summary);
      return tooltip([`**${plural(t.figures, 'figure')}** in this draft`, `${t.verified} verified, ${t.rounded} rounded, ${t.mismatch} wrong, ${t.misattributed} misattributed, ${t.inconsistent} inconsistent, ${t.unverified} unverified${t.suppressed ? `, ${t.suppressed} suppressed` : ''}`]);
    }
    case 'figure':
    case 'limit': {
      const f = node.finding;
      return tooltip([`**${md(STATUS_LOOK[f.status].word)}**${f.suppressed ? ` \\(suppressed: ${md(f.suppressed)}\\)` : ''}`, md(f.message), `*Line ${line}* · \`${f.code}\``]);
    }
    case 'entity': {
      const e = kb.get(node.entityId);
      return tooltip([`**${md(e?.name ?? node.entityId)}**${e ? ` · ${md(e.type)}` : ''}`, e?.summary ? md(e.summary) : '', `${plural(node.mentions.length, 'mention')} in this draft`]);
    }
    case 'mention': {
      const m = node.mention;
      return tooltip([`“${md(m.text)}”, line ${line}`, node.former ? '*A former name.*' : '']);
    }
  }
}

function build(document: vscode.TextDocument, generation: number, result: CheckResult, kb: KnowledgeBase): Snapshot {
  const roots: DraftNode[] = [];
  const children = new Map<string, DraftNode[]>();
  const figures = result.findings.filter(isFigureFinding);
  if (figures.length) {
    const group: DraftNode = { type: 'figures', id: 'figures' };
    roots.push(group);
    children.set(
      group.id,
      figures.map((finding) => ({ type: 'figure', id: `figure:${finding.start}:${finding.end}`, finding, parent: group })),
    );
  }
  const byEntity = new Map<string, Mention[]>();
  for (const m of result.mentions) {
    if (!kb.get(m.entityId)) continue;
    const list = byEntity.get(m.entityId) ?? [];
    list.push(m);
    byEntity.set(m.entityId, list);
  }
  for (const [entityId, mentions] of byEntity) {
    const node: DraftNode = { type: 'entity', id: `entity:${entityId}`, entityId, mentions };
    roots.push(node);
    children.set(
      node.id,
      mentions.map((mention, i) => ({ type: 'mention', id: `${node.id}/${i}`, entityId, mention, former: isFormer(mention), parent: node })),
    );
  }
  for (const f of result.findings) {
    if (f.status === 'limit') roots.push({ type: 'limit', id: `limit:${f.start}`, finding: f });
  }
  return { document, version: document.version, generation, result, roots, children };
}

/** A click on a figure or mention: select it in the draft. */
function reveal(document: vscode.TextDocument, range: vscode.Range): vscode.Command {
  return { command: 'vscode.open', title: 'Show in the draft', arguments: [document.uri, { selection: range, preserveFocus: false } satisfies vscode.TextDocumentShowOptions] };
}

/** The words around a mention on its line, with where the mention is in them. */
export function excerpt(text: string, start: number, end: number, before = 24, after = 36): { label: string; highlight: [number, number] } {
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, 0);
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd === -1) lineEnd = text.length;
  let from = Math.max(lineStart, start - before);
  let to = Math.min(lineEnd, end + after);
  // Cut at word boundaries.
  if (from > lineStart) {
    const space = text.indexOf(' ', from);
    if (space !== -1 && space < start) from = space + 1;
  }
  if (to < lineEnd) {
    const space = text.lastIndexOf(' ', to);
    if (space > end) to = space;
  }
  const head = text.slice(from, start).replace(/^\s+/, '');
  const lead = from > lineStart ? '…' : '';
  const tail = to < lineEnd ? '…' : '';
  const mention = text.slice(start, end).replace(/\s+/g, ' ');
  const label = `${lead}${head.replace(/\s+/g, ' ')}${mention}${text.slice(end, to).replace(/\s+/g, ' ').trimEnd()}${tail}`;
  const a = lead.length + head.replace(/\s+/g, ' ').length;
  return { label, highlight: [a, a + mention.length] };
}

export function registerDraftTree(deps: Deps): vscode.Disposable {
  const { analysis, knowledge, log } = deps;
  const provider = new DraftTreeProvider(deps, activeDraft(deps));
  const guarded = guardedTreeProvider(log, 'Draft view', provider, '(could not show this item)');
  const view = vscode.window.createTreeView(DRAFT_VIEW, { treeDataProvider: guarded, showCollapseAll: true });
  provider.attach(view);
  deps.api.trees.draft = provider as vscode.TreeDataProvider<unknown>;
  deps.api.trees.draftView = view as vscode.TreeView<unknown>;

  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      log.guard('Draft view: refresh', undefined, () => {
        timer = undefined;
        provider.refresh();
      }),
      EDIT_DEBOUNCE_MS,
    );
  };
  return vscode.Disposable.from(
    provider,
    view,
    { dispose: () => timer && clearTimeout(timer) },
    vscode.window.onDidChangeActiveTextEditor(
      log.guard('Draft view: editor change', undefined, (editor: vscode.TextEditor | undefined) => {
        // Focus moving to a panel or a view leaves the last draft shown.
        if (editor) provider.show(editor.document);
      }),
    ),
    vscode.workspace.onDidCloseTextDocument(
      log.guard('Draft view: document closed', undefined, (d: vscode.TextDocument) => {
        if (d === provider.document) provider.show(activeDraft(deps));
      }),
    ),
    analysis.onDidChange(
      log.guard('Draft view: update', undefined, (e: Parameters<Parameters<typeof analysis.onDidChange>[0]>[0]) => {
        if (e.reason === 'document') {
          if (e.uri && provider.document && e.uri.toString() === provider.document.uri.toString()) later();
        } else if (e.reason === 'checked') {
          // (Not when the view's own asking finished that check: it shows it already.)
          if (e.uri && provider.document && e.uri.toString() === provider.document.uri.toString() && !provider.isCurrent) provider.refresh();
        } else if (e.reason === 'settings') {
          provider.show(activeDraft(deps) ?? provider.document);
        } else if (e.reason !== 'closed') {
          provider.refresh();
        }
      }),
    ),
    knowledge.onDidChange(log.guard('Draft view: knowledge base reload', undefined, () => provider.refresh())),
  );
}

function activeDraft(deps: Pick<Deps, 'analysis'>): vscode.TextDocument | undefined {
  const d = vscode.window.activeTextEditor?.document;
  return d && deps.analysis.applies(d) ? d : undefined;
}
