import * as assert from 'node:assert/strict';
import { checkText, KnowledgeBase, parseFactFile, type Finding } from '../../src/core';
import { periodKeyOf, periodsIn } from '../../src/core/figures/periods';
import { IncrementalChecker } from '../../src/core/incremental';

/** A fund with one figure a year, the same sum two years running, and a body with a figure as of a year. */
const kb = KnowledgeBase.build([
  parseFactFile(
    `sources:
  - id: notes
    title: Funding notes
entities:
  - id: school-fund
    kind: programme
    type: fund
    name: School Fund
    facts:
      - figure: £2.6bn
        about: increase on 2019-20
        period: 2020-21
        source: { source: notes }
      - figure: £4.8bn
        about: increase on 2019-20
        period: 2021-22
        source: { source: notes }
      - figure: £7.1bn
        about: increase on 2019-20
        period: 2022-23
        source: { source: notes }
  - id: family-grant
    kind: programme
    type: grant
    name: Family Grant
    facts:
      - figure: £40.8 million
        about: government funding
        period: 2020/21
        source: { source: notes }
      - figure: £1m
        about: each year
        period: 2021-22
        source: { source: notes }
      - figure: £1m
        about: each year
        period: 2022-23
        source: { source: notes }
  - id: helpline
    kind: programme
    type: service
    name: Parent Helpline
    facts:
      - figure: 71.8%
        about: calls answered
        asOf: January 2019
        source: { source: notes }
      - figure: 12,000 calls
        about: calls a year
        period: since 2015
        source: { source: notes }
`,
    'file:///periods.facts.yaml',
    'workspace',
  ),
]);

function figures(text: string): Finding[] {
  return checkText(kb, text).findings.filter((f) => f.figure);
}

function one(text: string): Finding {
  const found = figures(text);
  assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.text)));
  return found[0];
}

describe('periods', () => {
  it('reads a recorded period or as-of date only when it is one year or one financial or academic year', () => {
    assert.deepEqual(periodKeyOf('2020-21'), { kind: 'year-span', year: 2020 });
    assert.deepEqual(periodKeyOf('2019/20'), { kind: 'year-span', year: 2019 });
    assert.deepEqual(periodKeyOf('2020–2021'), { kind: 'year-span', year: 2020 });
    assert.deepEqual(periodKeyOf('FY2021-22'), { kind: 'year-span', year: 2021 });
    assert.deepEqual(periodKeyOf('2019'), { kind: 'year', year: 2019 });
    assert.deepEqual(periodKeyOf('January 2021'), { kind: 'year', year: 2021 });
    for (const s of ['since 2015', '2015-21', 'each year', 'over two years', 'end of March 21', '2019-2021', undefined]) assert.equal(periodKeyOf(s), undefined, String(s));
  });

  it('finds the years a sentence gives its figures, and not those it compares with, counts from or lists', () => {
    const years = (s: string) => periodsIn(s, 0, s.length).map((p) => p.text);
    assert.deepEqual(years('It rose by £2.6bn in 2020-21, compared to 2019-20.'), ['2020-21']);
    assert.deepEqual(years('In 2019, 71.8% of calls were answered.'), ['2019']);
    assert.deepEqual(years('As of January 2021 it had 12,000 calls.'), ['January 2021']);
    assert.deepEqual(years('Over £185m since 2015, and £20m by 2024.'), []);
    assert.deepEqual(years('It will rise by £4.8bn and £7.1bn in 2021-22 and 2022-23 respectively.'), []);
    assert.deepEqual(years('It was £1m in 2021 and in 2022.'), []);
    assert.deepEqual(years('From 2015-2021 it grew.'), []);
  });
});

describe('figure checker: the year a figure is given for', () => {
  it('flags a figure quoted for another year than the one it is recorded for, and offers the figure recorded for that year', () => {
    const f = one('School Fund spending increased by £4.8bn in 2020-21.');
    assert.equal(f.status, 'mismatch');
    assert.equal(f.code, 'figure.period');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /^£4\.8bn is recorded for School Fund for 2021-22, not 2020-21\. For 2020-21 the facts record £2\.6bn/);
    assert.deepEqual(f.replacements, ['£2.6bn']);
    assert.deepEqual(f.expected?.map((x) => x.text), ['£2.6bn', '£4.8bn']);
    // Where the year is written, and the year the figure is recorded for (a quick fix offers it).
    const text = 'School Fund spending increased by £4.8bn in 2020-21.';
    assert.deepEqual(f.year, { start: text.indexOf('2020-21'), end: text.indexOf('2020-21') + 7, text: '2020-21', recorded: '2021-22' });
  });

  it('flags a figure recorded for one year only, quoted for another, saying nothing is recorded for it', () => {
    const f = one('In 2020, 71.8% of Parent Helpline calls were answered.');
    assert.equal(f.code, 'figure.period');
    assert.equal(f.message, '71.8% is recorded for Parent Helpline for January 2019, not 2020: 71.8% (calls answered, as of January 2019; Funding notes). Nothing of the kind is recorded for 2020.');
    // The year to put in, written as the draft writes its year.
    assert.deepEqual(f.year, { start: 3, end: 7, text: '2020', recorded: '2019' });
    assert.equal(f.replacements, undefined);
  });

  it('says nothing of the kind is recorded for the year when that year only records other things', () => {
    const f = one('The Family Grant received £40.8 million in 2021-22.');
    assert.equal(f.code, 'figure.period');
    assert.equal(f.message, '£40.8 million is recorded for Family Grant for 2020/21, not 2021-22: £40.8 million (government funding, 2020/21; Funding notes). Nothing of the kind is recorded for 2021-22.');
    assert.equal(f.replacements, undefined);
  });

  it('says which recorded figure a rounded one rounds', () => {
    const f = one('School Fund spending will rise by £7bn in 2021-22.');
    assert.equal(f.code, 'figure.period');
    assert.match(f.message, /^£7bn, a rounding of £7\.1bn, is recorded for School Fund for 2022-23, not 2021-22\. For 2021-22 the facts record £4\.8bn/);
  });

  it('reports a figure given the wrong year as that, not as differing from the year’s figure given earlier', () => {
    const found = figures('School Fund spending will rise by £4.8bn in 2021-22.\n\nLater we say School Fund spending rose by £2.6bn in 2021-22.');
    assert.deepEqual(
      found.map((f) => [f.text, f.code]),
      [
        ['£4.8bn', 'figure.verified'],
        ['£2.6bn', 'figure.period'],
      ],
    );
  });

  it('reads the same year however it is written', () => {
    for (const year of ['2020/21', '2020-21', '2020–21', '2020-2021', 'the financial year 2020-21', 'the 2020 to 2021 financial year', 'financial year 2020 to 2021']) {
      assert.equal(one(`The Family Grant received £40.8 million in ${year}.`).status, 'verified', year);
    }
    assert.equal(one('In January 2019, 71.8% of Parent Helpline calls were answered.').status, 'verified');
    assert.equal(one('As at 31 January 2019, 71.8% of Parent Helpline calls were answered.').status, 'verified');
    const govuk = one('School Fund spending rose by £4.8bn in the 2020 to 2021 financial year.');
    assert.equal(govuk.code, 'figure.period');
    assert.match(govuk.message, /^£4\.8bn is recorded for School Fund for 2021-22, not the 2020 to 2021 financial year\. For the 2020 to 2021 financial year the facts record £2\.6bn/);
    assert.equal(govuk.year?.recorded, '2021 to 2022 financial year');
    assert.equal(one('School Fund spending rose by £4.8bn in FY2020/21.').year?.recorded, 'FY2021/22');
    assert.equal(one('School Fund spending rose by £4.8bn in 2020–2021.').year?.recorded, '2021–2022');
    assert.equal(one('As at 31 January 2020, 71.8% of Parent Helpline calls were answered.').year?.recorded, 'January 2019');
  });

  it('verifies the same sum recorded for several years, for any of them', () => {
    assert.equal(one('The Family Grant gives £1m in 2022-23.').status, 'verified');
    assert.equal(one('The Family Grant gives £1m in 2021-22.').status, 'verified');
    assert.equal(one('The Family Grant gives £1m in 2023-24.').code, 'figure.period');
  });

  it('leaves figures alone when their year is not certain', () => {
    const cases = [
      // Two figures, two years "respectively"; a year compared with; a year counted from.
      'School Fund spending will increase by £4.8bn and £7.1bn in 2021-22 and 2022-23 respectively, compared to 2019-20.',
      'School Fund spending increased by £2.6bn in 2020-21, and will increase by £4.8bn after that.',
      'School Fund spending of £4.8bn compares with 2020-21.',
      'School Fund spending was £4.8bn, and in 2020-21 the fund changed.',
      'The Parent Helpline has taken 12,000 calls since 2015.',
      // A year far from the figure, or with another figure between.
      'School Fund spending reached £4.8bn at the end of a long period of growth which peaked in 2020-21.',
      'In 2020-21 School Fund spending rose by £2.6bn, and then by £4.8bn.',
      // A year before the figure that does not open the sentence, or one a year after it overrides.
      'According to figures published in 2020, 71.8% of Parent Helpline calls were answered.',
      'Since the Parent Helpline was extended in 2013, 71.8% of calls have been answered.',
      'In 2019-20 prices, School Fund spending will rise by £4.8bn in 2021-22.',
      'Compared with funding in 2020-21, School Fund spending will be £4.8bn higher.',
      'In 2020-21 prices, School Fund spending will rise by £4.8bn.',
      // A year compared with, after the figure.
      'School Fund spending will be £4.8bn more than in 2020-21.',
      'School Fund spending will be £4.8bn over the level of 2020-21.',
      'School Fund spending was a £4.8bn increase on funding in 2020-21.',
      'School Fund spending will rise by £4.8bn in 2020-21 prices.',
      // A range of years.
      'School Fund spending will rise by £4.8bn in 2020-21 to 2022-23.',
      'For 2020-21 to 2022-23, School Fund spending will rise by £4.8bn.',
      'School Fund spending will rise by £4.8bn in 2020-21 – 2022-23.',
      // A year of something else the sentence names.
      'At the Parent Helpline, 71.8% of callers born in 2014 were answered.',
      'The Parent Helpline answered 71.8% of calls logged in 2020.',
      // The sentence opens with a year, but puts a figure in another time.
      'In 2021-22, building on the £2.6bn increase the year before, School Fund spending rose by £4.8bn.',
      'In 2022-23, after increases of £2.6bn and £4.8bn in the previous two years, School Fund spending will be £7.1bn higher.',
      'In 2022-23 the annual increase in School Fund spending fell from £4.8bn to £7.1bn.',
      'In 2020, compared with 2019, the Parent Helpline answered 71.8% of calls.',
      'In 2021-22, the Department reported that School Fund spending had risen by £2.6bn in 2020-21.',
      'In 2021-22, School Fund spending of £2.6bn on schools in 2020-21 was reported.',
      // Paired elsewhere, or a year of something the figure's noun did.
      'School Fund spending rose by £2.6bn and £4.8bn in 2020-21 and the following year respectively.',
      'School Fund spending will rise by £2.6bn and £4.8bn in 2020-21 and the following year.',
      'School Fund spending is rising by £2.6bn, £4.8bn and £7.1bn in 2020-21 through to 2022-23.',
      'School Fund spending in 2021-22 will be £4.8bn in excess of funding in 2020-21.',
      'In 2019, 71.8% of Parent Helpline callers who first rang in 2018 were answered.',
    ];
    for (const text of cases) {
      for (const f of figures(text)) assert.notEqual(f.code, 'figure.period', `${text}: ${f.text}: ${f.message}`);
    }
    // The right year is right.
    for (const f of figures('School Fund spending increased by £2.6bn in 2020-21, and will increase by £4.8bn and £7.1bn in 2021-22 and 2022-23 respectively.')) {
      assert.equal(f.status, 'verified', f.message);
    }
  });

  it('lists the figures recorded for the year the draft gives first when none fits', () => {
    const f = one('School Fund spending will increase by £4.9bn in 2022-23.');
    assert.equal(f.code, 'figure.mismatch');
    assert.deepEqual(f.expected?.map((x) => x.text), ['£7.1bn', '£4.8bn', '£2.6bn']);
    assert.deepEqual(f.replacements?.[0], '£7.1bn');
    // The year's figure first even when the closest is also of another year listed after it.
    const h = one('School Fund spending will increase by £2.7bn in 2022-23.');
    assert.deepEqual(h.expected?.map((x) => x.text), ['£7.1bn', '£2.6bn', '£4.8bn']);
    const g = one('School Fund spending will increase by £4.9bn.');
    assert.deepEqual(g.expected?.map((x) => x.text), ['£4.8bn', '£7.1bn', '£2.6bn'], 'closest first, with no year given');
  });

  it('gives the same findings when a draft is edited as when it is checked whole', () => {
    const base = 'School Fund spending increased by £2.6bn in 2020-21.\n\nThe Family Grant received £40.8 million in 2021-22.\n';
    const checker = new IncrementalChecker(kb);
    checker.check(base);
    const edited = base.replace('2020-21', '2021-22');
    const at = base.indexOf('2020-21');
    const result = checker.check(edited, [{ rangeOffset: at, rangeLength: 7, text: '2021-22' }]);
    assert.deepEqual(
      result.findings.map((f) => `${f.code}:${f.text}`),
      checkText(kb, edited).findings.map((f) => `${f.code}:${f.text}`),
    );
    assert.deepEqual(
      result.findings.filter((f) => f.figure).map((f) => f.code),
      ['figure.period', 'figure.period'],
    );
    // Text added before both: the years the quick fix would replace move with them.
    const moved = checker.check(`Intro.\n\n${edited}`, [{ rangeOffset: 0, rangeLength: 0, text: 'Intro.\n\n' }]);
    assert.deepEqual(moved, checkText(kb, `Intro.\n\n${edited}`));
    assert.deepEqual(
      moved.findings.map((f) => f.year && `Intro.\n\n${edited}`.slice(f.year.start, f.year.end)),
      ['2021-22', '2021-22'],
    );
  });
});
