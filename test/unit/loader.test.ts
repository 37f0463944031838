import * as assert from 'node:assert/strict';
import { KnowledgeBase, parseFactFile } from '../../src/core';
import * as fs from 'node:fs';
import { fixture, loadFixture, testKb } from './helpers';

describe('fact-file loader', () => {
  it('loads a valid file with every entry, fact and exact ranges', () => {
    const f = loadFixture('valid.facts.yaml');
    assert.deepEqual(f.problems, []);
    assert.deepEqual(
      f.entities.map((e) => e.id),
      ['dfe', 'supporting-families', 'adoption-support-fund', 'barnardos'],
    );
    const sf = f.entities[1];
    assert.equal(sf.name, 'Supporting Families');
    // `name: Supporting Families` is on line 23 (1-based), value starts at column 11.
    assert.deepEqual(sf.nameOrigin.range.start, { line: 22, character: 10 });
    assert.equal(sf.formerNames[0].name, 'Troubled Families Programme');
    assert.equal(sf.formerNames[0].until, '2021');
    assert.equal(sf.facts[0].value, 185_000_000);
    assert.equal(sf.facts[0].unit, 'GBP');
    assert.equal(sf.facts[0].qualifier, 'over');
    assert.equal(sf.facts[1].value, 401_719);
    assert.equal(sf.facts[1].unit, 'count');
    assert.equal(sf.facts[1].noun, sf.facts[1].noun && sf.facts[1].noun.toLowerCase());
    assert.equal(f.entities[2].facts[0].value, 1_085_000_000);
    assert.equal(f.entities[2].facts[1].unit, 'percent');
    assert.equal(f.entities[2].facts[1].value, 71.8);
    // The fact's range starts at its `figure:` key on line 32.
    assert.equal(sf.facts[0].origin.range.start.line, 31);
  });

  it('reports each bad entry at its line and column and still loads the good ones', () => {
    const f = loadFixture('broken.facts.yaml');
    const kb = KnowledgeBase.build([f]);
    assert.deepEqual(
      kb.entities.map((e) => e.id),
      ['good-one', 'bad-figure', 'dangling', 'good-two'],
    );
    const at = (code: string) =>
      kb.problems.filter((p) => p.code === code).map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1}`);
    // Bad id (line 13, value at col 9), wrong kind (line 18, col 11), missing name (entry at line 21),
    // unknown field `sumary` (line 28, col 5).
    assert.deepEqual(at('kb.invalid-entry'), ['13:9', '18:11', '21:5', '28:5']);
    const typo = kb.problems.find((p) => p.message.includes('sumary'));
    assert.match(typo!.message, /did you mean `summary`/);
    const kind = kb.problems.find((p) => p.range.start.line === 17);
    assert.match(kind!.message, /"programme", "organisation"/);
    // Unparseable figure: at the figure value (line 34, col 17: its opening quote).
    assert.deepEqual(at('kb.unparseable-figure'), ['34:17']);
    // Duplicate id: the second `good-one` entry (line 37) is reported, the first kept.
    assert.deepEqual(at('kb.duplicate-id'), ['37:5']);
    assert.equal(kb.get('good-one')!.name, 'Good Programme One');
    // Dangling relation target: at the relation (line 46).
    assert.deepEqual(at('kb.unknown-target'), ['46:9']);
    assert.equal(kb.get('dangling')!.relations.length, 0);
    for (const p of kb.problems) assert.equal(p.uri, f.uri);
  });

  it('keeps entries around a YAML syntax error', () => {
    const f = loadFixture('syntax-error.facts.yaml');
    const ids = f.entities.map((e) => e.id);
    assert.ok(ids.includes('before-error'), ids.join());
    assert.ok(ids.includes('last-good'), ids.join());
    assert.ok(!ids.includes('with-error'), 'an entry with a duplicate key is not loaded half-right');
    const dup = f.problems.find((p) => p.code === 'kb.yaml-syntax' && /twice/.test(p.message));
    assert.ok(dup, JSON.stringify(f.problems));
    assert.equal(dup.range.start.line, 9);
    const bad = f.problems.filter((p) => p.range.start.line === 14);
    assert.equal(bad.length, 1, 'one message for one broken line');
    assert.ok(!ids.includes('after-error'));
  });

  it('refuses alias bombs and binary data with a clear message', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'entities:',
      '  - id: boom',
      '    kind: programme',
      '    type: programme',
      '    name: Boom',
      '    aliases: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
      '  - id: fine',
      '    kind: programme',
      '    type: programme',
      '    name: Fine Scheme',
    ].join('\n');
    const f = parseFactFile(bomb, 'bomb.yaml');
    assert.deepEqual(
      f.entities.map((e) => e.id),
      ['fine'],
    );
    assert.ok(f.problems.some((p) => /aliases/.test(p.message) && p.range.start.line === 5), JSON.stringify(f.problems));
    const bin = parseFactFile('entities:\u0000\u0001\u0002', 'bin.yaml');
    assert.equal(bin.entities.length, 0);
    assert.match(bin.problems[0].message, /binary/);
  });

  it('refuses deeply nested input with a message at the place, every time', () => {
    const deep = `entities: ${'['.repeat(20000)}${']'.repeat(20000)}`;
    for (let i = 0; i < 3; i++) {
      const f = parseFactFile(deep, 'deep.yaml');
      assert.equal(f.entities.length, 0);
      assert.deepEqual(
        f.problems.map((p) => [p.code, p.range.start.character]),
        [['kb.file-too-large', 74]],
      );
      assert.match(f.problems[0].message, /more than 64 levels deep/);
    }
  });

  it('loads CRLF files exactly like LF files, at the same lines and columns', () => {
    const lf = fs.readFileSync(fixture('facts', 'broken.facts.yaml'), 'utf8');
    const a = parseFactFile(lf, 'x.yaml');
    const b = parseFactFile(lf.replace(/\n/g, '\r\n'), 'x.yaml');
    assert.deepEqual(b.problems, a.problems);
    assert.deepEqual(
      b.entities.map((e) => [e.id, e.nameOrigin.range]),
      a.entities.map((e) => [e.id, e.nameOrigin.range]),
    );
  });

  it('loads an empty file and a comment-only file with no problems', () => {
    assert.deepEqual(parseFactFile('', 'e.yaml').problems, []);
    assert.deepEqual(parseFactFile('# nothing yet\n', 'c.yaml').problems, []);
  });
});

describe('knowledge base', () => {
  it('finds entities by id and by any name, and resolves relations both ways', () => {
    const kb = testKb();
    assert.equal(kb.get('dfe')!.name, 'Department for Education');
    assert.deepEqual(
      kb.findByName('DfE').map((e) => e.id),
      ['dfe'],
    );
    assert.deepEqual(
      kb.findByName('troubled families programme').map((e) => e.id),
      ['supporting-families'],
    );
    assert.deepEqual(kb.findByName('dfe'), [], 'acronyms are case-sensitive');
    const incoming = kb.incoming('dfe').map((r) => `${r.from} ${r.type}`);
    assert.deepEqual(incoming.sort(), ['adoption-support-fund funded-by', 'supporting-families led-by']);
  });

  it('warns about a name nothing can match instead of dropping it silently', () => {
    const f = parseFactFile(['entities:', '  - id: dash', '    kind: programme', '    type: programme', '    name: Dash Scheme', "    aliases: ['—']"].join('\n'), 'd.yaml');
    const kb = KnowledgeBase.build([f]);
    assert.deepEqual(
      kb.problems.map((p) => [p.code, p.range.start.line]),
      [['kb.unmatchable-name', 4]],
    );
  });

  it('lets a workspace entry extend or override a bundled one by id', () => {
    const bundled = loadFixture('valid.facts.yaml', 'bundled');
    const user = parseFactFile(
      [
        'entities:',
        '  - id: dfe',
        '    kind: organisation',
        '    type: government department',
        '    name: Department for Education',
        '    aliases: [the Department]',
        '    facts:',
        '      - figure: "£4.6 billion"',
        '        about: budget',
        '        source: { source: test-briefing }',
        '  - id: barnardos',
        '    override: true',
        '    kind: organisation',
        '    type: charity',
        "    name: Barnardo's",
        '    summary: Replaced entirely.',
      ].join('\n'),
      'user.facts.yaml',
      'workspace',
    );
    const kb = KnowledgeBase.build([user, bundled]);
    assert.deepEqual(kb.problems, []);
    const dfe = kb.get('dfe')!;
    assert.deepEqual(dfe.acronyms, ['DfE'], 'bundled names kept');
    assert.deepEqual(dfe.aliases, ['the Department'], 'workspace names added');
    assert.equal(dfe.facts.length, 1);
    assert.equal(dfe.extendedBy[0].uri, 'user.facts.yaml');
    assert.equal(kb.get('barnardos')!.summary, 'Replaced entirely.');
    assert.equal(kb.get('barnardos')!.facts.length, 0);
  });
});
