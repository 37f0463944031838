/**
 * Deterministic synthetic inputs for the benchmark: knowledge bases written as real fact files
 * (YAML, the schema in src/core/kb/schema.ts) and drafts made of realistic sentences.
 *
 * Everything comes from one seeded generator, so every run (and every machine) gets exactly
 * the same files and drafts.
 */

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const PLACES = [
  'North East', 'North West', 'Yorkshire', 'Humber', 'East Midlands', 'West Midlands', 'East of England', 'London', 'South East', 'South West',
  'Kent', 'Essex', 'Cumbria', 'Devon', 'Cornwall', 'Norfolk', 'Suffolk', 'Lancashire', 'Merseyside', 'Tyneside', 'Bristol', 'Leeds', 'Sheffield',
  'Manchester', 'Birmingham', 'Nottingham', 'Derby', 'Leicester', 'Coventry', 'Hull', 'Bradford', 'Plymouth', 'Portsmouth', 'Southampton',
  'Oxford', 'Cambridge', 'Durham', 'Sunderland', 'Wakefield', 'Wigan', 'Stockport', 'Bolton', 'Oldham', 'Rochdale', 'Salford', 'Trafford',
];
const MODIFIERS = [
  'National', 'Regional', 'Local', 'Early', 'Family', "Children's", 'Youth', 'Adoption', 'Social Care', 'Foster Care', 'Kinship Care', 'Care Leavers',
  'Education', 'Skills', 'Housing', 'Mental Health', 'Public Health', 'Community', 'Voluntary Sector', 'Safeguarding', 'Special Educational Needs',
  'Disabled Children', 'Early Years', 'Childcare', 'School Readiness', 'Attendance', 'Inclusion', 'Workforce', 'Innovation', 'Improvement',
  'Partnership', 'Strategic', 'Targeted', 'Integrated', 'Intensive', 'Family Support', 'Parenting', 'Literacy', 'Numeracy', 'Apprenticeships',
  'Holiday Activities', 'Breakfast Clubs', 'Youth Justice', 'Domestic Abuse', 'Homelessness', 'Employment', 'Digital', 'Rural', 'Coastal',
  'Opportunity', 'Levelling Up', 'Recovery', 'Resilience', 'Wellbeing', "Young People's", "Families'", 'Supported Accommodation',
];
const HEADS = [
  'Fund', 'Programme', 'Scheme', 'Board', 'Trust', 'Partnership', 'Review', 'Network', 'Council', 'Service', 'Foundation', 'Initiative', 'Hub',
  'Alliance', 'Commission', 'Taskforce', 'Pilot', 'Grant', 'Centre', 'Forum', 'Panel', 'Project', 'Strategy', 'Academy', 'Collaborative',
];
const FORMER_PREFIX = ['Troubled', 'Former', 'Original', 'First', 'Pilot', 'Interim', 'Shadow', 'Transitional'];
const STOP = new Set(['and', 'for', 'of', 'the', 'in', 'on']);

/** The relations through which a body answers for a programme's figures (`judge`, step 1b). */
export type SyntheticRelationType = 'funded-by' | 'led-by' | 'delivered-by';

export interface SyntheticEntity {
  readonly id: string;
  readonly kind: 'programme' | 'organisation';
  readonly name: string;
  readonly acronym: string;
  readonly former?: string;
  readonly alias?: string;
  readonly facts: readonly { figure: string; about: string; counts?: string }[];
  /** A programme's bodies: ids of organisations among the same entities. */
  readonly relations: readonly { type: SyntheticRelationType; target: string }[];
}

function initials(name: string): string {
  return name
    .split(/[\s-]+/)
    .filter((w) => w && !STOP.has(w.toLowerCase()))
    .map((w) => w[0].toUpperCase())
    .join('');
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function money(r: Rand): string {
  const kind = r();
  if (kind < 0.4) return `£${(1 + Math.floor(r() * 900)) / (r() < 0.5 ? 10 : 1)}m`;
  if (kind < 0.55) return `£${(Math.floor(r() * 50) + 1) / 10}bn`;
  if (kind < 0.75) return `£${Math.floor(r() * 900 + 10)} million`;
  return `£${(Math.floor(r() * 99000) + 1000).toLocaleString('en-GB')}`;
}

function count(r: Rand): { figure: string; counts: string } {
  const counts = pick(r, ['families', 'children', 'councils', 'schools', 'places', 'young people', 'projects', 'staff']);
  const n = Math.floor(r() * (r() < 0.5 ? 500 : 500000)) + 2;
  return { figure: `${n.toLocaleString('en-GB')} ${counts}`, counts };
}

function percent(r: Rand): string {
  return r() < 0.5 ? `${(Math.floor(r() * 1000) / 10).toFixed(1)}%` : `${Math.floor(r() * 99) + 1} per cent`;
}

function qualified(r: Rand, figure: string): string {
  const q = r();
  return q < 0.15 ? `over ${figure}` : q < 0.25 ? `up to ${figure}` : q < 0.32 ? `around ${figure}` : figure;
}

/**
 * `n` entities with unique ids and names, about three names each and a few facts. Every third
 * entity of each thousand is an organisation, the rest are programmes; about 1% of the
 * organisations are hubs (departments, national bodies) that fund the programmes, as a real
 * department funds hundreds of them (see `link`).
 */
export function makeEntities(n: number, seed = 20240501): SyntheticEntity[] {
  const r = rng(seed);
  const names = new Set<string>();
  const acronyms = new Map<string, number>();
  const out: Omit<SyntheticEntity, 'relations'>[] = [];
  for (let i = 0; i < n; i++) {
    let name = '';
    for (let attempt = 0; attempt < 20; attempt++) {
      const parts: string[] = [];
      if (r() < 0.35) parts.push(pick(r, PLACES));
      const mods = 1 + Math.floor(r() * (r() < 0.3 ? 3 : 2));
      for (let k = 0; k < mods; k++) parts.push(pick(r, MODIFIERS));
      parts.push(pick(r, HEADS));
      if (r() < 0.15) parts.push(pick(r, ['for England', 'for Wales', 'Scheme', 'Pilot', 'Programme', '2021', '2019', 'Phase 2', 'COVID-19 Scheme']));
      name = parts.join(' ').replace(/\b(\w+) \1\b/g, '$1');
      if (!names.has(name.toLowerCase())) break;
    }
    if (names.has(name.toLowerCase())) name = `${name} ${i}`;
    names.add(name.toLowerCase());

    // Acronyms: initials; most collisions get a digit, a few are left shared, as in real life.
    let acronym = initials(name);
    if (acronym.length < 2) acronym += 'X';
    const seen = acronyms.get(acronym) ?? 0;
    acronyms.set(acronym, seen + 1);
    if (seen > 0 && r() < 0.95) acronym = `${acronym}${seen + 1}`;

    const facts: { figure: string; about: string; counts?: string }[] = [];
    const nf = 1 + Math.floor(r() * 4);
    for (let k = 0; k < nf; k++) {
      const kind = r();
      if (kind < 0.5) facts.push({ figure: qualified(r, money(r)), about: pick(r, ['funding', 'funding since 2015', 'annual budget', 'grant to councils', 'total investment']) });
      else if (kind < 0.8) {
        const c = count(r);
        facts.push({ figure: qualified(r, c.figure), about: `${c.counts} reached`, counts: c.counts });
      } else facts.push({ figure: qualified(r, percent(r)), about: pick(r, ['share of families with improved outcomes', 'take-up rate', 'reduction in referrals']) });
    }
    const hasFormer = r() < 0.8;
    const words = name.split(' ');
    out.push({
      id: `${slug(name)}-${i.toString(36)}`,
      // As the fact files (1,000 entities each) have always had it: the first of every three.
      kind: (i % 1000) % 3 === 0 ? 'organisation' : 'programme',
      name,
      acronym,
      // A former name shares most words with the current one ("Troubled Families Programme" →
      // "Supporting Families"), which is what makes longest-match matter.
      ...(hasFormer
        ? { former: `${pick(r, FORMER_PREFIX)} ${words.length > 2 ? words.slice(1).join(' ') : name}` }
        : { alias: `${words.slice(-2).join(' ')} ${pick(r, ['Initiative', 'Pilot', 'Project'])} ${i}` }),
      facts,
    });
  }
  return link(out, seed);
}

/**
 * Links the programmes to a few hub organisations, from a generator of its own (so the entities
 * themselves are exactly what they were without relations): every programme is funded by one
 * hub, the first hubs far more often than the last (one funds hundreds); some are also led by
 * another hub, and some delivered by any organisation (a charity, a trust).
 */
function link(entities: readonly Omit<SyntheticEntity, 'relations'>[], seed: number): SyntheticEntity[] {
  const r = rng(seed ^ 0x2e1a7e);
  const organisations = entities.filter((e) => e.kind === 'organisation');
  const hubs: string[] = [];
  const hubCount = Math.max(1, Math.round(organisations.length / 100));
  for (let h = 0; h < hubCount && organisations.length; h++) hubs.push(organisations[Math.floor(((h + r()) * organisations.length) / hubCount)].id);
  const skewed = () => hubs[Math.floor(hubs.length * r() * r())];
  return entities.map((e) => {
    if (e.kind !== 'programme' || !hubs.length) return { ...e, relations: [] };
    const funder = skewed();
    const relations: { type: SyntheticRelationType; target: string }[] = [{ type: 'funded-by', target: funder }];
    if (hubs.length > 1 && r() < 0.3) {
      let lead = hubs[Math.floor(r() * hubs.length)];
      if (lead === funder) lead = hubs[(hubs.indexOf(lead) + 1) % hubs.length];
      relations.push({ type: 'led-by', target: lead });
    }
    if (r() < 0.2) {
      const by = organisations[Math.floor(r() * organisations.length)].id;
      if (by !== funder) relations.push({ type: 'delivered-by', target: by });
    }
    return { ...e, relations };
  });
}

const q = (s: string) => JSON.stringify(s);

/** The entity's type: the last head word in its name ("fund", "board"…). */
function typeOf(name: string): string {
  const words = name.split(' ');
  for (let i = words.length - 1; i >= 0; i--) if (HEADS.includes(words[i])) return words[i].toLowerCase();
  return 'programme';
}

/** The entities as fact files of at most `perFile` entities each: `[fileName, yamlText][]`. */
export function factFiles(entities: readonly SyntheticEntity[], perFile = 1000): [string, string][] {
  const files: [string, string][] = [];
  for (let f = 0; f * perFile < entities.length; f++) {
    const chunk = entities.slice(f * perFile, (f + 1) * perFile);
    const lines: string[] = [
      `# Synthetic fact file ${f + 1} for the benchmark (generated, not real data).`,
      'sources:',
    ];
    const sourceIds: string[] = [];
    for (let s = 0; s * 50 < chunk.length; s++) {
      const id = `bench-source-${f + 1}-${s + 1}`;
      sourceIds.push(id);
      lines.push(`  - id: ${id}`, `    title: ${q(`Synthetic source ${f + 1}.${s + 1}`)}`, '    publisher: Benchmark', `    date: 2021-0${(s % 9) + 1}-01`);
    }
    lines.push('', 'entities:');
    chunk.forEach((e, k) => {
      const source = sourceIds[Math.floor(k / 50)];
      lines.push(
        `  - id: ${e.id}`,
        `    kind: ${e.kind}`,
        `    type: ${q(typeOf(e.name))}`,
        `    name: ${q(e.name)}`,
        `    acronyms: [${q(e.acronym)}]`,
      );
      if (e.alias) lines.push(`    aliases: [${q(e.alias)}]`);
      if (e.former) lines.push('    formerNames:', `      - name: ${q(e.former)}`, '        until: "2021"');
      lines.push(`    summary: ${q(`A synthetic ${typeOf(e.name)} used to measure the checker.`)}`);
      if (e.relations.length) {
        lines.push('    relations:');
        e.relations.forEach((rel, n) => lines.push(`      - { type: ${rel.type}, target: ${rel.target}, source: { source: ${source}, line: ${n + 1} } }`));
      }
      lines.push('    facts:');
      e.facts.forEach((fact, n) => {
        lines.push(`      - figure: ${q(fact.figure)}`, `        about: ${q(fact.about)}`);
        if (fact.counts) lines.push(`        counts: ${q(fact.counts)}`);
        lines.push(`        period: ${q(pick(rng(k * 31 + n), ['2015-2020', '2019-20', 'since 2010', 'each year', '2021-22']))}`);
        lines.push(`        source: { source: ${source}, line: ${n + 1} }`);
      });
      lines.push(`    sources: [${source}]`);
    });
    files.push([`bench-kb-${String(f + 1).padStart(3, '0')}.yaml`, lines.join('\n') + '\n']);
  }
  return files;
}

const OPENERS = [
  'In its latest report,', 'According to the department,', 'Since 2015,', 'Over the last two years,', 'In 2021-22,', 'By March 2023,', 'This year,',
  'As set out in the white paper,', 'Ministers confirmed that', 'Officials said that', 'Councils report that', 'The evaluation found that',
];
const VERBS = [
  'received', 'has spent', 'was awarded', 'committed', 'allocated', 'provided', 'reported', 'invested', 'distributed', 'set aside',
];
const FILLER = [
  'The programme works with councils, schools and health partners to support families earlier.',
  'Local areas have flexibility to decide how the money is spent, within the conditions of the grant.',
  'The evaluation will report in spring, with interim findings published on GOV.UK.',
  'Practitioners described the training as practical and said it had changed how they work with families.',
  'Further detail is set out in annex B, paragraphs 4.2 to 4.7, and in the technical note.',
  'The department will publish guidance for local authorities on 14 March 2024.',
  'Call the helpline on 0808 800 5000 between 9am and 5pm, Monday to Friday.',
  'Partners agreed the priorities at a workshop held on 3 October 2022 in Leeds.',
  'Key Stage 2 results, published in July, show a mixed picture across regions.',
  'The board meets quarterly and publishes its minutes within six weeks.',
  'Children’s services leaders welcomed the announcement but warned about rising demand.',
  'Data for 2019/20 is provisional and may be revised in the next release.',
];

/**
 * A draft of about `chars` characters: paragraphs of sentences mixing mentions (by name,
 * acronym and former name, some possessive), figures (money, counts, percentages), dates and
 * ordinary text. Mentions follow a skewed distribution over the entities, as a real draft
 * keeps returning to the few programmes it is about. Some sentences give a programme's figure
 * next to the name of a body that funds, leads or delivers it, and no other ("The X Board has
 * provided £1.2m …"), which only the body's programmes can answer for.
 */
export function makeDraft(entities: readonly SyntheticEntity[], chars: number, seed = 7): string {
  const r = rng(seed ^ chars);
  const parts: string[] = [];
  let length = 0;
  // A draft is about a few hundred entities, some far more often than others, whatever its
  // length (so that time per MB compares like with like across draft sizes).
  const focus: SyntheticEntity[] = [];
  const focusCount = Math.min(entities.length, 300);
  for (let i = 0; i < focusCount; i++) focus.push(entities[Math.floor(r() * entities.length)]);
  const entity = () => (r() < 0.85 ? focus[Math.floor(focus.length * r() * r())] : entities[Math.floor(r() * entities.length)]);
  const mention = (e: SyntheticEntity) => {
    const k = r();
    const base = k < 0.55 ? e.name : k < 0.85 ? e.acronym : e.former ?? e.alias ?? e.name;
    return base;
  };
  const figureFor = (e: SyntheticEntity) => {
    const f = e.facts[Math.floor(r() * e.facts.length)];
    if (r() < 0.7) return f.figure;
    const kind = r();
    return kind < 0.5 ? money(r) : kind < 0.8 ? count(r).figure : percent(r);
  };
  // Sentences naming a body take the draws a filler sentence would from `r`, and the rest from a
  // generator of their own, so the rest of the draft is what it was before there were any.
  const s = rng((seed ^ chars) + 0x51ed);
  const byId = new Map(entities.map((e) => [e.id, e]));
  const linked = focus.filter((e) => e.relations.length);
  const viaBody = (u: number) => {
    const e = linked[Math.floor(linked.length * u * s())];
    const rel = s() < 0.75 ? e.relations[0] : e.relations[Math.floor(s() * e.relations.length)];
    const body = byId.get(rel.target)!;
    const k = s();
    const named = k < 0.55 ? body.name : k < 0.85 ? body.acronym : body.former ?? body.alias ?? body.name;
    const f = e.facts[Math.floor(s() * e.facts.length)];
    // Mostly the programme's figure as recorded; sometimes one it does not record.
    const figure = s() < 0.85 ? f.figure : s() < 0.5 ? money(s) : count(s).figure;
    const verb = figure.includes('£') ? pick(s, ['has provided', 'has committed', 'is investing', 'has allocated', 'awarded']) : pick(s, ['has reached', 'reported', 'supported', 'worked with']);
    return `${pick(s, OPENERS)} the ${named} ${verb} ${figure} ${pick(s, ['through its grant programmes', 'for local authorities', 'across England', 'over three years', 'this year'])}.`;
  };
  while (length < chars) {
    const sentences: string[] = [];
    const ns = 3 + Math.floor(r() * 5);
    for (let s = 0; s < ns; s++) {
      const k = r();
      let sentence: string;
      if (k < 0.45) {
        const e = entity();
        sentence = `${pick(r, OPENERS)} the ${mention(e)} ${pick(r, VERBS)} ${figureFor(e)} ${pick(r, ['for local authorities', 'across England', 'in its first year', 'to support families', 'over two years'])}.`;
      } else if (k < 0.65) {
        const e = entity();
        const other = entity();
        sentence = `The ${mention(e)}${r() < 0.3 ? '’s' : ''} work with the ${mention(other)} reached ${count(r).figure}, ${percent(r)} more than in 2019.`;
      } else if (k < 0.75) {
        const e = entity();
        sentence = `${mention(e)} said that ${figureFor(e)} had been ${pick(r, VERBS)} since ${pick(r, ['April 2020', '2018', 'the spring'])}.`;
      } else if (k < 0.8 && linked.length) {
        sentence = viaBody(r());
      } else {
        sentence = pick(r, FILLER);
      }
      sentences.push(sentence);
    }
    const paragraph = (r() < 0.1 ? `## ${mention(entity())}\n\n` : '') + sentences.join(' ');
    parts.push(paragraph);
    length += paragraph.length + 2;
  }
  // A draft reaches the checker as one flat string, read from a file or the editor: not as a
  // slice of a longer one, which every character read would go through.
  return Buffer.from(parts.join('\n\n').slice(0, chars), 'utf8').toString('utf8');
}
