/**
 * The knowledge base inside a real VS Code: bundled facts, the workspace's own fact files,
 * diagnostics for broken fact files, live reload, settings, trust, and the status command.
 * Runs on a copy of test/fixtures/workspace.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, type PolicyFactsApi } from '../../src/extension/deps';
import { KnowledgeService, type KnowledgeStatus } from '../../src/extension/knowledgeService';
import { Log } from '../../src/extension/log';
import { waitFor, watchHoldUps } from './index';
import { folder, fixture, encode } from './workspace';


/** Where `needle` first occurs in `doc`, as a range. */
function rangeOf(doc: vscode.TextDocument, needle: string): vscode.Range {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `"${needle}" is in ${doc.uri.path}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

const fmt = (r: vscode.Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

/** The extension, and a new folder to keep a cache of loaded fact files in (as a workspace's storage). */
function cacheStorage(): { ext: vscode.Extension<PolicyFactsApi>; storage: vscode.Uri; cacheFile: vscode.Uri } {
  const ext = vscode.extensions.getExtension<PolicyFactsApi>(EXTENSION_ID);
  assert.ok(ext);
  const storage = vscode.Uri.file(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-facts-cache-')));
  return { ext, storage, cacheFile: vscode.Uri.joinPath(storage, 'fact-files.json') };
}

describe('knowledge base', () => {
  let api: PolicyFactsApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<PolicyFactsApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    api = await ext.activate();
    await api.ready;
  });

  it('activates and returns its API, whose ready promise resolves with the facts loaded', () => {
    const ext = vscode.extensions.getExtension<PolicyFactsApi>(EXTENSION_ID);
    assert.ok(ext?.isActive);
    assert.ok(api.knowledge.generation >= 1, 'loaded at least once');
    assert.ok(api.knowledge.kb.entities.length > 0);
  });

  it('loads the bundled facts from seeds/', () => {
    const status = api.knowledge.status();
    const bundled = status.files.filter((f) => f.layer === 'bundled');
    assert.ok(bundled.length > 0, 'at least one bundled fact file');
    assert.ok(bundled.every((f) => f.label.startsWith('seeds/') && !f.readError), JSON.stringify(bundled));
    const kb = api.knowledge.kb;
    const dfe = kb.findByName('DfE');
    assert.equal(dfe.length, 1, 'the DfE acronym names one entity');
    assert.equal(dfe[0].name, 'Department for Education');
    assert.equal(dfe[0].layer, 'bundled');
    assert.ok(kb.entities.filter((e) => e.layer === 'bundled').length >= 10, 'the bundled facts hold many entities');
  });

  it('adds the entities of a workspace fact file (.policy-facts/local.yaml)', () => {
    const pilot = api.knowledge.kb.get('riverside-numeracy-pilot');
    assert.ok(pilot, 'entity from the workspace file');
    assert.equal(pilot.layer, 'workspace');
    assert.equal(pilot.name, 'Riverside Numeracy Pilot');
    assert.deepEqual(pilot.facts.map((f) => f.figure), ['1,250 pupils']);
    assert.ok(pilot.origin.uri.endsWith('/.policy-facts/local.yaml'), pilot.origin.uri);
    assert.deepEqual(api.knowledge.kb.findByName('RNP').map((e) => e.id), ['riverside-numeracy-pilot']);
  });

  it('checks a draft against bundled and workspace facts alike', async () => {
    const doc = await vscode.workspace.openTextDocument(fixture('knowledge-draft.md'));
    const result = api.analysis.get(doc);
    assert.ok(result, 'a markdown draft is checked');
    const mentioned = new Set(result.mentions.map((m) => m.entityId));
    assert.ok(mentioned.has('riverside-numeracy-pilot'));
    assert.ok(mentioned.has('harbour-reading-fund'), 'good entry of the broken file');
    assert.equal(api.analysis.get(doc), result, 'same version and facts: the cached result');
  });

  it('reports each mistake of a broken fact file at its exact place, and loads its good entry', async () => {
    const uri = fixture('broken.facts.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const good = api.knowledge.kb.get('harbour-reading-fund');
    assert.ok(good, 'the good entry loads');
    assert.deepEqual(good.facts.map((f) => f.figure), ['£2.5m']);
    assert.equal(api.knowledge.kb.get('broken-kind-entry'), undefined, 'the invalid entry does not');
    assert.ok(api.knowledge.kb.get('lighthouse-literacy-trust'), 'an entry with a bad relation still loads');

    const diagnostics = await waitFor(() => {
      const list = vscode.languages.getDiagnostics(uri);
      assert.ok(list.length >= 2, `diagnostics so far: ${JSON.stringify(list.map((d) => d.message))}`);
      return list;
    });
    const byCode = (code: string) => diagnostics.filter((d) => d.code === code);
    for (const d of diagnostics) assert.equal(d.source, 'Policy Facts');

    const [kind] = byCode('kb.invalid-entry');
    assert.ok(kind, 'the bad kind is reported');
    // line 17 of the file, "    kind: department": the value "department"
    assert.equal(fmt(kind.range), '16:10-16:20');
    assert.equal(doc.getText(kind.range), 'department');
    assert.equal(kind.severity, vscode.DiagnosticSeverity.Error);
    assert.match(kind.message, /kind/);

    const [target] = byCode('kb.unknown-target');
    assert.ok(target, 'the dangling relation is reported');
    assert.equal(target.range.start.line, rangeOf(doc, 'type: partner-of').start.line);
    assert.equal(target.range.start.character, rangeOf(doc, 'type: partner-of').start.character);
    assert.match(target.message, /no-such-entity/);
  });

  it('reloads when a fact file is created, changed and deleted', async () => {
    const uri = fixture('live-reload.facts.yaml');
    const entry = (name: string) =>
      `entities:\n  - id: tidewater-skills-hub\n    kind: organisation\n    type: hub\n    name: ${name}\n`;
    await vscode.workspace.fs.writeFile(uri, encode(entry('Tidewater Skills Hub')));
    await waitFor(() => assert.equal(api.knowledge.kb.get('tidewater-skills-hub')?.name, 'Tidewater Skills Hub'));

    await vscode.workspace.fs.writeFile(uri, encode(entry('Tidewater Skills Centre')));
    await waitFor(() => assert.equal(api.knowledge.kb.get('tidewater-skills-hub')?.name, 'Tidewater Skills Centre'));

    await vscode.workspace.fs.writeFile(uri, encode(`${entry('Tidewater Skills Centre')}    kind: hub\n`));
    const dup = await waitFor(() => {
      const list = vscode.languages.getDiagnostics(uri);
      assert.ok(list.some((d) => d.code === 'kb.yaml-syntax'), JSON.stringify(list.map((d) => d.code)));
      return list;
    });
    assert.equal(dup.find((d) => d.code === 'kb.yaml-syntax')?.range.start.line, 5, 'the repeated key');
    assert.ok(api.knowledge.kb.get('riverside-numeracy-pilot'), 'the other workspace facts stay');
    assert.ok(api.knowledge.kb.findByName('DfE').length, 'the bundled facts stay');

    await vscode.workspace.fs.delete(uri);
    await waitFor(() => assert.equal(api.knowledge.kb.get('tidewater-skills-hub'), undefined));
    await waitFor(() => assert.equal(vscode.languages.getDiagnostics(uri).length, 0));
  });

  it('reloads when the fact-file patterns setting changes', async () => {
    const config = vscode.workspace.getConfiguration('policyFacts');
    try {
      await config.update('factFiles', ['**/*.facts.yaml'], vscode.ConfigurationTarget.Workspace);
      await waitFor(() => assert.equal(api.knowledge.kb.get('riverside-numeracy-pilot'), undefined));
      assert.ok(api.knowledge.kb.get('harbour-reading-fund'), 'files matching the remaining pattern stay');
    } finally {
      await config.update('factFiles', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(() => assert.ok(api.knowledge.kb.get('riverside-numeracy-pilot')));
  });

  it('checks only the configured languages, and nothing when switched off', async () => {
    const md = await vscode.workspace.openTextDocument(fixture('knowledge-draft.md'));
    const json = await vscode.workspace.openTextDocument({ language: 'json', content: '{ "a": "DfE" }' });
    assert.equal(api.analysis.get(json), undefined, 'json is not in policyFacts.languages');
    const config = vscode.workspace.getConfiguration('policyFacts');
    try {
      await config.update('enable', false, vscode.ConfigurationTarget.Workspace);
      await waitFor(() => assert.equal(api.analysis.get(md), undefined));
    } finally {
      await config.update('enable', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(() => assert.ok(api.analysis.get(md)));
  });

  it('in an untrusted workspace, loads only the bundled facts', async () => {
    const ext = vscode.extensions.getExtension<PolicyFactsApi>(EXTENSION_ID);
    assert.ok(ext);
    const log = new Log('Policy Facts (untrusted test)');
    const untrusted = new KnowledgeService(ext.extensionUri, api.settings, log, { isTrusted: () => false, diagnostics: false });
    try {
      await untrusted.start();
      const status = untrusted.status();
      assert.equal(status.workspaceFilesRead, false);
      assert.equal(status.files.filter((f) => f.layer === 'workspace').length, 0);
      assert.equal(untrusted.kb.get('riverside-numeracy-pilot'), undefined);
      assert.ok(untrusted.kb.findByName('DfE').length, 'bundled facts still load');
    } finally {
      untrusted.dispose();
      log.dispose();
    }
  });

  it('keeps the loaded workspace fact files for the next session, and takes only unchanged ones from there', async () => {
    const { ext, storage, cacheFile } = cacheStorage();
    const edited = fixture('cache-test.facts.yaml');
    const entry = (name: string) => `entities:\n  - id: cove-reading-scheme\n    kind: programme\n    type: scheme\n    name: ${name}\n`;
    const session = async () => {
      const log = new Log('Policy Facts (cache test)');
      const service = new KnowledgeService(ext.extensionUri, api.settings, log, { diagnostics: false, cache: { storage, version: 'test' } });
      try {
        await service.start();
        await service.cacheWritten();
        const status = service.status();
        return {
          fromCache: status.workspaceFromCache,
          loaded: status.files.filter((f) => f.layer === 'workspace' && !f.readError).length,
          errors: status.errors,
          cove: service.kb.get('cove-reading-scheme')?.name,
          // What a user sees of the workspace's other facts: entities and problems (as JSON carries them).
          facts: JSON.stringify(service.kb.entities.filter((e) => e.layer === 'workspace' && e.id !== 'cove-reading-scheme')),
          problems: JSON.stringify(service.kb.problems.filter((p) => !p.uri.endsWith('cache-test.facts.yaml'))),
        };
      } finally {
        service.dispose();
        log.dispose();
      }
    };
    const read = async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(cacheFile));
    try {
      // Each edit is let settle (the extension's own knowledge base has it) before a session
      // starts, so that no late file event makes a session read the file twice.
      await vscode.workspace.fs.writeFile(edited, encode(entry('Cove Reading Scheme')));
      await waitFor(() => assert.equal(api.knowledge.kb.get('cove-reading-scheme')?.name, 'Cove Reading Scheme'));
      const first = await session();
      assert.equal(first.fromCache, 0, 'nothing kept yet: every file is parsed');
      assert.ok(first.loaded >= 4, `${first.loaded} workspace fact files`);
      assert.equal(first.cove, 'Cove Reading Scheme');

      const second = await session();
      assert.equal(second.fromCache, first.loaded, 'every unchanged file comes from the cache');
      assert.deepEqual([second.cove, second.facts, second.problems], [first.cove, first.facts, first.problems], 'the same facts and problems, at the same places');

      // A fact file edited since is parsed again; the others still come from the cache.
      await vscode.workspace.fs.writeFile(edited, encode(entry('Cove Reading Programme')));
      await waitFor(() => assert.equal(api.knowledge.kb.get('cove-reading-scheme')?.name, 'Cove Reading Programme'));
      const third = await session();
      assert.deepEqual([third.fromCache, third.cove, third.facts], [first.loaded - 1, 'Cove Reading Programme', first.facts]);

      // A damaged cache is ignored, and written afresh.
      await vscode.workspace.fs.writeFile(cacheFile, encode((await read()).slice(0, 1000)));
      const fourth = await session();
      assert.deepEqual([fourth.fromCache, fourth.errors, fourth.cove, fourth.facts], [0, [], 'Cove Reading Programme', first.facts]);
      assert.equal((await session()).fromCache, first.loaded);
    } finally {
      fs.rmSync(storage.fsPath, { recursive: true, force: true });
      await vscode.workspace.fs.delete(edited);
      await waitFor(() => assert.equal(api.knowledge.kb.get('cove-reading-scheme'), undefined));
    }
  });

  it('puts the files of its cache in use before the workspace search ends; the search then adds new files and drops the rest', async () => {
    const { ext, storage, cacheFile } = cacheStorage();
    const deleted = fixture('early-test.facts.yaml');
    const created = fixture('early-new.facts.yaml');
    const changed = fixture('early-changed.facts.yaml');
    // Two files with the same id: the first in the order of the search is used, the other reported.
    // Sorted by code unit, "Early-B" comes first; the search's order puts "early-a" first.
    const twins = [fixture('early-a.facts.yaml'), fixture('Early-B.facts.yaml')];
    const entry = (id: string, name: string) => encode(`entities:\n  - id: ${id}\n    kind: programme\n    type: scheme\n    name: ${name}\n`);
    const cleanups: (() => Promise<void>)[] = [];
    /**
     * A session whose workspace search is held back until `release()`, then returns what the
     * real search finds, less what `hide` hides (as `files.exclude` would).
     */
    const session = (hide: (uri: vscode.Uri) => boolean = () => false) => {
      const log = new Log('Policy Facts (cache test)');
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const findFiles = async (pattern: vscode.RelativePattern) => {
        await held;
        return (await vscode.workspace.findFiles(pattern)).filter((uri) => !hide(uri));
      };
      const service = new KnowledgeService(ext.extensionUri, api.settings, log, { diagnostics: false, cache: { storage, version: 'test' }, findFiles });
      let isReady = false;
      const started = performance.now();
      const ready = service.start().then(() => (isReady = true));
      let closed = false;
      const done = async () => {
        if (closed) return;
        closed = true;
        release();
        await ready;
        await service.cacheWritten();
        service.dispose();
        log.dispose();
      };
      cleanups.push(done);
      return { service, release, ready, started, isReady: () => isReady, done };
    };
    const workspaceIds = (s: KnowledgeService) => s.kb.entities.filter((e) => e.layer === 'workspace').map((e) => e.id).sort();
    try {
      await vscode.workspace.fs.writeFile(deleted, entry('early-reading-scheme', 'Early Reading Scheme'));
      await vscode.workspace.fs.writeFile(changed, entry('early-changed-scheme', 'Early Changed Scheme'));
      await vscode.workspace.fs.writeFile(twins[0], entry('early-twin-scheme', 'Twin A'));
      await vscode.workspace.fs.writeFile(twins[1], entry('early-twin-scheme', 'Twin B'));
      await waitFor(() => assert.ok(api.knowledge.kb.get('early-reading-scheme') && api.knowledge.kb.get('early-changed-scheme') && api.knowledge.kb.get('early-twin-scheme')));
      const first = session();
      first.release();
      await first.ready;
      const all = workspaceIds(first.service);
      const twin = first.service.kb.get('early-twin-scheme')?.name;
      assert.equal(twin, 'Twin A', 'the search finds early-a first');
      assert.ok(all.includes('early-reading-scheme') && all.length >= 4, all.join(', '));
      await first.done();

      // The search is held back: the files of the cache are in use all the same.
      const second = session();
      await waitFor(() => assert.deepEqual(workspaceIds(second.service), all));
      const earlyMs = performance.now() - second.started;
      assert.equal(second.service.kb.get('early-twin-scheme')?.name, twin, 'the files are taken in the order the search gives');
      assert.equal(second.isReady(), false, 'not ready until the search has ended');
      const generation = second.service.generation;
      second.release();
      await second.ready;
      assert.deepEqual(workspaceIds(second.service), all);
      assert.equal(second.service.generation, generation, 'the search found the same files: nothing was built again');
      assert.equal(second.service.kb.get('early-twin-scheme')?.name, twin);
      const loaded = second.service.status().files.filter((f) => f.layer === 'workspace' && !f.readError).length;
      assert.equal(second.service.status().workspaceFromCache, loaded);
      await second.done();

      // A file changed since is in use as it is now, one deleted since never; one created since
      // comes with the search.
      await vscode.workspace.fs.delete(deleted);
      await vscode.workspace.fs.writeFile(changed, entry('early-changed-scheme', 'Early Changed Programme'));
      await vscode.workspace.fs.writeFile(created, entry('early-new-scheme', 'Early New Scheme'));
      await waitFor(() =>
        assert.ok(api.knowledge.kb.get('early-new-scheme') && !api.knowledge.kb.get('early-reading-scheme') && api.knowledge.kb.get('early-changed-scheme')?.name === 'Early Changed Programme'),
      );
      const third = session();
      const rest = all.filter((id) => id !== 'early-reading-scheme');
      await waitFor(() => assert.deepEqual(workspaceIds(third.service), rest));
      assert.equal(third.service.kb.get('early-changed-scheme')?.name, 'Early Changed Programme');
      assert.equal(third.isReady(), false);
      third.release();
      await third.ready;
      assert.deepEqual([workspaceIds(third.service), third.service.status().errors], [[...rest, 'early-new-scheme'].sort(), []]);
      await third.done();

      // Files of the cache the search does not find (now excluded) are dropped once it ends,
      // down to none at all.
      const fourth = session(() => true);
      await waitFor(() => assert.deepEqual(workspaceIds(fourth.service), [...rest, 'early-new-scheme'].sort()));
      fourth.release();
      await fourth.ready;
      assert.deepEqual([workspaceIds(fourth.service), fourth.service.workspaceFilesInUse, fourth.service.status().files.filter((f) => f.layer === 'workspace')], [[], 0, []]);
      await fourth.done();

      // A cache written for other folders or fact-file patterns is not used before the search.
      // (The search above found no file, so the cache is made again first.)
      const again = session();
      again.release();
      await again.ready;
      await again.done();
      // Its first line says where its files were found.
      const [head, ...files] = new TextDecoder().decode(await vscode.workspace.fs.readFile(cacheFile)).split('\n');
      const json = JSON.parse(head) as { scope?: string };
      assert.ok(json.scope, 'the cache says where its files were found');
      json.scope = '[]';
      await vscode.workspace.fs.writeFile(cacheFile, encode([JSON.stringify(json), ...files].join('\n')));
      const fifth = session();
      const inUseEarly: string[][] = [];
      const listener = fifth.service.onDidChange(() => inUseEarly.push(workspaceIds(fifth.service)));
      // Several times as long as the files of the cache took to be in use above.
      await new Promise((r) => setTimeout(r, Math.max(300, 4 * earlyMs)));
      assert.deepEqual(inUseEarly.filter((ids) => ids.length), [], 'only the bundled facts until the search has ended');
      fifth.release();
      await fifth.ready;
      listener.dispose();
      assert.deepEqual(workspaceIds(fifth.service), [...rest, 'early-new-scheme'].sort());
      assert.equal(fifth.service.status().workspaceFromCache, loaded, 'its unchanged files still come from the cache');
      await fifth.done();
    } finally {
      for (const done of cleanups) await done();
      fs.rmSync(storage.fsPath, { recursive: true, force: true });
      for (const uri of [deleted, created, changed, ...twins]) if (fs.existsSync(uri.fsPath)) await vscode.workspace.fs.delete(uri);
      await waitFor(() => assert.ok(!api.knowledge.kb.get('early-reading-scheme') && !api.knowledge.kb.get('early-new-scheme') && !api.knowledge.kb.get('early-changed-scheme') && !api.knowledge.kb.get('early-twin-scheme')));
    }
  });

  /** A knowledge service of its own, without diagnostics, that searches with `findFiles`; `listed`: its workspace fact files read without error. */
  const serviceSearching = (name: string, findFiles: (pattern: vscode.RelativePattern) => Thenable<vscode.Uri[]>) => {
    const log = new Log(`Policy Facts (${name})`);
    const service = new KnowledgeService(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, api.settings, log, { diagnostics: false, findFiles });
    const listed = () => service.status().files.filter((f) => f.layer === 'workspace' && !f.readError).map((f) => f.uri).sort();
    return { log, service, listed };
  };

  it('keeps listing the fact files in use while it reads them again', async () => {
    let hold = false;
    let release!: () => void;
    let searching!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const searchBegan = new Promise<void>((r) => (searching = r));
    // The search of a reload is held back: until it ends, the files read before are the ones in use.
    const findFiles = async (pattern: vscode.RelativePattern) => {
      if (hold) {
        searching();
        await held;
      }
      return vscode.workspace.findFiles(pattern);
    };
    const { log, service, listed } = serviceSearching('reload test', findFiles);
    try {
      await service.start();
      const before = listed();
      assert.ok(before.length >= 4, `${before.length} workspace fact files`);
      hold = true;
      const reloading = service.reload();
      await searchBegan;
      assert.deepEqual(listed(), before, 'still listed while the search runs');
      assert.ok(service.kb.get('riverside-numeracy-pilot'), 'and still in use');
      release();
      await reloading;
      assert.deepEqual(listed(), before);
    } finally {
      release();
      service.dispose();
      log.dispose();
    }
  });

  it('keeps the fact files of a folder whose search fails, and says the search failed', async () => {
    let fail = false;
    const findFiles = async (pattern: vscode.RelativePattern) => {
      if (fail) throw new Error('the file system is not answering');
      return vscode.workspace.findFiles(pattern);
    };
    const { log, service, listed } = serviceSearching('search failure test', findFiles);
    try {
      await service.start();
      const before = listed();
      assert.ok(before.length >= 4, `${before.length} workspace fact files`);
      fail = true;
      await service.reload();
      assert.deepEqual(listed(), before, 'still listed');
      assert.ok(service.kb.get('riverside-numeracy-pilot'), 'and still in use');
      assert.match(service.status().errors.join('\n'), /Searching .* failed: the file system is not answering/);
      // Once the search works again, the error goes.
      fail = false;
      await service.reload();
      assert.deepEqual(listed(), before);
      assert.deepEqual(service.status().errors, []);
    } finally {
      service.dispose();
      log.dispose();
    }
  });

  it('keeps the extension host answering while it loads a large fact file', async () => {
    // About 0.8 MB of YAML, which takes most of a second to parse.
    const lines = ['sources:', '  - id: bulk-report', '    title: Bulk report', 'entities:'];
    for (let i = 0; i < 4000; i++) {
      lines.push(`  - id: bulk-${i}`, '    kind: programme', '    type: fund', `    name: Bulk Programme ${i}`, '    facts:', `      - figure: "£${i + 1}m"`, '        about: funding', `        source: { source: bulk-report, line: ${i + 1} }`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-facts-large-'));
    const big = vscode.Uri.file(path.join(dir, 'bulk.facts.yaml'));
    fs.writeFileSync(big.fsPath, `${lines.join('\n')}\n`);
    let searches = 0;
    // The only workspace fact file is the large one (outside the workspace, so the extension's own knowledge base never loads it).
    const findFiles = async () => (searches++ === 0 ? [big] : []);
    const log = new Log('Policy Facts (large file test)');
    const service = new KnowledgeService(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, api.settings, log, { diagnostics: false, findFiles });
    // From when the bundled facts are in use until the workspace's are.
    let watch: ReturnType<typeof watchHoldUps> | undefined;
    const listening = service.onDidChange(() => {
      watch ??= watchHoldUps();
    });
    try {
      await service.start();
      const { longest, took } = watch?.stop() ?? { longest: 0, took: 0 };
      assert.ok(watch, 'the bundled facts were put in use first');
      assert.equal(service.kb.get('bulk-3999')?.name, 'Bulk Programme 3999', 'the whole file loaded');
      assert.deepEqual(service.kb.problems.filter((p) => p.uri === big.toString()), []);
      // Parsed in one go, the file would hold everything else up for most of that time.
      assert.ok(longest < took / 4, `held up for ${Math.round(longest)} ms at once while the workspace facts loaded in ${Math.round(took)} ms`);
    } finally {
      watch?.stop();
      listening.dispose();
      service.dispose();
      log.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes unchanged fact files from its cache when it reloads them', async () => {
    await api.knowledge.reload();
    const status = api.knowledge.status();
    const loaded = status.files.filter((f) => f.layer === 'workspace' && !f.readError).length;
    assert.ok(loaded >= 3);
    assert.equal(status.workspaceFromCache, loaded);
  });

  it('"Show Knowledge Base Status" reports what loaded, from where, and what failed', async () => {
    const status = await vscode.commands.executeCommand<KnowledgeStatus>('policyFacts.showStatus');
    assert.ok(status, 'the command returns the status');
    const local = status.files.find((f) => f.label.endsWith('local.yaml'));
    assert.deepEqual([local?.layer, local?.entities, local?.facts], ['workspace', 1, 1]);
    const broken = status.files.find((f) => f.label === 'broken.facts.yaml');
    assert.ok(broken && broken.problems >= 2, JSON.stringify(broken));
    const shown = await waitFor(() => {
      const text = vscode.window.activeTextEditor?.document.getText();
      assert.match(text ?? '', /# Policy Facts: knowledge base/);
      return text ?? '';
    });
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
    assert.match(shown, /\.policy-facts\/local\.yaml \| 1 \| 1 \| 1 \|/);
    assert.match(shown, /broken\.facts\.yaml:17:11 — error `kb\.invalid-entry`/);
    assert.match(shown, /## Bundled fact files[\s\S]*seeds\//);
  });
});
