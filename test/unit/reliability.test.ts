/**
 * The limits that bound the work on one draft (src/extension/limits.ts): which part of a
 * draft is checked, that the checker then says what it left out, and that hostile text
 * (one huge line, binary, lone surrogates) is checked within bounds.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkEncoding, checkText, checkTextInSteps, decodeText, draftBlockStarts, KnowledgeBase, parseFactFile, runToEnd, segment } from '../../src/core';
import {
  clampMaxDraftChars,
  DEFAULT_MAX_DRAFT_CHARS,
  describeLimit,
  draftLimit,
  MAX_MAX_DRAFT_CHARS,
  MAX_PARAGRAPH_CHARS,
  MIN_MAX_DRAFT_CHARS,
} from '../../src/extension/limits';
import { ROOT } from './helpers';

function seedsKb(): KnowledgeBase {
  const dir = path.join(ROOT, 'seeds');
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => parseFactFile(fs.readFileSync(path.join(dir, f), 'utf8'), `file:///seeds/${f}`, 'bundled'));
  return KnowledgeBase.build(files);
}

/** `piece` repeated to exactly `n` characters. */
function repeat(piece: string, n: number): string {
  return piece.repeat(Math.ceil(n / piece.length)).slice(0, n);
}

/** A sentence with names and figures the seeds know, as found in real drafts. */
const PROSE = 'The Department for Education (DfE) gave £1.2m to the Supporting Families programme, which reached 401,719 families. ';

describe('reliability: draft limits', () => {
  let kb: KnowledgeBase;
  before(() => {
    kb = seedsKb();
  });

  it('the setting is kept to a whole number within bounds; anything else means the default', () => {
    assert.equal(clampMaxDraftChars(undefined), DEFAULT_MAX_DRAFT_CHARS);
    assert.equal(clampMaxDraftChars('5000'), DEFAULT_MAX_DRAFT_CHARS);
    assert.equal(clampMaxDraftChars(Number.NaN), DEFAULT_MAX_DRAFT_CHARS);
    assert.equal(clampMaxDraftChars(Number.POSITIVE_INFINITY), DEFAULT_MAX_DRAFT_CHARS);
    assert.equal(clampMaxDraftChars(-1), MIN_MAX_DRAFT_CHARS);
    assert.equal(clampMaxDraftChars(0), MIN_MAX_DRAFT_CHARS);
    assert.equal(clampMaxDraftChars(123_456.9), 123_456);
    assert.equal(clampMaxDraftChars(1e12), MAX_MAX_DRAFT_CHARS);
  });

  it('package.json declares policyFacts.maxDraftChars with the same default and bounds', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const setting = manifest.contributes.configuration.properties['policyFacts.maxDraftChars'];
    assert.ok(setting, 'the setting is declared');
    assert.deepEqual([setting.type, setting.default, setting.minimum, setting.maximum], ['number', DEFAULT_MAX_DRAFT_CHARS, MIN_MAX_DRAFT_CHARS, MAX_MAX_DRAFT_CHARS]);
    assert.match(setting.markdownDescription, /100,000/, 'the paragraph limit is documented too');
  });

  it('a draft within the limits is checked whole', () => {
    const text = repeat(`${PROSE}\n\n`, 300_000);
    const limit = draftLimit(text, DEFAULT_MAX_DRAFT_CHARS);
    assert.deepEqual(limit, { length: 300_000, maxChars: DEFAULT_MAX_DRAFT_CHARS });
    assert.equal(describeLimit(limit, text.length), undefined);
  });

  it('a draft over maxDraftChars is checked up to it, and the check says what it left out', () => {
    const text = repeat(`${PROSE}\n\n`, 50_000);
    const limit = draftLimit(text, 20_000);
    assert.deepEqual([limit.reason, limit.maxChars, limit.length], ['draft', 20_000, 50_000]);
    const result = checkText(kb, text, { maxChars: limit.maxChars });
    const stop = result.findings.filter((f) => f.code === 'check.limit');
    assert.equal(stop.length, 1, 'one check.limit finding');
    assert.ok(result.summary.checkedChars <= 20_000 && result.summary.checkedChars > 19_800, String(result.summary.checkedChars));
    assert.equal(result.summary.checkedChars + result.summary.skippedChars, 50_000);
    assert.equal(stop[0].start, result.summary.checkedChars, 'reported where the check stopped');
    assert.match(stop[0].message, /Only the first 19,\d{3} of 50,000 characters were checked/);
    assert.ok(result.figures.every((f) => f.end <= result.summary.checkedChars), 'no figure after the limit');
    assert.match(describeLimit(limit, result.summary.checkedChars) ?? '', /policyFacts\.maxDraftChars.*the last 30,\d{3} of 50,000 characters were not checked/);
  });

  it('one huge line is checked up to MAX_PARAGRAPH_CHARS, quickly, and says so', () => {
    // One line of 1,000,000 characters full of names and figures: without the paragraph limit,
    // attaching each figure to a name in the same paragraph takes close to a minute.
    const text = repeat(PROSE, 1_000_000);
    const limit = draftLimit(text, DEFAULT_MAX_DRAFT_CHARS);
    assert.deepEqual([limit.reason, limit.maxChars, limit.paragraph], ['paragraph', MAX_PARAGRAPH_CHARS, { start: 0, length: 1_000_000 }]);
    const t0 = Date.now();
    const result = checkText(kb, text, { maxChars: limit.maxChars });
    const ms = Date.now() - t0;
    assert.ok(ms < 8_000, `checked in ${ms} ms`);
    assert.ok(result.summary.figures > 1000, 'the checked part is really checked');
    assert.ok(result.findings.some((f) => f.code === 'check.limit'));
    assert.match(describeLimit(limit, result.summary.checkedChars, () => 0) ?? '', /paragraph on line 1 is 1,000,000 characters long/);
  });

  it('a long paragraph after normal ones is cut 100,000 characters into it', () => {
    const head = `${PROSE}\n\n`.repeat(250);
    const text = `${head}${repeat(PROSE, 400_000)}\n\nThe end.`;
    const limit = draftLimit(text, DEFAULT_MAX_DRAFT_CHARS);
    assert.equal(limit.reason, 'paragraph');
    assert.equal(limit.paragraph?.start, head.length);
    assert.equal(limit.paragraph?.length, 400_000);
    assert.equal(limit.maxChars, head.length + MAX_PARAGRAPH_CHARS);
  });

  it('finds paragraphs as the checker does: lines without a blank line are paragraphs, and blank lines inside a sentence are not breaks', () => {
    // No blank line at all: every line is a paragraph, so many short lines are fine.
    assert.equal(draftLimit(repeat(`${PROSE}\n`, 500_000), DEFAULT_MAX_DRAFT_CHARS).reason, undefined);
    // Text pasted from a PDF: a line that does not end a sentence, a blank line, a line in
    // lower case: the checker reads one sentence across the blank line, so one paragraph.
    const pdf = repeat('the programme reached 1,200 families in\n\nthe north and ', 300_000);
    const limit = draftLimit(pdf, DEFAULT_MAX_DRAFT_CHARS);
    assert.equal(limit.reason, 'paragraph');
    assert.equal(limit.maxChars, MAX_PARAGRAPH_CHARS);
  });

  it('finds the first paragraph over the limit exactly where splitting the whole draft finds it, in drafts with and without blank lines', () => {
    // The limit as the checker's paragraphs give it, by their definition.
    const reference = (text: string, max: number): number | undefined => segment(text).paragraphs.find((p) => p.end - p.start > max)?.start;
    let seed = 99;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const pieces = ['The DfE gave £5m', ' to the fund', '.', '\n', '\n\n', '\n \n', '\r\n', 'the north and ', '# Heading', '> Quote', '- item ', '£21.05 ', '(aside) ', 'Then ', 'and then '];
    let limited = 0;
    for (let n = 0; n < 400; n++) {
      let text = '';
      const count = 5 + Math.floor(random() * 60);
      for (let i = 0; i < count; i++) text += pieces[Math.floor(random() * pieces.length)];
      const max = 20 + Math.floor(random() * 120);
      const expected = reference(text, max);
      const limit = draftLimit(text, DEFAULT_MAX_DRAFT_CHARS, max);
      assert.equal(limit.paragraph?.start, expected, JSON.stringify({ text, max }));
      if (expected !== undefined) limited++;
    }
    assert.ok(limited > 50 && limited < 350, `${limited} of 400 drafts have a paragraph over the limit`);
  });

  it('hostile text (binary, lone surrogates, NULs, lone CRs) is checked without throwing, within bounds', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const inputs: Record<string, string> = {
      'random code units': Array.from({ length: 300_000 }, () => String.fromCharCode(next() % 0x10000)).join(''),
      'random bytes as Latin-1': Array.from({ length: 300_000 }, () => String.fromCharCode(next() % 256)).join(''),
      'lone surrogates around figures': repeat('\ud800£5m DfE\udc00 \udfff401,719 families\ud83d', 300_000),
      'replacement characters (invalid UTF-8)': repeat('\ufffd\ufffdDfE gave £1.2m\ufffd to Supporting Families\r', 300_000),
      'emoji without spaces': repeat('\u{1f4b7}', 300_000),
      // Each line break of a run of blank lines once read the rest of the run again: minutes.
      'two hundred thousand blank lines': `Intro.\n\nThe ASF had £46m.${'\n'.repeat(200_000)}y £5m`,
      'blank lines of spaces and tabs': `Intro.\n\nThe ASF.${'\n  \t'.repeat(100_000)}y`,
      // An ignore comment's reason was found by a pattern that read a run of spaces once per space,
      // and every finding was compared with every comment.
      'an ignore comment with 90,000 spaces in it': `The ASF had £46m. <!-- policy-facts-ignore x${' '.repeat(90_000)}y -->\n`,
      'fifty thousand ignore comments': `${'£5m.\n'.repeat(200_000)}${'policy-facts-ignore\n'.repeat(50_000)}`,
      'binary with NULs and figures in it': Array.from({ length: 300_000 }, (_, i) => (i % 997 === 0 ? ' £1.2m DfE ' : String.fromCharCode(next() % 3 === 0 ? 0 : next() % 256))).join(''),
    };
    for (const [name, text] of Object.entries(inputs)) {
      const limit = draftLimit(text, DEFAULT_MAX_DRAFT_CHARS);
      const t0 = Date.now();
      const result = checkText(kb, text, { maxChars: limit.maxChars });
      const ms = Date.now() - t0;
      assert.ok(ms < 8_000, `${name}: ${ms} ms`);
      assert.equal(result.summary.checkedChars + result.summary.skippedChars, text.length, name);
      for (const f of result.findings) assert.ok(f.start >= 0 && f.end <= text.length && f.start <= f.end, `${name}: ${f.code} at ${f.start}-${f.end}`);
      if (result.summary.skippedChars) assert.ok(result.findings.some((f) => f.code === 'check.limit'), `${name}: the limit is reported`);
    }
  });

  it('a draft as long as the setting allows, with no figure after its start, is checked in bounded time', () => {
    // A draft is read in pieces; each piece's search for figures once ran on past the piece to
    // the next figure, so every piece read the rest of a draft without one: minutes at this size.
    const text = `The ASF had £46m.\n\n${repeat('The Department for Education works with councils on adoption and fostering.\n\n', MAX_MAX_DRAFT_CHARS - 20)}`;
    const limit = draftLimit(text, MAX_MAX_DRAFT_CHARS);
    const t0 = Date.now();
    // In pieces, cut where the editor cuts a draft.
    const result = runToEnd(checkTextInSteps(kb, text, { maxChars: limit.maxChars }, draftBlockStarts(kb, text)));
    const ms = Date.now() - t0;
    assert.ok(ms < 8_000, `${ms} ms`);
    assert.equal(result.summary.checkedChars, text.length);
    assert.deepEqual(
      result.figures.map((f) => f.text),
      ['£46m'],
    );
  });
});

describe('reliability: reading a file as text', () => {
  const utf16le = (s: string, mark = true) => Uint8Array.from([...(mark ? [0xff, 0xfe] : []), ...Buffer.from(s, 'utf16le')]);
  const swapped = (bytes: Uint8Array) => {
    const b = Buffer.from(bytes);
    b.swap16();
    return Uint8Array.from(b);
  };

  it('reads UTF-8, with or without its byte-order mark, and UTF-16 either way round, with its mark or without', () => {
    const text = 'The ASF had £46m — 12,000 families.\r\n';
    for (const [name, bytes] of [
      ['UTF-8', Buffer.from(text)],
      ['UTF-8 with its mark', Buffer.from(`\ufeff${text}`)],
      ['UTF-16LE with its mark', utf16le(text)],
      ['UTF-16BE with its mark', swapped(utf16le(text))],
      // As VS Code opens them: zero bytes only where UTF-16 of plain text has them.
      ['UTF-16LE without a mark', utf16le('The ASF had £46m.\n', false)],
      ['UTF-16BE without a mark', swapped(utf16le('The ASF had £46m.\n', false))],
    ] as const) {
      const expected = name.includes('without a mark') ? 'The ASF had £46m.\n' : text;
      assert.deepEqual(decodeText(bytes), { ok: true, text: expected }, name);
    }
    // Only one mark is dropped: a second is a character of the text, as the editor shows it.
    assert.deepEqual(decodeText(Buffer.from('\ufeff\ufeffA')), { ok: true, text: '\ufeffA' });
  });

  it('refuses a binary file and a UTF-32 one, and says why', () => {
    const png = decodeText(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    assert.match(!png.ok ? png.reason : '', /binary file/);
    for (const utf32 of [decodeText(Uint8Array.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0])), decodeText(Uint8Array.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x41]))]) {
      assert.match(!utf32.ok ? utf32.reason : '', /UTF-32/);
    }
  });

  it('reads bytes that are not valid text as "\ufffd" and says how many, not counting a "\ufffd" the file writes', () => {
    const latin1 = decodeText(Uint8Array.from([...Buffer.from('Caf'), 0xe9, 0x2e, ...Buffer.from(' \ufffd')]));
    assert.deepEqual(latin1, { ok: true, text: 'Caf\ufffd. \ufffd', warning: 'is not valid UTF-8: 1 byte sequence(s) were read as "\ufffd"; figures next to them may be missed' });
    assert.deepEqual(decodeText(utf16le('a \ufffd b')), { ok: true, text: 'a \ufffd b' }, 'a valid UTF-16 file that writes "\ufffd"');
    // A UTF-16 file cut in the middle of a code unit.
    const cut = decodeText(utf16le('£46m').subarray(0, 9));
    assert.equal(cut.ok && cut.text.startsWith('£46'), true);
    assert.match(cut.ok ? (cut.warning ?? '') : '', /not valid UTF-16 \(little-endian\): 1 sequence/);
    // One that writes "\ufffd" and is cut: only the cut is counted.
    const both = decodeText(utf16le('a \ufffd £46m').subarray(0, 13));
    assert.match(both.ok ? (both.warning ?? '') : '', /: 1 sequence/);
  });

  it('reads a file without a byte-order mark in the encoding asked for (as files.encoding does), and a file with one as its mark says', () => {
    const ansi = Buffer.from('The ASF had \u00a346m.\n', 'latin1');
    assert.deepEqual(decodeText(ansi, 'windows-1252'), { ok: true, text: 'The ASF had £46m.\n' });
    assert.deepEqual(decodeText(ansi, 'latin1'), { ok: true, text: 'The ASF had £46m.\n' }, 'any label the decoder knows');
    assert.equal(decodeText(ansi).ok && decodeText(ansi, 'utf-8').ok, true);
    assert.match((decodeText(ansi) as { warning: string }).warning, /not valid UTF-8/);
    // Marks and UTF-16 win over the encoding asked for; zero bytes still mean a binary file.
    assert.deepEqual(decodeText(Buffer.from('\ufeffThe ASF had £46m.'), 'windows-1252'), { ok: true, text: 'The ASF had £46m.' });
    assert.deepEqual(decodeText(utf16le('The ASF had £46m.'), 'windows-1252'), { ok: true, text: 'The ASF had £46m.' });
    assert.match((decodeText(Uint8Array.from([0x89, 0x50, 0, 1]), 'windows-1252') as { reason: string }).reason, /binary file/);
    // UTF-16 asked for, for a file whose first bytes have no zeros to show it.
    assert.deepEqual(decodeText(Buffer.from('\u4e2d\u6587\u4e2d\u6587', 'utf16le'), 'utf-16le'), { ok: true, text: '\u4e2d\u6587\u4e2d\u6587' });
    const unknown = decodeText(ansi, 'klingon');
    assert.match(unknown.ok ? '' : unknown.reason, /"klingon" is not a text encoding/);
    assert.equal(checkEncoding('cp1252'), undefined);
    assert.match(checkEncoding('utf-32') ?? '', /not a text encoding/);
  });
});
