import * as assert from 'node:assert/strict';
import { Matcher, type Mention, type NameEntry } from '../../src/core/match/matcher';
import { runToEnd } from '../../src/core/steps';
import { randomRange, randomText, runCounting, seeded } from './helpers';
import { MAX_NAME_TOKENS, hashKey, isMatchableName, normaliseName } from '../../src/core/match/normalise';

/**
 * Test strings mark expected mentions with brackets: `'the [DfE]’s grant'` expects exactly one
 * mention, whose text is `DfE`. The brackets are removed before matching, so texts under test
 * here never contain brackets of their own.
 */
function unmark(marked: string): { text: string; spans: { start: number; end: number }[] } {
  let text = '';
  const spans: { start: number; end: number }[] = [];
  let open = -1;
  for (let i = 0; i < marked.length; i++) {
    const ch = marked[i];
    if (ch === '[') open = text.length;
    else if (ch === ']') {
      spans.push({ start: open, end: text.length });
      open = -1;
    } else text += ch;
  }
  return { text, spans };
}

/** Assert the mentions in `marked` are exactly the bracketed ones, and return them. */
function expectMentions(m: Matcher, marked: string): Mention[] {
  const { text, spans } = unmark(marked);
  const found = m.find(text);
  assert.deepEqual(
    found.map((x) => ({ start: x.start, end: x.end })),
    spans,
    `mentions in ${JSON.stringify(text)}: found ${JSON.stringify(found.map((x) => x.text))}`,
  );
  for (const x of found) assert.equal(x.text, text.slice(x.start, x.end));
  return found;
}

interface More {
  aliases?: string[];
  acronyms?: string[];
  former?: string[];
  formerAcronyms?: string[];
}

function entity(entityId: string, name: string, more: More = {}): NameEntry[] {
  return [
    { entityId, name, kind: 'name', caseSensitive: false },
    ...(more.aliases ?? []).map((n) => ({ entityId, name: n, kind: 'alias' as const, caseSensitive: false })),
    ...(more.acronyms ?? []).map((n) => ({ entityId, name: n, kind: 'acronym' as const, caseSensitive: true })),
    ...(more.former ?? []).map((n) => ({ entityId, name: n, kind: 'former' as const, caseSensitive: false })),
    ...(more.formerAcronyms ?? []).map((n) => ({ entityId, name: n, kind: 'former-acronym' as const, caseSensitive: true })),
  ];
}

const NAMES: NameEntry[] = [
  ...entity('asf', 'Adoption Support Fund', { acronyms: ['ASF'] }),
  ...entity('asf-covid', 'Adoption Support Fund COVID-19 Scheme'),
  ...entity('dfe', 'Department for Education', { acronyms: ['DfE'] }),
  ...entity('nspcc', 'National Society for the Prevention of Cruelty to Children', { acronyms: ['NSPCC'] }),
  ...entity('barnardos', "Barnardo's"),
  ...entity('ncb', 'National Children’s Bureau', { acronyms: ['NCB'] }),
  ...entity('send', 'special educational needs and disabilities', { acronyms: ['SEND'] }),
  ...entity('la', 'local authority', { acronyms: ['LA'] }),
  ...entity('nhs', 'National Health Service', { acronyms: ['NHS'] }),
  ...entity('pip', 'Partners in Practice', { acronyms: ['PiP'] }),
  ...entity('sf', 'Supporting Families', { former: ['Troubled Families Programme', 'Troubled Families'], formerAcronyms: ['TFP'] }),
  ...entity('cyp', 'Children & Young People Now'),
  ...entity('oa', 'Opportunity Areas'),
  ...entity('oa-fund', 'Opportunity Areas Fund', { aliases: ['Opportunity Areas'] }),
  ...entity('ks2', 'Key Stage 2', { acronyms: ['KS2'] }),
  ...entity('covid', 'COVID-19'),
];

describe('Matcher', () => {
  const m = new Matcher(NAMES);

  describe('names and acronyms', () => {
    it('finds a name whatever its case, with its entity, name and kind', () => {
      const [a, b] = expectMentions(m, 'The [Adoption Support Fund] and the [adoption SUPPORT fund].');
      assert.equal(a.entityId, 'asf');
      assert.equal(a.name, 'Adoption Support Fund');
      assert.equal(a.nameKind, 'name');
      assert.equal(a.alsoEntityIds, undefined);
      assert.equal(b.entityId, 'asf');
      assert.equal(b.text, 'adoption SUPPORT fund');
    });

    it('finds acronyms only as written', () => {
      const found = expectMentions(m, '[SEND] pupils; we send; Send it; [LA] and la and La; [DfE] not DFE or dfe; [KS2] not ks2');
      assert.deepEqual(
        found.map((x) => [x.entityId, x.nameKind]),
        [
          ['send', 'acronym'],
          ['la', 'acronym'],
          ['dfe', 'acronym'],
          ['ks2', 'acronym'],
        ],
      );
    });

    it('matches whole words only', () => {
      expectMentions(m, 'Adoption Support Funding; NonAdoption Support Fund; DfEs; SENDing; NSPCCx; xNHS; KS2a; 2KS2');
      expectMentions(m, 'SubDfE, [DfE]-funded, ([NHS]), "[SEND]", [COVID-19]-related, **[Adoption Support Fund]**');
    });

    it('reports punctuation inside a name only when it is there', () => {
      expectMentions(m, '[Children & Young People Now] but not Children and Young People Now or Children&Young People Now');
      expectMentions(m, 'COVID 19 and COVID19 are not [COVID-19]');
    });

    it('matches a name at the very start and end of the text', () => {
      expectMentions(m, '[NSPCC]');
      expectMentions(m, '[DfE] and [NHS]');
    });
  });

  describe('longest match', () => {
    it('reports a longer name once, never also the shorter name inside it', () => {
      const found = expectMentions(m, 'The [Adoption Support Fund COVID-19 Scheme] opened.');
      assert.equal(found[0].entityId, 'asf-covid');
    });

    it('falls back to the shorter name when the longer one is not complete', () => {
      const found = expectMentions(m, 'The [Adoption Support Fund] [COVID-19] response, and the [Adoption Support Fund] COVID scheme.');
      assert.deepEqual(
        found.map((x) => x.entityId),
        ['asf', 'covid', 'asf'],
      );
    });

    it('prefers the longer of two overlapping names and carries on after it', () => {
      expectMentions(m, '[Opportunity Areas Fund] [Opportunity Areas] [Troubled Families Programme] [Troubled Families] team');
    });

    it('returns mentions sorted and never overlapping', () => {
      const { text } = unmark('DfE DfE NHS Adoption Support Fund COVID-19 Scheme Opportunity Areas Fund SEND LA '.repeat(50));
      const found = m.find(text);
      assert.equal(found.length, 50 * 7);
      for (let i = 1; i < found.length; i++) assert.ok(found[i].start >= found[i - 1].end);
    });
  });

  describe('text pasted from Word and PDF', () => {
    it('treats curly, straight and other apostrophes alike', () => {
      for (const apostrophe of ["'", '’', '‘', 'ʼ', '′']) {
        const found = expectMentions(m, `[Barnardo${apostrophe}s] and the [National Children${apostrophe}s Bureau]`);
        assert.deepEqual(
          found.map((x) => x.name),
          ["Barnardo's", 'National Children’s Bureau'],
        );
      }
    });

    it('treats Unicode spaces and line breaks inside a name as spaces', () => {
      expectMentions(m, '[Adoption\u00a0Support\u202fFund], [Adoption\tSupport   Fund], [Adoption\u2003Support\u3000Fund]');
      expectMentions(m, 'the [Adoption\nSupport Fund] and the [Adoption\r\nSupport\r\nFund] and [Adoption\rSupport\u2028Fund]');
      expectMentions(m, 'the [Adoption \n  Support Fund] (line break with indentation)');
    });

    it('does not run a name across a blank line or paragraph separator', () => {
      expectMentions(m, 'Adoption Support\n\nFund; Adoption Support\r\n\r\nFund; Adoption Support\n   \nFund; Adoption\u2029Support Fund');
    });

    it('treats hyphen variants inside a word as a hyphen', () => {
      const found = expectMentions(m, '[COVID-19], [COVID‐19], [COVID‑19], [COVID–19], [COVID−19]');
      assert.ok(found.every((x) => x.entityId === 'covid'));
    });

    it('reads "COVID- 19" (a space or line break after a hyphen) as "COVID-19"', () => {
      expectMentions(m, '[COVID- 19], [COVID-\n19], the [Adoption Support Fund COVID- 19 Scheme]');
      expectMentions(m, 'but not COVID -19 nor COVID - 19 nor COVID-\n\n19');
    });

    it('skips soft hyphens and zero-width joiners inside words', () => {
      expectMentions(m, 'the [Adop\u00adtion Support Fund] and [D\u200dfE]');
    });
  });

  describe('possessives', () => {
    it('matches the name and leaves the ’s out of the mention', () => {
      const found = expectMentions(m, "[DfE]'s plan, the [NSPCC]’s work, [Adoption Support Fund]’s budget, [SEND]‘s scope, [COVID-19]'s impact");
      assert.deepEqual(
        found.map((x) => x.text),
        ['DfE', 'NSPCC', 'Adoption Support Fund', 'SEND', 'COVID-19'],
      );
    });

    it('matches a plural possessive without its apostrophe', () => {
      expectMentions(m, 'the [Partners in Practice]’ work and the [Opportunity Areas]\' plans');
    });

    it('matches names that contain an apostrophe, possessive or not', () => {
      expectMentions(m, '[Barnardo’s]’ staff, [Barnardo\'s]\'s staff, [Barnardo’s]’s staff');
    });

    it('still reads other words with apostrophes as one word', () => {
      expectMentions(m, "DfE'd, NHS'ing, Barnardos, [Barnardo's]-ish");
    });
  });

  describe('former names', () => {
    it('finds former names and acronyms and says so', () => {
      const found = expectMentions(m, 'The [Troubled Families Programme] ([TFP]) is now [Supporting Families].');
      assert.deepEqual(
        found.map((x) => [x.entityId, x.nameKind, x.name]),
        [
          ['sf', 'former', 'Troubled Families Programme'],
          ['sf', 'former-acronym', 'TFP'],
          ['sf', 'name', 'Supporting Families'],
        ],
      );
    });
  });

  describe('shared names', () => {
    it('gives one mention for a name several entities share, naming the others', () => {
      const [a] = expectMentions(m, 'the [Opportunity Areas] programme');
      assert.equal(a.entityId, 'oa');
      assert.equal(a.nameKind, 'name');
      assert.deepEqual(a.alsoEntityIds, ['oa-fund']);
    });

    it('puts a current name before a former one, whatever the input order', () => {
      const mm = new Matcher([
        { entityId: 'old', name: 'Family Hubs', kind: 'former', caseSensitive: false },
        { entityId: 'new', name: 'Family Hubs', kind: 'name', caseSensitive: false },
        { entityId: 'new', name: 'family hubs', kind: 'alias', caseSensitive: false },
      ]);
      const [a] = mm.find('The Family Hubs');
      assert.equal(a.entityId, 'new');
      assert.equal(a.nameKind, 'name');
      assert.deepEqual(a.alsoEntityIds, ['old']);
    });

    it('shares an acronym only with entities whose case matches', () => {
      const mm = new Matcher([
        ...entity('ace-name', 'Ace'),
        ...entity('ace-programme', 'Adult Community Education', { acronyms: ['ACE'] }),
      ]);
      const [a, b] = mm.find('ACE and Ace');
      assert.deepEqual([a.entityId, a.alsoEntityIds], ['ace-name', ['ace-programme']]);
      assert.deepEqual([b.entityId, b.alsoEntityIds], ['ace-name', undefined]);
    });
  });

  describe('text in capitals', () => {
    it('does not read an acronym inside shouted words as the acronym', () => {
      expectMentions(m, 'WE SEND OUR THANKS. PLEASE SEND IT. SEND REVIEW. THE LA BUDGET');
    });

    it('finds an acronym that stands alone, beside ordinary words, other acronyms or in a list', () => {
      expectMentions(m, '# [SEND]\n\nThe [SEND] review; [NHS] [SEND] reforms; [DfE], [NCB], [NSPCC], [LA]; [SEND]: A PLAN');
    });

    it('still finds mixed-case acronyms and full names in capitals', () => {
      expectMentions(m, 'WE THANK [DfE] AND THE [ADOPTION SUPPORT FUND] TODAY');
    });

    it('treats a known acronym with a possessive as an acronym, not shouting', () => {
      expectMentions(m, "[NSPCC]'S [SEND] work");
    });
  });

  describe('ranges', () => {
    const text = 'The DfE and NHS.\nThe Adoption Support Fund and SEND.\nNSPCC';

    it('finds mentions only inside [from, to)', () => {
      const line2 = text.indexOf('The Adoption');
      const end2 = text.indexOf('\nNSPCC');
      assert.deepEqual(
        m.find(text, line2, end2).map((x) => x.text),
        ['Adoption Support Fund', 'SEND'],
      );
      assert.deepEqual(
        m.find(text, end2).map((x) => x.text),
        ['NSPCC'],
      );
    });

    it('gives the same mentions, line by line, as the whole text', () => {
      const whole = m.find(text);
      const parts: Mention[] = [];
      let at = 0;
      for (const line of text.split('\n')) {
        parts.push(...m.find(text, at, at + line.length));
        at += line.length + 1;
      }
      assert.deepEqual(parts, whole);
    });

    it('does not match a word cut by the range', () => {
      const t = 'xDfE DfEx DfE';
      assert.deepEqual(
        m.find(t, 1, 8).map((x) => x.start),
        [],
      );
      assert.deepEqual(
        m.find(t, 10).map((x) => x.start),
        [10],
      );
      assert.deepEqual(m.find("DfE's", 0, 3).map((x) => x.text), ['DfE']);
    });

    it('accepts odd bounds without throwing', () => {
      assert.deepEqual(m.find(text, 50, 10), []);
      assert.deepEqual(m.find(text, -5, 1e9).length, m.find(text).length);
      assert.deepEqual(m.find(text, Number.NaN, Number.NaN).length, m.find(text).length);
      assert.deepEqual(m.find(text, 2.5, 7.9).map((x) => x.text), ['DfE']);
      assert.deepEqual(m.find('', 0, 0), []);
    });
  });

  describe('positions', () => {
    it('gives UTF-16 offsets into the original text, after astral characters and CRLF', () => {
      const found = expectMentions(m, '😀 𝐀𝐁 \r\n [DfE] 😀[NHS]😀 — «[Adoption\u00a0Support Fund]»');
      assert.equal(found.length, 3);
    });

    it('treats letters outside the BMP as word characters', () => {
      expectMentions(m, '𝐀DfE DfE𝐀 [DfE]');
    });
  });

  describe('odd names', () => {
    it('ignores empty names, names with no letter or digit, and over-long names', () => {
      const long = Array.from({ length: MAX_NAME_TOKENS + 1 }, (_, i) => `w${i}`).join(' ');
      const mm = new Matcher([
        { entityId: 'a', name: '', kind: 'name', caseSensitive: false },
        { entityId: 'b', name: '   \u00a0\n', kind: 'alias', caseSensitive: false },
        { entityId: 'c', name: '—', kind: 'alias', caseSensitive: false },
        { entityId: 'd', name: "'", kind: 'acronym', caseSensitive: true },
        { entityId: 'e', name: '\u00ad\u200d', kind: 'alias', caseSensitive: false },
        { entityId: 'f', name: long, kind: 'alias', caseSensitive: false },
        { entityId: 'g', name: 'Real Name', kind: 'name', caseSensitive: false },
      ]);
      assert.equal(mm.size, 1);
      assert.deepEqual(
        mm.find(`— ' ${long} real name`).map((x) => x.entityId),
        ['g'],
      );
      assert.equal(isMatchableName('—'), false);
      assert.equal(isMatchableName(''), false);
      assert.equal(isMatchableName('A & B'), true);
    });

    it('survives input that is not what the types say', () => {
      const junk = [null, undefined, 42, { entityId: 'x' }, { name: 'No Id' }] as unknown as NameEntry[];
      const mm = new Matcher([...junk, ...entity('ok', 'Ok Name')]);
      assert.equal(mm.size, 1);
      assert.deepEqual(mm.find(undefined as unknown as string), []);
      assert.equal(new Matcher(undefined as unknown as NameEntry[]).find('anything').length, 0);
      assert.deepEqual(new Matcher([]).find('DfE'), []);
    });

    it('counts distinct names: same name for two entities once, an acronym apart from a same-letters name', () => {
      const mm = new Matcher([
        ...entity('a', 'Opportunity Areas'),
        ...entity('b', 'opportunity  areas'),
        ...entity('c', 'Ace', { acronyms: ['ACE', 'ACE'] }),
      ]);
      assert.equal(mm.size, 3);
    });

    it('matches names with punctuation at either end', () => {
      const mm = new Matcher([...entity('net', '.NET Fund'), ...entity('cpp', 'C++'), ...entity('q', 'What Works?')]);
      expectMentions(mm, 'the [.NET Fund] in [C++] and [What Works?] today');
    });
  });

  describe('robustness', () => {
    it('does not throw on lone surrogates, NUL and binary junk', () => {
      let junk = '';
      let seed = 7;
      for (let i = 0; i < 20000; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        junk += String.fromCharCode(seed >>> 16);
      }
      const text = `\ud800DfE\udc00 \u0000NHS\u0000 ${junk} \udbff\udfff DfE \ud83d`;
      const found = m.find(text);
      for (const x of found) assert.equal(x.text, text.slice(x.start, x.end));
      assert.ok(found.some((x) => x.text === 'NHS'));
      assert.equal(found[found.length - 1].text, 'DfE');
    });

    it('scans a 5 MB single line', () => {
      const unit = 'The Adoption Support Fund and the DfE paid £1.2m to Barnardo’s in 2021-22; ';
      const text = unit.repeat(Math.ceil(5_000_000 / unit.length));
      const found = m.find(text);
      assert.equal(found.length, Math.ceil(5_000_000 / unit.length) * 3);
    });

    it('stays fast on the worst case for a trie walk (a long name whose prefix repeats)', () => {
      const words = Array.from({ length: MAX_NAME_TOKENS - 1 }, () => 'fund');
      const mm = new Matcher([...entity('long', [...words, 'end'].join(' ')), ...entity('short', 'fund fund')]);
      const text = 'fund '.repeat(200_000);
      const found = mm.find(text);
      assert.equal(found.length, 100_000);
      assert.ok(found.every((x) => x.entityId === 'short'));
    });
  });

  describe('letters beyond plain ASCII', () => {
    const mm = new Matcher([
      ...entity('cafe', 'Café Fund'),
      ...entity('ecole', 'École Trust'),
      ...entity('naive', 'naïve Scheme'),
      ...entity('greek', 'Αθήνα Network'),
      ...entity('dfe', 'DfE'),
      ...entity('ks2', 'KS2', { acronyms: ['KS2'] }),
    ]);

    it('reads accented and other letters as part of the word around them', () => {
      expectMentions(mm, 'the [Café Fund], the [CAFÉ FUND] and the [café fund]; not the Cafe Fund or the Cafés Fund');
      expectMentions(mm, '[ÉCOLE TRUST], [école trust]; not Ecole Trust or XÉcole Trust');
      expectMentions(mm, 'a [Naïve Scheme] but not a naive Scheme or a naïveté Scheme');
      expectMentions(mm, 'the [ΑΘΉΝΑ network] and the [αθήνα Network]');
    });

    it('does not split a plain word at a letter outside ASCII', () => {
      expectMentions(mm, 'DfEé, éDfE, DfЕ (a Cyrillic Е), ΣDfE, DfEΣ, Ωks2, KS2ß; but [DfE] and [KS2]');
    });

    it('reads digits and letters as one word', () => {
      expectMentions(mm, 'KS2a, 2KS2, KS22, DfE2, 2DfE; [KS2], ([KS2]), [KS2]-level');
    });

    it('matches a word that ends the text, accented or not', () => {
      expectMentions(mm, 'paid by the [Café Fund]');
      expectMentions(mm, 'paid by the [CAFÉ FUND]');
      expectMentions(mm, 'paid by [DfE]');
    });

    it('matches possessives of names ending in a letter outside ASCII', () => {
      expectMentions(mm, 'the [Café Fund]’s grant, the [naïve Scheme]\'s rules');
      const cafe = new Matcher(entity('cafe', 'Café'));
      expectMentions(cafe, '[Café]’s menu, [CAFÉ]\'S menu');
    });
  });

  describe('case rules where a name is written exactly or not', () => {
    it('keeps a name and a same-letters acronym apart, however the text is written', () => {
      const mm = new Matcher([...entity('ace-name', 'Ace'), ...entity('ace-acronym', 'Ace Council', { acronyms: ['ACE'] })]);
      const [a, b, c] = expectMentions(mm, '[Ace], [ACE] and [ace]');
      assert.deepEqual([a.entityId, a.alsoEntityIds], ['ace-name', undefined]);
      assert.deepEqual([b.entityId, b.alsoEntityIds], ['ace-name', ['ace-acronym']]);
      assert.deepEqual([c.entityId, c.alsoEntityIds], ['ace-name', undefined]);
    });

    it('names every entity sharing an acronym written exactly, and none when the case differs', () => {
      const mm = new Matcher([...entity('a', 'Alpha Council', { acronyms: ['AC'] }), ...entity('b', 'Beta Council', { acronyms: ['AC'] })]);
      const [x] = expectMentions(mm, 'the [AC] met; the Ac and ac did not');
      assert.deepEqual([x.entityId, x.alsoEntityIds], ['a', ['b']]);
    });

    it('gives the text as written, whatever its case or apostrophe', () => {
      const found = expectMentions(m, '[Adoption Support Fund], [ADOPTION SUPPORT FUND], [National Children\'s Bureau], [NATIONAL CHILDREN’S BUREAU]');
      assert.deepEqual(
        found.map((x) => [x.name, x.text]),
        [
          ['Adoption Support Fund', 'Adoption Support Fund'],
          ['Adoption Support Fund', 'ADOPTION SUPPORT FUND'],
          ['National Children’s Bureau', "National Children's Bureau"],
          ['National Children’s Bureau', 'NATIONAL CHILDREN’S BUREAU'],
        ],
      );
    });
  });

  describe('different words that hash alike', () => {
    // Words are looked up by a 32-bit hash; these pairs share one (checked here, so the test
    // stays meaningful if the hash changes), the second pair with different lengths.
    it('uses word pairs that really share a hash', () => {
      assert.equal(hashKey('yaczf'), hashKey('glbpp'));
      assert.equal(hashKey('dbbf'), hashKey('zvecaa'));
    });

    it('does not report a word that only shares a hash with a word of a name', () => {
      const mm = new Matcher([...entity('y', 'Yaczf Fund'), ...entity('d', 'Dbbf Trust', { acronyms: ['DBBF'] }), ...entity('big', 'Big')]);
      expectMentions(mm, 'Glbpp Fund, glbpp fund, Zvecaa Trust, ZVECAA; but the [Yaczf Fund], [dbbf trust] and [DBBF]');
      expectMentions(mm, 'the [Big] Glbpp Fund; the [Big] Zvecaa');
    });

    it('tells apart two names whose words share a hash', () => {
      const mm = new Matcher([...entity('y', 'Yaczf Fund'), ...entity('g', 'Glbpp Fund'), ...entity('d', 'Dbbf'), ...entity('z', 'Zvecaa')]);
      const found = expectMentions(mm, '[Glbpp Fund], [yaczf fund], [Zvecaa], [DBBF], [zvecaa]’s');
      assert.deepEqual(
        found.map((x) => x.entityId),
        ['g', 'y', 'z', 'd', 'z'],
      );
    });
  });

  describe('normaliseName', () => {
    it('gives the same key for the ways a name is written', () => {
      assert.equal(normaliseName('Barnardo’s'), "barnardo's");
      assert.equal(normaliseName("BARNARDO'S"), "barnardo's");
      assert.equal(normaliseName('  Adoption\u00a0Support\n Fund '), 'adoption support fund');
      assert.equal(normaliseName('COVID‑ 19'), 'covid-19');
      assert.equal(normaliseName('DfE', true), 'DfE');
      assert.equal(normaliseName('—'), '');
    });
  });
});

describe('Matcher.findInSteps', () => {
  const names: NameEntry[] = [
    { entityId: 'asf', name: 'Adoption Support Fund', kind: 'name', caseSensitive: false },
    { entityId: 'asf', name: 'ASF', kind: 'acronym', caseSensitive: true },
    { entityId: 'asfc', name: 'Adoption Support Fund COVID-19 Scheme', kind: 'name', caseSensitive: false },
    { entityId: 'dfe', name: 'Department for Education', kind: 'name', caseSensitive: false },
    { entityId: 'dfe', name: 'DfE', kind: 'acronym', caseSensitive: true },
    { entityId: 'barnardos', name: "Barnardo's", kind: 'name', caseSensitive: false },
    { entityId: 'pip', name: 'Partners in Practice', kind: 'name', caseSensitive: false },
    { entityId: 'send', name: 'SEND', kind: 'acronym', caseSensitive: true },
    { entityId: 'yahoo', name: 'Yahoo! Answers', kind: 'name', caseSensitive: false },
  ];
  const m = new Matcher(names);
  const pieces = [
    'Adoption Support Fund', 'Adoption\nSupport Fund', 'Adoption Support Fund COVID- 19 Scheme', 'ASF', 'asf', 'DfE’s', "Barnardo's's", 'Partners in Practice’',
    'Department for\nEducation', 'SEND', 'WE SEND THANKS', 'Yahoo!\nAnswers', 'the', 'for', 'in', 'Practice', 'Support', ' ', ' ', '\n', '\n\n', '. ', ', ', '-', '£46m',
    'officials met partners across the region to agree a timetable', 'émigré', '\u{1d400}', '\u00ad', 'x'.repeat(300),
  ];

  it('finds exactly what find finds, however small its steps, and pauses on the way', () => {
    const random = seeded(5);
    let paused = 0;
    for (let round = 0; round < 300; round++) {
      const text = randomText(random, pieces, 80);
      const [from, to] = randomRange(random, text.length);
      const expected = m.find(text, from, to);
      for (const step of [1, 5, 40, 1000]) {
        // Another scan between two steps does not disturb this one.
        const { pauses, result } = runCounting(m.findInSteps(text, from, to, step), () => m.find('Adoption Support Fund and the DfE'));
        paused += pauses;
        assert.deepEqual(result, expected, `step ${step}, [${from}, ${to}) of ${JSON.stringify(text)}`);
      }
    }
    assert.ok(paused > 1000, `${paused} pauses`);
  });

  it('reads in one go when given no usable step', () => {
    const text = 'The Adoption Support Fund and the DfE’s Partners in Practice';
    for (const step of [Number.NaN, 0, -5, 0.5, Number.POSITIVE_INFINITY]) {
      const steps = m.findInSteps(text, 0, text.length, step);
      assert.equal(steps.next().done, true, `${step}: no pause`);
      assert.deepEqual(runToEnd(m.findInSteps(text, 0, text.length, step)), m.find(text), String(step));
    }
  });

  it('reads a long stretch of words in no name a step at a time, not in one go', () => {
    const text = `${'officials met partners across the region '.repeat(20_000)}Adoption Support Fund`;
    const { pauses, result } = runCounting(m.findInSteps(text, 0, text.length, 16 * 1024));
    assert.ok(pauses >= text.length / (16 * 1024) - 1, `${pauses} pauses for ${text.length} characters`);
    assert.deepEqual(result, m.find(text));
  });
});
