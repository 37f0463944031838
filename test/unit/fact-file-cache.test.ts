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

const utf8 = (text: string) => new TextEncoder().encode(text);
const textOf = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function written(version = 'v1'): Uint8Array {
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
    assert.equal(FactFileCache.read(utf8(textOf(written()).replace('"format":3', '"format":99')), 'v1').size, 0);
    // The formats before: one line of JSON, each file's entries inline (1) or as text of their own (2).
    const oneLine = (format: number, file: unknown) => `{"format":${format},"version":"v1","files":[{"uri":"u","hash":"h","file":${JSON.stringify(file)}}]}`;
    const empty = { uri: 'u', entities: [], sources: [], problems: [] };
    const head = '{"format":3,"version":"v1"}\n';
    for (const damaged of ['', 'null', '\u0000\u0001binary', oneLine(1, empty), oneLine(2, JSON.stringify(empty)), `${oneLine(2, JSON.stringify(empty))}\n`, `${head}not json\n{}\n`, `${head}{"uri":1,"hash":"h"}\n{}\n`]) {
      const cache = FactFileCache.read(utf8(damaged), 'v1');
      assert.equal(cache.size, 0, JSON.stringify(damaged.slice(0, 40)));
      assert.equal(cache.isChanged, false);
    }
    assert.equal(FactFileCache.read(undefined, 'v1').size, 0, 'no cache yet');
  });

  it('keeps the whole files before the point where it was cut short, and no other', () => {
    const bytes = written();
    const lines = textOf(bytes).split('\n');
    for (let cut = 0; cut <= bytes.length; cut += 97) {
      const cache = FactFileCache.read(bytes.subarray(0, cut), 'v1');
      // Whole lines before the cut: the head, then two lines per file.
      let whole = 0;
      for (let n = 0, at = 0; n < lines.length && at + lines[n].length < cut; at += lines[n].length + 1, n++) whole++;
      const kept = Math.max(0, Math.floor((whole - 1) / 2));
      assert.equal(cache.size, kept, `cut at ${cut}`);
      for (const f of files.slice(0, kept)) assert.deepStrictEqual(cache.get(f.uri, f.hash), JSON.parse(JSON.stringify(f.file)) as LoadedFactFile);
    }
  });

  it('reads a file only when it is asked for, and parses one whose kept text is damaged again', () => {
    const deep = `{"uri":"u","entities":[],"sources":[],"problems":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`;
    const bad = ['{"uri":"u","entities":[', 'null', '{"uri":"other","entities":[],"sources":[],"problems":[]}', '{"uri":"u","entities":{},"sources":[],"problems":[]}', deep];
    const notUtf8 = utf8('{"uri":"u","entities":[],"sources":[{"id":"s","title":"£ x"}],"problems":[]}').map((b) => (b === 0xc2 ? 0xff : b));
    for (const file of [...bad.map(utf8), notUtf8]) {
      const cache = FactFileCache.read(new Uint8Array([...utf8('{"format":3,"version":"v1"}\n{"uri":"u","hash":"h"}\n'), ...file, 0x0a]), 'v1');
      assert.equal(cache.size, 1, 'kept until asked for');
      assert.equal(cache.get('u', 'h'), undefined, textOf(file).slice(0, 40));
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

  it('is read a file at a time', () => {
    const steps = FactFileCache.readInSteps(written(), 'v1');
    let pieces = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pieces++;
    assert.equal(pieces, files.length, 'a pause before each file');
    assert.deepEqual(step.value.uris().sort(), files.map((f) => f.uri).sort());
  });

  it('keeps each file as its JSON on a line of its own, not escaped inside other JSON', () => {
    const lines = textOf(written()).split('\n');
    assert.equal(lines.length, 2 + 2 * files.length, 'the head, two lines a file, and a line break at the end');
    for (const f of files) assert.ok(lines.includes(JSON.stringify(f.file)), f.uri);
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
    assert.equal(pieces, files.length + 1, 'a pause before each file, and before joining them');
    assert.deepStrictEqual(step.value, written());
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
    assert.equal(FactFileCache.read(utf8(textOf(written()).replace('"version":"v1"', '"version":"v1","scope":7')), 'v1').scope, undefined, 'a scope that is not text is ignored');
  });
});
