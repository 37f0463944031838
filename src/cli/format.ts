/**
 * Output formats of `policy-facts check`. Text reads like a proofreader's notes; JSON is a
 * contract other tools read (see README "JSON output"); SARIF 2.1.0 is for code-scanning tools.
 */
import { type CheckResult, type Finding, type FindingStatus, type KnowledgeBase, LineIndex, RULES, type RuleSetting } from '../core';

export interface FileReport {
  readonly path: string;
  readonly text: string;
  readonly result: CheckResult;
}

const SUMMARY_KEYS = ['verified', 'rounded', 'mismatch', 'misattributed', 'unverified', 'former-name', 'inconsistent'] as const;

const LABEL: Record<FindingStatus, string> = {
  verified: 'verified',
  rounded: 'rounded',
  mismatch: 'wrong figure',
  misattributed: 'misattributed',
  unverified: 'unverified',
  inconsistent: 'inconsistent',
  'former-name': 'former name',
  limit: 'not checked',
};

interface Located {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

function locate(lines: LineIndex, start: number, end: number): Located {
  const s = lines.positionAt(start);
  const e = lines.positionAt(end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function totals(reports: readonly FileReport[]) {
  const t = { files: reports.length, mentions: 0, figures: 0, verified: 0, rounded: 0, mismatch: 0, misattributed: 0, unverified: 0, 'former-name': 0, inconsistent: 0, suppressed: 0, skippedChars: 0 };
  for (const r of reports) {
    t.mentions += r.result.summary.mentions;
    t.figures += r.result.summary.figures;
    for (const k of SUMMARY_KEYS) t[k] += r.result.summary[k];
    t.suppressed += r.result.summary.suppressed;
    t.skippedChars += r.result.summary.skippedChars;
  }
  return t;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? word : many}`;
}

export function formatText(kb: KnowledgeBase, reports: readonly FileReport[], opts: { all: boolean }): string {
  const out: string[] = [];
  for (const r of reports) {
    const lines = new LineIndex(r.text);
    const shown = r.result.findings.filter((f) => !f.suppressed && (opts.all || (f.severity !== 'off' && f.status !== 'verified' && f.status !== 'rounded')));
    for (const f of shown) {
      const at = locate(lines, f.start, f.end);
      out.push(`${r.path}:${at.line}:${at.column}: ${LABEL[f.status]}: ${f.message} [${f.code}]`);
    }
  }
  const t = totals(reports);
  const parts = [
    `${t.verified} verified`,
    `${t.rounded} rounded`,
    `${t.mismatch} wrong`,
    `${t.misattributed} misattributed`,
    `${t.inconsistent} inconsistent`,
    `${t.unverified} unverified`,
  ];
  if (out.length) out.push('');
  out.push(
    `Checked ${plural(t.files, 'file')} against ${plural(kb.entities.length, 'entry', 'entries')} in the knowledge base: ${plural(t.figures, 'figure')} (${parts.join(', ')}), ${plural(t.mentions, 'mention')}, ${plural(t['former-name'], 'former name')}.` +
      (t.suppressed ? ` ${plural(t.suppressed, 'finding')} suppressed by policy-facts-ignore.` : '') +
      (t.skippedChars ? ` ${t.skippedChars.toLocaleString('en-GB')} characters were NOT checked (limit reached).` : ''),
  );
  return `${out.join('\n')}\n`;
}

export function formatJson(kb: KnowledgeBase, reports: readonly FileReport[]): string {
  const files = reports.map((r) => {
    const lines = new LineIndex(r.text);
    return {
      path: r.path,
      mentions: r.result.mentions.map((m) => {
        const e = kb.get(m.entityId);
        return {
          entityId: m.entityId,
          name: e?.name ?? m.name,
          kind: e?.kind ?? 'programme',
          text: m.text,
          ...locate(lines, m.start, m.end),
          formerName: m.nameKind === 'former' || m.nameKind === 'former-acronym',
        };
      }),
      findings: r.result.findings.map((f) => findingJson(f, lines)),
    };
  });
  const t = totals(reports);
  const summary = {
    files: t.files,
    mentions: t.mentions,
    figures: t.figures,
    verified: t.verified,
    rounded: t.rounded,
    mismatch: t.mismatch,
    misattributed: t.misattributed,
    unverified: t.unverified,
    'former-name': t['former-name'],
    inconsistent: t.inconsistent,
    suppressed: t.suppressed,
    skippedChars: t.skippedChars,
  };
  return `${JSON.stringify({ files, summary }, null, 2)}\n`;
}

function findingJson(f: Finding, lines: LineIndex) {
  return {
    code: f.code,
    status: f.status,
    severity: f.severity,
    message: f.message,
    text: f.text,
    ...locate(lines, f.start, f.end),
    ...(f.entityId ? { entityId: f.entityId } : {}),
    ...(f.expected?.length
      ? {
          expected: f.expected.map((x) => ({
            text: x.text,
            value: x.value,
            unit: x.unit,
            ...(x.qualifier ? { qualifier: x.qualifier } : {}),
            ...(x.period ?? x.asOf ? { period: x.period ?? `as of ${x.asOf}` } : {}),
            ...(x.source ? { source: x.source } : {}),
          })),
        }
      : {}),
    ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    // figure.period: where the draft gives the year, and the year the figure is recorded for.
    ...(f.year ? { year: { text: f.year.text, recorded: f.year.recorded, ...locate(lines, f.year.start, f.year.end) } } : {}),
  };
}

const SARIF_LEVEL: Record<RuleSetting, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note', off: 'none' };

export function formatSarif(reports: readonly FileReport[], version: string): string {
  const ruleIds = Object.keys(RULES) as (keyof typeof RULES)[];
  const results = reports.flatMap((r) => {
    const lines = new LineIndex(r.text);
    return r.result.findings
      .filter((f) => f.severity !== 'off' && f.status !== 'verified' && f.status !== 'rounded')
      .map((f) => {
        const at = locate(lines, f.start, f.end);
        return {
          ruleId: f.code,
          ruleIndex: ruleIds.indexOf(f.code),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(r.path.replace(/\\/g, '/')) },
                region: { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn },
              },
            },
          ],
          ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed }] } : {}),
        };
      });
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Policy Facts',
            version,
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: RULES[id].description },
              defaultConfiguration: { level: SARIF_LEVEL[RULES[id].defaultSeverity], enabled: RULES[id].defaultSeverity !== 'off' },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
