/**
 * Navigation inside a real VS Code: hover cards on mentions and figures, go to definition
 * (drafts → fact files, and ids inside fact files), references across open and unopened
 * drafts, workspace symbols, semantic tokens, the navigation commands, and a fact file that
 * tries to smuggle links, images, HTML and commands into a hover.
 * Runs on a copy of test/fixtures/workspace (drafts/navigation-*, .policy-facts/*.yaml).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { HOVER_COMMAND_IDS } from '../../src/core';
import { EXTENSION_ID, type PolicyFactsApi } from '../../src/extension/deps';
import { waitFor } from './index';
import { folder, fixture } from './workspace';


async function open(...parts: string[]): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fixture(...parts));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** The position `inside` characters into the first occurrence of `needle` (default: its middle). */
function at(doc: vscode.TextDocument, needle: string, inside?: number): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `"${needle}" is in ${doc.uri.path}`);
  return doc.positionAt(i + (inside ?? Math.floor(needle.length / 2)));
}

function rangeOf(doc: vscode.TextDocument, needle: string, from = 0): vscode.Range {
  const i = doc.getText().indexOf(needle, from);
  assert.ok(i >= 0, `"${needle}" is in ${doc.uri.path}`);
  return new vscode.Range(doc.positionAt(i), doc.positionAt(i + needle.length));
}

const fmt = (r: vscode.Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

function markdownOf(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n\n---\n\n');
}

async function hoverAt(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
}

/** Our hovers only (other extensions may add their own to a Markdown file). */
async function cardAt(doc: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const md = markdownOf(await hoverAt(doc, position));
  return md;
}

type AnyLocation = vscode.Location | vscode.LocationLink;
const uriOf = (l: AnyLocation): vscode.Uri => ('targetUri' in l ? l.targetUri : l.uri);
const rangeOfLocation = (l: AnyLocation): vscode.Range => ('targetUri' in l ? (l.targetSelectionRange ?? l.targetRange) : l.range);

async function definitionAt(doc: vscode.TextDocument, position: vscode.Position): Promise<AnyLocation[]> {
  return (await vscode.commands.executeCommand<AnyLocation[]>('vscode.executeDefinitionProvider', doc.uri, position)) ?? [];
}

async function referencesAt(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Location[]> {
  return (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, position)) ?? [];
}

/** Decoded semantic tokens: one entry per token with its type and modifiers. */
interface Token {
  readonly range: vscode.Range;
  readonly type: string;
  readonly modifiers: string[];
}

async function tokensOf(doc: vscode.TextDocument): Promise<Token[]> {
  const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri);
  const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri);
  assert.ok(legend && tokens, 'semantic tokens are provided');
  const out: Token[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [dLine, dChar, length, type, mods] = tokens.data.slice(i, i + 5);
    line += dLine;
    char = dLine ? dChar : char + dChar;
    out.push({
      range: new vscode.Range(line, char, line, char + length),
      type: legend.tokenTypes[type],
      modifiers: legend.tokenModifiers.filter((_, bit) => mods & (1 << bit)),
    });
  }
  return out;
}

describe('navigation', () => {
  let api: PolicyFactsApi;
  let briefing: vscode.TextDocument;

  before(async () => {
    const ext = vscode.extensions.getExtension<PolicyFactsApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    api = await ext.activate();
    await api.ready;
    await waitFor(() => assert.ok(api.knowledge.kb.get('lantern-grant'), `the workspace fact files are loaded: ${JSON.stringify(api.knowledge.status().files.map((f) => f.label))}`), { timeoutMs: 30_000 });
    briefing = await open('drafts', 'navigation-briefing.md');
  });

  describe('hover', () => {
    it('shows the entity card on an acronym, with links to definition, sidebar and mentions', async () => {
      const md = await cardAt(briefing, at(briefing, 'DfE'));
      assert.match(md, /\*\*Department for Education\*\* \(DfE\)/);
      assert.match(md, /government department/);
      const args = encodeURIComponent(JSON.stringify(['department-for-education']));
      assert.ok(md.includes(`(command:policyFacts.goToEntity?${args}`), md);
      assert.ok(md.includes(`(command:policyFacts.revealEntity?${args}`), md);
      assert.ok(md.includes(`(command:policyFacts.findMentions?${args}`), md);
    });

    it('covers the whole mention with the hover range', async () => {
      const hovers = await hoverAt(briefing, at(briefing, 'Riverside Numeracy Pilot', 3));
      const ours = hovers.find((h) => markdownOf([h]).includes('Riverside Numeracy Pilot'));
      assert.ok(ours?.range, 'our hover has a range');
      assert.equal(fmt(ours.range), fmt(rangeOf(briefing, 'Riverside Numeracy Pilot')));
    });

    it('says a former name is out of date and what it is called now', async () => {
      const md = await cardAt(briefing, at(briefing, 'Troubled Families Programme'));
      assert.match(md, /“Troubled Families Programme” is a former name: now called \*\*Supporting Families\*\* since 2021/);
      assert.match(md, /Key figures/);
      assert.match(md, /401,719 families/);
    });

    it('matches a name written with a curly apostrophe (Barnardo’s)', async () => {
      const md = await cardAt(briefing, at(briefing, 'Barnardo’s', 3));
      assert.match(md, /\*\*Barnardo's\*\*/);
      assert.match(md, /\*\*Member of:\*\* \[VCSE strategic partnership\]\(command:policyFacts\.showEntity\?/);
    });

    it('shows the key figures of an entity from the workspace fact file with their source', async () => {
      const md = await cardAt(briefing, at(briefing, 'RNP'));
      assert.match(md, /\*\*Riverside Numeracy Pilot\*\* \(RNP\) — \*programme · pilot\*/);
      assert.match(md, /\| \*\*1,250 pupils\*\* \| pupils taking part in the first year \\\(pupils\\\) \| 2023\\-24 \| Riverside Numeracy Pilot, first\\-year notes, 2 \|/);
      assert.match(md, /From your fact files/);
    });

    it('shows the verdict on a figure and what it was compared with', async () => {
      const md = await cardAt(briefing, at(briefing, '1,250 pupils'));
      assert.match(md, /\*\*✓ Verified\*\*: “1,250 pupils” — \[Riverside Numeracy Pilot\]\(command:policyFacts\.showEntity\?/);
      assert.match(md, /\| \*\*1,250 pupils\*\* \| pupils taking part in the first year \| 2023\\-24 \|/);
    });

    it('allows only our navigation commands and no HTML', async () => {
      const hovers = await hoverAt(briefing, at(briefing, 'DfE'));
      const contents = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString && c.value.includes('Department for Education'));
      assert.ok(contents.length > 0);
      for (const c of contents) {
        assert.notEqual(c.supportHtml, true);
        if (typeof c.isTrusted === 'object') assert.deepEqual([...c.isTrusted.enabledCommands].sort(), [...HOVER_COMMAND_IDS].sort());
        else assert.notEqual(c.isTrusted, true, 'not trusted for every command');
      }
    });

    it('goes quiet when policyFacts.hover.enable is off', async () => {
      const config = vscode.workspace.getConfiguration('policyFacts');
      await config.update('hover.enable', false, vscode.ConfigurationTarget.Workspace);
      try {
        await waitFor(async () => assert.ok(!(await cardAt(briefing, at(briefing, 'DfE'))).includes('Department for Education')));
      } finally {
        await config.update('hover.enable', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await waitFor(async () => assert.ok((await cardAt(briefing, at(briefing, 'DfE'))).includes('Department for Education')));
    });
  });

  describe('a fact file that tries to inject Markdown', () => {
    let md: string;
    let malicious: vscode.TextDocument;

    before(async () => {
      malicious = await vscode.workspace.openTextDocument(fixture('.policy-facts', 'malicious.yaml'));
      md = await cardAt(briefing, at(briefing, 'Lantern Grant'));
      assert.match(md, /Lantern Grant/, 'the card is shown');
    });

    it('shows no link, image, HTML or command from the fact file', () => {
      assert.ok(!md.includes('command:workbench'), md);
      assert.ok(!/javascript:/i.test(md), md);
      assert.ok(!md.includes('<'), md);
      assert.ok(!md.includes('](http://tracker'), md);
      assert.ok(!md.includes('!['), md);
      // Every link left is one of ours.
      for (const m of md.matchAll(/(?<!\\)\]\(([^)\s]*)/g)) {
        assert.match(m[1], /^command:policyFacts\.(showEntity|goToEntity|revealEntity|findMentions)\?|^https:\/\/example\.org\/lantern-briefing$/, m[1]);
      }
    });

    it('still shows the text as written, escaped', () => {
      assert.ok(md.includes('\\[x\\]\\(command&#58;workbench\\.action\\.quit\\)'), md);
      assert.ok(md.includes('&lt;img src\\=x onerror\\=alert\\(1\\)&gt;'), md);
    });

    it('leaves a hover on the fact file itself just as safe', async () => {
      const doc = await vscode.window.showTextDocument(malicious);
      const card = await cardAt(doc.document, at(doc.document, 'name: Lantern Grant', 8));
      assert.match(card, /\*\*Lantern Grant\*\*/);
      assert.ok(!card.includes('command:workbench') && !card.includes('<'), card);
      await vscode.window.showTextDocument(briefing);
    });
  });

  describe('go to definition', () => {
    it('leads from a mention to the name in the workspace fact file', async () => {
      const [loc, ...rest] = await definitionAt(briefing, at(briefing, 'RNP'));
      assert.equal(rest.length, 0);
      assert.ok(uriOf(loc).path.endsWith('/.policy-facts/local.yaml'), uriOf(loc).toString());
      const facts = await vscode.workspace.openTextDocument(uriOf(loc));
      assert.equal(fmt(rangeOfLocation(loc)), fmt(rangeOf(facts, 'Riverside Numeracy Pilot', facts.getText().indexOf('name:'))));
    });

    it('leads from a mention to the bundled facts', async () => {
      const [loc] = await definitionAt(briefing, at(briefing, 'Department for Education'));
      assert.ok(loc, 'a definition');
      assert.ok(uriOf(loc).path.endsWith('/seeds/organisations.yaml'), uriOf(loc).toString());
      const seeds = await vscode.workspace.openTextDocument(uriOf(loc));
      assert.equal(seeds.getText(rangeOfLocation(loc)), 'Department for Education');
    });

    it('leads from a former name to the current entry', async () => {
      const [loc] = await definitionAt(briefing, at(briefing, 'Troubled Families Programme'));
      const doc = await vscode.workspace.openTextDocument(uriOf(loc));
      assert.equal(doc.getText(rangeOfLocation(loc)), 'Supporting Families');
    });

    it('leads from target: and source: ids in a fact file to their entries', async () => {
      const facts = await vscode.workspace.openTextDocument(fixture('.policy-facts', 'malicious.yaml'));
      const [entity] = await definitionAt(facts, at(facts, 'target: department-for-education', 12));
      assert.ok(entity && uriOf(entity).path.endsWith('/seeds/organisations.yaml'));
      const [source] = await definitionAt(facts, at(facts, 'source: lantern-source', 10));
      assert.ok(source, 'the source id has a definition');
      assert.equal(uriOf(source).toString(), facts.uri.toString());
      assert.equal(rangeOfLocation(source).start.line, rangeOf(facts, 'id: lantern-source').start.line);
    });

    it('has nothing to offer on ordinary words', async () => {
      assert.equal((await definitionAt(briefing, at(briefing, 'reading projects'))).length, 0);
    });
  });

  describe('references', () => {
    it('finds every mention, open or not, under any of its names', async () => {
      const refs = await referencesAt(briefing, at(briefing, 'Supporting Families'));
      const here = refs.filter((r) => r.uri.toString() === briefing.uri.toString()).map((r) => briefing.getText(r.range));
      assert.ok(here.includes('Supporting Families'), JSON.stringify(here));
      assert.ok(here.includes('Troubled Families Programme'), JSON.stringify(here));
      const notes = refs.filter((r) => r.uri.path.endsWith('/drafts/navigation-notes.txt'));
      assert.equal(notes.length, 2, 'both mentions in the unopened plain-text notes');
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(notes[0].uri));
      const lines = text.split(/\r?\n/);
      const written = notes.map((r) => lines[r.range.start.line].slice(r.range.start.character, r.range.end.character)).sort();
      assert.deepEqual(written, ['Supporting Families', 'Troubled Families']);
    });

    it('finds the mentions of an entry from the fact file itself', async () => {
      const facts = await vscode.workspace.openTextDocument(fixture('.policy-facts', 'local.yaml'));
      const refs = await referencesAt(facts, at(facts, 'name: Riverside Numeracy Pilot', 10));
      const files = new Set(refs.map((r) => r.uri.path.split('/').pop()));
      assert.ok(files.has('navigation-briefing.md'), [...files].join(', '));
      assert.ok(files.has('knowledge-draft.md'), [...files].join(', '));
      const inBriefing = refs.filter((r) => r.uri.toString() === briefing.uri.toString()).map((r) => briefing.getText(r.range)).sort();
      assert.deepEqual(inBriefing, ['RNP', 'Riverside Numeracy Pilot']);
    });

    it('searches no more unopened drafts than policyFacts.references.maxFiles allows', async () => {
      const config = vscode.workspace.getConfiguration('policyFacts');
      await config.update('references.maxFiles', 0, vscode.ConfigurationTarget.Workspace);
      try {
        await waitFor(() => assert.equal(api.settings.referencesMaxFiles(), 0));
        const refs = await referencesAt(briefing, at(briefing, 'Supporting Families'));
        assert.ok(refs.some((r) => r.uri.toString() === briefing.uri.toString()), 'open drafts are still searched');
        assert.ok(!refs.some((r) => r.uri.path.endsWith('/drafts/navigation-notes.txt')), 'unopened drafts are not read');
      } finally {
        await config.update('references.maxFiles', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    it('runs from the Find Mentions command with an entity id', async () => {
      const locations = await vscode.commands.executeCommand<vscode.Location[]>('policyFacts.findMentions', 'barnardos');
      assert.ok(locations?.some((l) => l.uri.toString() === briefing.uri.toString()), JSON.stringify(locations));
      await vscode.commands.executeCommand('closeReferenceSearch');
    });
  });

  describe('commands', () => {
    it('goes to an entry by id', async () => {
      await vscode.commands.executeCommand('policyFacts.goToEntity', 'riverside-numeracy-pilot');
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor, 'an editor is open');
      assert.ok(editor.document.uri.path.endsWith('/.policy-facts/local.yaml'), editor.document.uri.toString());
      assert.equal(editor.document.getText(editor.selection), 'Riverside Numeracy Pilot');
    });

    it('shows an entity where it is written', async () => {
      await vscode.commands.executeCommand('policyFacts.showEntity', 'supporting-families');
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor, 'an editor is open');
      assert.ok(editor.document.uri.path.endsWith('/seeds/psc0045-dfe-evidence.yaml'), editor.document.uri.toString());
      assert.equal(editor.document.getText(editor.selection), 'Supporting Families');
      // The card is what a hover there shows.
      const md = await cardAt(editor.document, editor.selection.active);
      assert.match(md, /\*\*Supporting Families\*\*/);
      await vscode.window.showTextDocument(briefing);
    });
  });

  describe('workspace symbols', () => {
    const symbols = async (query: string) =>
      (await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', query)) ?? [];

    it('finds an entity by its acronym, at its name in the fact file', async () => {
      const found = (await symbols('RNP')).find((s) => s.name === 'RNP');
      assert.ok(found, 'RNP is a symbol');
      assert.equal(found.containerName, 'acronym of Riverside Numeracy Pilot');
      assert.equal(found.kind, vscode.SymbolKind.Class);
      assert.ok(found.location.uri.path.endsWith('/.policy-facts/local.yaml'));
    });

    it('finds former names, marked deprecated, and organisations as modules', async () => {
      const former = (await symbols('Troubled Families Programme')).find((s) => s.name === 'Troubled Families Programme');
      assert.ok(former);
      assert.deepEqual(former.tags, [vscode.SymbolTag.Deprecated]);
      assert.equal(former.containerName, 'former name of Supporting Families (until 2021)');
      const dfe = (await symbols('Department for Education')).find((s) => s.name === 'Department for Education');
      assert.equal(dfe?.kind, vscode.SymbolKind.Module);
    });
  });

  describe('semantic tokens', () => {
    it('marks programmes and organisations, and former names as deprecated', async () => {
      const tokens = await tokensOf(briefing);
      const tokenAt = (needle: string) => tokens.find((t) => t.range.isEqual(rangeOf(briefing, needle)));
      assert.deepEqual(tokenAt('DfE'), { range: rangeOf(briefing, 'DfE'), type: 'policyOrganisation', modifiers: [] });
      assert.equal(tokenAt('Barnardo’s')?.type, 'policyOrganisation');
      assert.equal(tokenAt('Supporting Families')?.type, 'policyProgramme');
      assert.deepEqual(tokenAt('Troubled Families Programme')?.modifiers, ['deprecated']);
      assert.equal(tokenAt('Troubled Families Programme')?.type, 'policyProgramme');
      assert.ok(!tokens.some((t) => briefing.getText(t.range) === '£1.085bn'), 'figures are left to the grammar');
    });

    it('serves plain-text drafts too', async () => {
      const notes = await open('drafts', 'navigation-notes.txt');
      assert.equal(notes.languageId, 'plaintext');
      const tokens = await tokensOf(notes);
      const seen = tokens.map((t) => `${notes.getText(t.range)}:${t.type}${t.modifiers.length ? `.${t.modifiers.join('.')}` : ''}`);
      for (const expected of ['Supporting Families:policyProgramme', 'Troubled Families:policyProgramme.deprecated', 'DfE:policyOrganisation']) {
        assert.ok(seen.includes(expected), `${expected} in ${JSON.stringify(seen)}`);
      }
      await vscode.window.showTextDocument(briefing);
    });
  });
});
