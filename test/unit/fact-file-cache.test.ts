import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { checkText, KnowledgeBase, parseFactFile, type LoadedFactFile } from '../../src/core';
import { FactFileCache } from '../../src/extension/factFileCache';
import { hashBytes } from '../../src/extension/seedsSnapshot';
import { fixture } from './helpers';

/**
 * Workspace fact files kept between sessions: a file taken from the cache must be exactly the
 * file as parsed, problems and positions included, and the cache is used only for the very
 * bytes, and the very loader, it was written by.
 */
const files = ['valid.facts.yaml', 'broken.facts.yaml', 'syntax-error.facts.yaml'].map((name) => {
  const bytes = new Uint8Array(fs.readFileSync(fixture('facts', name)));
  const uri = `file:///workspace/${name}`;
  return { uri, bytes, hash: hashBytes(bytes), file: parseFactFile(new TextDecoder().decode(bytes), uri, 'workspace') };
});

function written(version = 'v1'): string {
  const cache = new FactFileCache(version);
  for (const f of files) cache.set(f.uri, f.hash, f.file);
  return cache.serialize();
}

describe('cache of loaded fact files', () => {
  it('gives back each file exactly as the loader made it, problems and their positions included', () => {
    const cache = FactFileCache.read(written(), 'v1');
    assert.equal(cache.size, files.length);
    for (const f of files) {
      const cached = cache.get(f.uri, f.hash);
      assert.ok(cached, f.uri);
      // As JSON carries it: properties whose value is `undefined` are absent.
      assert.deepStrictEqual(cached, JSON.parse(JSON.stringify(f.file)) as LoadedFactFile);
    }
    assert.ok(files.some((f) => f.file.problems.length > 0), 'the broken fixtures have problems to keep');
  });

  it('checks a draft the same with the cached files as with the parsed ones', () => {
    const cache = FactFileCache.read(written(), 'v1');
    const parsed = KnowledgeBase.build(files.map((f) => f.file));
    const cached = KnowledgeBase.build(files.map((f) => cache.get(f.uri, f.hash)!));
    const draft = 'Supporting Families has received over £185m since 2015. The Troubled Families Programme reached 400,000 families. The DfE gave £18m.';
    assert.deepEqual(JSON.parse(JSON.stringify(checkText(cached, draft))), JSON.parse(JSON.stringify(checkText(parsed, draft))));
    assert.deepEqual(
      cached.problems.map((p) => [p.code, p.uri, p.range.start.line, p.range.start.character]),
      parsed.problems.map((p) => [p.code, p.uri, p.range.start.line, p.range.start.character]),
    );
  });

  it('is not used for a file whose bytes changed', () => {
    const cache = FactFileCache.read(written(), 'v1');
    const edited = new Uint8Array([...files[0].bytes, 0x0a]);
    assert.equal(cache.get(files[0].uri, hashBytes(edited)), undefined);
    assert.equal(cache.get('file:///workspace/other.facts.yaml', files[0].hash), undefined, 'nor for another file with the same bytes');
  });

  it('is not read at all when written by another version of the loader, in another format, or damaged', () => {
    assert.equal(FactFileCache.read(written('v1'), 'v2').size, 0);
    assert.equal(FactFileCache.read(written().replace('"format":2', '"format":99'), 'v1').size, 0);
    const text = written();
    // Each file's entries inline, not as text of their own (as the first format had them).
    const inline = (format: number) => `{"format":${format},"version":"v1","files":[{"uri":"u","hash":"h","file":{"uri":"u","entities":[],"sources":[],"problems":[]}}]}`;
    for (const damaged of [text.slice(0, text.length / 2), '', 'null', '{"format":2,"version":"v1","files":[null,{"uri":1}]}', '\u0000\u0001binary', inline(1), inline(2)]) {
      const cache = FactFileCache.read(damaged, 'v1');
      assert.equal(cache.size, 0, JSON.stringify(damaged.slice(0, 40)));
      assert.equal(cache.isChanged, false);
    }
  });

  it('reads a file only when it is asked for, and parses one whose kept text is damaged again', () => {
    const deep = `{"uri":"u","entities":[],"sources":[],"problems":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`;
    const bad = ['{"uri":"u","entities":[', 'null', '{"uri":"other","entities":[],"sources":[],"problems":[]}', '{"uri":"u","entities":{},"sources":[],"problems":[]}', deep];
    for (const file of bad) {
      const cache = FactFileCache.read(JSON.stringify({ format: 2, version: 'v1', files: [{ uri: 'u', hash: 'h', file }] }), 'v1');
      assert.equal(cache.size, 1, 'kept until asked for');
      assert.equal(cache.get('u', 'h'), undefined, file.slice(0, 40));
      assert.equal(cache.size, 0, 'dropped once found damaged');
      assert.equal(cache.isChanged, true, 'so the mended cache is written');
    }
    // A file read from the cache changes nothing to write; files never asked for are written back as they were read.
    const cache = FactFileCache.read(written(), 'v1');
    assert.ok(cache.get(files[0].uri, files[0].hash));
    assert.equal(cache.isChanged, false, 'nothing to write after reading a file');
    cache.scope = 'another';
    const again = FactFileCache.read(cache.serialize(), 'v1');
    for (const f of files) assert.deepStrictEqual(again.get(f.uri, f.hash), JSON.parse(JSON.stringify(f.file)) as LoadedFactFile);
  });

  it('drops files that are gone, and says when it has something new to write', () => {
    const cache = FactFileCache.read(written(), 'v1');
    assert.equal(cache.isChanged, false, 'just read');
    cache.set(files[0].uri, files[0].hash, cache.get(files[0].uri, files[0].hash)!);
    assert.equal(cache.isChanged, false, 'the same file again changes nothing');
    cache.retain(new Set([files[0].uri, files[1].uri]));
    assert.equal(cache.isChanged, true);
    assert.equal(cache.get(files[2].uri, files[2].hash), undefined);
    const again = FactFileCache.read(cache.serialize(), 'v1');
    assert.equal(cache.isChanged, false, 'written');
    assert.deepEqual(
      [again.get(files[0].uri, files[0].hash)?.uri, again.get(files[1].uri, files[1].hash)?.uri, again.size],
      [files[0].uri, files[1].uri, 2],
    );
  });

  it('is written out a file at a time, as it was when asked', () => {
    const cache = FactFileCache.read(written(), 'v1');
    const steps = cache.serializeInSteps();
    assert.equal(cache.isChanged, false);
    // Changed while being written out: the text is the cache before the change.
    cache.retain(new Set([files[0].uri]));
    cache.scope = 'later';
    let pieces = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pieces++;
    assert.equal(pieces, files.length, 'a pause before each file');
    assert.equal(step.value, written());
    const again = FactFileCache.read(step.value, 'v1');
    assert.deepEqual([again.size, again.scope], [files.length, undefined]);
    assert.equal(cache.isChanged, true, 'the change is still to be written');
  });

  it('keeps where its files were found, and lists them', () => {
    const cache = FactFileCache.read(written(), 'v1');
    assert.equal(cache.scope, undefined, 'not said yet');
    assert.deepEqual(cache.uris().sort(), files.map((f) => f.uri).sort());
    cache.scope = '[["file:///workspace",[".policy-facts/**/*.yaml"]]]';
    assert.equal(cache.isChanged, true, 'a new scope is something to write');
    const again = FactFileCache.read(cache.serialize(), 'v1');
    assert.equal(again.scope, cache.scope);
    again.scope = cache.scope;
    assert.equal(again.isChanged, false, 'the same scope changes nothing');
    assert.equal(FactFileCache.read(written().replace('"files"', '"scope":7,"files"'), 'v1').scope, undefined, 'a scope that is not text is ignored');
  });
});
