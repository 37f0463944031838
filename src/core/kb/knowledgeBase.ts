/**
 * The merged knowledge base: bundled fact files first, then the user's. Looks entities up by
 * id and by any name, resolves relations both ways, and owns the mention matcher built from
 * every name, alias, acronym and former name.
 */
import { Matcher, type NameEntry } from '../match/matcher';
import { isMatchableName, normaliseName } from '../match/normalise';
import { RULES, type RuleId } from '../rules';
import type { FigureUnit } from '../types';
import { type Entity, type Fact, type KbProblem, type Layer, type LoadedFactFile, type Origin, ownString, type Relation, type Source } from './model';
import { runToEnd, type Steps } from '../steps';

export interface FactFileSummary {
  readonly uri: string;
  readonly layer: Layer;
  readonly entities: number;
  readonly sources: number;
  readonly facts: number;
  readonly problems: number;
}

/** The facts recording one value in one unit, and the entity that records each. */
export interface ValueRecords {
  readonly facts: readonly Fact[];
  /** `owners[i]` records `facts[i]`. */
  readonly owners: readonly Entity[];
}

const NO_RECORDS: ValueRecords = { facts: [], owners: [] };

function problem(code: RuleId, message: string, origin: Origin): KbProblem {
  const s = RULES[code].defaultSeverity;
  return { code, severity: s === 'off' ? 'hint' : s, message, uri: origin.uri, range: origin.range };
}

function uniq(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const k = v.trim();
    if (k && !seen.has(k)) {
      seen.add(k);
      out.push(k);
    }
  }
  return out;
}

export function valueKey(unit: FigureUnit, value: number): string {
  return `${unit}:${roundedValue(value)}`;
}

/** A value with float noise (1.085 * 1e9) rounded away, so equal figures compare equal. */
function roundedValue(value: number): number {
  // Whole numbers of up to 12 digits are already exact (and most figures are whole numbers).
  return Number.isInteger(value) && Math.abs(value) < 1e12 ? value : Number(value.toPrecision(12));
}

/** How many entities are indexed between the pauses of `KnowledgeBase.buildInSteps`. */
const STEP_ENTITIES = 1000;
/** Passed by `KnowledgeBase.buildInSteps` to a constructor that is to build nothing yet. */
const DEFERRED: unique symbol = Symbol('deferred');

export class KnowledgeBase {
  private entitiesValue: readonly Entity[] = [];
  private sourcesValue: readonly Source[] = [];
  private problemsValue: readonly KbProblem[] = [];
  private filesValue: readonly FactFileSummary[] = [];
  private readonly byId = new Map<string, Entity>();
  private readonly sourcesById = new Map<string, Source>();
  private readonly incomingById = new Map<string, Relation[]>();
  /** By folded name: the one entity with that name, or (rarely) all of them. */
  private readonly byName = new Map<string, Entity | Entity[]>();
  /** By unit, then by value rounded as `valueKey` rounds it. */
  private readonly factsByValue = new Map<FigureUnit, Map<number, { facts: Fact[]; owners: Entity[] }>>();
  private matcherCache?: Matcher;

  private constructor(files: readonly LoadedFactFile[], deferred?: typeof DEFERRED) {
    if (deferred !== DEFERRED) runToEnd(this.fill(files));
  }

  private *fill(files: readonly LoadedFactFile[]): Steps<void> {
    const problems: KbProblem[] = [];
    const ordered = [...files].sort((a, b) => (a.layer === b.layer ? 0 : a.layer === 'bundled' ? -1 : 1));

    const sourceLayer = new Map<string, Layer>();
    for (const file of ordered) {
      for (const p of file.problems) problems.push(p);
      for (const s of file.sources) {
        const prev = this.sourcesById.get(s.id);
        if (prev && sourceLayer.get(s.id) === file.layer) {
          problems.push(problem('kb.duplicate-id', `The source id "${s.id}" is already used in ${describeOrigin(prev.origin)}; this entry is not loaded.`, s.origin));
          continue;
        }
        this.sourcesById.set(s.id, s);
        sourceLayer.set(s.id, file.layer);
      }
      for (const e of file.entities) {
        const prev = this.byId.get(e.id);
        if (!prev) {
          this.byId.set(e.id, e);
          continue;
        }
        if (prev.layer === file.layer) {
          problems.push(problem('kb.duplicate-id', `The id "${e.id}" is already used by "${prev.name}" in ${describeOrigin(prev.origin)}; this entry is not loaded. Give it another id, or merge the two.`, e.origin));
          continue;
        }
        this.byId.set(e.id, e.override ? e : extend(prev, e));
      }
    }

    // Relations: drop (and report) those to unknown ids; index the rest both ways.
    const entities: Entity[] = [];
    for (const e of this.byId.values()) {
      if (entities.length % STEP_ENTITIES === STEP_ENTITIES - 1) yield;
      const relations: Relation[] = [];
      for (const r of e.relations) {
        if (!this.byId.has(r.to)) {
          problems.push(problem('kb.unknown-target', `"${e.name}" ${r.type.replace(/-/g, ' ')} "${r.to}", but no fact file defines an entity with that id.`, r.origin));
          continue;
        }
        relations.push(r);
        const list = this.incomingById.get(r.to);
        if (list) list.push(r);
        else this.incomingById.set(r.to, [r]);
      }
      const entity = relations.length === e.relations.length ? e : { ...e, relations };
      this.byId.set(e.id, entity);
      entities.push(entity);
    }
    for (let at = 0; at < entities.length; at++) {
      if (at % STEP_ENTITIES === STEP_ENTITIES - 1) yield;
      const e = entities[at];
      for (const f of e.facts) {
        if (!this.sourcesById.has(f.source.source)) {
          problems.push(problem('kb.unknown-source', `The fact "${f.figure}" of "${e.name}" cites the source "${f.source.source}", which no fact file defines.`, f.origin));
        }
        let byValue = this.factsByValue.get(f.unit);
        if (!byValue) this.factsByValue.set(f.unit, (byValue = new Map()));
        const key = roundedValue(f.value);
        const row = byValue.get(key);
        if (row) {
          row.facts.push(f);
          row.owners.push(e);
        } else byValue.set(key, { facts: [f], owners: [e] });
      }
      for (const n of namesOf(e)) {
        if (!isMatchableName(n.name)) {
          problems.push(problem('kb.unmatchable-name', `"${n.name}" (a name of "${e.name}") has no letters or digits to match, or is too long, so drafts are never matched against it.`, e.nameOrigin));
          continue;
        }
        const k = foldName(n.name, n.caseSensitive);
        const named = this.byName.get(k);
        if (named === undefined) this.byName.set(ownString(k), e);
        else if (Array.isArray(named)) {
          if (!named.includes(e)) named.push(e);
        } else if (named !== e) this.byName.set(k, [named, e]);
      }
    }
    for (const [k, list] of this.byName) {
      if (Array.isArray(list)) {
        const [first, ...rest] = list;
        for (const other of rest) {
          problems.push(problem('kb.duplicate-name', `"${other.name}" shares the name "${k.replace('\u0001', '')}" with "${first.name}"; a mention of it is shown as both.`, other.nameOrigin));
        }
      }
    }
    this.entitiesValue = entities;
    this.sourcesValue = [...this.sourcesById.values()];
    this.problemsValue = problems;
    const problemsByUri = new Map<string, number>();
    for (const p of problems) problemsByUri.set(p.uri, (problemsByUri.get(p.uri) ?? 0) + 1);
    this.filesValue = ordered.map((f) => ({
      uri: f.uri,
      layer: f.layer,
      entities: f.entities.length,
      sources: f.sources.length,
      facts: f.entities.reduce((n, e) => n + e.facts.length, 0),
      problems: problemsByUri.get(f.uri) ?? 0,
    }));
  }

  /** Merge loaded fact files. Bundled files load first; workspace entries extend or override them by id. */
  static build(files: readonly LoadedFactFile[]): KnowledgeBase {
    return new KnowledgeBase(files);
  }

  /**
   * `build`, and the name matcher, a piece at a time: the generator stops after every thousand
   * entities or few thousand names (a few milliseconds of work) and returns the same knowledge
   * base as `build` at its end, its matcher built. A caller with other work to do (an editor
   * answering hovers with the knowledge base it has) can pause between pieces.
   */
  static *buildInSteps(files: readonly LoadedFactFile[]): Steps<KnowledgeBase> {
    const kb = new KnowledgeBase(files, DEFERRED);
    yield* kb.fill(files);
    yield;
    kb.matcherCache ??= yield* Matcher.buildInSteps(kb.entities.flatMap(namesOf));
    return kb;
  }

  /** Every entity, bundled ones first, relations to unknown ids left out. */
  get entities(): readonly Entity[] {
    return this.entitiesValue;
  }

  get sources(): readonly Source[] {
    return this.sourcesValue;
  }

  /** Every problem of every file, and those of the merge (duplicate ids and names, unknown targets and sources). */
  get problems(): readonly KbProblem[] {
    return this.problemsValue;
  }

  get files(): readonly FactFileSummary[] {
    return this.filesValue;
  }

  get(id: string): Entity | undefined {
    return this.byId.get(id);
  }

  source(id: string): Source | undefined {
    return this.sourcesById.get(id);
  }

  /** Relations pointing at this entity ("led by X" appears on X as incoming). */
  incoming(id: string): readonly Relation[] {
    return this.incomingById.get(id) ?? [];
  }

  /** Entities with this exact name, alias, acronym or former name (names case-insensitive). */
  findByName(name: string): readonly Entity[] {
    const list = (named: Entity | Entity[] | undefined): readonly Entity[] => (named === undefined ? [] : Array.isArray(named) ? named : [named]);
    return [...list(this.byName.get(foldName(name, true))), ...list(this.byName.get(foldName(name, false)))].filter((e, i, all) => all.indexOf(e) === i);
  }

  /**
   * Every fact, across all entities, recording exactly this value in this unit, each with the
   * entity that records it (`owners[i]` records `facts[i]`), so that naming them needs no
   * lookup by id.
   */
  recordsOf(unit: FigureUnit, value: number): ValueRecords {
    return this.factsByValue.get(unit)?.get(roundedValue(value)) ?? NO_RECORDS;
  }

  get factCount(): number {
    return this.entities.reduce((n, e) => n + e.facts.length, 0);
  }

  /** The matcher over every name in the knowledge base, built on first use. */
  get matcher(): Matcher {
    this.matcherCache ??= new Matcher(this.entities.flatMap(namesOf));
    return this.matcherCache;
  }
}

/** The key names are compared by: exactly what the matcher treats as the same name. */
function foldName(name: string, caseSensitive: boolean): string {
  const n = normaliseName(name, caseSensitive);
  return caseSensitive ? `\u0001${n}` : n;
}

function describeOrigin(o: Origin): string {
  const file = o.uri.split('/').pop() ?? o.uri;
  return `${file}:${o.range.start.line + 1}`;
}

/** Every name an entity can be mentioned by, as matcher entries. */
export function namesOf(e: Entity): NameEntry[] {
  const out: NameEntry[] = [{ entityId: e.id, name: e.name, kind: 'name', caseSensitive: false }];
  for (const a of e.aliases) out.push({ entityId: e.id, name: a, kind: 'alias', caseSensitive: false });
  for (const a of e.acronyms) out.push({ entityId: e.id, name: a, kind: 'acronym', caseSensitive: true });
  for (const f of e.formerNames) {
    out.push({ entityId: e.id, name: f.name, kind: 'former', caseSensitive: false });
    for (const a of f.acronyms) out.push({ entityId: e.id, name: a, kind: 'former-acronym', caseSensitive: true });
  }
  return out;
}

/** A workspace entry extending a bundled one: its values win, lists are joined. */
function extend(base: Entity, ext: Entity): Entity {
  return {
    ...base,
    kind: ext.kind,
    type: ext.type,
    name: ext.name,
    summary: ext.summary ?? base.summary,
    aliases: uniq([...base.aliases, ...ext.aliases, ...(ext.name !== base.name ? [base.name] : [])]),
    acronyms: uniq([...base.acronyms, ...ext.acronyms]),
    formerNames: [...base.formerNames, ...ext.formerNames.filter((f) => !base.formerNames.some((b) => b.name === f.name))],
    relations: [...base.relations, ...ext.relations],
    facts: [...base.facts, ...ext.facts.map((f, i) => ({ ...f, id: `${base.id}#w${i + 1}` }))],
    sources: uniq([...base.sources, ...ext.sources]),
    extendedBy: [...base.extendedBy, ext.origin],
  };
}
