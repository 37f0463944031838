/**
 * The one surface the extension, the CLI and the tests import. Pure TypeScript: no `vscode`,
 * no Node built-ins, so it runs in the extension host, in VS Code for the web and in the CLI.
 */
export * from './types';
export * from './rules';
export { runToEnd, type Steps } from './steps';
export { LineIndex } from './text/lineIndex';
export { hasBlankLine, segment, spansAt, type Segments } from './text/segment';
export { checkEncoding, decodeText, replacementCount, type DecodedText } from './text/decode';
export * from './kb/schema';
export type { Entity, Fact, FormerName, KbProblem, Layer, LoadedFactFile, Origin, Relation, Source } from './kb/model';
export { parseFactFile, parseFactFileInSteps, MAX_FACT_FILE_CHARS } from './kb/loader';
export { KnowledgeBase, namesOf, type FactFileSummary, type ValueRecords } from './kb/knowledgeBase';
export { Matcher, type Mention, type NameEntry, type NameKind } from './match/matcher';
export { isMatchableName, normaliseName } from './match/normalise';
export { parseFigure, parseFigures, normaliseNoun } from './figures/parse';
export {
  checkText,
  checkTextInSteps,
  findingsFor,
  isRounding,
  qualifiersCompatible,
  DEFAULT_MAX_CHARS,
  type CheckOptions,
  type CheckResult,
  type CheckSummary,
  type ExpectedFigure,
  type Finding,
  type FindingStatus,
} from './figures/checker';
export { renderEntityHover, renderFigureHover, HOVER_COMMANDS, HOVER_COMMAND_IDS, STATUS_LABELS, type EntityHoverOptions, type FigureHoverOptions } from './render/hover';
export { escapeMarkdown, commandUri } from './render/markdown';
export { blockStarts, draftBlockStarts, lineBlockStarts, IncrementalChecker, type IncrementalStats, type TextEdit } from './incremental';
