import * as assert from 'node:assert/strict';
import { checkText, findingsFor, KnowledgeBase, parseFactFile, parseFigures, spansAt, type Finding } from '../../src/core';
import { firstEndingAfter } from '../../src/core/figures/checker';
import { segment, segmentInSteps } from '../../src/core/text/segment';
import { loadFixture, marked, randomRange, randomText, runCounting, seeded, testKb } from './helpers';

const kb = testKb();

/** Check a draft whose figures are marked `[...]`; returns findings in order. */
function check(draft: string): { findings: Finding[]; spans: { text: string }[] } {
  const { text, spans } = marked(draft);
  const result = checkText(kb, text);
  const figures = result.findings.filter((f) => f.figure);
  assert.deepEqual(
    figures.map((f) => f.text),
    spans.map((s) => s.text),
    'every marked figure, and nothing else, is found',
  );
  return { findings: figures, spans };
}

describe('figure checker', () => {
  it('verifies a figure recorded for the programme named in the sentence', () => {
    const { findings } = check('Supporting Families has received [over £185m] since 2015.');
    assert.equal(findings[0].status, 'verified');
    assert.equal(findings[0].entityId, 'supporting-families');
    assert.equal(findings[0].code, 'figure.verified');
  });

  it('verifies a figure recorded for something the named entity is directly related to', () => {
    const { findings } = check('The DfE has made [over £185m] available since 2015.');
    assert.equal(findings[0].status, 'verified');
    assert.equal(findings[0].entityId, 'supporting-families');
    assert.match(findings[0].message, /Supporting Families \(led by Department for Education\)/);
  });

  it('does not let a part borrow its parent programme\'s figures', () => {
    const kb2 = KnowledgeBase.build([
      loadFixture('valid.facts.yaml', 'bundled'),
      parseFactFile(
        ['entities:', '  - { id: pilot, kind: programme, type: pilot, name: Family Pilot, relations: [{ type: part-of, target: supporting-families }] }'].join('\n'),
        'p.yaml',
      ),
    ]);
    const f = checkText(kb2, 'The Family Pilot received over £185m.').findings.find((x) => x.figure)!;
    assert.notEqual(f.status, 'verified');
  });

  it('treats "£185m" as compatible with the recorded "over £185m", but not "under £185m"', () => {
    assert.equal(check('Supporting Families has received [£185m].').findings[0].status, 'verified');
    assert.equal(check('Supporting Families has received [under £185m].').findings[0].status, 'mismatch');
  });

  it('flags a wrong figure and says what is recorded, with period and source', () => {
    const { findings } = check('Supporting Families has received [£18m] since 2015.');
    const f = findings[0];
    assert.equal(f.status, 'mismatch');
    assert.equal(f.code, 'figure.mismatch');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /over £185m/);
    assert.match(f.message, /since 2015/);
    assert.match(f.message, /Test briefing on family support, line 4/);
    assert.deepEqual(f.replacements, ['over £185m']);
  });

  it('accepts a correct rounding and rejects a rough one', () => {
    assert.equal(check('The Adoption Support Fund has spent [£1.1bn].').findings[0].status, 'rounded');
    assert.equal(check('The ASF reports that [72%] of families are better off.').findings[0].status, 'rounded');
    assert.equal(check('The Adoption Support Fund has spent [£1bn].').findings[0].status, 'mismatch');
  });

  it('accepts "over" a figure rounded down and "almost" one rounded up, within reason', () => {
    const status = (draft: string) => check(draft).findings[0].status;
    assert.equal(status('The Adoption Support Fund has spent [over £1bn].'), 'rounded');
    assert.equal(status('The Adoption Support Fund has spent [more than £1bn].'), 'rounded');
    assert.equal(status('The Adoption Support Fund has spent [almost £1.1bn].'), 'rounded');
    assert.equal(status('Supporting Families worked with [over 400,000 families].'), 'rounded');
    assert.equal(status('The ASF reports that [over 70%] of families are better off.'), 'rounded');
    assert.match(check('The Adoption Support Fund has spent [over £1bn].').findings[0].message, /^over £1bn is a correct rounding of £1\.085bn recorded for Adoption Support Fund/);
    // The wrong way, too far, or rounded up where the draft says "over".
    assert.equal(status('The Adoption Support Fund has spent [almost £1bn].'), 'mismatch');
    assert.equal(status('The Adoption Support Fund has spent [more than £1.5bn].'), 'mismatch');
    assert.equal(status('The Adoption Support Fund has spent [over £700m].'), 'mismatch');
    assert.equal(status('The Adoption Support Fund has spent [over £1.1bn].'), 'mismatch');
  });

  it('names the entity a misattributed figure belongs to', () => {
    const { findings } = check('The Adoption Support Fund has received [over £185m] since 2015.');
    const f = findings[0];
    assert.equal(f.status, 'misattributed');
    assert.equal(f.entityId, 'adoption-support-fund');
    assert.match(f.message, /recorded for Supporting Families, not for Adoption Support Fund/);
  });

  it('names exactly the owners of each misattributed figure, one figure after another', () => {
    const fact = (figure: string, line: number) => `{ figure: "${figure}", about: grant, source: { source: s, line: ${line} } }`;
    const kb2 = KnowledgeBase.build([
      parseFactFile(
        [
          'sources:',
          '  - { id: s, title: Grants list }',
          'entities:',
          `  - { id: alpha, kind: programme, type: fund, name: Alpha Fund, facts: [${fact('£7.5m', 1)}] }`,
          `  - { id: beta, kind: programme, type: fund, name: Beta Fund, facts: [${fact('£7.5m', 2)}, ${fact('£9.5m', 3)}] }`,
          `  - { id: gamma, kind: programme, type: fund, name: Gamma Fund, facts: [${fact('£1.5m', 4)}] }`,
        ].join('\n'),
        'grants.yaml',
      ),
    ]);
    const [first, second] = checkText(kb2, 'Gamma Fund received £7.5m. Gamma Fund also received £9.5m.').findings.filter((f) => f.figure);
    assert.equal(first.status, 'misattributed');
    assert.match(first.message, /^£7\.5m is recorded for Alpha Fund and Beta Fund, not for Gamma Fund:/);
    assert.equal(second.status, 'misattributed');
    assert.match(second.message, /^£9\.5m is recorded for Beta Fund, not for Gamma Fund:/);
  });

  it('finds a figure of one of the many programmes a body funds, as for a body with few', () => {
    const programmes = Array.from({ length: 40 }, (_, i) => {
      const relation = i === 3 ? 'partner-of' : 'funded-by';
      return `  - { id: p${i}, kind: programme, type: fund, name: Programme ${i}, relations: [{ type: ${relation}, target: hub }], facts: [{ figure: "£${i + 10}.5m", about: grant, source: { source: s, line: ${i + 1} } }] }`;
    });
    const kb2 = KnowledgeBase.build([
      parseFactFile(['sources:', '  - { id: s, title: Grants list }', 'entities:', '  - { id: hub, kind: organisation, type: government department, name: Hub Department }', ...programmes].join('\n'), 'hub.yaml'),
    ]);
    const [exact, rounded, partner] = checkText(kb2, 'The Hub Department spent £25.5m on this. It spent £26m on that. It spent £13.5m on the rest.').findings;
    assert.equal(exact.status, 'verified');
    assert.equal(exact.message, '£25.5m matches Programme 15 (funded by Hub Department): £25.5m (grant; Grants list, line 16).');
    assert.equal(rounded.status, 'rounded');
    assert.match(rounded.message, /^£26m is a correct rounding of £25\.5m recorded for Programme 15 \(funded by Hub Department\)/);
    // A partner's figure is not the body's own statement.
    assert.notEqual(partner.status, 'verified');
  });

  it('finds the figures of a programme that a later fact file links to a body with many', () => {
    const hubFile = parseFactFile(
      [
        'sources:',
        '  - { id: s, title: Grants list }',
        'entities:',
        '  - { id: hub, kind: organisation, type: government department, name: Hub Department }',
        ...Array.from({ length: 20 }, (_, i) => `  - { id: p${i}, kind: programme, type: fund, name: Programme ${i}, relations: [{ type: funded-by, target: hub }], facts: [{ figure: "£${i + 10}.5m", about: grant, source: { source: s, line: 1 } }] }`),
      ].join('\n'),
      'hub.yaml',
    );
    const draft = 'The Hub Department spent £77.5m on this.';
    assert.notEqual(checkText(KnowledgeBase.build([hubFile]), draft).findings[0].status, 'verified');
    const later = parseFactFile(
      'entities:\n  - { id: late, kind: programme, type: fund, name: Late Programme, relations: [{ type: funded-by, target: hub }], facts: [{ figure: "£77.5m", about: grant, source: { source: s, line: 2 } }] }',
      'late.yaml',
    );
    const f = checkText(KnowledgeBase.build([hubFile, later]), draft).findings[0];
    assert.equal(f.status, 'verified');
    assert.match(f.message, /Late Programme \(funded by Hub Department\)/);
  });

  it('falls back to the entity the paragraph is about', () => {
    const { findings } = check(
      'Intro.\n\nSupporting Families is run by councils.\nThe programme has helped [401,719 families] so far.',
    );
    assert.equal(findings[0].status, 'verified');
    assert.equal(findings[0].entityId, 'supporting-families');
  });

  it('does not judge a figure by what a later sentence of the paragraph names, when an earlier one names something', () => {
    // The paragraph is about the DfE; the fund named after the figure is not what it is about.
    const { findings } = check('Intro.\n\nThe Department for Education met in May.\nIt found [64%] of children did better.\nThe Adoption Support Fund reported too.');
    assert.equal(findings[0].status, 'unverified', findings[0].message);
    assert.equal(findings[0].entityId, 'dfe');
  });

  it('takes "the programme" to mean the programme the paragraph is about', () => {
    const { findings } = check('Intro.\n\nSupporting Families gives councils and the DfE a role.\nSince 2015 the programme has received [£18m].');
    assert.equal(findings[0].status, 'mismatch');
    assert.equal(findings[0].entityId, 'supporting-families');
  });

  it('treats each line as a paragraph in text with no blank lines (pasted from a web page)', () => {
    const { findings } = check('Supporting Families is run by councils.\nVolunteers gave [12,000 hours].');
    assert.equal(findings[0].status, 'unverified');
    assert.equal(findings[0].entityId, undefined);
  });

  it('reads a sentence broken by a blank line, as pasted from a PDF, as one sentence', () => {
    const { findings } = check('Intro.\n\nThe Adoption Support Fund has spent a total of\n\n[£1.085bn] so far.');
    assert.equal(findings[0].status, 'verified');
  });

  it('ends the paragraph at a full stop followed by a space and a blank line', () => {
    const { findings } = check('Supporting Families got [over £185m]. \n\n[£3m] went to volunteers.');
    assert.deepEqual(
      findings.map((f) => [f.status, f.entityId]),
      [
        ['verified', 'supporting-families'],
        ['unverified', undefined],
      ],
    );
  });

  it('does not reach into another paragraph', () => {
    const { findings } = check('Supporting Families is run by councils.\n\nVolunteers gave [12,000 hours].');
    assert.equal(findings[0].status, 'unverified');
    assert.equal(findings[0].entityId, undefined);
  });

  it('leaves a figure unverified when nothing of its kind is recorded', () => {
    const { findings } = check('The DfE gave [£3m] to councils.');
    assert.equal(findings[0].status, 'unverified');
    assert.equal(findings[0].entityId, 'dfe');
    assert.match(findings[0].message, /no amount of money is recorded for Department for Education/);
  });

  it('flags one draft quoting the same fact with two values', () => {
    const { findings } = check(
      'Supporting Families has helped [401,719 families].\n\nBy March, Supporting Families had helped [400,100 families].',
    );
    assert.deepEqual(
      findings.map((f) => f.status),
      ['verified', 'inconsistent'],
    );
    assert.match(findings[1].message, /401,719 families/);
  });

  it('counts LAs, local authorities and councils as the same thing', () => {
    const kb2 = KnowledgeBase.build([
      parseFactFile(
        ['sources: [{ id: s, title: S }]', 'entities:', '  - { id: ofsted, kind: organisation, type: inspectorate, name: Ofsted, facts: [{ figure: "21 LAs", about: rated inadequate, source: { source: s } }] }'].join('\n'),
        'o.yaml',
      ),
    ]);
    const statuses = ['Ofsted rated 21 local authorities inadequate.', 'Ofsted rated 21 councils inadequate.', 'Ofsted rated 22 councils inadequate.'].map(
      (t) => checkText(kb2, t).findings.find((f) => f.figure)?.status,
    );
    assert.deepEqual(statuses, ['verified', 'verified', 'mismatch']);
  });

  it('flags former names with the current name as the fix', () => {
    const result = checkText(kb, 'The Troubled Families Programme and the DCSF.');
    const former = result.findings.filter((f) => f.status === 'former-name');
    assert.deepEqual(
      former.map((f) => [f.text, f.replacements?.[0]]),
      [
        ['Troubled Families Programme', 'Supporting Families'],
        ['DCSF', 'DfE'],
      ],
    );
    assert.match(former[0].message, /since 2021/);
  });

  it('lists former names and figures together in the order of the draft, however they are given', () => {
    const text = 'The Troubled Families Programme got £18m. The DCSF gave 5 grants. Supporting Families has received over £185m. The DCSF spent £2m.';
    const where = (fs: readonly Finding[]) => fs.map((f) => f.text);
    const inDraftOrder = ['Troubled Families Programme', '£18m', 'DCSF', '5 grants', 'over £185m', 'DCSF', '£2m'];
    assert.deepEqual(where(checkText(kb, text).findings), inDraftOrder);
    const mentions = kb.matcher.find(text);
    const figures = parseFigures(text);
    assert.deepEqual(where(findingsFor(kb, text, mentions, [...figures].reverse())), inDraftOrder);
  });

  it('names a source by its title in the knowledge base the draft is checked against, after the source is renamed', () => {
    const sources = (title: string) => parseFactFile(`sources:\n  - { id: brief, title: ${title} }\n`, 'file:///sources.facts.yaml');
    const facts = parseFactFile(
      ['entities:', '  - id: harbour-fund', '    kind: programme', '    type: fund', '    name: Harbour Fund', '    facts:', '      - { figure: "£4m", about: grants, source: { source: brief, line: 3 } }'].join('\n'),
      'file:///harbour.facts.yaml',
    );
    const message = (kb: KnowledgeBase) => checkText(kb, 'The Harbour Fund gave £5m.').findings.find((f) => f.figure)!.message;
    // The fact file is unchanged, so the next knowledge base is built from the very same loaded file.
    assert.match(message(KnowledgeBase.build([sources('Old Briefing'), facts])), /Old Briefing, line 3/);
    assert.match(message(KnowledgeBase.build([sources('New Briefing'), facts])), /New Briefing, line 3/);
  });

  it('does not flag a former name the draft gives as the old name on purpose', () => {
    const result = checkText(kb, 'Supporting Families (previously called Troubled Families Programme) and the successor to the DCSF.');
    assert.deepEqual(
      result.findings.filter((f) => f.status === 'former-name'),
      [],
    );
  });

  it('matches a name with a curly apostrophe', () => {
    const { findings } = check('Barnardo\u2019s received [£20 million] last year.');
    assert.equal(findings[0].status, 'verified');
  });

  it('honours an inline ignore comment with its reason, and counts it', () => {
    const { text } = marked('<!-- policy-facts-ignore: quoting the minister -->\nSupporting Families got [£18m].');
    const result = checkText(kb, text);
    const f = result.findings.find((x) => x.figure)!;
    assert.equal(f.suppressed, 'quoting the minister');
    assert.equal(result.summary.mismatch, 0);
    assert.equal(result.summary.suppressed, 1);
  });

  it('lets an ignore comment cover its line and the next whatever the line breaks (LF, CRLF or CR alone)', () => {
    for (const br of ['\n', '\r\n', '\r']) {
      const text = ['<!-- policy-facts-ignore: quoting the minister -->', 'Supporting Families got £18m.', 'The ASF got £18m too.', '', 'Supporting Families got £19m.'].join(br);
      const figures = checkText(kb, text).findings.filter((f) => f.figure);
      assert.deepEqual(
        figures.map((f) => [text.slice(f.start, f.end), f.suppressed]),
        [
          ['£18m', 'quoting the minister'],
          ['£18m', undefined],
          ['£19m', undefined],
        ],
        JSON.stringify(br),
      );
    }
  });

  it('gives every figure exactly one finding and says how many were checked', () => {
    const { text } = marked('Supporting Families: [over £185m], [401,719 families], [£18m]. The ASF: [£1.1bn].');
    const result = checkText(kb, text);
    assert.equal(result.summary.figures, 4);
    assert.equal(result.findings.filter((f) => f.figure).length, 4);
    assert.equal(result.summary.verified + result.summary.rounded + result.summary.mismatch + result.summary.misattributed + result.summary.unverified + result.summary.inconsistent, 4);
  });

  it('reports a size limit instead of stopping silently', () => {
    const text = `Supporting Families has received over £185m. ${'More text. '.repeat(100)}Supporting Families got £18m.`;
    const result = checkText(kb, text, { maxChars: 200 });
    const limit = result.findings.find((f) => f.status === 'limit');
    assert.ok(limit);
    assert.match(limit.message, /Only the first \d+ of [\d,]+ characters were checked/);
    assert.ok(result.summary.skippedChars > 0);
    assert.equal(result.summary.mismatch, 0);
  });

  it('applies severity overrides from settings', () => {
    const { text } = marked('Supporting Families has received [£18m].');
    const result = checkText(kb, text, { rules: { 'figure.mismatch': 'error' } });
    assert.equal(result.findings[0].severity, 'error');
  });
});

describe('spansAt', () => {
  it('finds the spans touching an offset in a sorted list, ends included', () => {
    const spans = [
      { start: 0, end: 4 },
      { start: 10, end: 20 },
      { start: 12, end: 15 },
      { start: 30, end: 31 },
    ];
    assert.deepEqual(spansAt(spans, 4), [spans[0]]);
    assert.deepEqual(spansAt(spans, 13), [spans[1], spans[2]]);
    assert.deepEqual(spansAt(spans, 25), []);
    assert.deepEqual(spansAt(spans, 31), [spans[3]]);
    assert.deepEqual(spansAt([], 3), []);
  });
});

describe('firstEndingAfter', () => {
  it('finds the first span ending after an offset, from any starting hint, as a search of the whole list does', () => {
    let seed = 99;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let round = 0; round < 200; round++) {
      const spans: { start: number; end: number }[] = [];
      for (let at = 0, n = Math.floor(random() * 40); spans.length < n; ) {
        at += Math.floor(random() * 4);
        const end = at + 1 + Math.floor(random() * 5);
        spans.push({ start: at, end });
        at = end;
      }
      const last = spans.length ? spans[spans.length - 1].end + 3 : 5;
      for (let offset = -1; offset <= last; offset++) {
        let expected = spans.findIndex((s) => s.end > offset);
        if (expected < 0) expected = spans.length;
        for (let hint = -1; hint <= spans.length + 1; hint++) {
          assert.equal(firstEndingAfter(spans, offset, hint), expected, `offset ${offset}, hint ${hint}, spans ${JSON.stringify(spans)}`);
        }
      }
    }
  });
});

describe('segment', () => {
  it('reads curly quotes, opening or closing, as it reads straight ones where a sentence or line may end', () => {
    const straight = (s: string) => s.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
    // Found by `npm run fuzz`: a line ending with an opening quote joined a figure after a blank line to it.
    for (const text of ['Department for Children, Schools and Families \u2018 \n\n 0 ', 'He said \u201cno.\u201c Then \u00a35m.', 'It ended.\u2018 Next', 'A line\u201c\n\nat a rate of \u00a35m']) {
      for (const lines of [false, true]) assert.deepEqual(segment(text, 0, text.length, lines), segment(straight(text), 0, text.length, lines), JSON.stringify(text));
    }
  });
});

describe('segmentInSteps', () => {
  it('splits a text into the same sentences and paragraphs in steps as in one go, however small the steps', () => {
    const pieces = ['The fund grew.', 'c. 400 councils', 'e.g. this', 'Dr. Smith', '# Heading', '- item', '1. first', '| a | b |', '> quote', 'at a rate of', '£21.05 for', 'said “yes.”', '!', '?', '\n', '\n', '\r\n', '\r', '\n\n', '\n \t\n', '\r\r', ' ', 'word'];
    const random = seeded(3);
    let pauses = 0;
    for (let round = 0; round < 400; round++) {
      const text = randomText(random, pieces, 50, 0.6);
      const [from, to] = randomRange(random, text.length);
      for (const lines of [false, true]) {
        const expected = segment(text, from, to, lines);
        for (const step of [1, 7, 50]) {
          const run = runCounting(segmentInSteps(text, from, to, lines, step));
          pauses += run.pauses;
          assert.deepEqual(run.result, expected, `step ${step}, lines ${lines}, [${from}, ${to}) of ${JSON.stringify(text)}`);
        }
      }
    }
    assert.ok(pauses > 1000, `${pauses} pauses`);
    for (const step of [Number.NaN, 0, -5, 0.5, Number.POSITIVE_INFINITY]) {
      assert.equal(segmentInSteps('One. Two.\nThree', 0, 15, true, step).next().done, true, `${step}: no pause`);
    }
  });
});
