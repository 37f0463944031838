/**
 * Go to Symbol in Workspace (Ctrl+T): every programme and organisation by any of its names —
 * canonical name, aliases, acronyms, former names — leading to its entry in the fact file.
 */
import * as vscode from 'vscode';
import type { Entity } from '../core';
import { toRange, toUri } from './convert';
import type { Deps } from './deps';

/** How the symbol list shows each kind. */
export function symbolKindOf(entity: Entity): vscode.SymbolKind {
  return entity.kind === 'programme' ? vscode.SymbolKind.Class : vscode.SymbolKind.Module;
}

/**
 * Whether the letters of `query` appear in `name` in order, ignoring case — the loose match
 * VS Code expects; it ranks and highlights the results itself.
 */
export function looselyMatches(query: string, name: string): boolean {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return true;
  const n = name.toLowerCase();
  let i = 0;
  for (let k = 0; k < n.length && i < q.length; k++) if (n[k] === q[i]) i++;
  return i === q.length;
}

interface NamedAs {
  readonly name: string;
  readonly how?: string;
  readonly until?: string;
  readonly former?: boolean;
}

function namesOf(e: Entity): NamedAs[] {
  const out: NamedAs[] = [{ name: e.name }];
  for (const a of e.acronyms) out.push({ name: a, how: 'acronym' });
  for (const a of e.aliases) out.push({ name: a, how: 'also called' });
  for (const f of e.formerNames) {
    const until = f.until ? ` (until ${f.until})` : '';
    out.push({ name: f.name, how: 'former name', until, former: true });
    for (const a of f.acronyms) out.push({ name: a, how: 'former acronym', until, former: true });
  }
  return out;
}

export function workspaceSymbols(entities: readonly Entity[], query: string): vscode.SymbolInformation[] {
  const out: vscode.SymbolInformation[] = [];
  for (const e of entities) {
    const location = new vscode.Location(toUri(e.nameOrigin.uri), toRange(e.nameOrigin.range));
    const kind = symbolKindOf(e);
    for (const n of namesOf(e)) {
      if (!looselyMatches(query, n.name)) continue;
      // The canonical name shows the type; other names say whose they are.
      const container = n.how ? `${n.how} of ${e.name}${n.until ?? ''}` : `${e.type}${e.acronyms.length ? ` (${e.acronyms.join(', ')})` : ''}`;
      const symbol = new vscode.SymbolInformation(n.name, kind, container, location);
      if (n.former) symbol.tags = [vscode.SymbolTag.Deprecated];
      out.push(symbol);
      // Without a query, one entry per entity is enough.
      if (!query.trim()) break;
    }
  }
  return out;
}

export function registerWorkspaceSymbols(deps: Deps): vscode.Disposable {
  return vscode.languages.registerWorkspaceSymbolProvider({
    provideWorkspaceSymbols: deps.log.guard('Workspace symbols', [], (query: string) => {
      if (!deps.settings.enabled()) return [];
      return workspaceSymbols(deps.knowledge.kb.entities, query);
    }),
  });
}
