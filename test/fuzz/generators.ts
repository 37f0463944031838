/**
 * Generators of realistic, hostile input for the fuzz properties: drafts pasted from Word and
 * PDF (curly quotes, NBSP, CRLF, "COVID- 19", footnote markers), figures in every format and
 * every non-figure that looks like one, junk (lone surrogates, emoji, NUL, long digit runs),
 * and fact files, valid and broken (anchors, aliases, deep nesting, tabs, binary).
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------
// Pieces of drafts

/** Sentence fragments in the style of the source texts (written for these tests). */
export const PROSE: readonly string[] = [
  'The DfE has provided',
  'of funding over two years to cover core work',
  'although it could award extra money',
  'for specific projects.',
  'will lead on early years, adoption and care within the group,',
  'which includes',
  'said the partnership would act as',
  'The programme will give councils the tools they need',
  'to help all councils improve children’s services',
  'local authorities',
  'have been lifted out of intervention since 2010',
  'Alliances will see councils challenging each other',
  'In the twelve Opportunity Areas (OA),',
  'eligible for Free School Meals',
  'with an education, health and care plan (EHCP)',
  'The Government has already started to work with',
  'Since 2015,',
  'has been made available through',
  'to LAs and regional adoption agencies',
  'As of January 2021,',
  'families had made sustained improvements',
  'Councils spent',
  'on children’s and young people’s services in 19-20',
  'In addition, government supports local delivery through:',
  '(previously called Troubled Families Programme)',
  'Minister for Children and Families',
  'announced a',
  'package of support for councils',
  'the other',
  'being invested in improving leadership',
  'the number of inadequate LAs has fallen from',
  'in April 2017 to',
  'at February 2021.',
  'It is paid at a rate of',
  'for the eldest or only child and',
  'for each subsequent child.',
  'This includes',
  'per week of free early years education for vulnerable 2YOs for',
  'of the year.',
  'In 2019,',
  'of children achieved a good level of development compared to',
  'in 2013.',
  'approx.',
  'around',
  'over',
  'up to',
  'more than',
  'c.',
  '~',
  'including',
  'and',
  'the',
  'of which',
  '—',
  '–',
  '-',
  ';',
  ':',
  ',',
  '.',
  '(',
  ')',
  '“',
  '”',
  '‘',
  '’',
  '"',
  "'",
];

/** Things that look like figures but are not, and markers pasted text carries. */
export const TRAPS: readonly string[] = [
  'COVID-19',
  'COVID- 19',
  'Covid-19',
  'government1',
  'families.12',
  'plan”3',
  '(PSC0045)',
  'KS2',
  '(Q10)',
  '(Q5 and 8)',
  'Questions 3 and 4',
  'SE1',
  'CO4 3ZL',
  '2021-22',
  '2019/20',
  '2019-2020',
  'in 19-20',
  '2015-21',
  '12 May 2019',
  'May 2010',
  '1 April',
  '01/02/2019',
  '2019-05-01',
  '12.05.2019',
  'aged 5',
  'age 11',
  'aged 0-19',
  '5-year-olds',
  '0-25 year olds',
  'under-5s',
  'children under 5',
  'aged up to 25',
  'the age of 18',
  '3-4YO',
  '2YOs',
  '(0-5s)',
  '0300 123 4567',
  '020 7946 0000',
  '+44 (0)20 7946 0000',
  'Tel: 01206 878178Contact',
  '1.',
  '2)',
  '(3)',
  'a)',
  'section 3',
  'page 12',
  'paragraph 4.2',
  'para. 12',
  'Figure 3',
  'Table 2',
  'Year 6',
  'year 11',
  'Key Stage 2',
  'Level 3',
  'Phase 2',
  '10:30',
  '3pm',
  '3 pm',
  '1st',
  '21st',
  '12-month progress report',
  'ten-year strategy',
  'two-year partnership',
  'one-off',
  'a 2-part review',
  'https://www.gov.uk/guidance/2019/12/report-3',
  'www.example.org/page/12',
  'team12@example.org',
  '4Children',
  'post-16',
  '[12]',
  '§ 3',
  'No. 5',
  '1990s',
  '’19',
  '1,2,3',
  'v1.2.3',
  'policy-facts-ignore: quoted from the report',
  '<!-- policy-facts-ignore -->',
  '# Heading',
  '## 3. Funding',
  '- ',
  '* ',
  '> ',
  '**',
  '`',
];

/** Characters and runs that break naive code. */
export const JUNK: readonly string[] = [
  '\u00a0',
  '\u202f',
  '\u2009',
  '\u200b',
  '\ufeff',
  '\u00ad',
  '\t',
  '\n',
  '\r\n',
  '\n\n',
  '\r\n\r\n',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udfff',
  '\udbff\udfff',
  '😀',
  '👩‍👩‍👧',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  'é',
  'e\u0301',
  'ﬁ',
  'ǅ',
  'İ',
  'ß',
  'Σ',
  '日本',
  '١٢٣',
  '１２３',
  '¹²³',
  '½',
  '\\',
  '$',
  '€',
  '£',
  '%',
  '&',
  '@',
  '#',
  '*',
  '_',
  '|',
  '<',
  '>',
  '{',
  '}',
  '[',
  ']',
];

const QUALIFIERS = [
  '',
  '',
  '',
  'over ',
  'more than ',
  'in excess of ',
  'under ',
  'less than ',
  'nearly ',
  'almost ',
  'just under ',
  'up to ',
  'as much as ',
  'a maximum of ',
  'at least ',
  'around ',
  'about ',
  'approximately ',
  'approx. ',
  'some ',
  'an estimated ',
  'c.',
  'c. ',
  '~',
  'exactly ',
  'up to a further ',
];

const NUMBER_WORDS = ['two', 'three', 'five', 'eight', 'ten', 'twelve', 'twenty-one', 'fifty', 'one hundred', 'two million', 'two and a half'];
const SCALES = ['', '', 'k', 'm', 'bn', ' million', ' billion', ' thousand', ' m'];
const UNITS = ['', '%', ' per cent', ' percent', ' percentage points', ' hours', ' days', ' weeks', ' months', ' years', ' year'];
const NOUNS = ['', 'families', 'councils', 'local authorities', 'new Work Coaches', 'children', 'people', 'Partners in Practice', 'LAs', 'places', 'schools', 'projects', 'Opportunity Areas'];

/** A number in digits: "401,719", "1.085", "13500", "0.46", a long run. */
export const digitsArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 999 }).map(String) },
  { weight: 3, arbitrary: fc.integer({ min: 1000, max: 99_999_999 }).map((n) => n.toLocaleString('en-GB')) },
  { weight: 2, arbitrary: fc.integer({ min: 1000, max: 99_999 }).map(String) },
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 })).map(([a, b]) => `${a}.${b}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((n) => '9'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 1800, max: 2099 }).map(String) },
);

/** A figure as a draft writes it, with qualifier, currency, scale, unit or noun. */
export const figureArb: fc.Arbitrary<string> = fc
  .record({
    qualifier: fc.constantFrom(...QUALIFIERS),
    currency: fc.constantFrom('', '', '£', '£', '$', '€', 'GBP ', 'US$'),
    number: fc.oneof({ weight: 4, arbitrary: digitsArb }, { weight: 1, arbitrary: fc.constantFrom(...NUMBER_WORDS) }),
    scale: fc.constantFrom(...SCALES),
    unit: fc.constantFrom(...UNITS),
    noun: fc.constantFrom(...NOUNS),
    range: fc.constantFrom('', '', '', '-', ' to ', '–', ' -'),
    second: digitsArb,
  })
  .map((r) => {
    const first = `${r.qualifier}${r.currency}${r.number}${r.scale}`;
    const num = r.range ? `${first}${r.range}${r.currency}${r.second}${r.scale}` : first;
    if (r.currency) return num;
    return `${num}${r.unit}${r.noun && !r.unit ? ' ' + r.noun : ''}`;
  });

const SEPARATORS = [' ', ' ', ' ', ' ', '\u00a0', '\n', '\r\n', '', ', ', '. ', '\t', '  '];

/** A draft made of pieces: prose, names, figures, traps and junk, joined by assorted spaces. */
export function draftArb(names: readonly string[] = [], maxPieces = 40): fc.Arbitrary<string> {
  const pieces: Array<fc.WeightedArbitrary<string>> = [
    { weight: 6, arbitrary: fc.constantFrom(...PROSE) },
    { weight: 4, arbitrary: figureArb },
    { weight: 3, arbitrary: fc.constantFrom(...TRAPS) },
    { weight: 2, arbitrary: fc.constantFrom(...JUNK) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 12 }) },
  ];
  if (names.length > 0) {
    const name = fc.constantFrom(...names);
    pieces.push({
      weight: 5,
      arbitrary: fc
        .tuple(name, fc.constantFrom('', '', '', '’s', "'s", 's', '’', '-led', 'X'), fc.constantFrom('as is', 'upper', 'lower', 'nbsp', 'break'))
        .map(([n, suffix, how]) => {
          const v = how === 'upper' ? n.toUpperCase() : how === 'lower' ? n.toLowerCase() : how === 'nbsp' ? n.replace(/ /g, '\u00a0') : how === 'break' ? n.replace(/ /, '\r\n') : n;
          return v + suffix;
        }),
    });
  }
  return fc
    .array(fc.tuple(fc.oneof(...pieces), fc.constantFrom(...SEPARATORS)), { maxLength: maxPieces })
    .map((parts) => parts.map(([p, sep]) => p + sep).join(''));
}

/** A long line: one piece repeated (5 MB shapes are tried by the fuzz script itself). */
export const repeatedArb: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(figureArb, fc.constantFrom(...TRAPS), fc.constantFrom(...JUNK)), fc.integer({ min: 1, max: 300 }))
  .map(([p, n]) => p.repeat(n));

// ---------------------------------------------------------------------------------------------
// Swapping to plain forms

/** The plain forms of what pasted text carries: straight quotes, spaces for NBSP, LF for CRLF. */
export function plain(text: string): string {
  return text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\u00a0/g, ' ').replace(/\r\n/g, '\n');
}

/**
 * Lone CRs turned into LFs first, so that swapping CRLF for LF cannot make a new CRLF out of
 * "\r\r\n" (which would change the number of line breaks, not just their form).
 */
export function withoutLoneCr(text: string): string {
  return text.replace(/\r(?!\n)/g, '\n');
}

/** Maps an offset in `text` to the offset of the same place in `plain(text)`. */
export function offsetMap(text: string): (offset: number) => number {
  const crs: number[] = [];
  for (let i = text.indexOf('\r\n'); i !== -1; i = text.indexOf('\r\n', i + 2)) crs.push(i);
  return (offset: number) => {
    // Offsets after the CR of a CRLF move back by one each.
    let lo = 0;
    let hi = crs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (crs[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return offset - lo;
  };
}

// ---------------------------------------------------------------------------------------------
// Names for the matcher

const NAME_WORDS = ['Adoption', 'Support', 'Fund', 'Children', 'Children’s', "Barnardo's", 'Family', 'Families', 'Trust', 'Council', 'Partners', 'in', 'Practice', 'of', 'and', 'the', 'for', 'COVID-19', 'Scheme', 'Board', 'Youth', 'Endowment', 'Early', 'Years', 'Review', 'National', 'e-learning', 'St.', 'A&E', 'No.', '1', 'Q10'];

/** A name entry for the matcher: realistic multi-word names, acronyms, and junk. */
export const nameEntryArb = fc
  .record({
    entityId: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5'),
    kind: fc.constantFrom('name', 'alias', 'acronym', 'former', 'former-acronym'),
    name: fc.oneof(
      { weight: 5, arbitrary: fc.array(fc.constantFrom(...NAME_WORDS), { minLength: 1, maxLength: 6 }).map((w) => w.join(' ')) },
      { weight: 2, arbitrary: fc.constantFrom('DfE', 'NSPCC', 'NCB', 'LGA', 'SEND', 'LA', 'ASF', 'CAER', 'OA', 'NHS', 'DHSC', 'REACTs') },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
      { weight: 1, arbitrary: fc.constantFrom('', ' ', '’', '-', 'a', '\u00a0Fund\u00a0', 'x'.repeat(300)) },
    ),
  })
  .map((r) => ({
    entityId: r.entityId,
    name: r.name,
    kind: r.kind as 'name' | 'alias' | 'acronym' | 'former' | 'former-acronym',
    caseSensitive: r.kind === 'acronym' || r.kind === 'former-acronym',
  }));

// ---------------------------------------------------------------------------------------------
// Fact files

const SCALAR = fc.oneof(
  fc.constantFrom('Adoption Support Fund', "Barnardo's", 'Children’s Partnership', 'over £185m', '401,719 families', '71.8 per cent', 'two-year', 'x', ''),
  fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);

function quoted(s: string): string {
  return JSON.stringify(s);
}

const factArb = fc
  .record({
    figure: fc.oneof(figureArb, SCALAR),
    about: SCALAR,
    source: fc.constantFrom('src-a', 'src-b', 'missing-source', ''),
    line: fc.oneof(fc.integer({ min: -3, max: 500 }), fc.constant(0)),
    extra: fc.constantFrom('', '', 'period: 2020-21', 'qualifier: over', 'qualifier: sideways', 'counts: local authorities', 'asOf: January 2021', 'unknown: 1'),
  })
  .map(
    (f) =>
      `      - figure: ${quoted(f.figure)}\n        about: ${quoted(f.about)}\n        source: { source: ${f.source || '""'}, line: ${f.line} }\n${f.extra ? `        ${f.extra}\n` : ''}`,
  );

const entityArb = fc
  .record({
    id: fc.constantFrom('adoption-support-fund', 'dfe', 'nspcc', 'e-1', 'Bad Id', 'dfe', ''),
    kind: fc.constantFrom('programme', 'organisation', 'wizard'),
    type: fc.constantFrom('fund', 'charity', 'department'),
    name: SCALAR,
    aliases: fc.array(SCALAR, { maxLength: 3 }),
    acronyms: fc.array(fc.constantFrom('ASF', 'DfE', 'NSPCC', 'X', ''), { maxLength: 2 }),
    former: fc.constantFrom('', '    formerNames:\n      - name: Troubled Families Programme\n        until: "2021"\n'),
    relations: fc.constantFrom('', '    relations:\n      - type: led-by\n        target: dfe\n', '    relations:\n      - type: funded-by\n        target: nowhere\n'),
    facts: fc.array(factArb, { maxLength: 4 }),
  })
  .map(
    (e) =>
      `  - id: ${quoted(e.id)}\n    kind: ${e.kind}\n    type: ${e.type}\n    name: ${quoted(e.name)}\n` +
      (e.aliases.length ? `    aliases: [${e.aliases.map(quoted).join(', ')}]\n` : '') +
      (e.acronyms.length ? `    acronyms: [${e.acronyms.map(quoted).join(', ')}]\n` : '') +
      e.former +
      e.relations +
      (e.facts.length ? `    facts:\n${e.facts.join('')}` : '') +
      `    sources: [src-a]\n`,
  );

/** A fact file in the project's schema, mostly valid, with the usual mistakes. */
const structuredFactFileArb = fc
  .tuple(fc.array(entityArb, { maxLength: 5 }), fc.boolean())
  .map(
    ([entities, withSources]) =>
      (withSources ? 'sources:\n  - id: src-a\n    title: A report\n  - id: src-b\n    title: Another\n    url: not a url\n' : '') +
      `entities:\n${entities.join('')}`,
  );

/** YAML that attacks the parser: anchors and aliases, deep nesting, tags, tabs, duplicate keys. */
const nastyYamlArb = fc.oneof(
  fc.integer({ min: 1, max: 3000 }).map((n) => 'entities: ' + '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 3000 }).map((n) => 'entities: ' + '{a: '.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1, max: 500 }).map((n) => 'entities:\n' + Array.from({ length: n }, (_, i) => ' '.repeat(i + 2) + '- ').join('\n') + 'x'),
  fc.integer({ min: 1, max: 9 }).map(
    (n) =>
      'a: &a0 [x, x, x, x, x, x, x, x, x]\n' +
      Array.from({ length: n }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}]`).join('\n') +
      `\nentities: *a${n}\n`,
  ),
  fc.constant('entities: &e\n  - id: x\n    kind: programme\n    type: fund\n    name: X\n    facts: *e\n'),
  fc.constant('entities:\n  - &x\n    id: a\n    kind: programme\n    type: fund\n    name: A\n  - *x\n  - <<: *x\n    id: b\n'),
  fc.constant('entities: !!binary aGVsbG8=\nsources: !custom tag\n'),
  fc.constant('entities:\n\t- id: tab\n'),
  fc.constant('entities: []\nentities: []\nsources: []\nsources: {}\n'),
  fc.constant('%YAML 1.2\n---\nentities: []\n...\n---\nentities: [{}]\n'),
  fc.constant('? [complex, key]\n: value\nentities: [*undefined]\n'),
  fc.constant('entities:\n  - id: "unterminated\n    name: x\n'),
  fc.constant('\ufeffentities:\n  - id: bom\n'),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
);

/** Text-level damage to a fact file: insertions, deletions and swapped line breaks. */
function damaged(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(
      text,
      fc.array(
        fc.record({
          at: fc.nat(),
          del: fc.integer({ min: 0, max: 8 }),
          ins: fc.oneof(fc.constantFrom(...JUNK), fc.constantFrom(':', '-', ' ', '  ', '\n', '#', '&a', '*a', '"', "'", '{', '[', '|', '>', '!', '%', '@', '`'), fc.constant('')),
        }),
        { maxLength: 4 },
      ),
    )
    .map(([t, edits]) => {
      let s = t;
      for (const e of edits) {
        const at = s.length === 0 ? 0 : e.at % (s.length + 1);
        s = s.slice(0, at) + e.ins + s.slice(at + e.del);
      }
      return s;
    });
}

export const factFileArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: structuredFactFileArb },
  { weight: 4, arbitrary: damaged(structuredFactFileArb) },
  { weight: 2, arbitrary: nastyYamlArb },
  { weight: 1, arbitrary: damaged(nastyYamlArb) },
);
