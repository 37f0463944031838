import * as assert from 'node:assert/strict';
import { checkText, checkTextInSteps, KnowledgeBase, parseFactFile, runToEnd } from '../../src/core';
import { blockStarts, draftBlockStarts, IncrementalChecker, lineBlockStarts, type TextEdit } from '../../src/core/incremental';
import { runCounting, seeded } from './helpers';

const FACTS = `
sources:
  - id: report
    title: Annual report
entities:
  - id: asf
    kind: programme
    type: fund
    name: Adoption Support Fund
    acronyms: [ASF]
    facts:
      - figure: £46m
        about: funding in 2021-22
        period: 2021-22
        source: { source: report, line: 1 }
      - figure: £40m
        about: funding in 2020-21
        period: 2020-21
        source: { source: report, line: 1 }
      - figure: 12,000 families
        about: families supported
        counts: families
        source: { source: report, line: 2 }
  - id: sf
    kind: programme
    type: programme
    name: Supporting Families
    formerNames:
      - name: Troubled Families Programme
        until: "2021"
    facts:
      - figure: £165m
        about: funding in 2021-22
        source: { source: report, line: 3 }
      - figure: 401,719 families
        about: families with significant and sustained progress
        counts: families
        source: { source: report, line: 4 }
  - id: dfe
    kind: organisation
    type: department
    name: Department for Education
    acronyms: [DfE]
    facts:
      - figure: 71.8 per cent
        about: share of councils taking part
        source: { source: report, line: 5 }
      - figure: £75m
        about: capital funding
        source: { source: report, line: 6 }
`;

const DRAFT = [
  '# Funding for families',
  '',
  'The Adoption Support Fund had £46m in 2021-22 and helped 12,000 families.',
  'The DfE said 71.8 per cent of councils took part.',
  '',
  'Supporting Families received £165m. It worked with 401,719 families.',
  '',
  'Later, the ASF was said to have had £52m, and the Troubled Families Programme £165m.',
  '',
  'A sentence broken by a blank line, as pasted from a PDF, at a rate of',
  '',
  '£46m for the Adoption Support Fund.',
  '',
  'Supporting Families reached 401,719 families, not 400,000 families.',
  '<!-- policy-facts-ignore: quoted from the minister -->',
  'The ASF had £50m.',
].join('\n');

function kb(): KnowledgeBase {
  return KnowledgeBase.build([parseFactFile(FACTS, 'file:///facts.yaml', 'workspace')]);
}

function apply(text: string, e: TextEdit): string {
  return text.slice(0, e.rangeOffset) + e.text + text.slice(e.rangeOffset + e.rangeLength);
}

/** An edit somewhere in `text`: one of `pieces` typed there, half the time over a few characters. */
function randomEdit(random: () => number, text: string, pieces: readonly string[]): TextEdit {
  const at = Math.floor(random() * (text.length + 1));
  return {
    rangeOffset: at,
    rangeLength: Math.min(text.length - at, random() < 0.5 ? Math.floor(random() * 12) : 0),
    text: pieces[Math.floor(random() * pieces.length)],
  };
}

/** Apply the edits one by one, checking after each that the result equals a full check. */
function replay(k: KnowledgeBase, start: string, edits: readonly TextEdit[], tell = true): IncrementalChecker {
  const inc = new IncrementalChecker(k);
  let text = start;
  assert.deepEqual(inc.check(text), checkText(k, text));
  for (const [i, e] of edits.entries()) {
    text = apply(text, e);
    assert.deepEqual(inc.check(text, tell ? [e] : undefined), checkText(k, text), `after edit ${i} ${JSON.stringify(e)}`);
  }
  return inc;
}

describe('IncrementalChecker', () => {
  const k = kb();

  it('finds something to check in the test draft (so the comparisons mean something)', () => {
    const r = checkText(k, DRAFT);
    assert.ok(r.summary.verified >= 3);
    assert.ok(r.summary.inconsistent >= 1, 'a figure given two values across paragraphs');
    assert.ok(r.summary['former-name'] >= 1);
    assert.ok(r.summary.suppressed >= 1);
  });

  it('gives the same result as a full check while a word is typed, a character at a time', () => {
    const at = DRAFT.indexOf('£165m.');
    const edits: TextEdit[] = [...'about '].map((ch, i) => ({ rangeOffset: at + i, rangeLength: 0, text: ch }));
    const inc = replay(k, DRAFT, edits);
    assert.equal(inc.stats.full, false);
    assert.ok(inc.stats.checkedChars < DRAFT.length, 'only the paragraphs around the edit are checked again');
  });

  it('follows a figure changed in an earlier paragraph through to the later ones it is compared with', () => {
    const at = DRAFT.indexOf('£46m in 2021-22');
    replay(k, DRAFT, [
      { rangeOffset: at + 1, rangeLength: 2, text: '52' },
      { rangeOffset: at + 1, rangeLength: 2, text: '46' },
      { rangeOffset: at, rangeLength: 4, text: '' },
    ]);
  });

  it('joins and splits paragraphs when blank lines are typed or deleted', () => {
    const blank = DRAFT.indexOf('\n\nSupporting Families received');
    const mid = DRAFT.indexOf(' It worked with');
    replay(k, DRAFT, [
      { rangeOffset: blank, rangeLength: 1, text: '' },
      { rangeOffset: blank, rangeLength: 0, text: '\n' },
      { rangeOffset: mid, rangeLength: 0, text: '\n\n' },
      { rangeOffset: mid, rangeLength: 2, text: '' },
      { rangeOffset: mid, rangeLength: 1, text: '\n\nit' },
    ]);
  });

  it('keeps together paragraphs the checker may read as one sentence', () => {
    // A full stop, a space and a blank line before a line in lower case: the checker may read
    // on across the blank line, so both must be checked together.
    const text = 'The Adoption Support Fund had £46m. \n\nthen £75m went to it.\n\nThe DfE had £75m.';
    const at = text.indexOf('went');
    replay(k, text, [
      { rangeOffset: at, rangeLength: 4, text: 'was given' },
      { rangeOffset: text.indexOf('then'), rangeLength: 1, text: 'T' },
    ]);
  });

  it('handles several edits at once, pasted paragraphs, CRLF and deleting everything', () => {
    const pasted = '\r\n\r\nThe Adoption Support Fund had £47m.\r\nThe DfE said 70 per cent.\r\n\r\n';
    const a = DRAFT.indexOf('Later,');
    replay(k, DRAFT, [
      { rangeOffset: a, rangeLength: 0, text: pasted },
      // Two edits in one change event, the second in the coordinates after the first.
      { rangeOffset: 0, rangeLength: 2, text: '## ' },
      { rangeOffset: DRAFT.length - 5, rangeLength: 0, text: ' and £46m' },
    ]);
    const inc = new IncrementalChecker(k);
    let text = DRAFT;
    inc.check(text);
    const two: TextEdit[] = [
      { rangeOffset: 10, rangeLength: 0, text: 'x' },
      { rangeOffset: 40, rangeLength: 3, text: '' },
    ];
    for (const e of two) text = apply(text, e);
    assert.deepEqual(inc.check(text, two), checkText(k, text));
    assert.deepEqual(inc.check('', [{ rangeOffset: 0, rangeLength: text.length, text: '' }]), checkText(k, ''));
    assert.deepEqual(inc.check(DRAFT, [{ rangeOffset: 0, rangeLength: 0, text: DRAFT }]), checkText(k, DRAFT));
  });

  it('judges a paragraph against earlier first figures without running it into their paragraph', () => {
    // The first £165m ends its paragraph without a full stop; the edited paragraph starts in
    // lower case. Put side by side, they would read as one sentence.
    const text = [
      'Supporting Families had £165m',
      '',
      '## Notes',
      '',
      'Officials agreed.',
      '',
      'then £75m was spent. The DfE helped. Supporting Families had £160m.',
    ].join('\n');
    const at = text.indexOf('helped');
    replay(k, text, [{ rangeOffset: at, rangeLength: 6, text: 'helps' }]);
  });

  it('works out what changed when it is not told', () => {
    const at = DRAFT.indexOf('£52m');
    replay(
      k,
      DRAFT,
      [
        { rangeOffset: at + 1, rangeLength: 2, text: '46' },
        { rangeOffset: 0, rangeLength: 0, text: 'Intro.\n\n' },
        { rangeOffset: DRAFT.length, rangeLength: 0, text: '\n\nThe end: £165m for Supporting Families.' },
      ],
      false,
    );
  });

  it('checks everything again when the edits do not fit the previous text', () => {
    const inc = new IncrementalChecker(k);
    inc.check(DRAFT);
    const other = `${DRAFT}\n\nMore text.`;
    assert.deepEqual(inc.check(other, [{ rangeOffset: 0, rangeLength: 1, text: 'x' }]), checkText(k, other));
    assert.equal(inc.stats.full, true);
  });

  it('re-checks only the lines around an edit in a text without blank lines, where each line is a paragraph', () => {
    const lines = DRAFT.replace(/\n\n+/g, '\n');
    const at = lines.indexOf('£52m');
    const inc = replay(k, lines, [{ rangeOffset: at + 1, rangeLength: 2, text: '46' }]);
    assert.equal(inc.stats.full, false);
    assert.ok(inc.stats.checkedChars < lines.length / 2, `${inc.stats.checkedChars} of ${lines.length} characters checked again`);
    // A blank line typed: the text is read another way, and checked whole.
    replay(k, lines, [{ rangeOffset: 5, rangeLength: 0, text: '\n\n' }]);
    // The figure given another value three lines on is still compared with the edited one.
    const first = lines.indexOf('£46m');
    replay(k, lines, [
      { rangeOffset: first + 1, rangeLength: 2, text: '52' },
      { rangeOffset: first + 1, rangeLength: 2, text: '46' },
    ]);
  });

  it('re-checks an edit next to a line break the checker reads across exactly as a whole check', () => {
    // Found by review: a suppressed figure came back, a real one was suppressed, and figures
    // read with the line before them lost or changed their reading, after one edit.
    const cases: [string, string, string][] = [
      ['Intro.\n<!-- policy-facts-ignore: quoted --> The minister said so.\nThe ASF had £50m.\nThe end.', '£50m', '£51m'],
      ['The ASF had £46m. <!-- policy-facts-ignore: q --> Noted.\nThe ASF said so.\nThe ASF had £52m.\nThe end.', '£52m', '£53m'],
      ['The ASF reached circa.\nTwelve thousand families.\nThe end.', 'end', 'ends'],
      ['This is set out in the note.\nThree councils left the ASF.\nThe end.', 'end', 'ends'],
      ['Their average age.\nOver £46m went to the ASF.\nThe end.', 'end', 'ends'],
      // Found by a second review: two words back ("age. Of"), and a currency written after letters.
      ['People of working age.\nOf 12,000 families, most stayed with the ASF.\nThe end.', 'most', 'many'],
      ['The ASF helped 12,000 families of working age.\nThe weather was fine.\nOf 13,000 families the ASF helped, most stayed.\nThe end.', 'most', 'many'],
      ['The ASF reached circa.\nUS$5m went to the ASF.\nThe end.', 'went', 'was given'],
    ];
    for (const [text, from, to] of cases) {
      const at = text.indexOf(from);
      replay(k, text, [{ rangeOffset: at, rangeLength: from.length, text: to }]);
    }
    assert.equal(checkText(k, cases[0][0].replace('£50m', '£51m')).findings.find((f) => f.text === '£51m')?.suppressed, 'quoted', 'the figure after the comment is suppressed');
  });

  it('gives the same result as a full check through a long run of random edits of a text without blank lines', () => {
    const random = seeded(777);
    // Marks and capitals that make and unmake line breaks between sentences; never a blank line.
    const pieces = ['x', ' ', '\n', '.', '. ', '.\nThe ', '!\n', 'e.g.\nThe ', 'c.\n', '£46m ', '£52m.\n', '401,719 families ', 'the ASF ', 'ASF.\nAdoption ', 'Supporting\nFamilies ', 'Adoption Support\n', '\r\n', 'T', ''];
    const inc = new IncrementalChecker(k);
    let text = [DRAFT, DRAFT.toLowerCase(), DRAFT.replace(/\./g, '')].join('\n').replace(/\n\n+/g, '\n');
    inc.check(text);
    let partial = 0;
    for (let i = 0; i < 300; i++) {
      const e = randomEdit(random, text, pieces);
      const next = apply(text, e);
      if (/\n[ \t]*\r?\n/.test(next)) continue;
      text = next;
      assert.deepEqual(inc.check(text, random() < 0.8 ? [e] : undefined), checkText(k, text), `after random edit ${i} ${JSON.stringify(e)}`);
      if (!inc.stats.full) partial++;
    }
    assert.ok(partial > 200, `${partial} edits re-checked in part`);
  });

  it('leaves the size limit to the full check', () => {
    const inc = new IncrementalChecker(k, { maxChars: 100 });
    assert.deepEqual(inc.check(DRAFT), checkText(k, DRAFT, { maxChars: 100 }));
  });

  it('gives the same result as a full check through a long run of random edits', () => {
    const random = seeded(12345);
    const pieces = ['x', ' ', '\n', '\n\n', '.', '£46m ', '£52m ', '401,719 families ', 'the ASF ', 'for ', 'Supporting Families ', '\r\n\r\n', 'in 2020-21 ', 'In 2021-22, ', '£40m in 2021-22 ', ''];
    const inc = new IncrementalChecker(k);
    let text = [DRAFT, DRAFT.toLowerCase(), DRAFT.replace(/\./g, '')].join('\n\n');
    inc.check(text);
    for (let i = 0; i < 300; i++) {
      const e = randomEdit(random, text, pieces);
      text = apply(text, e);
      assert.deepEqual(inc.check(text, random() < 0.8 ? [e] : undefined), checkText(k, text), `after random edit ${i} ${JSON.stringify(e)}`);
    }
  });

  it('gives the same result as a full check through random edits of a draft whose lines end with CR alone', () => {
    // An ignore comment covers its line and the next; with lines counted by LF alone, it once
    // reached past a blank line of CRs into the next paragraph, which an edit then re-checked
    // without it.
    const random = seeded(4242);
    const pieces = ['x', ' ', '\r', '\r\r', '\n', '.', '£46m ', '£52m ', 'the ASF ', '<!-- policy-facts-ignore: quoted -->\r', 'policy-facts-ignore ', ''];
    const inc = new IncrementalChecker(k);
    // Blank lines of LFs between paragraphs (so the draft is cut into blocks there), lines
    // within them ended by CR alone.
    let text = [DRAFT, DRAFT.replace(/\./g, '')].join('\n\n').replace(/([^\n])\n(?=[^\n])/g, '$1\r');
    inc.check(text);
    for (let i = 0; i < 300; i++) {
      const e = randomEdit(random, text, pieces);
      text = apply(text, e);
      assert.deepEqual(inc.check(text, random() < 0.8 ? [e] : undefined), checkText(k, text), `after random edit ${i} ${JSON.stringify(e)}`);
    }
  });

  // About 330 KB: many pieces of 16 KB, and thousands of figures.
  const LONG = Array.from({ length: 400 }, (_, i) => DRAFT.replace('£52m', `£${52 + (i % 7)}m`)).join('\n\n');

  it('checks a long draft a piece at a time, with the same result as checking it in one go', () => {
    const whole = checkText(k, LONG);
    const { pauses: pieces, result } = runCounting(new IncrementalChecker(k).checkInSteps(LONG));
    assert.deepEqual(result, whole);
    assert.ok(whole.figures.length > 4000 && whole.summary.inconsistent > 100, 'a draft with much to judge');
    // A pause after each piece read (about 16 KB), after every 128 figures judged, and every 256
    // blocks (see blockStarts) given their share of the results; and every 4,096 findings gone
    // through in making the blocks, once for their figures' uses and once more for those uses.
    const expected = Math.floor(LONG.length / 16384) + Math.floor(whole.figures.length / 128) + Math.floor(blockStarts(LONG).length / 256);
    const making = Math.floor(whole.findings.length / 4096);
    assert.ok(pieces >= expected + making && pieces <= expected + 2 * making + 3, `${pieces} pieces, ${expected} + ${making}–${2 * making} expected`);
    // Without places to cut the draft, it is read in one piece, but still judged in several.
    assert.equal(runCounting(checkTextInSteps(k, LONG)).pauses, 1 + Math.floor(whole.figures.length / 128));
  });

  it('gives the same result as checking in one go wherever a draft is cut into pieces, a hard-wrapped last paragraph included', () => {
    const wrapped = '# Funding\n\nThe Adoption Support Fund had\n£52m in 2021-22.\n';
    const drafts = [
      wrapped,
      DRAFT,
      `${DRAFT}\n\nLast, the Adoption Support Fund\nhad £46m and helped\n12,000 families.`,
      `${DRAFT}\n\n- Supporting Families: £165m\n- the ASF: £52m\n- DfE: 71.8 per cent`,
    ];
    let cuts = 0;
    for (const text of drafts) {
      const whole = checkText(k, text);
      for (const cut of blockStarts(text).slice(1)) {
        cuts++;
        assert.deepEqual(runCounting(checkTextInSteps(k, text, {}, [cut])).result, whole, `${JSON.stringify(text.slice(0, 30))} cut at ${cut}`);
      }
      assert.deepEqual(new IncrementalChecker(k).check(text), whole);
    }
    assert.ok(cuts >= 10);
    // The figure on the wrapped line is read with the name on the line before, in the editor as on the command line.
    assert.equal(new IncrementalChecker(k).check(wrapped).findings.find((f) => f.text === '£52m')?.status, 'mismatch');
  });

  it('reads a long draft without blank lines a piece at a time too, cut between sentences', () => {
    const lines = LONG.replace(/\n\n+/g, '\n');
    const whole = checkText(k, lines);
    const { pauses: pieces, result } = runCounting(new IncrementalChecker(k).checkInSteps(lines));
    assert.deepEqual(result, whole);
    assert.ok(pieces >= Math.floor(lines.length / 16384) + Math.floor(whole.figures.length / 128), `${pieces} pieces`);
    assert.deepEqual(runCounting(checkTextInSteps(k, lines, {}, draftBlockStarts(k, lines))).result, whole);
  });

  it('reads a long draft without blank lines and without a line break to cut at a step at a time, finding what one go finds', () => {
    // A list without full stops: no line ends a sentence, so the draft is one block.
    const lines = LONG.replace(/\n\n+/g, '\n').replace(/[.!?]\n/g, '\n');
    assert.deepEqual(draftBlockStarts(k, lines), [0], 'one block');
    const whole = checkText(k, lines);
    assert.ok(whole.mentions.length > 100 && whole.figures.length > 100, 'names and figures to find');
    const { pauses: pieces, result } = runCounting(new IncrementalChecker(k).checkInSteps(lines));
    assert.deepEqual(result, whole);
    // Judging pauses every 128 figures; reading the names, the figures and the sentences each
    // pauses every 16 KB or so; and, the check done, so does making its one block, every 4,096
    // findings, twice.
    const expected = Math.floor(whole.figures.length / 128) + 3 * Math.floor(lines.length / 16384) + 2 * Math.floor(whole.findings.length / 4096);
    assert.ok(pieces >= expected, `${pieces} pieces for ${lines.length} characters and ${whole.figures.length} figures`);
  });

  it('gives the same result as checking in one go wherever a draft without blank lines is cut between sentences', () => {
    const drafts = [
      DRAFT.replace(/\n\n+/g, '\n'),
      // A figure read over a line break, a qualifier after an abbreviation, a name over a line break.
      'The Adoption Support Fund had £46m.\nThe ASF had £46\nmillion in 2021-22.\nIt had c.\n£52m. The DfE said\n71.8 per cent.\nAdoption Support\nFund: £46m!\nThe Troubled Families Programme had £165m?\n# Supporting Families\nSupporting Families had £165m. \r\nSupporting Families worked with 401,719 families.\nThe end.',
      'Mr.\nSmith said the ASF had £46m. J.\nBloggs said e.g.\nThe DfE had £75m.\n  Then 12,000 families.\n...\nThe ASF had £46m.',
      // Cut after "c.", the figure would lose its qualifier.
      'The ASF helped c.\nTwelve thousand families.\nThe end.',
      // The figure parser reads back across the line break from a figure's first word: a
      // qualifier ("circa."), a reference word ("note"), an age ("age") before it change how it reads.
      'The ASF reached circa.\nTwelve thousand families.\nThe end.',
      'This is set out in the note.\nThree councils left the ASF.\nThe end.',
      'Their average age.\nOver £46m went to the ASF.\nThe end.',
      // A comment covers its own line and the next.
      'Intro.\n<!-- policy-facts-ignore: quoted --> The minister said so.\nThe ASF had £50m.\nThe end.',
      'People of working age.\nOf 12,000 families, most stayed with the ASF.\nThe end.',
      'The ASF reached circa.\nUS$5m went to the ASF.\nThe end.',
    ];
    let cuts = 0;
    for (const text of drafts) {
      const whole = checkText(k, text);
      for (const cut of draftBlockStarts(k, text).slice(1)) {
        cuts++;
        assert.deepEqual(runCounting(checkTextInSteps(k, text, {}, [cut])).result, whole, `${JSON.stringify(text.slice(cut - 20, cut + 10))} cut at ${cut}`);
      }
      assert.deepEqual(new IncrementalChecker(k).check(text), whole);
    }
    assert.ok(cuts >= 10, `${cuts} cuts`);
  });

  it('checks all of a draft again, in steps, when an edit falls in a block too long to check again in one go', () => {
    // One paragraph of about 100 KB (no blank line inside it), and 85 KB of lines with no sentence to cut at.
    const paragraph = Array.from({ length: 4000 }, (_, i) => `the ASF had £${40 + (i % 9)}m`).join(', and\n');
    const lines = Array.from({ length: 5000 }, (_, i) => `The ASF had £${40 + (i % 9)}m`).join(';\n');
    for (const text of [`# Long\n\n${paragraph}.\n\nThe end.`, lines]) {
      const inc = new IncrementalChecker(k);
      inc.check(text);
      const at = text.indexOf('£46m');
      const e: TextEdit = { rangeOffset: at + 1, rangeLength: 2, text: '52' };
      const edited = apply(text, e);
      const { pauses: pieces, result } = runCounting(inc.checkInSteps(edited, [e]));
      assert.deepEqual(result, checkText(k, edited));
      assert.equal(inc.stats.full, true);
      assert.ok(pieces > 1, `${pieces} pieces`);
      // A short one, two blocks before it, is still checked on its own.
      const sep = text === lines ? '\n' : '\n\n';
      const short = ['The DfE had £75m.', 'The DfE again.', 'The end.', text].join(sep);
      inc.check(short);
      const e2: TextEdit = { rangeOffset: 13, rangeLength: 2, text: '76' };
      assert.deepEqual(inc.check(apply(short, e2), [e2]), checkText(k, apply(short, e2)));
      assert.equal(inc.stats.full, false);
    }
  });

  it('checks all of a draft again, in steps, when an edit would judge too much again in one go', () => {
    // Found by review: the first £46m decides how thousands of later £52m are read (each is
    // inconsistent with it), so an edit of it judged every later paragraph again, at once: 11 s
    // for 40,000 of them. And a paragraph judged after a 70 KB one holding its figure's first use
    // put all of that in front of it, whatever the limit said.
    const many = `The ASF had £46m.\n\n${'The ASF had £52m this year.\n\n'.repeat(3000)}`;
    const long = `The ASF had £46m and ${'then some more words, '.repeat(3500)}more.\n\nOfficials agreed.\n\nThe ASF had £52m.\n\nThe end.`;
    const cases: [string, TextEdit][] = [
      [many, { rangeOffset: many.indexOf('46'), rangeLength: 2, text: '4' }],
      [long, { rangeOffset: long.indexOf('£52m') + 1, rangeLength: 2, text: '53' }],
    ];
    for (const [text, e] of cases) {
      const inc = new IncrementalChecker(k);
      inc.check(text);
      const edited = apply(text, e);
      const { pauses: pieces, result } = runCounting(inc.checkInSteps(edited, [e]));
      assert.deepEqual(result, checkText(k, edited));
      assert.equal(inc.stats.full, true, 'checked whole');
      assert.ok(pieces > 1, `${pieces} pieces`);
      // And the checker is right for the next edit.
      const again = apply(edited, { rangeOffset: 0, rangeLength: 3, text: 'A' });
      assert.deepEqual(inc.check(again, [{ rangeOffset: 0, rangeLength: 3, text: 'A' }]), checkText(k, again));
    }
    // With a hundred paragraphs after it, the same edit is still checked in part.
    const few = `The ASF had £46m.\n\n${'The ASF had £52m this year.\n\n'.repeat(100)}`;
    replay(k, few, [{ rangeOffset: few.indexOf('46'), rangeLength: 2, text: '4' }]);
  });

  it('is left to check the whole draft next when it gives up part way through an edit, even if that check is not finished', () => {
    const many = `The ASF had £46m.\n\n${'The ASF had £52m this year.\n\n'.repeat(3000)}`;
    const inc = new IncrementalChecker(k);
    inc.check(many);
    const e: TextEdit = { rangeOffset: many.indexOf('46'), rangeLength: 2, text: '4' };
    const edited = apply(many, e);
    // Given up after a few steps (a newer edit came).
    const steps = inc.checkInSteps(edited, [e]);
    for (let i = 0; i < 3; i++) steps.next();
    const e2: TextEdit = { rangeOffset: edited.length - 2, rangeLength: 0, text: 'x' };
    const next = apply(edited, e2);
    assert.deepEqual(inc.check(next, [e, e2].slice(1)), checkText(k, next));
  });

  it('checks two long drafts piece by piece in turn, each as if alone', () => {
    const other = LONG.replace(/Adoption Support Fund/g, 'Supporting Families');
    const a = new IncrementalChecker(k).checkInSteps(LONG);
    const b = new IncrementalChecker(k).checkInSteps(other);
    let sa = a.next();
    let sb = b.next();
    while (!sa.done || !sb.done) {
      if (!sa.done) sa = a.next();
      if (!sb.done) sb = b.next();
    }
    assert.deepEqual(sa.value, checkText(k, LONG));
    assert.deepEqual(sb.value, checkText(k, other));
  });

  it('is left as it was by a check in steps that is not finished', () => {
    const inc = new IncrementalChecker(k);
    inc.check(DRAFT);
    // A check of other text, given up half way (a newer edit made it pointless).
    const steps = inc.checkInSteps(LONG.replace(/\n\n/g, '\n'));
    for (let i = 0; i < 3; i++) steps.next();
    const at = DRAFT.indexOf('£52m');
    const e: TextEdit = { rangeOffset: at + 1, rangeLength: 2, text: '46' };
    const edited = apply(DRAFT, e);
    assert.deepEqual(inc.check(edited, [e]), checkText(k, edited));
    assert.equal(inc.stats.full, false, 'only what the edit changed is checked again');

    // Given up at its very end (sharing the results out among the blocks), a check of a text
    // with blank lines leaves a checker of one without any as it was: when a blank line is then
    // typed, the text is read another way and checked whole.
    const lines = DRAFT.replace(/\n\n+/g, '\n');
    const other = new IncrementalChecker(k);
    other.check(lines);
    const all = runCounting(new IncrementalChecker(k).checkInSteps(LONG)).pauses;
    const late = other.checkInSteps(LONG);
    for (let i = 0; i < all - 1; i++) late.next();
    const blank: TextEdit = { rangeOffset: lines.indexOf('\n') + 1, rangeLength: 0, text: '\n' };
    const withBlank = apply(lines, blank);
    assert.deepEqual(other.check(withBlank, [blank]), checkText(k, withBlank));
    assert.equal(other.stats.full, true, 'checked whole');
  });

  describe('lineBlockStarts', () => {
    it('cuts a text without blank lines only between a line ending a sentence and one starting another', () => {
      // Whether a block starts at each line:
      const text = [
        'Alpha.', // yes: the first
        'Bravo!  ', // yes: a capital after a line ending with "."
        'charlie?', // no: lower case
        'Delta', // yes: after "?"
        'Echo, c.', // no: no mark before it
        'Foxtrot e.g.', // no: an abbreviation before it
        'Golf J.', // no: an abbreviation before it
        'Hotel...', // no: an initial before it
        '# India.\r', // no: an ellipsis before it
        '  Juliet.', // yes: a full stop before it (and CRLF), spaces before its capital
        '£11.', // no: a figure
        'Kilo.', // yes: after a full stop after a digit
        'Twelve schools.', // no: a number may begin a figure
        'Over there <!-- policy-facts-ignore: quoted --> too.', // no: a qualifier may begin a figure
        'Lima.', // no: the line before holds a comment, which covers this line too
        'Mike.', // yes
      ].join('\n');
      assert.deepEqual(
        lineBlockStarts(text, k.matcher).map((s) => text.slice(s, s + 4)),
        ['Alph', 'Brav', 'Delt', '  Ju', 'Kilo', 'Mike'],
      );
      // From the middle: `from` starts a block, and nothing at or after `to` does.
      const from = text.indexOf('charlie');
      const to = text.indexOf('Kilo');
      assert.deepEqual(
        lineBlockStarts(text, k.matcher, from, to).map((s) => text.slice(s, s + 4)),
        ['char', 'Delt', '  Ju'],
      );
      assert.deepEqual(lineBlockStarts(text, k.matcher, from, text.indexOf('  Juliet')), [from, text.indexOf('Delta')]);
    });

    it('does not cut after a mark that is part of a name', () => {
      const dotted = KnowledgeBase.build([
        parseFactFile(
          'sources:\n  - id: s\n    title: S\nentities:\n  - id: st\n    kind: organisation\n    type: charity\n    name: Go Yonder! Foundation\n',
          'file:///dotted.yaml',
          'workspace',
        ),
      ]);
      const text = 'Funds from Go Yonder!\nFoundation reached £5m.\nThe end.';
      assert.equal(checkText(dotted, text).mentions.length, 1, 'the name runs over the line break');
      assert.deepEqual(lineBlockStarts(text, dotted.matcher), [0, text.indexOf('The end')], 'not after the name');
      // Cut there, the name would be lost.
      const cut = text.indexOf('Foundation');
      assert.equal(runToEnd(checkTextInSteps(dotted, text, {}, [cut])).mentions.length, 0);
      assert.deepEqual(runToEnd(checkTextInSteps(dotted, text, {}, draftBlockStarts(dotted, text))), checkText(dotted, text));
      assert.equal(lineBlockStarts(text, k.matcher).length, 3, 'with other names, both line breaks cut');
      // A name with the mark, but not followed by that word, does not keep it from cutting.
      const other = 'Funds from Go Yonder!\nFunds reached £5m.\nThe end.';
      assert.equal(lineBlockStarts(other, dotted.matcher).length, 3);
      assert.deepEqual(runToEnd(checkTextInSteps(dotted, other, {}, draftBlockStarts(dotted, other))), checkText(dotted, other));
    });
  });

  describe('blockStarts', () => {
    it('cuts only at blank lines that certainly end a paragraph', () => {
      // "three" may continue the sentence before the blank line (text pasted from a PDF); so may
      // "£5m"; a capital, a heading or a quote after a blank line always starts a paragraph.
      const text = 'One.\n\nTwo\n\nthree.\n  \n# Four\r\n\r\nFive\n\n£5m.\n\n> Six';
      assert.deepEqual(
        blockStarts(text).map((s) => text.slice(s, s + 4)),
        ['One.', 'Two\n', '# Fo', 'Five', '> Si'],
      );
    });
  });
});
