/** Hover cards in VS Code for the web, on a fixture draft and on an untitled Markdown document. */
import * as vscode from 'vscode';
import * as assert from './assert';
import { activeApi, at, fixture, hoverText } from './workspace';

describe('VS Code for the web: hover', () => {
  before(async () => {
    await activeApi();
  });

  it('shows the card of the programme on “Supporting Families” in a Markdown draft', async () => {
    const doc = await vscode.workspace.openTextDocument(fixture('drafts', 'navigation-briefing.md'));
    assert.equal(doc.languageId, 'markdown');
    const md = await hoverText(doc, at(doc, 'Supporting Families'));
    assert.match(md, /\*\*Supporting Families\*\*[^\n]* — \*programme/, 'the card names the programme');
    assert.match(md, /401,719 families/, 'with its key figures');
    assert.ok(md.includes('(command:policyFacts.goToEntity?'), 'and a link to its fact-file entry');
  });

  it('shows a card in an untitled Markdown document, and none on other words', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'Supporting Families met on a Tuesday.\n' });
    assert.equal(doc.uri.scheme, 'untitled');
    assert.match(await hoverText(doc, at(doc, 'Supporting')), /\*\*Supporting Families\*\*/);
    assert.ok(!/— \*(programme|organisation)/.test(await hoverText(doc, at(doc, 'Tuesday'))), 'no card on a word that names nothing');
  });
});
