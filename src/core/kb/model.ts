/**
 * The knowledge base as the rest of the product sees it: validated entries with the exact
 * place in their fact file that each came from, so a hover can link to it and go to
 * definition can land on it.
 */
import type { FigureUnit, Qualifier, Range } from '../types';
import type { RuleId, Severity } from '../rules';
import type { EntityKind, RelationType, SourceRef } from './schema';

/** Bundled facts ship with the product; workspace facts are the user's and can extend them. */
export type Layer = 'bundled' | 'workspace';

/** Where an entry is written: a fact file and a 0-based range in it. */
export interface Origin {
  readonly uri: string;
  readonly range: Range;
}

/** An origin from its file and the 0-based line and character of its start and end. */
export function textOrigin(uri: string, startLine: number, startCharacter: number, endLine: number, endCharacter: number): Origin {
  return { uri, range: { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } } };
}

/**
 * A string stored on its own, for keeping. Strings cut from a larger text or built up piece by
 * piece can be held as a slice of the whole text or a chain of pieces, and keeping one keeps all
 * of that alive. A JSON round trip makes a flat copy; engines only slice or chain longer strings.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** Shared empty lists: most entries have no relations, former names or extensions. */
export const NO_STRINGS: readonly string[] = Object.freeze([]);
export const NO_ORIGINS: readonly Origin[] = Object.freeze([]);

export interface Source {
  readonly id: string;
  readonly title: string;
  readonly publisher?: string;
  readonly author?: string;
  readonly date?: string;
  readonly url?: string;
  readonly file?: string;
  readonly note?: string;
  readonly origin: Origin;
}

export interface Fact {
  /** `<entity id>#<n>`: stable while the fact file keeps its order. */
  readonly id: string;
  readonly entityId: string;
  /** The figure as written in the fact file: "over £185m". */
  readonly figure: string;
  readonly about: string;
  readonly counts?: string;
  readonly period?: string;
  readonly asOf?: string;
  readonly note?: string;
  readonly source: SourceRef;
  readonly value: number;
  readonly unit: FigureUnit;
  readonly qualifier?: Qualifier;
  readonly precision: number;
  /** Counted noun, normalised like the figure parser's `noun`. */
  readonly noun?: string;
  readonly origin: Origin;
}

export interface Relation {
  readonly type: RelationType;
  readonly from: string;
  readonly to: string;
  readonly note?: string;
  readonly source?: SourceRef;
  readonly origin: Origin;
}

export interface FormerName {
  readonly name: string;
  readonly acronyms: readonly string[];
  readonly until?: string;
  readonly note?: string;
}

export interface Entity {
  readonly id: string;
  readonly kind: EntityKind;
  readonly type: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly acronyms: readonly string[];
  readonly formerNames: readonly FormerName[];
  readonly summary?: string;
  readonly relations: readonly Relation[];
  readonly facts: readonly Fact[];
  readonly sources: readonly string[];
  readonly layer: Layer;
  /** The whole entry in its fact file. */
  readonly origin: Origin;
  /** The `name:` value (where go to definition lands). */
  readonly nameOrigin: Origin;
  /** Workspace entries that extended this one, in load order. */
  readonly extendedBy: readonly Origin[];
  /** Set on a workspace entry that replaces the bundled entry with its id instead of extending it. */
  readonly override?: boolean;
}

/** A problem found while loading fact files: always with the file and the exact range. */
export interface KbProblem {
  readonly code: RuleId;
  readonly severity: Severity;
  readonly message: string;
  readonly uri: string;
  readonly range: Range;
}

/** One fact file after loading: what it defines and what was wrong with it. */
export interface LoadedFactFile {
  readonly uri: string;
  readonly layer: Layer;
  readonly sources: readonly Source[];
  readonly entities: readonly Entity[];
  readonly problems: readonly KbProblem[];
}
