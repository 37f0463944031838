/**
 * The rule registry: every diagnostic Policy Facts reports has a stable code, a default
 * severity and a one-line description. Settings (`policyFacts.rules`, `--rule` in the CLI
 * later) change a rule's severity or turn it off by code; codes never change meaning.
 */
export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type RuleSetting = Severity | 'off';

export interface Rule {
  readonly id: string;
  readonly defaultSeverity: RuleSetting;
  readonly description: string;
}

function rule(id: string, defaultSeverity: RuleSetting, description: string): Rule {
  return { id, defaultSeverity, description };
}

export const RULES = {
  'figure.verified': rule('figure.verified', 'off', 'A figure equals one the facts record.'),
  'figure.rounded': rule('figure.rounded', 'off', 'A figure is a correct rounding of one the facts record.'),
  'figure.mismatch': rule('figure.mismatch', 'warning', 'A figure fits none of the figures recorded for what it is about.'),
  'figure.period': rule('figure.period', 'warning', 'A figure is recorded, but for another year than the draft gives it.'),
  'figure.misattributed': rule('figure.misattributed', 'warning', 'A figure is recorded, but for another programme or organisation.'),
  'figure.unverified': rule('figure.unverified', 'hint', 'A figure could not be checked: nothing it is about, or no recorded figure of that kind.'),
  'figure.inconsistent': rule('figure.inconsistent', 'warning', 'The draft gives two different values for the same figure.'),
  'name.former': rule('name.former', 'information', 'A programme or organisation is named by a name it no longer uses.'),
  'check.limit': rule('check.limit', 'warning', 'Part of a draft was not checked because a limit was reached.'),
  'kb.yaml-syntax': rule('kb.yaml-syntax', 'error', 'A fact file is not valid YAML.'),
  'kb.invalid-entry': rule('kb.invalid-entry', 'error', 'An entry in a fact file does not follow the fact-file schema.'),
  'kb.unparseable-figure': rule('kb.unparseable-figure', 'error', 'A fact\u2019s figure could not be read as an amount, count, percentage or time.'),
  'kb.duplicate-id': rule('kb.duplicate-id', 'error', 'Two entries have the same id.'),
  'kb.unknown-target': rule('kb.unknown-target', 'error', 'A relation points to an id that no fact file defines.'),
  'kb.unknown-source': rule('kb.unknown-source', 'warning', 'A fact or entity cites a source id that no fact file defines.'),
  'kb.unmatchable-name': rule('kb.unmatchable-name', 'warning', 'A name has nothing a draft could be matched against.'),
  'kb.duplicate-name': rule('kb.duplicate-name', 'information', 'Two entities share a name, alias or acronym.'),
  'kb.file-too-large': rule('kb.file-too-large', 'error', 'A fact file is too large or too deeply nested to load safely.'),
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, id);
}

/** The severity a rule has under the given overrides (unknown override values are ignored). */
export function severityOf(id: RuleId, overrides?: Readonly<Record<string, string>>): RuleSetting {
  const o = overrides?.[id];
  if (o === 'error' || o === 'warning' || o === 'information' || o === 'hint' || o === 'off') return o;
  return RULES[id].defaultSeverity;
}
