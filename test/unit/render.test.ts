import * as assert from 'node:assert/strict';
import {
  checkText,
  commandUri,
  escapeMarkdown,
  KnowledgeBase,
  parseFactFile,
  renderEntityHover,
  renderFigureHover,
  type Finding,
} from '../../src/core';

const FACTS = `
sources:
  - id: briefing
    title: Family support briefing
    publisher: Department for Education
    date: "2021"
    url: https://example.org/briefing
  - id: report
    title: Annual report
    publisher: National Audit Office
    date: March 2022
entities:
  - id: dfe
    kind: organisation
    type: government department
    name: Department for Education
    acronyms: [DfE]
    summary: Government department for children's services and education in England.
    sources: [briefing]
  - id: mhclg
    kind: organisation
    type: government department
    name: Ministry of Housing, Communities and Local Government
    acronyms: [MHCLG]
  - id: supporting-families
    kind: programme
    type: programme
    name: Supporting Families
    formerNames:
      - name: Troubled Families Programme
        until: "2021"
    summary: Whole-family support delivered by councils.
    relations:
      - type: led-by
        target: dfe
      - type: funded-by
        target: mhclg
    facts:
      - figure: "over £185m"
        about: funding
        period: since 2015
        source: { source: briefing, line: 4 }
      - figure: "401,719 families"
        about: families helped
        counts: families
        asOf: March 2021
        source: { source: briefing, line: 5 }
      - figure: "£165m"
        about: funding
        period: since 2015
        source: { source: report, section: "2.4" }
  - id: early-help
    kind: programme
    type: programme
    name: Early Help Fund
    relations:
      - type: successor-of
        target: supporting-families
      - type: part-of
        target: supporting-families
    facts:
      - figure: "£12m"
        about: first-year budget
        source: { source: report, line: 30 }
`;

const MANY_FIGURES = `
sources:
  - id: s
    title: Figures
entities:
  - id: busy
    kind: programme
    type: programme
    name: Busy Programme
    facts:
${Array.from({ length: 12 }, (_, i) => `      - figure: "£${i + 1}m"\n        about: budget line ${i + 1}\n        source: { source: s, line: ${i + 1} }`).join('\n')}
`;

const MALICIOUS = `
sources:
  - id: evil
    title: "[click](command:workbench.action.quit)"
    url: "javascript:alert(1)"
entities:
  - id: evil-entity
    kind: organisation
    type: "<img src=x onerror=alert(1)>"
    name: "[x](command:workbench.action.quit)"
    aliases: ["![](http://example.com/track.png)"]
    summary: "<script>alert(1)</script> **bold** [y](javascript:alert(1)) | a | table"
    sources: [evil]
    facts:
      - figure: "£5m"
        about: "[z](command:workbench.action.quit)"
        source: { source: evil, line: 1 }
`;

function kbOf(...texts: string[]): KnowledgeBase {
  return KnowledgeBase.build(texts.map((t, i) => parseFactFile(t, `file:///facts/f${i}.yaml`, 'workspace')));
}

/** Every Markdown link and image target in `md`. */
function linkTargets(md: string): string[] {
  const out: string[] = [];
  const re = /(?<!\\)\]\(([^)\s]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(md))) out.push(m[1]);
  return out;
}

describe('escapeMarkdown', () => {
  it('makes links, images and emphasis literal text', () => {
    const s = escapeMarkdown('[x](http://a) ![i](http://b) *em* _u_ `code` # h');
    assert.equal(s, '\\[x\\]\\(http:\\/\\/a\\) \\!\\[i\\]\\(http:\\/\\/b\\) \\*em\\* \\_u\\_ \\`code\\` \\# h');
    assert.deepEqual(linkTargets(s), []);
  });

  it('cannot open HTML or an entity', () => {
    const s = escapeMarkdown('<img src=x onerror=alert(1)> &lt;b&gt;');
    assert.equal(s, '&lt;img src\\=x onerror\\=alert\\(1\\)&gt; &amp;lt;b&amp;gt;');
  });

  it('breaks command: and javascript: schemes', () => {
    const s = escapeMarkdown('command:workbench.action.quit JavaScript:alert(1)');
    assert.ok(!/command:/i.test(s), s);
    assert.ok(!/javascript:/i.test(s), s);
  });

  it('keeps bare web addresses from being autolinked', () => {
    const s = escapeMarkdown('see https://evil.example/x or www.evil.example');
    assert.ok(!s.includes('://'), s);
    assert.ok(!/www\\?\./i.test(s), s);
  });

  it('escapes table pipes and backslashes', () => {
    assert.equal(escapeMarkdown('a | b \\ c'), 'a \\| b \\\\ c');
  });

  it('keeps ordinary words and apostrophes readable', () => {
    assert.equal(escapeMarkdown('Barnardo’s and NSPCC'), 'Barnardo’s and NSPCC');
  });
});

describe('commandUri', () => {
  it('JSON-encodes, then URI-encodes the arguments', () => {
    const uri = commandUri('policyFacts.showEntity', ["a b)\"]'(!*"]);
    assert.ok(uri.startsWith('command:policyFacts.showEntity?%5B%22'), uri);
    // Nothing that could end a Markdown link or its title early.
    assert.ok(!/[ ()"'\]!*]/.test(uri.slice('command:policyFacts.showEntity?'.length)), uri);
    assert.deepEqual(JSON.parse(decodeURIComponent(uri.split('?')[1])), ["a b)\"]'(!*"]);
  });
});

describe('renderEntityHover', () => {
  const kb = kbOf(FACTS);
  const sf = kb.get('supporting-families')!;

  it('shows the name, kind, summary and key figures with their sources', () => {
    const md = renderEntityHover(kb, sf, {});
    assert.match(md, /^\*\*Supporting Families\*\* — \*programme\*/);
    assert.match(md, /Whole\\-family support delivered by councils\\\./);
    assert.match(md, /\| ≠ \*\*over £185m\*\* \| funding \| since 2015 \| Family support briefing, line 4 \|/);
    assert.match(md, /401,719 families/);
    assert.match(md, /as of March 2021/);
    assert.match(md, /Annual report, 2\\\.4/);
  });

  it('shows both figures, each with its source, when two texts disagree', () => {
    const md = renderEntityHover(kb, sf, {});
    assert.match(md, /≠ \*\*over £185m\*\*/);
    assert.match(md, /≠ \*\*£165m\*\*/);
    assert.match(md, /The sources differ on\* funding: over £185m \(Family support briefing, line 4\) vs £165m \(Annual report, 2\\\.4\)/);
  });

  it('links related entities with encoded command arguments when commands are on', () => {
    const md = renderEntityHover(kb, sf, { commands: true });
    const args = encodeURIComponent(JSON.stringify(['dfe']));
    assert.ok(md.includes(`**Led by:** [Department for Education](command:policyFacts.showEntity?${args} `), md);
    assert.ok(md.includes(`**Funded by:** [Ministry of Housing, Communities and Local Government](command:policyFacts.showEntity?`), md);
    // Relations pointing here are shown from this side too.
    assert.match(md, /\*\*Succeeded by:\*\* \[Early Help Fund\]/);
    assert.match(md, /\*\*Includes:\*\* \[Early Help Fund\]/);
  });

  it('has the footer links to definition, sidebar and mentions', () => {
    const md = renderEntityHover(kb, sf, { commands: true });
    const a = encodeURIComponent(JSON.stringify(['supporting-families']));
    assert.ok(md.includes(`[Go to definition](command:policyFacts.goToEntity?${a}`), md);
    assert.ok(md.includes(`[Show in sidebar](command:policyFacts.revealEntity?${a}`), md);
    assert.ok(md.includes(`[Find mentions](command:policyFacts.findMentions?${a}`), md);
  });

  it('uses plain text and no command links when commands are off', () => {
    const md = renderEntityHover(kb, sf, { commands: false });
    assert.match(md, /\*\*Led by:\*\* Department for Education/);
    assert.ok(!md.includes('command:'), md);
    assert.ok(!md.includes('Go to definition'));
  });

  it('says what a former name is called now', () => {
    const md = renderEntityHover(kb, sf, { formerName: true, mentionText: 'Troubled Families Programme' });
    assert.match(md, /“Troubled Families Programme” is a former name: now called \*\*Supporting Families\*\* since 2021\./);
    assert.ok(!md.includes('**Formerly:**'), 'the former name is not listed twice');
    const plain = renderEntityHover(kb, sf, {});
    assert.ok(!plain.includes('is a former name'));
    assert.match(plain, /\*\*Formerly:\*\* Troubled Families Programme until 2021/);
  });

  it('lists sources with publisher and date, linking only http(s) addresses', () => {
    const md = renderEntityHover(kb, sf, {});
    assert.match(md, /\*\*Sources:\*\* \[Family support briefing\]\(https:\/\/example\.org\/briefing\) \(Department for Education, 2021\); Annual report \(National Audit Office, March 2022\)/);
  });

  it('shortens long source titles in the table and keeps them whole under Sources', () => {
    const long = kbOf(`
sources:
  - id: long
    title: A very long title of an evidence paper on children's social care and early help, 2019 to 2021
entities:
  - id: p
    kind: programme
    type: programme
    name: Long Source Programme
    facts:
      - figure: £2m
        about: budget
        source: { source: long, line: 12 }
`);
    const md = renderEntityHover(long, long.get('p')!, {});
    assert.match(md, /\| \*\*£2m\*\* \| budget \| — \| A very long title of an evidence paper on…, line 12 \|/);
    assert.match(md, /\*\*Sources:\*\* A very long title of an evidence paper on children's social care and early help, 2019 to 2021/);
  });

  it('caps a long list of figures and says how many more there are', () => {
    const busy = kbOf(MANY_FIGURES);
    const md = renderEntityHover(busy, busy.get('busy')!, {});
    const rows = md.split('\n').filter((l) => l.startsWith('| **£'));
    assert.equal(rows.length, 8);
    assert.match(md, /\*\+4 more figures\*/);
  });

  it('lets no link, image, HTML or command from a fact file through', () => {
    const kb2 = kbOf(MALICIOUS);
    const md = renderEntityHover(kb2, kb2.get('evil-entity')!, { commands: true });
    assert.ok(!md.includes('<'), md);
    assert.ok(!/command:workbench/i.test(md), md);
    assert.ok(!/javascript:/i.test(md), md);
    assert.ok(!md.includes('](http://example.com'), md);
    // The only links are our own commands.
    for (const target of linkTargets(md)) assert.match(target, /^command:policyFacts\.(goToEntity|revealEntity|findMentions|showEntity)\?/);
    // And the text still reads as written.
    assert.match(md, /\\\[x\\\]\\\(command&#58;workbench\\\.action\\\.quit\\\)/);
  });
});

describe('renderFigureHover', () => {
  const kb = kbOf(FACTS);
  const figureAt = (draft: string, text: string): Finding => {
    const f = checkText(kb, draft).findings.find((x) => x.text === text);
    assert.ok(f, `no finding for ${text}`);
    return f;
  };

  it('labels a verified figure and names the fact it matches', () => {
    const md = renderFigureHover(kb, figureAt('Supporting Families has helped 401,719 families.', '401,719 families'));
    assert.match(md, /^\*\*✓ Verified\*\*: “401,719 families” — Supporting Families/);
    assert.match(md, /\*\*Matches:\*\*/);
    assert.match(md, /\| \*\*401,719 families\*\* \| families helped \| as of March 2021 \| Family support briefing, line 5 \|/);
  });

  it('labels a mismatch and lists the recorded figures with period and source', () => {
    const md = renderFigureHover(kb, figureAt('The Early Help Fund had a first-year budget of £18m.', '£18m'));
    assert.match(md, /^\*\*✗ Mismatch\*\*: “£18m”/);
    assert.match(md, /\*\*Compared with:\*\*/);
    assert.match(md, /\| \*\*£12m\*\* \| first\\-year budget \| — \| Annual report, line 30 \|/);
    assert.match(md, /\*\*Suggested:\*\* “£12m”/);
  });

  it('names the entity a misattributed figure belongs to', () => {
    const md = renderFigureHover(kb, figureAt('The Early Help Fund has received over £185m.', 'over £185m'), { commands: true });
    assert.match(md, /^\*\*⚠ Misattributed\*\*/);
    assert.match(md, /\| Recorded \| For \| Measures \| Period \| Source \|/);
    assert.ok(md.includes(`[Supporting Families](command:policyFacts.showEntity?${encodeURIComponent(JSON.stringify(['supporting-families']))}`), md);
  });

  it('labels an unverified figure without a comparison table', () => {
    const md = renderFigureHover(kb, figureAt('The weather cost £3m last year.', '£3m'));
    assert.match(md, /^\*\*\? Unverified\*\*/);
    assert.ok(!md.includes('Compared with'));
  });
});
