/**
 * The manifest (package.json) and the extension's code are checked against each other:
 * every command, view and setting the manifest declares exists in the code, and the code
 * registers nothing the manifest leaves out.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SRC = path.join(ROOT, 'src', 'extension');

interface Manifest {
  main: string;
  browser: string;
  activationEvents: string[];
  contributes: {
    commands?: { command: string; title: string; category?: string }[];
    menus?: Record<string, { command?: string }[]>;
    keybindings?: { command: string }[];
    viewsContainers?: Record<string, { id: string; icon: string }[]>;
    views?: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, { default?: unknown }> };
    yamlValidation?: { fileMatch: string[]; url: string }[];
  };
  capabilities?: { untrustedWorkspaces?: { supported: string | boolean; restrictedConfigurations?: string[] } };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

function sources(dir: string): { file: string; text: string }[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: path.join('src', 'extension', f), text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}
const code = sources(SRC);

/**
 * The first argument of every `fn(` call in the extension's source: a string literal, or a
 * constant (`createTreeView(DRAFT_VIEW, …)`) resolved to the string it is declared with.
 */
function calls(fn: string): string[] {
  const re = new RegExp(`\\b${fn}\\(\\s*(?:['"\`]([^'"\`]+)['"\`]|([A-Za-z_$][\\w$.]*))`, 'g');
  return code.flatMap(({ file, text }) =>
    [...text.matchAll(re)].map((m) => {
      if (m[1] !== undefined) return m[1];
      const name = m[2].split('.').pop() as string;
      const decl = new RegExp(`\\b${name}\\s*(?::[^=;]+)?=\\s*['"\`]([^'"\`]+)['"\`]`);
      const hit = code.map((c) => c.text.match(decl)).find((x) => x);
      assert.ok(hit, `${file}: ${fn}(${m[2]}, …): cannot find the string ${m[2]} stands for`);
      return hit[1];
    }),
  );
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

describe('manifest and code agree', () => {
  it('every command in package.json has a registerCommand handler, and every handler is declared', () => {
    const declared = sorted((manifest.contributes.commands ?? []).map((c) => c.command));
    const registered = sorted(calls('registerCommand').filter((id) => id.startsWith('policyFacts.')));
    assert.ok(declared.includes('policyFacts.showStatus'));
    assert.deepEqual(registered, declared);
  });

  it('commands are titled and grouped under the "Policy Facts" category', () => {
    for (const c of manifest.contributes.commands ?? []) {
      assert.match(c.command, /^policyFacts\.[a-z][A-Za-z]*$/, c.command);
      assert.equal(c.category, 'Policy Facts', c.command);
      assert.ok(c.title.trim() && !c.title.startsWith('Policy Facts'), `${c.command}: the category already says "Policy Facts"`);
    }
  });

  it('menus and keybindings name only declared commands', () => {
    const declared = new Set((manifest.contributes.commands ?? []).map((c) => c.command));
    const used = [
      ...Object.values(manifest.contributes.menus ?? {}).flatMap((items) => items.map((i) => i.command)),
      ...(manifest.contributes.keybindings ?? []).map((k) => k.command),
    ].filter((c): c is string => !!c && c.startsWith('policyFacts.'));
    for (const c of used) assert.ok(declared.has(c), `${c} is used in a menu or keybinding but not declared`);
  });

  it('every view in package.json has a provider, and every provider a view', () => {
    const views = Object.values(manifest.contributes.views ?? {}).flat().map((v) => v.id);
    assert.deepEqual(sorted(views), ['policyFacts.draft', 'policyFacts.knowledgeBase']);
    const provided = sorted(
      [...calls('registerTreeDataProvider'), ...calls('createTreeView'), ...calls('registerWebviewViewProvider')].filter((id) =>
        id.startsWith('policyFacts.'),
      ),
    );
    assert.deepEqual(provided, sorted(views));
  });

  it('views live in the Policy Facts activity-bar container, whose icon exists', () => {
    const containers = manifest.contributes.viewsContainers?.activitybar ?? [];
    assert.deepEqual(containers.map((c) => c.id), ['policyFacts']);
    assert.deepEqual(Object.keys(manifest.contributes.views ?? {}), ['policyFacts']);
    assert.ok(fs.existsSync(path.join(ROOT, containers[0].icon)), containers[0].icon);
  });

  it('settings.ts reads exactly the policyFacts.* settings package.json declares', () => {
    const declared = sorted(Object.keys(manifest.contributes.configuration.properties));
    const settingsTs = fs.readFileSync(path.join(SRC, 'settings.ts'), 'utf8');
    const read = sorted([...settingsTs.matchAll(/'(policyFacts\.[A-Za-z.]+)'/g)].map((m) => m[1]));
    assert.deepEqual(read, declared);
    for (const { file, text } of code) {
      if (file.endsWith('settings.ts')) continue;
      assert.doesNotMatch(text, /getConfiguration\(\s*['"]policyFacts/, `${file} reads settings itself; use Settings`);
    }
  });

  it('setting defaults in package.json are the ones settings.ts falls back to', () => {
    const settingsTs = fs.readFileSync(path.join(SRC, 'settings.ts'), 'utf8');
    const constant = (name: string): unknown => {
      const m = settingsTs.match(new RegExp(`${name}[^=]*=\\s*(\\[[^\\]]*\\]|\\d+)`));
      assert.ok(m, name);
      return JSON.parse(m[1].replace(/'/g, '"'));
    };
    const props = manifest.contributes.configuration.properties;
    assert.deepEqual(props['policyFacts.languages'].default, constant('DEFAULT_LANGUAGES'));
    assert.deepEqual(props['policyFacts.factFiles'].default, constant('DEFAULT_FACT_FILES'));
    assert.equal(props['policyFacts.references.maxFiles'].default, constant('DEFAULT_REFERENCES_MAX_FILES'));
  });

  it('fact files are validated against the generated schema, with the same globs as the default setting', () => {
    const [v] = manifest.contributes.yamlValidation ?? [];
    assert.ok(v, 'yamlValidation is contributed');
    assert.equal(v.url, './schemas/facts.schema.json');
    assert.ok(fs.existsSync(path.join(ROOT, v.url)), 'the schema file exists');
    const globs = manifest.contributes.configuration.properties['policyFacts.factFiles'].default as string[];
    assert.deepEqual(
      v.fileMatch,
      globs.map((g) => (g.startsWith('**/') ? g : `**/${g}`)),
    );
  });

  it('in an untrusted workspace the fact-file setting is restricted', () => {
    const trust = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(trust?.supported, 'limited');
    assert.deepEqual(trust?.restrictedConfigurations, ['policyFacts.factFiles']);
  });

  it('activates on the default languages and on workspaces with fact files, and points at the bundles', () => {
    const events = manifest.activationEvents;
    for (const lang of manifest.contributes.configuration.properties['policyFacts.languages'].default as string[]) {
      assert.ok(events.includes(`onLanguage:${lang}`), lang);
    }
    for (const glob of manifest.contributes.configuration.properties['policyFacts.factFiles'].default as string[]) {
      assert.ok(events.includes(`workspaceContains:${glob}`), glob);
    }
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.browser, './dist/web/extension.js');
    const bundle = fs.readFileSync(path.join(ROOT, 'scripts', 'bundle.mjs'), 'utf8');
    assert.match(bundle, /outfile: 'dist\/extension\.js'/);
    assert.match(bundle, /outfile: 'dist\/web\/extension\.js'/);
  });

  it('the extension never reads files with Node APIs (it must run in VS Code for the web)', () => {
    for (const { file, text } of code) {
      assert.doesNotMatch(text, /from ['"](node:)?(fs|path|os|child_process)['"]|require\(['"](node:)?fs['"]\)/, file);
    }
  });
});
