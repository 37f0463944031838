/**
 * Every conversion between the core's plain data and VS Code's classes lives here: ranges
 * and positions (the core's are 0-based like VS Code's), offsets in a document, severities,
 * and locations of fact-file entries.
 */
import * as vscode from 'vscode';
import type { Origin, Position, Range, RuleSetting, Severity, Span } from '../core';

export function toPosition(p: Position): vscode.Position {
  return new vscode.Position(p.line, p.character);
}

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function fromRange(r: vscode.Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/** A span of UTF-16 offsets in `document`'s text (what the core reports for drafts). */
export function spanToRange(document: vscode.TextDocument, span: Span): vscode.Range {
  return new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
}

export function rangeToSpan(document: vscode.TextDocument, range: vscode.Range): Span {
  return { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
}

/** Whether an offset lies in a span (start inclusive, end inclusive so a cursor after the last letter counts). */
export function spanContains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

export function toUri(uri: string): vscode.Uri {
  return vscode.Uri.parse(uri, true);
}

/** The uri of each fact file an origin has named, parsed once: one object per file. */
const originUris = new Map<string, vscode.Uri>();

/**
 * Where an entity, fact or source is written in its fact file. The locations in one fact file
 * share one uri object: thousands of diagnostics point at a few files, and comparing or
 * printing a uri is done once per object.
 */
export function originLocation(origin: Origin): vscode.Location {
  let uri = originUris.get(origin.uri);
  if (!uri) {
    uri = toUri(origin.uri);
    originUris.set(origin.uri, uri);
  }
  return new vscode.Location(uri, toRange(origin.range));
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
  }
}

/** A rule setting as a diagnostic severity; `undefined` when the rule is off. */
export function ruleSeverity(setting: RuleSetting): vscode.DiagnosticSeverity | undefined {
  return setting === 'off' ? undefined : toSeverity(setting);
}

/** A diagnostic that always carries the product as `source` and the rule id as `code`. */
export function makeDiagnostic(range: vscode.Range, message: string, severity: vscode.DiagnosticSeverity, code: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, severity);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = code;
  return d;
}

export const DIAGNOSTIC_SOURCE = 'Policy Facts';
