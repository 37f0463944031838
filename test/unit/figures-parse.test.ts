import * as assert from 'node:assert/strict';
import { normaliseNoun, parseFigure, parseFigures, parseFiguresInSteps, sameFigure } from '../../src/core/figures/parse';
import { NUMBER_WORDS } from '../../src/core/figures/numbers';
import { runToEnd } from '../../src/core/steps';
import { randomRange, randomText, runCounting, seeded } from './helpers';
import type { Figure } from '../../src/core/types';

/**
 * Test strings mark the expected figures with brackets: `'The DfE has provided [£1.2m] of
 * funding'` expects exactly one figure whose text is `£1.2m`. The brackets are removed before
 * parsing; `\\[` is a literal bracket.
 */
function unmark(src: string): { text: string; spans: { start: number; end: number }[] } {
  let text = '';
  const spans: { start: number; end: number }[] = [];
  let open = -1;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\' && (src[i + 1] === '[' || src[i + 1] === ']')) text += src[++i];
    else if (ch === '[') open = text.length;
    else if (ch === ']') {
      spans.push({ start: open, end: text.length });
      open = -1;
    } else text += ch;
  }
  return { text, spans };
}

type Expect = Partial<Pick<Figure, 'value' | 'unit' | 'qualifier' | 'noun' | 'precision'>>;

/** The figures in `src` are exactly the bracketed ones, with these properties (in order). */
function expectFigures(src: string, ...expected: Expect[]): Figure[] {
  const { text, spans } = unmark(src);
  const found = parseFigures(text);
  assert.deepEqual(
    found.map((f) => text.slice(f.start, f.end)),
    spans.map((s) => text.slice(s.start, s.end)),
    `figures in ${JSON.stringify(text)}`,
  );
  assert.deepEqual(
    found.map((f) => ({ start: f.start, end: f.end })),
    spans,
  );
  expected.forEach((e, i) => {
    const f = found[i];
    for (const key of Object.keys(e) as (keyof Expect)[]) {
      assert.deepEqual(f[key], e[key], `${key} of ${JSON.stringify(f.text)}`);
    }
    // Every key not asserted but absent in the expectation must really be absent when it is optional.
    if (!('qualifier' in e)) assert.equal(f.qualifier, undefined, `no qualifier on ${JSON.stringify(f.text)}`);
  });
  return found;
}

/** No figure at all in `text`. */
function expectNone(text: string): void {
  const found = parseFigures(text);
  assert.deepEqual(
    found.map((f) => f.text),
    [],
    `expected no figure in ${JSON.stringify(text)}`,
  );
}

describe('figure parser', () => {
  describe('money', () => {
    it('reads pounds with scale suffixes and words, in pounds, with the precision written', () => {
      expectFigures('The DfE has provided [£1.2m] of funding', { value: 1_200_000, unit: 'GBP', precision: 100_000 });
      expectFigures('funding of [£1.085bn] was made available', { value: 1_085_000_000, unit: 'GBP', precision: 1_000_000 });
      expectFigures('an additional [£4.6 billion] to councils', { value: 4_600_000_000, precision: 100_000_000 });
      expectFigures('at a cost of [£220 million] allowing', { value: 220_000_000, precision: 1_000_000 });
      expectFigures('paid at a rate of [£21.05] for the eldest', { value: 21.05, precision: 0.01 });
      expectFigures('spending [£0.46bn] on centres', { value: 460_000_000, precision: 10_000_000 });
      expectFigures('a grant of [£10k] each', { value: 10_000, precision: 1_000 });
      expectFigures('a bursary of [£1,500] a year', { value: 1_500, precision: 1 });
      expectFigures('[£15 million] set to go', { value: 15_000_000, precision: 1_000_000 });
      expectFigures('the other [£2 million] being invested', { value: 2_000_000 });
      expectFigures('a budget of [£1.2 m] and [£5 bn]', { value: 1_200_000 }, { value: 5_000_000_000 });
    });

    it('reads GBP, USD and EUR written as codes, signs and words', () => {
      expectFigures('a fund of [GBP 5m] and [GBP7m]', { unit: 'GBP', value: 5_000_000 }, { unit: 'GBP', value: 7_000_000 });
      expectFigures('[$3.5m] from the foundation and [US$ 2bn]', { unit: 'USD', value: 3_500_000 }, { unit: 'USD', value: 2_000_000_000 });
      expectFigures('[€40m] and [EUR 12m]', { unit: 'EUR', value: 40_000_000 }, { unit: 'EUR', value: 12_000_000 });
      expectFigures('worth [5 million pounds] in all', { unit: 'GBP', value: 5_000_000, precision: 1_000_000 });
      expectFigures('a fee of [50p] or [20 pence]', { unit: 'GBP', value: 0.5, precision: 0.01 }, { unit: 'GBP', value: 0.2 });
    });

    it('puts the currency sign and scale word in numberSpan, but not the qualifier', () => {
      const text = 'worth around £2.4 billion annually';
      const [f] = parseFigures(text);
      assert.equal(f.text, 'around £2.4 billion');
      assert.equal(text.slice(f.numberSpan.start, f.numberSpan.end), '£2.4 billion');
    });

    it('does not take an unknown currency or a word glued to the amount', () => {
      expectNone('A$5m and NZ$3m');
    });
  });

  describe('counts', () => {
    it('reads counts in digits with the counted noun, singular and lower case', () => {
      expectFigures('As of January 2021, [401,719 families] had made improvements', { value: 401_719, unit: 'count', noun: 'family', precision: 1 });
      expectFigures('recruit [13,500 new Work Coaches] by the end of the year', { value: 13_500, noun: 'coach' });
      expectFigures('[36 local authorities] have been lifted out of intervention', { value: 36, noun: 'authority' });
      expectFigures('with [113 LAs] and [54 Higher Education Institutions]', { noun: 'la' }, { noun: 'institution' });
      expectFigures('data on [~13,000 children] to show', { value: 13_000, noun: 'child', qualifier: 'around' });
      expectFigures('there were [297,700 registered childcare places] provided', { noun: 'place' });
      expectFigures('[1 new school] opened', { value: 1, noun: 'school' });
    });

    it('reads scaled counts: c.390k, 1.4m, 2.2m', () => {
      expectFigures('plans ([c.390k] ([3.3%]) with a plan', { value: 390_000, precision: 1_000, qualifier: 'around', unit: 'count' }, { value: 3.3, unit: 'percent' });
      expectFigures('background ([1.4m] ([17.3%]) eligible', { value: 1_400_000, precision: 100_000 }, { value: 17.3, precision: 0.1 });
      expectFigures('[c.1.1m] receiving support', { value: 1_100_000, precision: 100_000, qualifier: 'around' });
      expectFigures('a bare [13,500] and [~13,000]', { value: 13_500 }, { value: 13_000, qualifier: 'around' });
    });

    it('reads counts in words when they count something', () => {
      expectFigures('to go to [eight new Partners] in Practice', { value: 8, noun: 'partner', precision: 1 });
      expectFigures('In the [twelve Opportunity Areas] (OA)', { value: 12, noun: 'area' });
      expectFigures('She said [two ideas] the partnership was considering', { value: 2, noun: 'idea' });
      expectFigures('[Five councils] will now begin', { value: 5, noun: 'council' });
      expectFigures('[two million], or [two million people]', { value: 2_000_000, precision: 1_000_000 }, { value: 2_000_000, noun: 'person' });
      expectFigures('[twenty-one schools] and [two hundred and fifty thousand people]', { value: 21, noun: 'school' }, { value: 250_000, precision: 1_000 });
      expectFigures('[one million people]', { value: 1_000_000, noun: 'person' });
    });

    it('does not count "one", "a", or number words that count nothing', () => {
      expectNone('one of the councils, no one else, a million thanks, one year on');
      expectNone('the two of them met; two thirds of schools; three times as many');
    });
  });

  describe('percentages', () => {
    it('reads %, per cent, percent and percentage points', () => {
      expectFigures('In 2019, [71.8%] of children', { value: 71.8, unit: 'percent', precision: 0.1 });
      expectFigures('[71.8 per cent] and [71.8 percent] and [71.8 per-cent]', { value: 71.8 }, { value: 71.8 }, { value: 71.8 });
      expectFigures('up by [3 percentage points] or [2% points] or [4pp]', { value: 3, unit: 'percentage-points' }, { value: 2, unit: 'percentage-points' }, { value: 4, unit: 'percentage-points' });
      expectFigures('[five per cent] of pupils', { value: 5, unit: 'percent' });
      expectFigures('[86%] of schools – up from [68%] in 2010', { value: 86 }, { value: 68 });
    });
  });

  describe('amounts of time', () => {
    it('reads hours, days, weeks, months and years', () => {
      expectFigures('This includes [15 hours] a week of free early years education', { value: 15, unit: 'hours' });
      expectFigures('for [38 weeks] of the year', { value: 38, unit: 'weeks' });
      expectFigures('[12 months] and [30 days]', { unit: 'months', value: 12 }, { unit: 'days', value: 30 });
      expectFigures('funding over [two years] to cover core work', { unit: 'years', value: 2 });
      expectFigures('[two and a half years] later', { unit: 'years', value: 2.5, precision: 0.5 });
    });

    it('reads "over" before a time as "during", but keeps "more than"', () => {
      expectFigures('[£200m] to the Fund over [ten years]', { unit: 'GBP' }, { unit: 'years', value: 10 });
      // the money figure comes first in this one
      const [money, time] = expectFigures('[£105.5m] over [three years]', { unit: 'GBP' }, { unit: 'years', value: 3 });
      assert.equal(money.qualifier, undefined);
      assert.equal(time.qualifier, undefined);
      expectFigures('for [more than three years]', { unit: 'years', qualifier: 'over' });
    });
  });

  describe('qualifiers', () => {
    const cases: Array<[string, string]> = [
      ['over', 'over'],
      ['more than', 'over'],
      ['in excess of', 'over'],
      ['above', 'over'],
      ['Over', 'over'],
      ['under', 'under'],
      ['less than', 'under'],
      ['fewer than', 'under'],
      ['below', 'under'],
      ['nearly', 'under'],
      ['almost', 'under'],
      ['just under', 'under'],
      ['up to', 'up-to'],
      ['as much as', 'up-to'],
      ['a maximum of', 'up-to'],
      ['at least', 'at-least'],
      ['a minimum of', 'at-least'],
      ['around', 'around'],
      ['about', 'around'],
      ['approximately', 'around'],
      ['roughly', 'around'],
      ['some', 'around'],
      ['an estimated', 'around'],
      ['circa', 'around'],
      ['c', 'around'],
      ['c.', 'around'],
      ['approx.', 'around'],
      ['exactly', 'exactly'],
      ['precisely', 'exactly'],
    ];
    for (const [words, q] of cases) {
      it(`"${words}" → ${q}, included in the figure's text but not in numberSpan`, () => {
        const text = `The fund gave ${words} £185m to councils.`;
        const [f] = expectFigures(`The fund gave [${words} £185m] to councils.`, { qualifier: q as Figure['qualifier'], value: 185_000_000 });
        assert.equal(text.slice(f.numberSpan.start, f.numberSpan.end), '£185m');
      });
    }

    it('reads glued and symbol qualifiers: ~, c.', () => {
      expectFigures('education recovery - [~£1.7bn] will be invested', { qualifier: 'around', value: 1_700_000_000 });
      expectFigures('[c.400k] ([3.2%]) with a social worker', { qualifier: 'around' }, {});
    });

    it('reads a qualifier across "a further" and "an additional"', () => {
      expectFigures('with [up to a further £165m] to take the programme', { qualifier: 'up-to', value: 165_000_000 });
    });

    it('does not take "up" alone or a word from the previous sentence', () => {
      expectFigures('the service is up [26%] on last year', { value: 26 });
      expectFigures('We talked about. [12 councils] agreed.', { value: 12, noun: 'council' });
    });
  });

  describe('ranges', () => {
    it('gives both ends, the first taking the unit, scale and noun of the second', () => {
      expectFigures('[10]-[15%]', { value: 10, unit: 'percent' }, { value: 15, unit: 'percent' });
      expectFigures('[5] to [10 days]', { value: 5, unit: 'days' }, { value: 10, unit: 'days' });
      expectFigures('[£1]-[2m]', { value: 1_000_000, unit: 'GBP' }, { value: 2_000_000, unit: 'GBP' });
      expectFigures('between [10] and [20 per cent]', { unit: 'percent' }, { unit: 'percent' });
      expectFigures('[5]-[10 councils]', { noun: 'council' }, { noun: 'council' });
      expectFigures('with a further [12] -[13] in the second phase', { value: 12 }, { value: 13 });
      expectFigures('[two] to [three years]', { value: 2, unit: 'years' }, { value: 3, unit: 'years' });
    });

    it('does not take a number that starts a range of its own as the second end of another', () => {
      // "16-18 year olds" is an age range, not £16.
      expectFigures('Tickets cost [£5] to 16-18 year olds and [£8] to adults.', { value: 5, unit: 'GBP' }, { value: 8, unit: 'GBP' });
      expectFigures('Tickets cost [£5] to 16 to 18 year olds.', { value: 5, unit: 'GBP' });
      expectNone('£two–£00-25 year olds ');
      expectFigures('Waiting times fell from [18] to [12]-[15 weeks].', { value: 18, unit: 'count' }, { value: 12, unit: 'weeks' }, { value: 15, unit: 'weeks' });
    });
  });

  describe('what is not a figure', () => {
    it('years and decades', () => {
      expectNone('in 2019, the 1990s, in 2010 the Act 2017 (2018) since 2015');
      expectFigures('[over 2000 children]', { value: 2000, noun: 'child', qualifier: 'over' });
    });

    it('dates', () => {
      expectNone('on 12 May 2019, in May 2010, from 1 April, on 01/02/2019 or 2019-05-01 or 12.05.2019');
      expectNone('by the end of March 21 to ensure');
      expectNone('9 April 2020');
    });

    it('financial and academic years', () => {
      expectNone('in 2021-22, in 2019/20, in 2019-2020, from 2015-21, in 19-20, in 2020–21');
    });

    it('ages', () => {
      expectNone('children aged 5, at age 11, 5-year-olds, 0-19 year olds, under-5s, children under 5, young people aged up to 25');
      expectNone('a girl under the age of 18; children aged 5 to 11; ages 5-11; 5 years old; those aged 0-19; people over 65');
      expectNone('for 3-4YO and vulnerable 2YOs and (0-5s)');
      expectFigures('[up to 25 children] per group', { qualifier: 'up-to', noun: 'child' });
    });

    it('codes and footnote markers', () => {
      expectNone('Written evidence (PSC0045) at KS2 (Q10) in SE1 after COVID-19 and COVID- 19 into post-16 settings');
      expectNone('input from across government1 to give a view');
      expectNone('as reported by families.12 The next');
      expectNone('as the plan”3 said');
      expectNone('(Q5 and 8) and (Q2 and 6)');
      expectNone('4Children is to lead; the M25; A1 road; CO4 3ZL');
    });

    it('phone numbers', () => {
      expectNone('call 0300 123 4567 or 020 7946 0000 or +44 20 7946 0000 or +44 (0)20 7946 0000');
      expectNone('Tel: 01206 878178Contact Us');
    });

    it('list numbering and footnote numbers at the start of a line', () => {
      expectNone('1. Introduction\n2) Second\n(3) Third\n  4. Fourth\n## 5. Funding\n4.2 Funding');
      expectNone('text\n1 Department for Education (DfE), Department for Health');
      expectFigures('1. [£5m] for councils\n- [36 councils] agreed', { value: 5_000_000 }, { value: 36 });
    });

    it('references: section, page, paragraph, figure, table, chapter, annex, year, key stage, level, phase…', () => {
      expectNone('see section 3, page 12, paragraph 4.2, para 12, para. 12, Figure 3, Table 2 shows, chapter 4, annex 2');
      expectNone('Year 6 pupils, year 11 Alternative Provision pupils, Key Stage 2 and 3, Level 3, Phase 2, wave 3, step 4');
      expectNone('article 8, clause 4, Questions 3 and 4, § 3, No. 5, No.5, [12]');
    });

    it('times of day, ordinals, ratios and fractions', () => {
      expectNone('at 10:30, 3pm, 3 pm, 10.30am, the 1st and 21st, a ratio of 3:2, 1/2 of them, 24/7');
    });

    it('hyphenated descriptions: "12-month progress report", "ten-year strategy"', () => {
      expectNone('the 12-month progress report on the ten-year strategy');
      expectNone('its previous two-year partnership; a 2-part review; a 12 month review');
      expectFigures('a one-off [£7m] fund', { value: 7_000_000 });
      expectFigures('a [£5m]-a-year scheme', { value: 5_000_000 });
    });

    it('numbers in web and e-mail addresses', () => {
      expectNone('see https://example.org/2019/12/report-3 or www.example.com/page/12 or write to team12@example.org');
    });

    it('junk: long digit runs, malformed grouping, versions', () => {
      expectNone('12345678901234567890 and 1,2,3 and 12,34 and v1.2.3 and section 3.2.1');
    });
  });

  describe('real sentences (paraphrased from the source texts)', () => {
    it('the DfE evidence on child vulnerability', () => {
      expectFigures(
        'special educational needs ([c.390k] ([3.3%]) with a plan, [c.1.1m] ([12.1%]) on SEN support), and ([1.4m] ([17.3%]) eligible for Free School Meals)',
        { value: 390_000, qualifier: 'around' },
        { value: 3.3 },
        { value: 1_100_000, qualifier: 'around' },
        { value: 12.1 },
        { value: 1_400_000 },
        { value: 17.3 },
      );
      expectFigures('Since 2015, [over £185m] has gone through the Adoption Support Fund (ASF) to LAs', { qualifier: 'over', value: 185_000_000 });
      expectFigures(
        'Core school funding rose by [£2.6bn] in 2020-21, and will rise by [£4.8bn] and [£7.1bn] in 2021-22 and 2022-23, compared to 2019-20.',
        { value: 2_600_000_000 },
        { value: 4_800_000_000 },
        { value: 7_100_000_000 },
      );
      expectFigures('Councils spent [£10.5bn] on young people’s services in 19-20, mostly on social care ([around £9.5bn]).', {}, { qualifier: 'around' });
      expectFigures('Total welfare spending in 2019/20 included [over £98bn] on benefits', { qualifier: 'over' });
      expectFigures('[50 LAs] left intervention since May\n\n2010, and inadequate LAs fell from [30] in April 2017 to [21] at February 2021.', { noun: 'la' }, { value: 30 }, { value: 21 });
      expectFigures('helps children under the age of 18; data on [~13,000 children] has spawned [over 10 projects] including the [£1m] EEF study', { value: 13_000, qualifier: 'around' }, { qualifier: 'over', noun: 'project' }, { value: 1_000_000 });
      expectFigures('free early years education ([15 hours] per week) for vulnerable 2YOs for [38 weeks] of the year, and [30 hours] for 3-4YO', { unit: 'hours' }, { unit: 'weeks' }, { unit: 'hours' });
      expectFigures('a one-off [£7m] fund for year 11 Alternative Provision pupils moving into post-16 settings', { value: 7_000_000 });
      expectFigures('The Government set up the review in April 2020 (Q10), from conception to age two and a half; a 2-part review.');
      expectFigures('a girl under the age of 18 (Questions 3 and 4), in COVID- 19, and (Q5 and 8)');
    });

    it('the trade-press pieces', () => {
      expectFigures('The DfE has provided [£1.2m] of funding over [two years] to cover core work, with extra money – [up to £1m] each year – for projects.', {}, { unit: 'years' }, { qualifier: 'up-to' });
      expectFigures('It replaces the department’s previous [five separate VCSE strategic partners], which included 4Children.', { value: 5, noun: 'partner' });
      expectFigures('yesterday’s 12-month progress report on the government’s ten-year strategy, one year on');
      expectFigures('[Five councils] begin in the first phase with a further [12] -[13] in the second phase.', { value: 5 }, { value: 12 }, { value: 13 });
      expectFigures('[36 local authorities] have been lifted out of intervention since 2010. Tel: 01206 878178', { noun: 'authority' });
      expectFigures('With [£15 million] to go to [eight new Partners] in Practice, and the other [£2 million] for leadership', {}, { noun: 'partner' }, {});
      expectFigures('an archive of [more than 60,000 expert features] and access to [4 subscriber-only articles] per month', { qualifier: 'over', noun: 'feature' }, { noun: 'article' });
    });
  });

  describe('pasted text: NBSP, curly quotes, CRLF', () => {
    it('treats NBSP as a space inside and around figures', () => {
      expectFigures('provided\u00a0[£1.2m]\u00a0of funding', { value: 1_200_000 });
      expectFigures('[71.8\u00a0per\u00a0cent]', { value: 71.8, unit: 'percent' });
      expectFigures('[over\u00a0£185m]', { qualifier: 'over' });
      expectFigures('[36\u00a0local\u00a0authorities]', { noun: 'authority' });
    });

    it('gives the same figures with curly and straight quotes', () => {
      const curly = 'The NSPCC’s helpline: ‘[£1m]’ for “[5 councils]” and children’s [3 centres].';
      const straight = curly.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
      const a = expectFigures(curly, { value: 1_000_000 }, { noun: 'council' }, { noun: 'centre' });
      const b = expectFigures(straight, { value: 1_000_000 }, { noun: 'council' }, { noun: 'centre' });
      assert.deepEqual(
        a.map((f) => [f.start, f.end, f.value, f.unit, f.noun]),
        b.map((f) => [f.start, f.end, f.value, f.unit, f.noun]),
      );
    });

    it('reads a figure across a single line break, CRLF or LF alike, but not across a blank line', () => {
      for (const nl of ['\n', '\r\n']) {
        const [f] = parseFigures(`at a cost of over${nl}£220m`);
        assert.equal(f.qualifier, 'over');
        const [g] = parseFigures(`36 local${nl}authorities`);
        assert.equal(g.noun, 'authority');
        const [h] = parseFigures(`36${nl}${nl}authorities`);
        assert.equal(h.noun, undefined);
      }
    });

    it('reads the words around a number in capitals as in lower case, except where case tells', () => {
      expectFigures('[TWENTY-ONE councils] were told', { value: 21, noun: 'council' });
      expectFigures('it costs [20 PENCE] a day', { value: 0.2, unit: 'GBP' });
      expectFigures('a rise of [5 PER CENT]', { value: 5, unit: 'percent' });
      expectFigures('a fee of [10 POUNDS]', { value: 10, unit: 'GBP' });
      expectFigures('[OVER 40 LAs]', { qualifier: 'over', noun: 'la' });
      expectFigures('[8 PART-TIME staff]', { noun: 'staff' });
      expectNone('AGED 5 and over');
      expectNone('PARAGRAPH 4 says');
      // A month is a month only with its capital; "M" after a space is not "m" (million).
      expectNone('seen by 12 May');
      expectFigures('[£5] M and [£5 m]', { value: 5 }, { value: 5_000_000 });
    });

    it('reads nouns with letters and apostrophes outside ASCII', () => {
      expectFigures('[5 İnstitutes]', { noun: 'i̇nstitute' });
      expectFigures('[12 councils’ plans] and [12 councils]', { noun: 'plan' }, { noun: 'council' });
      expectFigures('[3 part‐time staff]', { noun: 'staff' });
    });
  });

  describe('range arguments and robustness', () => {
    it('only reports figures inside [from, to)', () => {
      const text = 'A £1m grant and 36 councils and 71.8% of schools';
      assert.deepEqual(parseFigures(text, 10).map((f) => f.text), ['36 councils', '71.8%']);
      assert.deepEqual(parseFigures(text, 0, 20).map((f) => f.text), ['£1m']);
      assert.deepEqual(parseFigures(text, 3, 5).map((f) => f.text), []);
      assert.deepEqual(parseFigures(text, -5, 1e9).length, 3);
      assert.deepEqual(parseFigures(text, NaN, NaN).length, 3);
      assert.deepEqual(parseFigures(text, 30, 10), []);
      assert.deepEqual(parseFigures(''), []);
    });

    it('finds each figure again, the same, when only its own span is parsed', () => {
      const texts = [
        '£two–£00-25 year olds ',
        'Tickets cost £5 to 16-18 year olds and £8 to adults.',
        'Tickets cost £5 to 16 to 18 year olds.',
        'Waiting times fell from 18 to 12-15 weeks.',
        'Rates rose by 10-12 - 15% in places.',
        'Between 0 - 1,000 – 5-year-olds',
      ];
      for (const text of texts) {
        for (const f of parseFigures(text)) {
          const again = parseFigures(text, f.start, f.end);
          assert.deepEqual(
            again.map((g) => [g.text, g.value, g.unit]),
            [[f.text, f.value, f.unit]],
            `${JSON.stringify(f.text)} in ${JSON.stringify(text)}`,
          );
        }
      }
    });

    it('reports the same figures for a range as for the whole text, wherever the range ends', () => {
      // Whatever its first word ("seventeen", "US$", "GBP"), a figure is found when the range ends
      // with it, and not when the range cuts it.
      const starts = [...NUMBER_WORDS.keys(), 'US$5m', 'GBP 5m', '£5m', '7'];
      let checked = 0;
      for (const first of starts) {
        const text = `Funding reached ${/\d/.test(first) ? first : `${first} councils`} in the year.${' More text without any figure.'.repeat(40)}`;
        const at = text.indexOf(first);
        const whole = parseFigures(text);
        const figure = whole.find((f) => f.start === at);
        if (!figure) continue;
        checked++;
        for (let to = at; to <= figure.end + 2; to++) {
          assert.deepEqual(
            parseFigures(text, 0, to).map((f) => [f.start, f.text, f.value]),
            whole.filter((f) => f.end <= to).map((f) => [f.start, f.text, f.value]),
            `${first}, range ending ${to - at} into it`,
          );
        }
      }
      assert.ok(checked > 20, `${checked} words checked`);
    });

    it('finds the same figures in steps as in one go, however small the steps', () => {
      const pieces = ['£46m', '£1.2 million', 'US$5m', 'GBP 5m', '401,719 families', 'seventeen councils', 'twenty-five', 'one', 'over', 'up to', 'around', 'per cent', '%', '71.8', 'from', 'to', 'between', 'and', '2021-22', 'in 2019', 'www.gov.uk', 'https://x.org/5', 'a@b.com', 'the fund', 'ten year olds', '\n', '\r\n', '\n\n', ' ', '. ', ', ', '-', '–'];
      const random = seeded(11);
      let pauses = 0;
      for (let round = 0; round < 400; round++) {
        const text = randomText(random, pieces, 60);
        const [from, to] = randomRange(random, text.length);
        const expected = parseFigures(text, from, to);
        for (const step of [1, 3, 17, 100, 5000]) {
          const run = runCounting(parseFiguresInSteps(text, from, to, step));
          pauses += run.pauses;
          assert.deepEqual(run.result, expected, `step ${step}, [${from}, ${to}) of ${JSON.stringify(text)}`);
        }
      }
      assert.ok(pauses > 1000, `${pauses} pauses`);
      const text = 'over £185m since 2015 and 401,719 families';
      for (const step of [Number.NaN, 0, -5, 0.5, Number.POSITIVE_INFINITY]) {
        assert.equal(parseFiguresInSteps(text, 0, text.length, step).next().done, true, `${step}: no pause`);
        assert.deepEqual(runToEnd(parseFiguresInSteps(text, 0, text.length, step)), parseFigures(text), String(step));
      }
    });

    it('does not report half a number at the edge of the range', () => {
      const text = 'paid £1,500 today';
      assert.deepEqual(parseFigures(text, 7).map((f) => f.text), []); // starts inside "1,500"
    });

    it('never throws and keeps positions inside the text on hostile input', () => {
      const inputs = [
        '\ud800£1m\udc00 36\u0000councils',
        '\u0000'.repeat(100) + '£5m',
        '£'.repeat(1000) + '1',
        String.fromCharCode(...Array.from({ length: 5000 }, (_, i) => (i * 7919) % 65536)),
        '1'.repeat(10_000),
        '1,'.repeat(5000) + '1',
        'two '.repeat(2000),
        'over '.repeat(2000) + '5 councils',
        '🎉£1.2m🎉 ~ c. c.5 £ $ € US$ GBP',
      ];
      for (const text of inputs) {
        const figs = parseFigures(text);
        let last = 0;
        for (const f of figs) {
          assert.ok(f.start >= last && f.start < f.end && f.end <= text.length, JSON.stringify(f));
          assert.ok(f.numberSpan.start >= f.start && f.numberSpan.end <= f.end && f.numberSpan.start < f.numberSpan.end);
          assert.equal(f.text, text.slice(f.start, f.end));
          assert.ok(Number.isFinite(f.value) && Number.isFinite(f.precision) && f.precision > 0);
          last = f.end;
        }
      }
    });

    it('stays linear on a 5 MB single line of the worst shapes', function () {
      this.timeout(60_000);
      // CPU time, not wall time, so that a busy machine does not fail the test; a quadratic
      // parser would take hours on these.
      for (const unit of ['£1 ', 'two ', '1-', 'Q1 and ', '\ud83c']) {
        const text = unit.repeat(Math.ceil(5_000_000 / unit.length));
        const before = process.cpuUsage();
        const figs = parseFigures(text);
        const used = process.cpuUsage(before);
        const ms = (used.user + used.system) / 1000;
        assert.ok(ms < 15_000, `${JSON.stringify(unit)} took ${ms} ms of CPU`);
        assert.ok(figs.every((f, i) => f.end <= text.length && (i === 0 || f.start >= figs[i - 1].end)));
      }
    });

    it('parses 1 MB of prose quickly', () => {
      const para =
        'The DfE has provided £1.2m of funding over two years, and 36 local authorities have been lifted out of intervention since 2010. ' +
        'In 2019, 71.8% of children achieved a good level of development; c.390k (3.3%) had a plan. See section 3 and page 12 (Q10). ' +
        'Ordinary words make up most of any draft, with the odd COVID- 19 and government1 marker in between them. ';
      const text = para.repeat(Math.ceil(1_000_000 / para.length));
      parseFigures(text); // warm up
      let best = Infinity;
      for (let k = 0; k < 5; k++) {
        const before = process.cpuUsage();
        parseFigures(text);
        const used = process.cpuUsage(before);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      // This text has a number every 30 characters; ordinary prose is several times faster
      // (about 13 ms of CPU per MB for the source texts). The bound leaves room for slow runners.
      assert.ok(best < 250, `1 MB took ${best.toFixed(1)} ms of CPU`);
    });
  });

  describe('parseFigure (fact files)', () => {
    it('reads the figure strings fact files use', () => {
      const cases: Array<[string, Partial<Figure>]> = [
        ['over £185m', { value: 185_000_000, unit: 'GBP', qualifier: 'over', precision: 1_000_000 }],
        ['401,719 families', { value: 401_719, unit: 'count', noun: 'family' }],
        ['71.8 per cent', { value: 71.8, unit: 'percent', precision: 0.1 }],
        ['up to £1m each year', { value: 1_000_000, unit: 'GBP', qualifier: 'up-to' }],
        ['36', { value: 36, unit: 'count' }],
        ['five', { value: 5, unit: 'count' }],
        ['one', { value: 1, unit: 'count' }],
        ['two-year', { value: 2, unit: 'years' }],
        ['over two years', { value: 2, unit: 'years' }],
        ['eight new Partners in Practice', { value: 8, noun: 'partner' }],
        ['2000 places', { value: 2000, noun: 'place' }],
      ];
      for (const [text, e] of cases) {
        const f = parseFigure(text);
        assert.ok(f, `no figure in ${text}`);
        for (const key of Object.keys(e) as (keyof Figure)[]) assert.deepEqual(f[key], e[key], `${key} of ${text}`);
        assert.equal(f.text, text.slice(f.start, f.end));
      }
    });

    it('returns undefined when there is no figure, and the first when there are several', () => {
      assert.equal(parseFigure(''), undefined);
      assert.equal(parseFigure('the programme'), undefined);
      assert.equal(parseFigure('2019'), undefined);
      assert.equal(parseFigure('KS2'), undefined);
      assert.equal(parseFigure('£200m over ten years')?.unit, 'GBP');
    });
  });

  describe('sameFigure', () => {
    it('compares unit and value, not the way they were written', () => {
      const [a] = parseFigures('£1.2m');
      const [b] = parseFigures('£1,200,000');
      const [c] = parseFigures('1.2m people');
      const [d] = parseFigures('over £1.2 million');
      assert.ok(sameFigure(a, b));
      assert.ok(sameFigure(a, d));
      assert.ok(!sameFigure(a, c));
      assert.ok(!sameFigure(a, parseFigures('£1.3m')[0]));
    });
  });

  describe('normaliseNoun', () => {
    it('gives the head noun, singular and lower case', () => {
      assert.equal(normaliseNoun('families'), 'family');
      assert.equal(normaliseNoun('local authorities'), 'authority');
      assert.equal(normaliseNoun('Partners in Practice'), 'partner');
      assert.equal(normaliseNoun('new Work Coaches'), 'coach');
      assert.equal(normaliseNoun('LAs'), 'la');
      assert.equal(normaliseNoun('children'), 'child');
      assert.equal(normaliseNoun('people'), 'person');
      assert.equal(normaliseNoun('children’s centres'), 'centre');
      assert.equal(normaliseNoun("councils'"), 'council');
      assert.equal(normaliseNoun('businesses'), 'business');
      assert.equal(normaliseNoun('strategic partners'), 'partner');
      assert.equal(normaliseNoun('schools'), 'school');
      assert.equal(normaliseNoun('organisations'), 'organisation');
      assert.equal(normaliseNoun('NHS trusts'), 'trust');
      assert.equal(normaliseNoun('buses'), 'bus');
      assert.equal(normaliseNoun('status'), 'status');
      assert.equal(normaliseNoun(''), '');
    });

    it('agrees with the nouns the parser reports', () => {
      for (const phrase of ['local authorities', 'Partners in Practice', 'families', 'children', 'Work Coaches']) {
        const [f] = parseFigures(`12 ${phrase} today`);
        assert.equal(f.noun, normaliseNoun(phrase), phrase);
      }
    });
  });
});
