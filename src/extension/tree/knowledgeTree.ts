/**
 * The "Knowledge base" view: Programmes, Organisations and Sources → each entry → its facts,
 * relations (click one to go to the other entry) and names. Nodes are built once per
 * knowledge-base load and filter, with stable ids and parents, so `reveal` can find any entry.
 */
import * as vscode from 'vscode';
import type { Entity, Fact, KnowledgeBase, Relation, Source } from '../../core';
import type { Deps } from '../deps';
import { guardedTreeProvider, kindIcon, md, RELATION_WORDS, sourceReference, tooltip } from './format';

export const KNOWLEDGE_VIEW = 'policyFacts.knowledgeBase';
const FILTERED_CONTEXT = 'policyFacts.knowledgeBaseFiltered';

type GroupKey = 'programmes' | 'organisations' | 'sources';
type SectionKey = 'facts' | 'relations' | 'names';

/** A node of the view. Menu commands receive it: `entityId`, `factId` and `sourceId` say what it is about. */
export type KnowledgeNode =
  | { readonly type: 'group'; readonly id: string; readonly group: GroupKey; readonly parent?: undefined }
  | { readonly type: 'entity'; readonly id: string; readonly entityId: string; readonly parent: KnowledgeNode }
  | { readonly type: 'section'; readonly id: string; readonly entityId: string; readonly section: SectionKey; readonly parent: KnowledgeNode }
  | { readonly type: 'fact'; readonly id: string; readonly entityId: string; readonly factId: string; readonly parent: KnowledgeNode }
  | {
      readonly type: 'relation';
      readonly id: string;
      /** The entry the relation leads to (what "Go to definition" and a click open). */
      readonly entityId: string;
      readonly relation: Relation;
      readonly incoming: boolean;
      readonly parent: KnowledgeNode;
    }
  | { readonly type: 'name'; readonly id: string; readonly entityId: string; readonly name: string; readonly nameKind: 'alias' | 'acronym' | 'former' | 'former-acronym'; readonly until?: string; readonly parent: KnowledgeNode }
  | { readonly type: 'source'; readonly id: string; readonly sourceId: string; readonly parent: KnowledgeNode }
  | { readonly type: 'sourceEntity'; readonly id: string; readonly sourceId: string; readonly entityId: string; readonly parent: KnowledgeNode };

const GROUPS: readonly { readonly key: GroupKey; readonly label: string }[] = [
  { key: 'programmes', label: 'Programmes' },
  { key: 'organisations', label: 'Organisations' },
  { key: 'sources', label: 'Sources' },
];

export class KnowledgeTreeProvider implements vscode.TreeDataProvider<KnowledgeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<KnowledgeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Children by parent id ('' for the root), built on first use; cleared on reload or a new filter. */
  private children = new Map<string, KnowledgeNode[]>();
  private filterText = '';
  private view?: vscode.TreeView<KnowledgeNode>;

  constructor(private readonly kbOf: () => KnowledgeBase) {}

  /** Called once the view exists: the view shows the filter and the empty-state messages. */
  attach(view: vscode.TreeView<KnowledgeNode>): void {
    this.view = view;
    this.updateView();
  }

  get filter(): string {
    return this.filterText;
  }

  setFilter(text: string): void {
    this.filterText = text.trim();
    void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, this.filterText !== '');
    this.refresh();
  }

  refresh(): void {
    this.children.clear();
    this.updateView();
    this.changed.fire(undefined);
  }

  getChildren(node?: KnowledgeNode): KnowledgeNode[] {
    const key = node?.id ?? '';
    let list = this.children.get(key);
    if (!list) {
      list = node ? this.build(node) : this.roots();
      this.children.set(key, list);
    }
    return list;
  }

  getParent(node: KnowledgeNode): KnowledgeNode | undefined {
    return node.parent;
  }

  getTreeItem(node: KnowledgeNode): vscode.TreeItem {
    const kb = this.kbOf();
    const item = this.item(kb, node);
    item.id = node.id;
    return item;
  }

  /**
   * The tooltip, made when the row is hovered: VS Code reads every Markdown tooltip it is given
   * for links, which for thousands of entries held the extension host up at every refresh.
   */
  resolveTreeItem(item: vscode.TreeItem, node: KnowledgeNode): vscode.TreeItem {
    item.tooltip = tooltipOf(this.kbOf(), node);
    return item;
  }

  /** The node of an entry under Programmes or Organisations (the same object `getChildren` returns). */
  entityNode(entityId: string): KnowledgeNode | undefined {
    const entity = this.kbOf().get(entityId);
    if (!entity) return undefined;
    const group = this.getChildren().find((g) => g.type === 'group' && g.group === groupOf(entity));
    return group && this.getChildren(group).find((n) => n.type === 'entity' && n.entityId === entityId);
  }

  /** Selects an entry in the view, clearing a filter that hides it. Returns whether it was found. */
  async revealEntity(entityId: string, options: { focus?: boolean; expand?: boolean } = {}): Promise<boolean> {
    if (!this.kbOf().get(entityId)) return false;
    let node = this.entityNode(entityId);
    if (!node && this.filterText) {
      this.setFilter('');
      node = this.entityNode(entityId);
    }
    if (!node || !this.view) return false;
    await this.view.reveal(node, { select: true, focus: options.focus ?? true, expand: options.expand ?? true });
    return true;
  }

  dispose(): void {
    this.changed.dispose();
  }

  // ---- building nodes ---------------------------------------------------------------------

  private matches(...texts: (string | undefined)[]): boolean {
    if (!this.filterText) return true;
    const needle = fold(this.filterText);
    return texts.some((t) => t !== undefined && fold(t).includes(needle));
  }

  private entityMatches(e: Entity): boolean {
    return this.matches(e.id, e.name, e.type, ...e.aliases, ...e.acronyms, ...e.formerNames.flatMap((f) => [f.name, ...f.acronyms]));
  }

  private sourceMatches(s: Source): boolean {
    return this.matches(s.id, s.title, s.publisher, s.author, s.date);
  }

  private roots(): KnowledgeNode[] {
    // The filter is part of the group ids, so a filtered view opens its groups afresh.
    const suffix = this.filterText ? `?${this.filterText}` : '';
    return GROUPS.filter((g) => this.groupMembers(g.key).length > 0 || !this.filterText).map((g) => ({ type: 'group', id: `group:${g.key}${suffix}`, group: g.key }));
  }

  private groupMembers(key: GroupKey): readonly (Entity | Source)[] {
    const kb = this.kbOf();
    if (key === 'sources') return [...kb.sources].filter((s) => this.sourceMatches(s)).sort((a, b) => a.title.localeCompare(b.title));
    return kb.entities.filter((e) => groupOf(e) === key && this.entityMatches(e)).sort((a, b) => a.name.localeCompare(b.name));
  }

  private build(node: KnowledgeNode): KnowledgeNode[] {
    const kb = this.kbOf();
    switch (node.type) {
      case 'group':
        if (node.group === 'sources') {
          return (this.groupMembers('sources') as Source[]).map((s) => ({ type: 'source', id: `source:${s.id}`, sourceId: s.id, parent: node }));
        }
        return (this.groupMembers(node.group) as Entity[]).map((e) => ({ type: 'entity', id: `entity:${e.id}`, entityId: e.id, parent: node }));
      case 'entity': {
        const e = kb.get(node.entityId);
        if (!e) return [];
        const sections: KnowledgeNode[] = [];
        const section = (s: SectionKey) => sections.push({ type: 'section', id: `${node.id}/${s}`, entityId: e.id, section: s, parent: node });
        if (e.facts.length) section('facts');
        if (e.relations.length || kb.incoming(e.id).length) section('relations');
        if (namesOf(e).length) section('names');
        return sections;
      }
      case 'section': {
        const e = kb.get(node.entityId);
        if (!e) return [];
        if (node.section === 'facts') return e.facts.map((f) => ({ type: 'fact', id: `fact:${f.id}`, entityId: e.id, factId: f.id, parent: node }));
        if (node.section === 'relations') {
          const out: KnowledgeNode[] = e.relations.map((r, i) => ({ type: 'relation', id: `${node.id}/out:${i}`, entityId: r.to, relation: r, incoming: false, parent: node }));
          kb.incoming(e.id).forEach((r, i) => out.push({ type: 'relation', id: `${node.id}/in:${i}`, entityId: r.from, relation: r, incoming: true, parent: node }));
          return out;
        }
        return namesOf(e).map((n, i) => ({ type: 'name', id: `${node.id}/${i}`, entityId: e.id, name: n.name, nameKind: n.kind, until: n.until, parent: node }));
      }
      case 'source': {
        const cites = kb.entities.filter((e) => e.sources.includes(node.sourceId) || e.facts.some((f) => f.source.source === node.sourceId));
        return [...cites].sort((a, b) => a.name.localeCompare(b.name)).map((e) => ({ type: 'sourceEntity', id: `${node.id}/entity:${e.id}`, sourceId: node.sourceId, entityId: e.id, parent: node }));
      }
      default:
        return [];
    }
  }

  // ---- tree items -------------------------------------------------------------------------

  private item(kb: KnowledgeBase, node: KnowledgeNode): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.type) {
      case 'group': {
        const members = this.groupMembers(node.group).length;
        const total = node.group === 'sources' ? kb.sources.length : kb.entities.filter((e) => groupOf(e) === node.group).length;
        const expanded = this.filterText !== '' || node.group === 'programmes';
        const item = new vscode.TreeItem(GROUPS.find((g) => g.key === node.group)!.label, expanded ? vscode.TreeItemCollapsibleState.Expanded : Collapsed);
        item.description = this.filterText ? `${members} of ${total}` : String(total);
        item.iconPath = new vscode.ThemeIcon(node.group === 'sources' ? 'library' : node.group === 'programmes' ? 'project' : 'organization');
        item.contextValue = 'policyFacts.group';
        return item;
      }
      case 'entity':
      case 'sourceEntity': {
        const e = kb.get(node.entityId);
        if (!e) return new vscode.TreeItem(node.entityId, None);
        const item = new vscode.TreeItem(e.name, node.type === 'entity' ? Collapsed : None);
        item.description = [e.acronyms[0], e.type].filter(Boolean).join(' · ');
        item.iconPath = kindIcon(e);
        item.contextValue = 'policyFacts.entity';
        if (node.type === 'sourceEntity') item.command = { command: 'policyFacts.revealEntity', title: 'Reveal in Sidebar', arguments: [e.id] };
        return item;
      }
      case 'section': {
        const e = kb.get(node.entityId)!;
        const count = node.section === 'facts' ? e.facts.length : node.section === 'relations' ? e.relations.length + kb.incoming(e.id).length : namesOf(e).length;
        const item = new vscode.TreeItem(node.section === 'facts' ? 'Facts' : node.section === 'relations' ? 'Relations' : 'Names', Collapsed);
        item.description = String(count);
        item.iconPath = new vscode.ThemeIcon(node.section === 'facts' ? 'symbol-number' : node.section === 'relations' ? 'references' : 'symbol-string');
        item.contextValue = 'policyFacts.section';
        if (node.section === 'facts') item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
        return item;
      }
      case 'fact': {
        const f = kb.get(node.entityId)?.facts.find((x) => x.id === node.factId);
        if (!f) return new vscode.TreeItem(node.factId, None);
        const item = new vscode.TreeItem(f.figure, None);
        const when = f.period ?? (f.asOf ? `as of ${f.asOf}` : undefined);
        item.description = [f.about, when].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon('symbol-number');
        item.contextValue = 'policyFacts.fact';
        item.command = openCommand(f.origin, 'Open the fact in its fact file');
        return item;
      }
      case 'relation': {
        const other = kb.get(node.entityId);
        const item = new vscode.TreeItem(other?.name ?? node.entityId, None);
        item.description = relationVerb(node.relation.type, node.incoming);
        item.iconPath = new vscode.ThemeIcon(node.incoming ? 'arrow-left' : 'arrow-right');
        item.contextValue = 'policyFacts.relation';
        item.command = { command: 'policyFacts.revealEntity', title: 'Reveal in Sidebar', arguments: [node.entityId] };
        return item;
      }
      case 'name': {
        const item = new vscode.TreeItem(node.name, None);
        item.description = nameKindWords(node);
        item.iconPath = new vscode.ThemeIcon(node.nameKind.startsWith('former') ? 'history' : node.nameKind === 'acronym' ? 'symbol-constant' : 'tag');
        item.contextValue = 'policyFacts.name';
        return item;
      }
      case 'source': {
        const s = kb.source(node.sourceId);
        if (!s) return new vscode.TreeItem(node.sourceId, None);
        const item = new vscode.TreeItem(s.title, Collapsed);
        item.description = [s.publisher, s.date].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon('book');
        item.contextValue = 'policyFacts.source';
        item.command = openCommand(s.origin, 'Open the source entry in its fact file');
        return item;
      }
    }
  }

  private updateView(): void {
    if (!this.view) return;
    const kb = this.kbOf();
    this.view.description = this.filterText ? `filter: ${this.filterText}` : undefined;
    if (!kb.entities.length && !kb.sources.length) this.view.message = 'The knowledge base is empty or still loading. “Policy Facts: Show Knowledge Base Status” says what loaded.';
    else if (this.filterText && !this.roots().length) this.view.message = `No entry matches “${this.filterText}”.`;
    else this.view.message = undefined;
  }
}

function groupOf(e: Entity): GroupKey {
  return e.kind === 'organisation' ? 'organisations' : 'programmes';
}

function fold(text: string): string {
  return text.replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, ' ').toLowerCase();
}

function namesOf(e: Entity): { name: string; kind: 'alias' | 'acronym' | 'former' | 'former-acronym'; until?: string }[] {
  return [
    ...e.acronyms.map((name) => ({ name, kind: 'acronym' as const })),
    ...e.aliases.map((name) => ({ name, kind: 'alias' as const })),
    ...e.formerNames.flatMap((f) => [{ name: f.name, kind: 'former' as const, until: f.until }, ...f.acronyms.map((name) => ({ name, kind: 'former-acronym' as const, until: f.until }))]),
  ];
}

function sourceLabel(kb: KnowledgeBase, ref: { source: string; line?: number; section?: string }): string {
  const title = kb.source(ref.source)?.title ?? ref.source;
  return ref.line ? `${title}, line ${ref.line}` : ref.section ? `${title}, ${ref.section}` : title;
}

function openCommand(origin: { uri: string; range: { start: { line: number; character: number } } }, title: string): vscode.Command {
  const at = new vscode.Position(origin.range.start.line, origin.range.start.character);
  return { command: 'vscode.open', title, arguments: [vscode.Uri.parse(origin.uri, true), { selection: new vscode.Range(at, at), preview: true }] };
}

/** A row's tooltip (none for groups and sections). */
function tooltipOf(kb: KnowledgeBase, node: KnowledgeNode): vscode.MarkdownString | undefined {
  switch (node.type) {
    case 'entity':
    case 'sourceEntity': {
      const e = kb.get(node.entityId);
      return e && entityTooltip(kb, e);
    }
    case 'fact': {
      const f = kb.get(node.entityId)?.facts.find((x) => x.id === node.factId);
      return f && factTooltip(kb, f);
    }
    case 'relation': {
      const other = kb.get(node.entityId);
      const self = kb.get(node.incoming ? node.relation.to : node.relation.from);
      return tooltip([
        `${md(self?.name)} *${md(relationVerb(node.relation.type, node.incoming))}* **${md(other?.name ?? node.entityId)}**`,
        node.relation.note ? md(node.relation.note) : '',
        node.relation.source ? `Source: ${md(sourceLabel(kb, node.relation.source))}` : '',
        '*Click to show it in this view.*',
      ]);
    }
    case 'name':
      return tooltip([`**${md(node.name)}**: ${md(nameKindWords(node))}`, node.nameKind === 'acronym' || node.nameKind === 'former-acronym' ? '*Matched with this exact case.*' : '']);
    case 'source': {
      const s = kb.source(node.sourceId);
      return s && tooltip([`**${md(s.title)}**`, md(sourceReference(s)), s.note ? md(s.note) : '', `*id:* ${md(s.id)}`]);
    }
    default:
      return undefined;
  }
}

/** How a relation reads from the entry it is under: "funded by", or "funds" for an incoming one. */
function relationVerb(type: string, incoming: boolean): string {
  const words = RELATION_WORDS[type] ?? [type, type];
  return incoming ? words[1] : words[0];
}

function nameKindWords(node: { nameKind: string; until?: string }): string {
  return node.nameKind === 'former' || node.nameKind === 'former-acronym' ? `former ${node.nameKind === 'former' ? 'name' : 'acronym'}${node.until ? `, until ${node.until}` : ''}` : node.nameKind;
}

function entityTooltip(kb: KnowledgeBase, e: Entity): vscode.MarkdownString {
  return tooltip([
    `**${md(e.name)}** · ${md(e.type)}`,
    e.summary ? md(e.summary) : '',
    e.acronyms.length ? `*Acronyms:* ${e.acronyms.map(md).join(', ')}` : '',
    e.aliases.length ? `*Also called:* ${e.aliases.map(md).join(', ')}` : '',
    e.formerNames.length ? `*Formerly:* ${e.formerNames.map((f) => `${md(f.name)}${f.until ? ` \\(until ${md(f.until)}\\)` : ''}`).join(', ')}` : '',
    `${e.facts.length} fact${e.facts.length === 1 ? '' : 's'} · ${e.layer === 'workspace' ? 'from your fact files' : e.extendedBy.length ? 'bundled, extended by your fact files' : 'bundled'}`,
  ]);
}

function factTooltip(kb: KnowledgeBase, f: Fact): vscode.MarkdownString {
  const entity = kb.get(f.entityId);
  return tooltip([
    `**${md(f.figure)}** ${md(f.about)}`,
    entity ? `*Of:* ${md(entity.name)}` : '',
    f.period ? `*Period:* ${md(f.period)}` : '',
    f.asOf ? `*As of:* ${md(f.asOf)}` : '',
    f.counts ? `*Counts:* ${md(f.counts)}` : '',
    f.note ? md(f.note) : '',
    `*Source:* ${md(sourceLabel(kb, f.source))}`,
  ]);
}

export function registerKnowledgeTree(deps: Deps): vscode.Disposable {
  const { knowledge, log } = deps;
  const provider = new KnowledgeTreeProvider(() => knowledge.kb);
  const guarded = guardedTreeProvider(log, 'Knowledge base view', provider, '(could not show this entry)');
  const view = vscode.window.createTreeView(KNOWLEDGE_VIEW, { treeDataProvider: guarded, showCollapseAll: true });
  provider.attach(view);
  deps.api.trees.knowledgeBase = provider as vscode.TreeDataProvider<unknown>;
  deps.api.trees.knowledgeBaseView = view as vscode.TreeView<unknown>;
  return vscode.Disposable.from(
    provider,
    view,
    knowledge.onDidChange(() => provider.refresh()),
    vscode.commands.registerCommand(
      'policyFacts.filterKnowledgeBase',
      log.wrap('Filter Knowledge Base', async (text?: string) => {
        const value =
          typeof text === 'string'
            ? text
            : await vscode.window.showInputBox({
                title: 'Filter the knowledge base',
                prompt: 'Show entries whose name, acronym, alias, former name, type or id contains this text. Leave empty to show all.',
                value: provider.filter,
              });
        if (value === undefined) return provider.filter;
        provider.setFilter(value);
        return provider.filter;
      }),
    ),
    vscode.commands.registerCommand(
      'policyFacts.clearKnowledgeBaseFilter',
      log.wrap('Clear Knowledge Base Filter', () => provider.setFilter('')),
    ),
  );
}
