/**
 * Semantic highlighting of mentions: programmes and organisations get their own token types
 * (`policyProgramme`, `policyOrganisation`, declared in package.json with class/namespace as
 * super types so every theme colours them), and a mention by a former name carries the
 * `deprecated` modifier. Figures are coloured by the TextMate grammar in syntaxes/.
 */
import * as vscode from 'vscode';
import type { Entity, Mention } from '../core';
import type { Deps } from './deps';
import { registerForServedDocuments } from './definition';

export const TOKEN_TYPES = ['policyProgramme', 'policyOrganisation'] as const;
export const TOKEN_MODIFIERS = ['deprecated'] as const;
export const LEGEND = new vscode.SemanticTokensLegend([...TOKEN_TYPES], [...TOKEN_MODIFIERS]);

function tokenType(entity: Entity | undefined): (typeof TOKEN_TYPES)[number] {
  return entity?.kind === 'organisation' ? 'policyOrganisation' : 'policyProgramme';
}

function isFormer(m: Mention): boolean {
  return m.nameKind === 'former' || m.nameKind === 'former-acronym';
}

export function buildTokens(deps: Deps, document: vscode.TextDocument): vscode.SemanticTokens {
  const builder = new vscode.SemanticTokensBuilder(LEGEND);
  const result = deps.analysis.get(document);
  if (!result) return builder.build();
  const kb = deps.knowledge.kb;
  for (const m of result.mentions) {
    const type = tokenType(kb.get(m.entityId));
    const modifiers = isFormer(m) ? ['deprecated'] : [];
    const start = document.positionAt(m.start);
    const end = document.positionAt(m.end);
    // A token lies on one line: a name broken over lines gives one token per line.
    for (let line = start.line; line <= end.line; line++) {
      const from = line === start.line ? start.character : 0;
      const to = line === end.line ? end.character : document.lineAt(line).range.end.character;
      if (to > from) builder.push(new vscode.Range(line, from, line, to), type, modifiers);
    }
  }
  return builder.build();
}

export function registerSemanticTokens(deps: Deps): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.DocumentSemanticTokensProvider = {
    onDidChangeSemanticTokens: changed.event,
    // After the draft's check, done in slices: opening a long draft does not hold the editor up.
    provideDocumentSemanticTokens: async (document: vscode.TextDocument) => {
      const version = document.version;
      await deps.analysis.getInSlices(document);
      // Edited meanwhile, or the facts or settings changed (whose check here would be in one go):
      // VS Code asks again.
      const { analysis } = deps;
      if (document.version !== version || (analysis.applies(document) && !document.isClosed && !analysis.stats(document))) throw new vscode.CancellationError();
      return deps.log.guard('Semantic tokens', undefined, buildTokens)(deps, document);
    },
  };
  // Edits re-request tokens by themselves; new facts or settings change every document's.
  const listener = deps.analysis.onDidChange((e) => {
    if (e.reason === 'knowledge' || e.reason === 'settings') changed.fire();
  });
  const registration = registerForServedDocuments(deps, (selector) => vscode.languages.registerDocumentSemanticTokensProvider(selector, provider, LEGEND));
  return vscode.Disposable.from(registration, listener, changed);
}
