/**
 * The fact-file schema. One source of truth: the loader validates with it, and
 * `scripts/build-schema.mjs` generates `schemas/facts.schema.json` from it for editors.
 *
 * A fact file is YAML with two lists, `sources` and `entities`. Each entry is validated on
 * its own, so one bad entry never stops the good ones from loading.
 */
import { z } from 'zod';

export const ID_PATTERN = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/;

const id = z
  .string()
  .regex(ID_PATTERN, 'an id is lower case letters, digits and single hyphens, like "adoption-support-fund"');

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** Where in a source a fact or relation is stated. */
export const sourceRefSchema = z
  .object({
    source: id.describe('id of an entry in `sources`'),
    line: z.number().int().positive().optional().describe('line number in the source text'),
    section: nonEmpty.optional().describe('section, paragraph or page, as the source numbers it'),
  })
  .strict()
  .describe('Where the source states it.');

export const sourceSchema = z
  .object({
    id,
    title: nonEmpty,
    publisher: nonEmpty.optional(),
    author: nonEmpty.optional(),
    date: nonEmpty.optional().describe('publication date as the source gives it (2019-05-01, May 2019)'),
    url: z.string().url().optional(),
    file: nonEmpty.optional().describe('file name of the source text'),
    note: nonEmpty.optional(),
  })
  .strict();

export const ENTITY_KINDS = ['programme', 'organisation'] as const;

export const RELATION_TYPES = [
  'led-by',
  'funded-by',
  'delivered-by',
  'partner-of',
  'part-of',
  'member-of',
  'successor-of',
  'evaluated-by',
  'inspected-by',
] as const;
export type RelationType = (typeof RELATION_TYPES)[number];

export const QUALIFIERS = ['over', 'under', 'up-to', 'at-least', 'around', 'exactly'] as const;

export const formerNameSchema = z
  .object({
    name: nonEmpty,
    acronyms: z.array(nonEmpty).optional(),
    until: nonEmpty.optional().describe('when it stopped being used (2021, April 2021)'),
    note: nonEmpty.optional(),
  })
  .strict();

export const relationSchema = z
  .object({
    type: z.enum(RELATION_TYPES),
    target: id.describe('id of another entity'),
    note: nonEmpty.optional(),
    source: sourceRefSchema.optional(),
  })
  .strict();

export const factSchema = z
  .object({
    figure: nonEmpty.describe('the figure as written: "over £185m", "401,719 families", "71.8 per cent"'),
    about: nonEmpty.describe('what the figure measures, in a few words: "funding since 2015"'),
    counts: nonEmpty.optional().describe('what is counted, when the figure is a count: families, councils, places'),
    qualifier: z.enum(QUALIFIERS).optional().describe('overrides the qualifier read from `figure`'),
    period: nonEmpty.optional().describe('the period it covers: "2015-2020", "since 2010", "each year"'),
    asOf: nonEmpty.optional().describe('the date it was true on: "March 2019"'),
    source: sourceRefSchema,
    note: nonEmpty.optional(),
  })
  .strict();

export const entitySchema = z
  .object({
    id,
    kind: z.enum(ENTITY_KINDS),
    type: nonEmpty.describe('programme, fund, scheme, board, review, act, department, charity, …'),
    name: nonEmpty.describe('the canonical name'),
    aliases: z.array(nonEmpty).optional().describe('other names, matched case-insensitively'),
    acronyms: z.array(nonEmpty).optional().describe('acronyms, matched case-sensitively'),
    formerNames: z.array(formerNameSchema).optional(),
    summary: nonEmpty.optional().describe('one or two lines in our own words'),
    relations: z.array(relationSchema).optional(),
    facts: z.array(factSchema).optional(),
    sources: z.array(id).optional().describe('ids of the sources that name it'),
    override: z
      .boolean()
      .optional()
      .describe('in a workspace file: replace the bundled entry with this id instead of extending it'),
  })
  .strict();

export const factFileSchema = z
  .object({
    sources: z.array(sourceSchema).optional(),
    entities: z.array(entitySchema).optional(),
  })
  .strict();

export type SourceRef = z.infer<typeof sourceRefSchema>;
export type SourceInput = z.infer<typeof sourceSchema>;
export type EntityInput = z.infer<typeof entitySchema>;
export type FactInput = z.infer<typeof factSchema>;
export type RelationInput = z.infer<typeof relationSchema>;
export type FormerNameInput = z.infer<typeof formerNameSchema>;
export type EntityKind = (typeof ENTITY_KINDS)[number];
