import * as assert from 'node:assert/strict';
import { KnowledgeBase, parseFactFile } from '../../src/core';

/** One entity entry, 6 lines; every tenth is broken in a different way. */
function entry(i: number): string {
  const broken = i % 10 === 7;
  const kind = broken && i % 20 === 7 ? 'charity' : 'programme';
  const id = broken && i % 20 === 17 ? `Bad Id ${i}` : `scheme-${i}`;
  return [`  - id: ${id}`, `    kind: ${kind}`, '    type: scheme', `    name: Scheme Number ${i}`, '    facts:', `      - { figure: "£${i}m", about: funding, source: { source: s } }`].join('\n');
}

function file(n: number): string {
  return ['sources:', '  - { id: s, title: Synthetic source }', 'entities:', ...Array.from({ length: n }, (_, i) => entry(i))].join('\n') + '\n';
}

describe('hostile fact files', () => {
  it('a file of 1,000 entries with 100 bad ones: each bad one reported at its line, the 900 good ones loaded', () => {
    const f = parseFactFile(file(1000), 'many.facts.yaml');
    assert.equal(f.entities.length, 900);
    assert.equal(f.problems.length, 100);
    // Entry i starts on line 4 + 6i (1-based); a wrong kind is on its second line, a bad id on its first.
    const expected = Array.from({ length: 1000 }, (_, i) => i)
      .filter((i) => i % 10 === 7)
      .map((i) => (i % 20 === 7 ? `${4 + 6 * i + 1}:11` : `${4 + 6 * i}:9`));
    assert.deepEqual(
      f.problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1}`),
      expected,
    );
    assert.equal(KnowledgeBase.build([f]).factCount, 900);
  });

  it('a 10 MB fact file loads completely, without hanging', function () {
    this.timeout(120_000);
    let n = 1000;
    while (file(n).length < 10 * 1024 * 1024) n *= 2;
    const text = file(n);
    assert.ok(text.length >= 10 * 1024 * 1024);
    const f = parseFactFile(text, 'big.facts.yaml');
    assert.equal(f.entities.length, n - n / 10);
    assert.equal(f.problems.length, n / 10);
  });

  it('wrong types everywhere: each reported, nothing thrown', () => {
    const text = [
      'sources: { id: s }',
      'entities:',
      '  - id: 42',
      '    kind: [programme]',
      '    type: { a: 1 }',
      '    name: true',
      '    facts: "none"',
      '  - 7',
      '  - null',
      '  - id: fine',
      '    kind: organisation',
      '    type: charity',
      '    name: Fine Charity',
    ].join('\n');
    const f = parseFactFile(text, 'types.yaml');
    assert.deepEqual(
      f.entities.map((e) => e.id),
      ['fine'],
    );
    const lines = new Set(f.problems.map((p) => p.range.start.line + 1));
    for (const l of [1, 3, 4, 5, 6, 7, 8]) assert.ok(lines.has(l), `a problem on line ${l}: ${JSON.stringify(f.problems.map((p) => [p.range.start.line + 1, p.message]))}`);
  });
});
