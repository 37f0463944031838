/**
 * Checking figures inside a real VS Code: diagnostics of an open draft (codes, severities,
 * ranges, related information, rule settings, suppression), the quick fixes (applied and
 * undone), the Check Figures commands and the status bar. Runs on a copy of
 * test/fixtures/workspace; the drafts are drafts/checking-*.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DraftCheck, WorkspaceCheck } from '../../src/extension/commands';
import { EDIT_DEBOUNCE_MS, type FigureDiagnostics } from '../../src/extension/diagnostics';
import { EXTENSION_ID, type PolicyFactsApi } from '../../src/extension/deps';
import type { StatusBarState } from '../../src/extension/statusBar';
import { waitFor } from './index';
import { watchPublishes } from './workspace';

const fixture = (...parts: string[]): vscode.Uri => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
};

/** The range of the `nth` occurrence (0-based) of `needle` in `doc`. */
function rangeOf(doc: vscode.TextDocument, needle: string, nth = 0): vscode.Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = doc.getText().indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (#${i + 1}) is in ${doc.uri.path}`);
  }
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

const ours = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Policy Facts');
const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);
const at = (d: vscode.Diagnostic): string => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
const list = (ds: readonly vscode.Diagnostic[]): string => ds.map((d) => `${codeOf(d)}@${at(d)}`).join(', ');

/**
 * The quick fixes offered for a range (every range asked about has at least one). As a user
 * does, on a draft whose findings are shown; and asked again if none come: the first request
 * right after a draft opens sometimes gets none back from VS Code.
 */
async function quickFixes(doc: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
  await waitFor(() => assert.ok(ours(doc.uri).length, 'the draft is checked'));
  return waitFor(async () => {
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', doc.uri, range, vscode.CodeActionKind.QuickFix.value);
    const fixes = (actions ?? []).filter((a): a is vscode.CodeAction => 'title' in a && 'kind' in a && !!a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind));
    assert.ok(fixes.length, 'quick fixes offered');
    return fixes;
  });
}

/** Applies an action's edit, returns the text, then undoes it and checks the text is back. */
async function applyAndUndo(editor: vscode.TextEditor, action: vscode.CodeAction): Promise<string> {
  const doc = editor.document;
  const before = doc.getText();
  assert.ok(action.edit, `“${action.title}” has an edit`);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
  const after = doc.getText();
  await undo(editor, before);
  return after;
}

async function undo(editor: vscode.TextEditor, expected: string): Promise<void> {
  await vscode.window.showTextDocument(editor.document, { preview: false, preserveFocus: false });
  await vscode.commands.executeCommand('undo');
  await waitFor(() => assert.equal(editor.document.getText(), expected, 'undo restores the draft'));
}

describe('checking figures', () => {
  let api: PolicyFactsApi;
  let doc: vscode.TextDocument;
  let editor: vscode.TextEditor;
  let original: string;

  before(async () => {
    const ext = vscode.extensions.getExtension<PolicyFactsApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    await api.ready;
    doc = await vscode.workspace.openTextDocument(fixture('drafts', 'checking-briefing.md'));
    editor = await vscode.window.showTextDocument(doc, { preview: false });
    original = doc.getText();
  });

  beforeEach(async () => {
    editor = await vscode.window.showTextDocument(doc, { preview: false });
    assert.equal(doc.getText(), original, 'each test starts from the fixture text');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('policyFacts').update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('reports a wrong figure, a misattributed figure and a former name in the Problems panel, with code, source, severity and range', async () => {
    const diags = await waitFor(() => {
      const d = ours(doc.uri);
      assert.ok(d.some((x) => codeOf(x) === 'name.former'), list(d));
      return d;
    });
    const find = (code: string, text: string, nth = 0) => {
      const r = rangeOf(doc, text, nth);
      const d = diags.find((x) => codeOf(x) === code && x.range.isEqual(r));
      assert.ok(d, `${code} at “${text}” ${at({ range: r } as vscode.Diagnostic)}; got ${list(diags)}`);
      return d;
    };
    const wrong = find('figure.mismatch', '£250m');
    assert.equal(wrong.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(wrong.message, /£250m does not match what is recorded for Youth Endowment Fund: £200m/);
    const misattributed = find('figure.misattributed', '£200m');
    assert.equal(misattributed.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(misattributed.message, /is recorded for .*Youth Endowment Fund, not for Violence Reduction Units/);
    const former = find('name.former', 'Troubled Families Programme');
    assert.equal(former.severity, vscode.DiagnosticSeverity.Information);
    assert.match(former.message, /Supporting Families/);
    assert.equal(former.tags, undefined, 'no tags');

    // Right and correctly rounded figures are not problems (their rules are off by default).
    for (const ok of ['over £185m', 'up to £1.1bn', '401,719 families']) {
      const r = rangeOf(doc, ok);
      assert.ok(!diags.some((d) => d.range.intersection(r)), `no diagnostic on “${ok}”: ${list(diags)}`);
    }
  });

  it('links each diagnostic to the recorded figures in the fact files', async () => {
    const diags = await waitFor(() => {
      const d = ours(doc.uri).filter((x) => codeOf(x) === 'figure.mismatch');
      assert.equal(d.length, 1, list(ours(doc.uri)));
      return d;
    });
    const related = diags[0].relatedInformation ?? [];
    assert.ok(related.length >= 1, 'related information');
    assert.match(related[0].message, /^Recorded: £200m: endowment funding/);
    const factFile = await vscode.workspace.openTextDocument(related[0].location.uri);
    assert.match(factFile.lineAt(related[0].location.range.start.line).text, /£200m/, 'points at the fact’s line');

    const misattributed = ours(doc.uri).find((x) => codeOf(x) === 'figure.misattributed');
    assert.ok(misattributed?.relatedInformation?.some((r) => /^Recorded for Youth Endowment Fund: £200m/.test(r.message)), JSON.stringify(misattributed?.relatedInformation?.map((r) => r.message)));
    const former = ours(doc.uri).find((x) => codeOf(x) === 'name.former');
    assert.equal(former?.relatedInformation?.[0]?.message, 'Current name: Supporting Families');
  });

  it('honours a policy-facts-ignore comment: the finding is kept with its reason but not reported', async () => {
    const result = api.analysis.get(doc);
    assert.ok(result);
    const r = rangeOf(doc, '£190m');
    const finding = result.findings.find((f) => doc.positionAt(f.start).isEqual(r.start));
    assert.equal(finding?.suppressed, 'figure from the 2022 press release, being confirmed with the team');
    await waitFor(() => assert.ok(ours(doc.uri).length > 0));
    assert.ok(!ours(doc.uri).some((d) => d.range.intersection(r)), 'no diagnostic on the suppressed figure');

    const notes = await vscode.workspace.openTextDocument(fixture('drafts', 'checking-notes.txt'));
    const diags = await waitFor(() => {
      const d = ours(notes.uri);
      assert.ok(d.length > 0);
      return d;
    });
    assert.ok(diags.some((d) => codeOf(d) === 'figure.mismatch' && d.range.isEqual(rangeOf(notes, '£250m'))), list(diags));
    assert.ok(!diags.some((d) => d.range.intersection(rangeOf(notes, '£210m'))), `[policy-facts-ignore: …] in plain text: ${list(diags)}`);
  });

  it('follows policyFacts.rules: another severity, or no diagnostic for a rule that is off', async () => {
    const config = vscode.workspace.getConfiguration('policyFacts');
    await config.update('rules', { 'figure.mismatch': 'error', 'name.former': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(() => {
        const d = ours(doc.uri);
        assert.equal(d.find((x) => codeOf(x) === 'figure.mismatch')?.severity, vscode.DiagnosticSeverity.Error, list(d));
        assert.ok(!d.some((x) => codeOf(x) === 'name.former'), list(d));
      });
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(() => assert.ok(ours(doc.uri).some((x) => codeOf(x) === 'name.former')));
  });

  it('checks again as the draft is edited, and drops results when it is closed or no longer checked', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, rangeOf(doc, '£250m'), '£200m');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor(() => assert.ok(!ours(doc.uri).some((d) => codeOf(d) === 'figure.mismatch'), list(ours(doc.uri))));
    await undo(editor, original);
    await waitFor(() => assert.ok(ours(doc.uri).some((d) => codeOf(d) === 'figure.mismatch')));

    // Switching the language closes the document and opens it again as YAML: no results.
    const other = await vscode.workspace.openTextDocument(fixture('drafts', 'checking-notes.txt'));
    await waitFor(() => assert.ok(ours(other.uri).length > 0));
    const asYaml = await vscode.languages.setTextDocumentLanguage(other, 'yaml');
    await waitFor(() => assert.equal(ours(asYaml.uri).length, 0, list(ours(asYaml.uri))));
    const back = await vscode.languages.setTextDocumentLanguage(asYaml, 'plaintext');
    await waitFor(() => assert.ok(ours(back.uri).length > 0));
  });

  it('publishes the diagnostics again only when an edit changes or touches them: text added below them or a word on a line without one, no; a line cut and pasted back, or one added above, yes', async () => {
    const diagnostics = api.features.diagnostics as FigureDiagnostics;
    const before = await waitFor(() => {
      const ds = ours(doc.uri);
      assert.ok(ds.some((d) => codeOf(d) === 'figure.mismatch'), list(ds));
      return ds;
    });
    // What the extension sends VS Code for this draft.
    let published = 0;
    const watch = watchPublishes(diagnostics.collection, (uri) => {
      if (uri.toString() === doc.uri.toString()) published++;
    });
    // Long enough for the check as you type, after its pause, to have published too.
    const quiet = () => new Promise((resolve) => setTimeout(resolve, EDIT_DEBOUNCE_MS + 700));
    try {
      // Text added after every finding: each diagnostic is what it was, so nothing is sent again.
      const end = doc.positionAt(original.length);
      const below = new vscode.WorkspaceEdit();
      below.insert(doc.uri, end, '\nOfficials met partners to agree a timetable.\n');
      assert.ok(await vscode.workspace.applyEdit(below));
      diagnostics.check(doc);
      // A word typed on a line without a finding, above some: nothing moves, nothing is sent again.
      const heading = rangeOf(doc, '## Early help').end;
      const typed = new vscode.WorkspaceEdit();
      typed.insert(doc.uri, heading, ' and prevention');
      assert.ok(await vscode.workspace.applyEdit(typed));
      const added = doc.getText();
      diagnostics.check(doc);
      await quiet();
      assert.equal(published, 0, 'unchanged diagnostics are not published again');
      assert.equal(list(ours(doc.uri)), list(before));

      // The line of a finding cut and pasted back: the same diagnostics, but the window's squiggles
      // shrank and moved with the cut, so they are published again.
      const line = rangeOf(doc, '£250m').start.line;
      const whole = new vscode.Range(line, 0, line + 1, 0);
      const cut = doc.getText(whole);
      const remove = new vscode.WorkspaceEdit();
      remove.delete(doc.uri, whole);
      assert.ok(await vscode.workspace.applyEdit(remove));
      const back = new vscode.WorkspaceEdit();
      back.insert(doc.uri, new vscode.Position(line, 0), cut);
      assert.ok(await vscode.workspace.applyEdit(back));
      assert.equal(doc.getText(), added);
      diagnostics.check(doc);
      await waitFor(() => assert.ok(published >= 1, 'published again after an edit touched them'));
      const touched = published;
      assert.equal(list(ours(doc.uri)), list(before));

      // A line added above them: every diagnostic moves down one line, and that is published.
      const above = new vscode.WorkspaceEdit();
      above.insert(doc.uri, new vscode.Position(0, 0), 'Draft.\n');
      assert.ok(await vscode.workspace.applyEdit(above));
      diagnostics.check(doc);
      await waitFor(() => assert.ok(published > touched, 'moved diagnostics are published'));
      const moved = ours(doc.uri);
      assert.deepEqual(
        moved.map((d) => `${codeOf(d)}@${d.range.start.line}`),
        before.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`),
      );
    } finally {
      watch.dispose();
      const restore = new vscode.WorkspaceEdit();
      restore.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      await vscode.workspace.applyEdit(restore);
      await doc.save();
    }
  });

  it('with checkOn "save", checks when the draft is saved, not as it is typed', async () => {
    const config = vscode.workspace.getConfiguration('policyFacts');
    await config.update('checkOn', 'save', vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(() => assert.ok(ours(doc.uri).some((d) => codeOf(d) === 'figure.mismatch')));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, rangeOf(doc, '£250m'), '£200m');
      assert.ok(await vscode.workspace.applyEdit(edit));
      // The sidebar follows the text after the same pause the diagnostics would wait for.
      const draft = api.trees.draft as vscode.TreeDataProvider<{ type: string }>;
      await waitFor(async () => {
        const [figures] = (await draft.getChildren()) ?? [];
        const labels = ((await draft.getChildren(figures)) ?? []).map((n) => String((draft.getTreeItem(n) as vscode.TreeItem).label));
        assert.ok(!labels.includes('£250m'), labels.join(', '));
      });
      assert.ok(ours(doc.uri).some((d) => codeOf(d) === 'figure.mismatch'), 'typing does not re-check');
      assert.ok(await doc.save());
      await waitFor(() => assert.ok(!ours(doc.uri).some((d) => codeOf(d) === 'figure.mismatch'), list(ours(doc.uri))));
    } finally {
      await undo(editor, original);
      await doc.save();
      await config.update('checkOn', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(() => assert.ok(ours(doc.uri).some((d) => codeOf(d) === 'figure.mismatch')));
  });

  it('quick fix: replaces a wrong figure with each recorded one (the first preferred); undo reverts it', async () => {
    const range = rangeOf(doc, '£250m');
    const fixes = (await quickFixes(doc, range)).filter((a) => a.title.startsWith('Use the recorded figure'));
    assert.ok(fixes.length >= 1, 'one action per recorded figure');
    assert.equal(fixes[0].title, 'Use the recorded figure “£200m” (endowment funding, over ten years)');
    assert.equal(fixes[0].isPreferred, true);
    assert.ok(fixes.slice(1).every((a) => !a.isPreferred));
    const text = await applyAndUndo(editor, fixes[0]);
    assert.ok(text.includes('The Youth Endowment Fund is a £200m endowment'), text);
  });

  it('flags a figure quoted for another year than it is recorded for; quick fixes put in the figure of that year, or the year of the figure', async () => {
    const draft = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: 'checking-period.md' }));
    const shown = await vscode.window.showTextDocument(draft, { preview: false });
    try {
      assert.ok(await shown.edit((b) => b.insert(new vscode.Position(0, 0), 'Core school funding increased by £4.8bn in 2020-21.\n')));
      const diagnostic = await waitFor(() => {
        const d = ours(draft.uri).find((x) => codeOf(x) === 'figure.period');
        assert.ok(d, 'a figure.period diagnostic');
        return d;
      });
      assert.equal(draft.getText(diagnostic.range), '£4.8bn');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(diagnostic.message, /^£4\.8bn is recorded for Core school funding for 2021-22, not 2020-21\. For 2020-21 the facts record £2\.6bn/);
      const fixes = await quickFixes(draft, diagnostic.range);
      const fix = fixes.find((a) => a.title.startsWith('Use the recorded figure'));
      assert.equal(fix?.title, 'Use the recorded figure “£2.6bn” (increase on 2019-20, 2020-21)');
      assert.equal(fix?.isPreferred, true);
      // Or the figure is right and the year is not.
      const year = fixes.find((a) => a.title.startsWith('Use the recorded year'));
      assert.equal(year?.title, 'Use the recorded year “2021-22” instead of “2020-21”');
      assert.ok(year?.edit && (await vscode.workspace.applyEdit(year.edit)));
      assert.equal(draft.getText(), 'Core school funding increased by £4.8bn in 2021-22.\n');
      await waitFor(() => assert.deepEqual(ours(draft.uri).map(codeOf), []));
      await vscode.commands.executeCommand('undo');
      await waitFor(() => assert.ok(ours(draft.uri).some((x) => codeOf(x) === 'figure.period')));
      assert.ok(fix?.edit && (await vscode.workspace.applyEdit(fix.edit)));
      assert.equal(draft.getText(), 'Core school funding increased by £2.6bn in 2020-21.\n');
      // Now right for its year: nothing to report.
      await waitFor(() => assert.deepEqual(ours(draft.uri).map(codeOf), []));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('quick fix: uses the entity’s own figure for a misattributed one', async () => {
    const fixes = (await quickFixes(doc, rangeOf(doc, '£200m'))).filter((a) => a.title.startsWith('Use the recorded figure'));
    assert.equal(fixes[0]?.title, 'Use the recorded figure “£105.5m” (investment in the units, over three years)');
    const text = await applyAndUndo(editor, fixes[0]);
    assert.ok(text.includes('Violence Reduction Units have received £105.5m over three years.'), text);
  });

  it('quick fix: replaces a former name with the current one', async () => {
    const fixes = (await quickFixes(doc, rangeOf(doc, 'Troubled Families Programme'))).filter((a) => a.title.startsWith('Use the current name'));
    assert.equal(fixes[0]?.title, 'Use the current name “Supporting Families”');
    assert.equal(fixes[0].isPreferred, true);
    const text = await applyAndUndo(editor, fixes[0]);
    assert.ok(text.includes('The Supporting Families made up to £1.1bn available'), text);
  });

  it('quick fix: cites the source after a checked figure', async () => {
    const cursor = rangeOf(doc, 'over £185m').start.translate(0, 6);
    const fixes = (await quickFixes(doc, new vscode.Range(cursor, cursor))).filter((a) => a.title.startsWith('Cite the source'));
    assert.equal(fixes.length, 1);
    const text = await applyAndUndo(editor, fixes[0]);
    assert.ok(text.includes('has made over £185m (Source: The Role of Public Services in Addressing Child Vulnerability, line 152) available since 2015'), text);
    // Not offered on a wrong figure.
    assert.equal((await quickFixes(doc, rangeOf(doc, '£250m'))).filter((a) => a.title.startsWith('Cite')).length, 0);
  });

  it('quick fix: suppresses a finding with a reason written into the draft', async () => {
    const fix = (await quickFixes(doc, rangeOf(doc, '£250m'))).find((a) => a.title.startsWith('Suppress'));
    assert.ok(fix?.command, 'a suppress action that asks for a reason');
    assert.equal(fix.command.command, 'policyFacts.suppressFinding');
    const done = await vscode.commands.executeCommand<boolean>(fix.command.command, ...(fix.command.arguments ?? []), 'the minister’s office confirmed £250m');
    assert.equal(done, true);
    const line = rangeOf(doc, 'The Youth Endowment Fund is a £250m').start.line;
    assert.equal(doc.lineAt(line - 1).text, '<!-- policy-facts-ignore: the minister’s office confirmed £250m -->', 'comment on its own line above');
    await waitFor(() => assert.ok(!ours(doc.uri).some((d) => codeOf(d) === 'figure.mismatch'), list(ours(doc.uri))));
    assert.equal(api.analysis.get(doc)?.findings.find((f) => f.text === '£250m')?.suppressed, 'the minister’s office confirmed £250m');
    await undo(editor, original);
  });

  it('Check Figures summarises the active draft and fills the Problems panel', async () => {
    const result = await vscode.commands.executeCommand<DraftCheck>('policyFacts.checkFigures');
    assert.ok(result, 'returns the summary');
    assert.equal(result.tally.mismatch, 1);
    assert.equal(result.tally.misattributed, 1);
    assert.equal(result.tally.rounded, 1);
    assert.equal(result.tally.formerNames, 1);
    assert.equal(result.tally.suppressed, 1);
    assert.ok(result.tally.verified >= 2, JSON.stringify(result.tally));
    assert.match(result.message, /^Checked \d+ figures in drafts\/checking-briefing\.md: \d+ ✓ \(\d+ verified, 1 rounded\), 1 ✗ wrong, 1 misattributed.*; 1 former name; 1 suppressed\.$/);
    assert.ok(ours(doc.uri).some((d) => codeOf(d) === 'figure.mismatch'));
  });

  it('Check Figures in Workspace checks every draft, also those that are not open, and says how many', async () => {
    const unopened = fixture('drafts', 'checking-unopened.md');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === unopened.toString()), 'the file is not open');
    const result = await vscode.commands.executeCommand<WorkspaceCheck>('policyFacts.checkWorkspace');
    assert.ok(result);
    assert.ok(result.files >= 4, `files checked: ${result.files}`);
    assert.equal(result.cancelled, false);
    assert.equal(result.truncated, false);
    assert.match(result.message, /^Checked \d+ figures in \d+ files: /);
    const diags = ours(unopened);
    assert.equal(diags.length, 1, list(diags));
    assert.equal(codeOf(diags[0]), 'figure.mismatch');
    assert.equal(at(diags[0]), '2:32-2:39', 'on “£80,000” in the file');
    assert.match(diags[0].message, /Harbourside Youth Hub/);
  });

  it('shows the active draft’s figures in the status bar', async () => {
    await vscode.window.showTextDocument(doc);
    const state = await waitFor(() => {
      const s = (api.features.statusBar as { state: StatusBarState }).state;
      assert.equal(s.visible, true);
      assert.match(s.text, /^\$\(warning\) Figures: \d+ ✓ 2 ✗$/);
      return s;
    });
    assert.match(state.tooltip, /1 ✗ wrong, 1 misattributed/);
    const yaml = await vscode.workspace.openTextDocument(fixture('.policy-facts', 'checking.yaml'));
    await vscode.window.showTextDocument(yaml);
    await waitFor(() => assert.equal((api.features.statusBar as { state: StatusBarState }).state.visible, false, 'hidden for a fact file'));
    await vscode.window.showTextDocument(doc);
  });
});
