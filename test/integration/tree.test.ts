/**
 * The sidebar inside a real VS Code: "In this draft" (figures with their status, entities
 * with their mentions, following the editor and the text) and "Knowledge base" (groups →
 * entries → facts, relations, names; filter; reveal; safe tooltips), reached through the
 * providers `activate` returns. Runs on a copy of test/fixtures/workspace.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, type PolicyFactsApi } from '../../src/extension/deps';
import type { DraftNode, DraftTreeProvider } from '../../src/extension/tree/draftTree';
import type { KnowledgeNode, KnowledgeTreeProvider } from '../../src/extension/tree/knowledgeTree';
import { waitFor } from './index';

const fixture = (...parts: string[]): vscode.Uri => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
};

const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const iconOf = (item: vscode.TreeItem): string => (item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : '');
const tooltipOf = (item: vscode.TreeItem): string => (item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? ''));

describe('sidebar', () => {
  let api: PolicyFactsApi;
  let draft: DraftTreeProvider;
  let kb: KnowledgeTreeProvider;
  let doc: vscode.TextDocument;

  /** Children of a draft node as [node, item] pairs; each item as it shows when hovered (with its tooltip). */
  const draftRows = (node?: DraftNode) => draft.getChildren(node).map((n) => [n, draft.resolveTreeItem(draft.getTreeItem(n), n)] as const);
  const kbRows = (node?: KnowledgeNode) => kb.getChildren(node).map((n) => [n, kb.resolveTreeItem(kb.getTreeItem(n), n)] as const);
  const kbChild = (node: KnowledgeNode | undefined, label: string) => {
    const row = kbRows(node).find(([, item]) => labelOf(item) === label);
    assert.ok(row, `“${label}” under ${node?.id ?? 'the root'}: ${kbRows(node).map(([, i]) => labelOf(i)).join(', ')}`);
    return row;
  };

  before(async () => {
    const ext = vscode.extensions.getExtension<PolicyFactsApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    await api.ready;
    assert.ok(api.trees.draft && api.trees.knowledgeBase, 'activate exposes both tree providers');
    draft = api.trees.draft as DraftTreeProvider;
    kb = api.trees.knowledgeBase as KnowledgeTreeProvider;
    doc = await vscode.workspace.openTextDocument(fixture('drafts', 'checking-briefing.md'));
    await vscode.window.showTextDocument(doc, { preview: false });
  });

  describe('In this draft', () => {
    it('lists the figures of the active draft with their status', async () => {
      const roots = await waitFor(() => {
        assert.equal(draft.document?.uri.toString(), doc.uri.toString());
        const r = draftRows();
        assert.ok(r.length > 0);
        return r;
      });
      const [figuresNode, figuresItem] = roots[0];
      assert.equal(labelOf(figuresItem), 'Figures');
      assert.equal(figuresItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
      assert.match(String(figuresItem.description), /^\d+ ✓ {2}2 ✗/);
      const figures = draftRows(figuresNode);
      // Made when a row is hovered (VS Code asks `resolveTreeItem`), not for every row at each refresh.
      assert.equal(draft.getTreeItem(figures[0][0]).tooltip, undefined);
      const row = (text: string) => {
        const r = figures.find(([, i]) => labelOf(i) === text);
        assert.ok(r, `figure “${text}” in ${figures.map(([, i]) => labelOf(i)).join(', ')}`);
        return r[1];
      };
      const cases: [string, RegExp, string][] = [
        ['over £185m', /^verified · Adoption Support Fund$/, 'pass'],
        ['up to £1.1bn', /^rounded · Supporting Families$/, 'check'],
        ['£250m', /^wrong · Youth Endowment Fund$/, 'error'],
        ['£200m', /^misattributed · Violence Reduction Units$/, 'warning'],
        ['£190m', /^suppressed/, 'circle-slash'],
      ];
      for (const [text, description, icon] of cases) {
        const item = row(text);
        assert.match(String(item.description), description, text);
        assert.equal(iconOf(item), icon, text);
      }
      assert.match(tooltipOf(row('£250m')), /does not match what is recorded for Youth Endowment Fund/);
      const click = row('£250m').command;
      assert.equal(click?.command, 'vscode.open');
      assert.equal((click?.arguments?.[0] as vscode.Uri).toString(), doc.uri.toString());
      const selection = (click?.arguments?.[1] as vscode.TextDocumentShowOptions).selection as vscode.Range;
      assert.equal(doc.getText(selection), '£250m', 'a click selects the figure in the draft');
    });

    it('lists the programmes and organisations mentioned, with their mentions', () => {
      const entities = draftRows().filter(([n]) => n.type === 'entity');
      const sf = entities.find(([n]) => n.type === 'entity' && n.entityId === 'supporting-families');
      assert.ok(sf, entities.map(([, i]) => labelOf(i)).join(', '));
      assert.equal(labelOf(sf[1]), 'Supporting Families');
      assert.equal(sf[1].description, '2 mentions, 1 by a former name');
      assert.equal(iconOf(sf[1]), 'project');
      const mentions = draftRows(sf[0]);
      assert.equal(mentions.length, 2);
      const [first, item] = mentions[0];
      assert.equal(first.type, 'mention');
      assert.equal(item.description, `line ${rangeLine(doc, 'Troubled Families Programme') + 1} · former name`);
      const label = item.label as vscode.TreeItemLabel;
      const [a, b] = label.highlights![0];
      assert.equal(label.label.slice(a, b), 'Troubled Families Programme', 'the mention is highlighted in its line');
      assert.equal(draft.getParent(first), sf[0], 'getParent');
      const selection = (item.command?.arguments?.[1] as vscode.TextDocumentShowOptions).selection as vscode.Range;
      assert.equal(doc.getText(selection), 'Troubled Families Programme');
    });

    it('updates as the draft is edited', async () => {
      const end = doc.lineAt(doc.lineCount - 1).range.end;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, end, '\n\nThe Adoption Support Fund paid £3m for therapy in one year.\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      try {
        await waitFor(() => {
          const figures = draftRows(draftRows()[0][0]);
          assert.ok(figures.some(([, i]) => labelOf(i) === '£3m'), figures.map(([, i]) => labelOf(i)).join(', '));
        });
      } finally {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('undo');
        await waitFor(() => assert.ok(!doc.getText().includes('£3m')));
      }
    });

    it('follows the active editor', async () => {
      const notes = await vscode.workspace.openTextDocument(fixture('drafts', 'checking-notes.txt'));
      await vscode.window.showTextDocument(notes);
      await waitFor(() => {
        const labels = draftRows().map(([, i]) => labelOf(i));
        assert.ok(labels.includes('Riverside Numeracy Pilot'), labels.join(', '));
      });
      const view = api.trees.draftView as vscode.TreeView<DraftNode>;
      assert.equal(view.description, 'drafts/checking-notes.txt');
      await vscode.window.showTextDocument(doc);
      await waitFor(() => assert.equal(draft.document?.uri.toString(), doc.uri.toString()));
      await waitFor(() => assert.equal(view.badge?.value, 2, 'the badge counts the figures to look at, once the draft is checked'));
    });
  });

  describe('Knowledge base', () => {
    afterEach(async () => {
      await vscode.commands.executeCommand('policyFacts.clearKnowledgeBaseFilter');
    });

    it('groups entries into Programmes, Organisations and Sources', () => {
      const roots = kbRows();
      assert.deepEqual(roots.map(([, i]) => labelOf(i)), ['Programmes', 'Organisations', 'Sources']);
      const total = api.knowledge.kb.entities.filter((e) => e.kind === 'programme').length;
      assert.equal(roots[0][1].description, String(total));
      assert.equal(iconOf(roots[2][1]), 'library');
    });

    it('shows an entry’s facts, relations and names', () => {
      const [programmes] = kbChild(undefined, 'Programmes');
      const [sf, sfItem] = kbChild(programmes, 'Supporting Families');
      assert.equal(sfItem.contextValue, 'policyFacts.entity');
      assert.equal((sf as { entityId: string }).entityId, 'supporting-families', 'menu commands get the entity id');
      const sections = kbRows(sf).map(([, i]) => `${labelOf(i)} ${String(i.description)}`);
      assert.deepEqual(sections, ['Facts 3', 'Names 3']);

      const [facts] = kbChild(sf, 'Facts');
      const [fact, factItem] = kbChild(facts, 'up to £1.085bn');
      assert.equal(factItem.description, 'programme funding made available · 2015-21');
      assert.equal(factItem.contextValue, 'policyFacts.fact');
      assert.match(tooltipOf(factItem), /line 156/);
      assert.equal(factItem.command?.command, 'vscode.open', 'a click opens the fact in its fact file');
      assert.equal(kb.getParent(fact), facts);
      assert.equal(kb.getParent(facts), sf);
      assert.equal(kb.getParent(sf), programmes);

      const [names] = kbChild(sf, 'Names');
      const nameRows = kbRows(names).map(([, i]) => `${labelOf(i)}: ${String(i.description)}`);
      assert.deepEqual(nameRows, ['Supporting Families programme: alias', 'Troubled Families Programme: former name, until 2021', 'Troubled Families: former name, until 2021']);

      const [asf] = kbChild(programmes, 'Adoption Support Fund');
      const [relations] = kbChild(asf, 'Relations');
      const [, raa] = kbChild(relations, 'Regional adoption agencies');
      assert.equal(raa.description, 'delivered by');
      assert.deepEqual(raa.command && [raa.command.command, ...(raa.command.arguments ?? [])], ['policyFacts.revealEntity', 'regional-adoption-agencies'], 'a click goes to the related entry');
      const [organisations] = kbChild(undefined, 'Organisations');
      const [raaNode] = kbChild(organisations, 'Regional adoption agencies');
      const [back] = kbChild(raaNode, 'Relations');
      assert.equal(kbChild(back, 'Adoption Support Fund')[1].description, 'delivers', 'incoming relations too');
    });

    it('lists sources and the entries that cite them', () => {
      const [sources] = kbChild(undefined, 'Sources');
      const [riverside, item] = kbChild(sources, 'Riverside Numeracy Pilot, first-year notes');
      assert.equal(item.description, 'Riverside Borough Council · 2024-09-01');
      assert.equal(item.contextValue, 'policyFacts.source');
      assert.deepEqual(kbRows(riverside).map(([, i]) => labelOf(i)), ['Riverside Numeracy Pilot']);
    });

    it('keeps fact-file text out of tooltips’ links and HTML', () => {
      const [programmes] = kbChild(undefined, 'Programmes');
      const [hub, item] = kbChild(programmes, 'Harbourside Youth Hub');
      assert.equal(kb.getTreeItem(hub).tooltip, undefined, 'made when the row is hovered');
      const tip = item.tooltip as vscode.MarkdownString;
      assert.ok(tip instanceof vscode.MarkdownString);
      assert.notEqual(tip.isTrusted, true);
      assert.notEqual(tip.supportHtml, true);
      // Every Markdown character from the fact file is escaped: no link, tag or autolink can start.
      const unescaped = (text: string, c: string) => new RegExp(`(^|[^\\\\])\\${c}`).test(text);
      for (const c of ['[', ']', '(', '<', '>', ':']) assert.ok(!unescaped(tip.value.split('\n\n')[1], c), `“${c}” escaped in ${tip.value}`);
      assert.ok(!/https:\/\//.test(tip.value), `no autolink: ${tip.value}`);
      assert.ok(tip.value.includes('click me'), 'the text itself is still shown');
      const [relations] = kbChild(hub, 'Relations');
      const relationTip = tooltipOf(kbRows(relations)[0][1]);
      assert.ok(relationTip.includes('\\<b\\>bold\\?\\<\\/b\\>'), relationTip);
      const [sources] = kbChild(undefined, 'Sources');
      const sourceTip = tooltipOf(kbRows(sources).find(([n]) => n.type === 'source' && n.sourceId === 'harbourside-hub-report')![1]);
      assert.ok(!/[^\\]\]\(/.test(sourceTip) && sourceTip.includes('\\[see\\]\\(command\\:'), sourceTip);
    });

    it('filters entries by name, acronym or former name, and clears the filter', async () => {
      const shown = await vscode.commands.executeCommand<string>('policyFacts.filterKnowledgeBase', 'troubled');
      assert.equal(shown, 'troubled');
      const roots = kbRows();
      assert.deepEqual(roots.map(([, i]) => labelOf(i)), ['Programmes']);
      assert.match(String(roots[0][1].description), /^1 of \d+$/);
      assert.equal(roots[0][1].collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
      assert.deepEqual(kbRows(roots[0][0]).map(([, i]) => labelOf(i)), ['Supporting Families']);
      assert.equal((api.trees.knowledgeBaseView as vscode.TreeView<KnowledgeNode>).description, 'filter: troubled');
      await vscode.commands.executeCommand('policyFacts.clearKnowledgeBaseFilter');
      assert.deepEqual(kbRows().map(([, i]) => labelOf(i)), ['Programmes', 'Organisations', 'Sources']);
    });

    it('reveals the entry under the cursor (and clears a filter that hides it)', async () => {
      await vscode.commands.executeCommand('policyFacts.filterKnowledgeBase', 'adoption');
      const editor = await vscode.window.showTextDocument(doc);
      const at = doc.positionAt(doc.getText().indexOf('Youth Endowment Fund') + 6);
      editor.selection = new vscode.Selection(at, at);
      const id = await vscode.commands.executeCommand<string>('policyFacts.revealEntity');
      assert.equal(id, 'youth-endowment-fund');
      const view = api.trees.knowledgeBaseView as vscode.TreeView<KnowledgeNode>;
      await waitFor(() => {
        const selected = view.selection[0];
        assert.equal(selected?.type === 'entity' ? selected.entityId : undefined, 'youth-endowment-fund');
        assert.equal(view.visible, true);
      });
      assert.equal(kb.filter, '', 'the filter that hid it is cleared');
    });

    it('reveals an entry by id, as a relation click does', async () => {
      const id = await vscode.commands.executeCommand<string>('policyFacts.revealEntity', 'regional-adoption-agencies');
      assert.equal(id, 'regional-adoption-agencies');
      const view = api.trees.knowledgeBaseView as vscode.TreeView<KnowledgeNode>;
      await waitFor(() => assert.equal((view.selection[0] as { entityId?: string } | undefined)?.entityId, 'regional-adoption-agencies'));
    });

    it('copies a citation of a fact, and opens a source without a web address at its entry', async () => {
      const [programmes] = kbChild(undefined, 'Programmes');
      const [sf] = kbChild(programmes, 'Supporting Families');
      const [facts] = kbChild(sf, 'Facts');
      const [fact] = kbChild(facts, '401,719 families');
      const text = await vscode.commands.executeCommand<string>('policyFacts.copyCitation', fact);
      assert.equal(
        text,
        'Supporting Families: 401,719 families (families who made sustained improvements with their problems, as of January 2021). ' +
          'Source: The Role of Public Services in Addressing Child Vulnerability. Department for Education, line 298.',
      );
      assert.equal(await vscode.env.clipboard.readText(), text);

      const opened = await vscode.commands.executeCommand<{ source: string; opened: string }>('policyFacts.openSource', 'riverside-pilot-notes');
      assert.equal(opened?.source, 'riverside-pilot-notes');
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor, 'an editor is open');
      assert.ok(editor.document.uri.path.endsWith('/.policy-facts/local.yaml'), editor.document.uri.path);
      assert.match(editor.document.lineAt(editor.selection.active.line).text, /riverside-pilot-notes/);
      await vscode.window.showTextDocument(doc);
    });
  });
});

function rangeLine(doc: vscode.TextDocument, needle: string): number {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0);
  return doc.positionAt(at).line;
}
