import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkText, KnowledgeBase, parseFactFile, type LoadedFactFile } from '../../src/core';
import { parseAllDocuments } from 'yaml';
import { layoutOf, PARSE_OPTIONS, parseAllDocumentsInSteps, parseFactFileAsOneDocument, parseFactFileInSteps } from '../../src/core/kb/loader';
import { runToEnd } from '../../src/core/steps';
import { factFileArb } from '../fuzz/generators';
import { fixture, ROOT } from './helpers';

/**
 * Large fact files are parsed a few list items at a time instead of as one YAML document. What
 * a user gets must not change: the same entries, the same ranges, the same problems at the same
 * lines and columns.
 */

function sameAsOneDocument(text: string, label: string): LoadedFactFile {
  const loaded = parseFactFile(text, 'file:///kb/x.facts.yaml');
  assert.deepStrictEqual(loaded, parseFactFileAsOneDocument(text, 'file:///kb/x.facts.yaml'), label);
  return loaded;
}

function factFiles(): { name: string; text: string }[] {
  const dirs = [fixture('facts'), path.join(ROOT, 'seeds')];
  return dirs.flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), 'utf8') })),
  );
}

/** `n` entities of 11 lines each after a 4-line head: entity i starts on line 4 + 11i (0-based). */
function bigFile(n: number): string {
  const lines = ['sources:', '  - id: s', '    title: A source', 'entities:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  - id: e-${i}`,
      '    kind: programme',
      '    type: fund',
      `    name: "Entity Number ${i}"`,
      '    relations:',
      '      - type: led-by',
      '        target: e-0',
      '    facts:',
      `      - figure: "£${i + 1}m"`,
      '        about: funding',
      `        source: { source: s, ${i % 2 ? `line: ${i + 1}` : `section: "${i}.1"`} }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const ENTRY = ['kind: programme', 'type: fund'];

/** Files laid out in the less common ways YAML allows, valid and broken. */
const UNUSUAL: Record<string, string> = {
  'comments and blank lines between items and sections': [
    '# Sources first',
    'sources:',
    '',
    '  # the briefing',
    '  - id: s',
    '    title: A source   # trailing comment',
    '',
    '# Then the entities',
    'entities:   # the list',
    '  - id: a',
    ...ENTRY.map((l) => `    ${l}`),
    '    name: Alpha Fund',
    '# a comment at the start of a line, between items',
    '',
    '  - id: b',
    ...ENTRY.map((l) => `    ${l}`),
    '    name: Beta Fund',
    '# the end',
  ].join('\n'),
  'items at the start of the line': ['entities:', '- id: a', ...ENTRY.map((l) => `  ${l}`), '  name: Alpha Fund', '- id: b', ...ENTRY.map((l) => `  ${l}`), '  name: Beta Fund', 'sources:', '- id: s', '  title: T'].join('\n'),
  'a dash alone on its line': ['entities:', '  -', '    id: a', ...ENTRY.map((l) => `    ${l}`), '    name: Alpha Fund', '  - ', '  -'].join('\n'),
  'block scalars holding lines that look like items, keys and comments': [
    'entities:',
    '  - id: a',
    ...ENTRY.map((l) => `    ${l}`),
    '    name: Alpha Fund',
    '    summary: |',
    '      - not an item',
    '      entities:',
    '      # not a comment',
    '',
    '  - id: b',
    ...ENTRY.map((l) => `    ${l}`),
    '    name: Beta Fund',
    '    summary: >-',
    '      folded',
    '      text',
  ].join('\n'),
  'multi-line quoted and plain values': ['entities:', '  - id: a', ...ENTRY.map((l) => `    ${l}`), '    name: "Alpha', '      Fund"', '    summary: one', '      two', "  - id: 'b'", ...ENTRY.map((l) => `    ${l}`), '    name: Beta Fund'].join('\n'),
  'a multi-line quoted value that runs into the next item': ['entities:', '  - id: a', ...ENTRY.map((l) => `    ${l}`), '    name: "Alpha', '  - id: b"', ...ENTRY.map((l) => `    ${l}`), '    name: Beta Fund'].join('\n'),
  'flow items': ['entities:', '  - { id: a, kind: programme, type: fund, name: Alpha Fund }', '  - {id: b, kind: programme,', '     type: fund, name: Beta Fund}', '  - [not, a, map]'].join('\n'),
  'an anchor in one item and aliases in another': ['entities:', '  - id: a', '    kind: &k programme', '    type: fund', '    name: &n Alpha Fund', '  - id: b', '    kind: *k', '    type: fund', '    name: Beta Fund', '    aliases: [*n]'].join('\n'),
  'an alias to an anchor that is not defined': ['entities:', '  - id: a', ...ENTRY.map((l) => `    ${l}`), '    name: *nowhere'].join('\n'),
  'a syntax error in the last item': bigFile(60).replace(/ {4}name: "Entity Number 59"/, '    name: "Entity Number 59"\n    name: twice'),
  'an unclosed quote in the middle': bigFile(60).replace('name: "Entity Number 30"', 'name: "Entity Number 30'),
  'bad indentation in the middle': bigFile(60).replace('    type: fund\n    name: "Entity Number 20"', '   type: fund\n    name: "Entity Number 20"'),
  'a tab for indentation': bigFile(8).replace('    type: fund\n    name: "Entity Number 5"', '\ttype: fund\n    name: "Entity Number 5"'),
  'the same top-level key twice': ['entities:', '  - id: a', ...ENTRY.map((l) => `    ${l}`), '    name: Alpha Fund', 'entities:', '  - id: b', ...ENTRY.map((l) => `    ${l}`), '    name: Beta Fund'].join('\n'),
  'an unknown top-level key': ['entitys:', '  - id: a', ...ENTRY.map((l) => `    ${l}`), '    name: Alpha Fund'].join('\n'),
  'a list written inline': 'sources: []\nentities: [{ id: a, kind: programme, type: fund, name: Alpha Fund }]\n',
  'a document marker and a directive': '%YAML 1.2\n---\nentities:\n  - id: a\n    kind: programme\n    type: fund\n    name: Alpha Fund\n...\n',
  'a byte order mark': '\ufeffentities:\n  - id: a\n    kind: programme\n    type: fund\n    name: Alpha Fund\n',
  'items less indented than the first': ['entities:', '    - id: a', ...ENTRY.map((l) => `      ${l}`), '      name: Alpha Fund', '  - id: b', ...ENTRY.map((l) => `    ${l}`), '    name: Beta Fund'].join('\n'),
  'a hash right after a top-level key': ['entities:#not a comment', '  - id: a', ...ENTRY.map((l) => `    ${l}`), '    name: Alpha Fund'].join('\n'),
  'a tab after a top-level key': ['entities:\t', '  - id: a', ...ENTRY.map((l) => `    ${l}`), '    name: Alpha Fund'].join('\n'),
  'an alias nested deep inside an item': ['entities:', '  - id: a', ...ENTRY.map((l) => `    ${l}`), '    name: &n Alpha Fund', '  - id: b', ...ENTRY.map((l) => `    ${l}`), '    name: Beta Fund', `    note:${Array.from({ length: 70 }, (_, d) => `\n${' '.repeat(6 + 2 * d)}k${d}:`).join('')} *n`].join('\n'),
  'a list or map as a key': ['entities:', '  - id: a', ...ENTRY.map((l) => `    ${l}`), '    name: Alpha Fund', '    ? [x]', '    : y'].join('\n'),
  'wrong types and unknown fields': ['entities:', '  - id: 42', '    kind: [programme]', '    type: { a: 1 }', '    name: true', '    sumary: x', '  - 7', '  - null'].join('\n'),
};

describe('loading large fact files a few items at a time', () => {
  it('gives exactly what parsing the whole document gives, for every fixture and bundled fact file, LF and CRLF', () => {
    for (const { name, text } of factFiles()) {
      sameAsOneDocument(text, name);
      sameAsOneDocument(text.replace(/\n/g, '\r\n'), `${name} (CRLF)`);
    }
  });

  it('gives exactly what parsing the whole document gives for unusual layouts and broken files', () => {
    for (const [name, text] of Object.entries(UNUSUAL)) sameAsOneDocument(text, name);
    // Some of them load entries, some report problems: the comparison is not between empty results.
    const loaded = Object.values(UNUSUAL).map((t) => parseFactFile(t, 'x.yaml'));
    assert.ok(loaded.filter((f) => f.entities.length > 0).length >= 10);
    assert.ok(loaded.filter((f) => f.problems.length > 0).length >= 10);
  });

  it('gives exactly what parsing the whole document gives after any one line of a bundled file is removed or re-indented', function () {
    this.timeout(120_000);
    const { text } = factFiles().find((f) => f.name === 'organisations.yaml')!;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i += 4) {
      const without = [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n');
      const shifted = [...lines.slice(0, i), ` ${lines[i]}`, ...lines.slice(i + 1)].join('\n');
      const unshifted = [...lines.slice(0, i), lines[i].slice(1), ...lines.slice(i + 1)].join('\n');
      sameAsOneDocument(without, `line ${i + 1} removed`);
      sameAsOneDocument(shifted, `line ${i + 1} indented`);
      sameAsOneDocument(unshifted, `line ${i + 1} dedented`);
    }
  });

  it('gives exactly what parsing the whole document gives for generated fact files, valid and broken', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(factFileArb, (text) => {
        sameAsOneDocument(text, 'generated');
      }),
      { numRuns: 400, seed: 20240611 },
    );
  });

  it('recognises the usual layout of a fact file, and nothing else', () => {
    for (const { name, text } of factFiles()) {
      if (name.startsWith('syntax-error')) continue;
      const layout = layoutOf(text.replace(/\r\n?/g, '\n'));
      assert.ok(layout, `${name} is laid out for loading item by item`);
      const items = layout.reduce((n, s) => n + s.starts.length, 0);
      assert.equal(items, (text.match(/^ {2}- /gm) ?? []).length, name);
    }
    for (const name of [
      'comments and blank lines between items and sections',
      'items at the start of the line',
      'a dash alone on its line',
      'block scalars holding lines that look like items, keys and comments',
      'multi-line quoted and plain values',
      'flow items',
      'an anchor in one item and aliases in another',
    ]) {
      assert.ok(layoutOf(UNUSUAL[name]), name);
    }
    for (const name of ['a hash right after a top-level key', 'a tab after a top-level key', 'the same top-level key twice', 'an unknown top-level key', 'a list written inline', 'a document marker and a directive', 'a byte order mark', 'items less indented than the first']) {
      assert.equal(layoutOf(UNUSUAL[name]), undefined, name);
    }
  });

  it('places every entry, name, fact, relation and source at its exact line and column, however far into the file', () => {
    const n = 400;
    const text = bigFile(n);
    assert.ok(text.length > 40_000, 'many runs of items');
    const f = sameAsOneDocument(text, 'big file');
    assert.deepEqual(f.problems, []);
    assert.equal(f.entities.length, n);
    for (const i of [0, 1, 7, 8, 99, 200, 398, 399]) {
      const e = f.entities[i];
      const first = 4 + 11 * i;
      assert.equal(e.id, `e-${i}`);
      assert.deepEqual(e.origin.range.start, { line: first, character: 4 }, `entity ${i}`);
      assert.deepEqual(e.origin.range.end, { line: first + 11, character: 0 }, `entity ${i} ends with its last line`);
      assert.deepEqual(e.nameOrigin.range, { start: { line: first + 3, character: 10 }, end: { line: first + 3, character: 10 + `"Entity Number ${i}"`.length } }, `name ${i}`);
      assert.deepEqual(e.relations[0].origin.range.start, { line: first + 5, character: 8 }, `relation ${i}`);
      assert.deepEqual(e.facts[0].origin.range.start, { line: first + 8, character: 8 }, `fact ${i}`);
      assert.equal(e.facts[0].value, (i + 1) * 1_000_000);
      assert.deepEqual(e.facts[0].source, i % 2 ? { source: 's', line: i + 1 } : { source: 's', section: `${i}.1` }, `source of fact ${i}`);
    }
    assert.deepEqual(f.sources[0].origin.range.start, { line: 1, character: 4 });
    // The same file with CRLF line ends: the same lines and columns.
    const crlf = parseFactFile(text.replace(/\n/g, '\r\n'), 'file:///kb/x.facts.yaml');
    assert.deepStrictEqual(crlf, f);
  });

  it('reports a problem in a late item at its line and column, and loads every other entry', () => {
    const text = bigFile(300).replace('    kind: programme\n    type: fund\n    name: "Entity Number 250"', '    kind: wizard\n    type: fund\n    name: "Entity Number 250"');
    const f = sameAsOneDocument(text, 'bad kind');
    assert.equal(f.entities.length, 299);
    assert.deepEqual(
      f.problems.map((p) => [p.code, p.range.start.line + 1, p.range.start.character + 1]),
      [['kb.invalid-entry', 4 + 11 * 250 + 2, 11]],
    );
  });

  it('parses a large file in small pieces that a caller can pause between, with the same result', () => {
    for (const [label, text] of [
      ['usual layout', bigFile(1000)],
      ['a syntax error in the last item', UNUSUAL['a syntax error in the last item']],
      ['one document', `entities: [${Array.from({ length: 200 }, (_, i) => `{id: f-${i}, kind: programme, type: fund, name: "Flow ${i}"}`).join(', ')}]\n`],
    ] as const) {
      // Two files parsed in turn, piece by piece, as a caller pausing between pieces may: each
      // is what parsing it as one document gives.
      const other = bigFile(300).replace('kind: programme', 'kind: wizard');
      const steps = parseFactFileInSteps(text, 'file:///kb/x.facts.yaml');
      const otherSteps = parseFactFileInSteps(other, 'file:///kb/other.facts.yaml');
      let pieces = 0;
      let step = steps.next();
      let otherStep = otherSteps.next();
      for (; !step.done; step = steps.next()) {
        pieces++;
        if (!otherStep.done) otherStep = otherSteps.next();
      }
      while (!otherStep.done) otherStep = otherSteps.next();
      assert.deepStrictEqual(step.value, parseFactFileAsOneDocument(text, 'file:///kb/x.facts.yaml'), label);
      assert.deepStrictEqual(otherStep.value, parseFactFileAsOneDocument(other, 'file:///kb/other.facts.yaml'), `${label}: the other file`);
      if (label === 'usual layout') {
        // About 4 KB a piece: a pause every few milliseconds of work, not one at the end.
        assert.ok(pieces >= text.length / 8192 && pieces <= text.length / 2048, `${pieces} pieces for ${text.length} characters`);
      } else assert.ok(pieces >= 1, label);
    }
  });

  it('reads a file as one YAML document, a piece at a time, exactly as the YAML library reads it in one go', () => {
    const texts = [
      ...factFiles().map((f) => f.text),
      ...Object.values(UNUSUAL),
      '',
      '# only a comment\n',
      'entities: []\n---\nsources: []\n...\n# after the end\n',
      bigFile(200).replace('name: "Entity Number 3"', 'name: "Entity Number 3'),
    ];
    for (const text of texts) {
      const expected = parseAllDocuments(text, PARSE_OPTIONS);
      assert.deepStrictEqual(runToEnd(parseAllDocumentsInSteps(text)), Array.isArray(expected) ? [...expected] : [], text.slice(0, 60));
    }
  });

  it('parses a large file that must be read as one document in small pieces too, and loads all but the broken entry', () => {
    const n = 1000;
    for (const [label, text, problem] of [
      ['an unclosed quote in the first entry', bigFile(n).replace('name: "Entity Number 0"', 'name: "Entity Number 0\n    summary: x"'), 'kb.yaml-syntax'],
      ['an unknown top-level key', `about: a fact file\n${bigFile(n)}`, 'kb.invalid-entry'],
    ] as const) {
      const steps = parseFactFileInSteps(text, 'file:///kb/x.facts.yaml');
      let pieces = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) pieces++;
      // Reading the YAML and loading its entries: a pause every few thousand characters of each.
      assert.ok(pieces >= text.length / 4096, `${label}: ${pieces} pieces for ${text.length} characters`);
      assert.equal(step.value.entities.length, problem === 'kb.yaml-syntax' ? n - 1 : n, label);
      assert.deepEqual(
        step.value.problems.map((p) => p.code),
        [problem],
        label,
      );
    }
  });

  it('reports a YAML syntax error in the last of many items where YAML sees it, and loads the entries before it', () => {
    const f = sameAsOneDocument(UNUSUAL['a syntax error in the last item'], 'duplicate key');
    assert.equal(f.entities.length, 59);
    assert.deepEqual(
      f.problems.map((p) => [p.code, p.range.start.line + 1, p.range.start.character + 1]),
      [['kb.yaml-syntax', 4 + 11 * 59 + 4 + 1, 5]],
    );
  });

  it('resolves an alias to an anchor in another entry, as one YAML document does', () => {
    const f = sameAsOneDocument(UNUSUAL['an anchor in one item and aliases in another'], 'aliases');
    assert.deepEqual(f.problems, []);
    assert.deepEqual(
      f.entities.map((e) => [e.id, e.kind, e.aliases]),
      [
        ['a', 'programme', []],
        ['b', 'programme', ['Alpha Fund']],
      ],
    );
  });

  it('skips every entry that meets a syntax error, and only those, however many there are', () => {
    const entries = Array.from({ length: 3000 }, (_, i) =>
      [`  - id: e-${i}`, ...ENTRY.map((l) => `    ${l}`), `    name: Entity ${i}`, ...(i % 3 === 1 ? [`    name: Entity ${i} again`] : [])].join('\n'),
    );
    const f = parseFactFile(`entities:\n${entries.join('\n')}\n`, 'dups.yaml');
    assert.equal(f.entities.length, 2000);
    assert.ok(f.entities.every((e) => Number(e.id.slice(2)) % 3 !== 1));
    assert.equal(f.problems.length, 1000);
    assert.ok(f.problems.every((p) => p.code === 'kb.yaml-syntax' && /twice/.test(p.message)));
  });
});

describe('knowledge base indexes', () => {
  const kbOf = (...texts: string[]) => KnowledgeBase.build(texts.map((t, i) => parseFactFile(t, `file:///kb/${i}.facts.yaml`)));
  const entity = (id: string, name: string, more: string[] = []) => [`  - id: ${id}`, ...ENTRY.map((l) => `    ${l}`), `    name: ${name}`, ...more.map((l) => `    ${l}`)].join('\n');

  it('builds the same knowledge base, name matcher included, in small steps', () => {
    const big = parseFactFile(bigFile(3000), 'file:///kb/big.facts.yaml');
    const broken = factFiles().map((f) => parseFactFile(f.text, `file:///kb/${f.name}`));
    const files = [...broken, big];
    const steps = KnowledgeBase.buildInSteps(files);
    let pieces = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pieces++;
    const stepped = step.value;
    const whole = KnowledgeBase.build(files);
    // 3,000 entities and 3,000 of their names: a pause every thousand entities or two thousand names.
    assert.ok(pieces >= 5, `${pieces} pieces`);
    assert.deepStrictEqual([stepped.entities, stepped.sources, stepped.problems, stepped.files], [whole.entities, whole.sources, whole.problems, whole.files]);
    const draft = 'Entity Number 2999 gave £3000m. Entity Number 12 gave £14m, as did Supporting Families and the DfE.';
    assert.deepStrictEqual(checkText(stepped, draft), checkText(whole, draft));
    assert.equal(stepped.matcher.size, whole.matcher.size);
    assert.deepStrictEqual(stepped.findByName('Entity Number 7'), whole.findByName('Entity Number 7'));
  });

  it('finds every entity sharing a name, and says so at the later one', () => {
    const kb = kbOf(`entities:\n${entity('a', 'Alpha Fund', ['aliases: [The Fund]'])}\n${entity('b', 'Beta Fund', ['aliases: [the fund]'])}\n${entity('c', 'Gamma Fund')}\n`);
    assert.deepEqual(
      kb.findByName('THE FUND').map((e) => e.id),
      ['a', 'b'],
    );
    assert.deepEqual(
      kb.findByName('gamma fund').map((e) => e.id),
      ['c'],
    );
    assert.deepEqual(kb.findByName('Delta Fund'), []);
    assert.deepEqual(
      kb.problems.map((p) => [p.code, p.range.start.line]),
      [['kb.duplicate-name', 9]],
    );
  });

  it('finds facts by value whatever float noise the figure carries, and not in another unit, each with its entity', () => {
    const facts = ['facts:', '  - { figure: "£1.085bn", about: spending, source: { source: s } }', '  - { figure: "1,085,000,000 pupils", about: pupils, source: { source: s } }'];
    const more = ['facts:', '  - { figure: "£1,085m", about: budget, source: { source: s } }'];
    const kb = kbOf(`sources:\n  - { id: s, title: S }\nentities:\n${entity('a', 'Alpha Fund', facts)}\n${entity('b', 'Beta Fund', more)}\n`);
    const money = kb.recordsOf('GBP', 1.085 * 1e9);
    assert.deepEqual(
      money.facts.map((f, i) => [f.about, money.owners[i].name]),
      [
        ['spending', 'Alpha Fund'],
        ['budget', 'Beta Fund'],
      ],
    );
    assert.deepEqual(
      kb.recordsOf('count', 1_085_000_000).facts.map((f) => f.about),
      ['pupils'],
    );
    assert.deepEqual(kb.recordsOf('GBP', 1_085_000_001).facts, []);
  });

  it('counts each file’s problems in its summary', () => {
    const kb = kbOf(`entities:\n${entity('a', 'Alpha Fund')}\n${entity('Bad Id', 'Bad Fund')}\n`, `entities:\n${entity('b', 'Beta Fund', ['kind: twice'])}\n`, `entities:\n${entity('c', 'Gamma Fund')}\n`);
    assert.deepEqual(
      kb.files.map((f) => [f.uri.split('/').pop(), f.entities, f.problems]),
      [
        ['0.facts.yaml', 1, 1],
        ['1.facts.yaml', 0, 1],
        ['2.facts.yaml', 1, 0],
      ],
    );
  });
});
