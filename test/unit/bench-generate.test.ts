import * as assert from 'node:assert/strict';
import { factFiles, makeDraft, makeEntities } from '../../bench/generate';
import { checkText, KnowledgeBase, parseFactFile } from '../../src/core';

/** The benchmark's knowledge bases must look like a department's: bodies that fund many programmes. */
describe('benchmark inputs', () => {
  const entities = makeEntities(3000);
  const kb = KnowledgeBase.build(factFiles(entities).map(([name, text]) => parseFactFile(text, `file:///bench/${name}`, 'workspace')));

  it('links every programme to a hub organisation that funds it, through ids that exist', () => {
    const byId = new Map(entities.map((e) => [e.id, e]));
    const funded = new Map<string, number>();
    for (const e of entities) {
      if (e.kind === 'organisation') assert.deepEqual(e.relations, [], e.id);
      else assert.equal(e.relations.filter((r) => r.type === 'funded-by').length, 1, e.id);
      for (const r of e.relations) {
        assert.equal(byId.get(r.target)?.kind, 'organisation', `${e.id} ${r.type} ${r.target}`);
        if (r.type === 'funded-by') funded.set(r.target, (funded.get(r.target) ?? 0) + 1);
      }
    }
    assert.ok(funded.size <= 20, `${funded.size} funding bodies`);
    assert.ok(Math.max(...funded.values()) >= 300, 'one body funds hundreds of programmes');
    assert.ok(entities.some((e) => e.relations.some((r) => r.type === 'led-by')));
    assert.ok(entities.some((e) => e.relations.some((r) => r.type === 'delivered-by')));
  });

  it('writes relations the loader accepts: no problem but the duplicate names it always had', () => {
    assert.deepEqual([...new Set(kb.problems.map((p) => p.code))], ['kb.duplicate-name']);
    const hub = entities.find((e) => e.relations.length)!.relations[0].target;
    assert.ok(kb.incoming(hub).length >= 10);
  });

  it('drafts give programmes’ figures next to only their funding body’s name, and the check finds them there', () => {
    const findings = checkText(kb, makeDraft(entities, 100_000)).findings;
    assert.ok(findings.some((f) => f.status === 'verified' && /\(funded by /.test(f.message)));
  });
});
