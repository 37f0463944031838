/**
 * `policy-facts check`: the same core as the extension, on Node, for drafts in CI.
 * Exit 0: no mismatches; 1: mismatches, misattributions or inconsistencies; 2: usage error or
 * unreadable/invalid input (the reason goes to stderr).
 */
import { parseArgs } from 'node:util';
import { checkEncoding, checkText, KnowledgeBase, parseFactFile, type LoadedFactFile } from '../core';
import { bundledSeedsDir, packageVersion, readDraft, readTextFile, resolveDrafts, resolveFactFiles } from './files';
import { formatJson, formatSarif, formatText, type FileReport } from './format';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly cwd: string;
}

const USAGE = `Usage: policy-facts check [options] <file|dir|glob>...

Checks every figure in the drafts (Markdown or plain text) against the knowledge base.

Options:
  --facts <file|dir|glob>   add a fact file, a folder of them or a glob (repeatable)
  --no-bundled              do not load the bundled knowledge base
  --format text|json|sarif  output format (default: text)
  --all                     in text output, also list verified and rounded figures
  --rule <code>=<severity>  change a rule's severity: error, warning, information, hint, off
  --max-chars <n>           check at most n characters of each draft (default 20000000)
  --encoding <name>         read drafts without a byte-order mark in this encoding, such as
                            windows-1252 for files saved by older Windows programs
                            (default utf-8; fact files are always UTF-8 or UTF-16)
  -h, --help                show this help
  -v, --version             show the version

Exit codes: 0 no problems, 1 wrong/misattributed/inconsistent figures, 2 usage or input error.`;

export async function run(argv: readonly string[], io: CliIo, version = '0.0.0'): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        facts: { type: 'string', multiple: true },
        'no-bundled': { type: 'boolean' },
        format: { type: 'string' },
        all: { type: 'boolean' },
        rule: { type: 'string', multiple: true },
        'max-chars': { type: 'string' },
        encoding: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    io.stderr(`policy-facts: ${(e as Error).message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (values.version) {
    io.stdout(`${version}\n`);
    return EXIT_OK;
  }
  const [command, ...targets] = positionals;
  if (command !== 'check') {
    io.stderr(`policy-facts: ${command ? `unknown command "${command}"` : 'no command given'}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (targets.length === 0) {
    io.stderr(`policy-facts: name at least one draft, folder or glob to check\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    io.stderr(`policy-facts: --format must be text, json or sarif (got "${format}")\n`);
    return EXIT_USAGE;
  }
  const rules: Record<string, string> = {};
  for (const r of values.rule ?? []) {
    const m = /^([a-z.-]+)=(error|warning|information|hint|off)$/.exec(r);
    if (!m) {
      io.stderr(`policy-facts: --rule expects <code>=<error|warning|information|hint|off> (got "${r}")\n`);
      return EXIT_USAGE;
    }
    rules[m[1]] = m[2];
  }
  let maxChars: number | undefined;
  if (values['max-chars'] !== undefined) {
    maxChars = Number(values['max-chars']);
    if (!Number.isInteger(maxChars) || maxChars <= 0) {
      io.stderr(`policy-facts: --max-chars must be a positive whole number\n`);
      return EXIT_USAGE;
    }
  }
  const encoding = values.encoding;
  const badEncoding = encoding === undefined ? undefined : checkEncoding(encoding);
  if (badEncoding) {
    io.stderr(`policy-facts: --encoding: ${badEncoding}\n`);
    return EXIT_USAGE;
  }

  let inputError = false;
  // Knowledge base: bundled seeds, then the user's fact files.
  const loaded: LoadedFactFile[] = [];
  const factPaths: { path: string; layer: 'bundled' | 'workspace' }[] = [];
  if (!values['no-bundled']) {
    const dir = bundledSeedsDir();
    if (!dir) {
      io.stderr('policy-facts: the bundled knowledge base (seeds/) was not found next to the program\n');
      return EXIT_USAGE;
    }
    for (const p of await resolveFactFiles([dir], io.cwd)) factPaths.push({ path: p, layer: 'bundled' });
  }
  for (const spec of values.facts ?? []) {
    const found = await resolveFactFiles([spec], io.cwd);
    if (found.length === 0) {
      io.stderr(`policy-facts: --facts ${spec}: no fact files (*.yaml, *.yml) found there\n`);
      inputError = true;
    }
    for (const p of found) factPaths.push({ path: p, layer: 'workspace' });
  }
  for (const { path, layer } of factPaths) {
    const read = readTextFile(path);
    if (!read.ok) {
      io.stderr(`policy-facts: ${path}: ${read.reason}\n`);
      inputError = true;
      continue;
    }
    loaded.push(parseFactFile(read.text, path, layer));
  }
  const kb = KnowledgeBase.build(loaded);
  for (const p of kb.problems) {
    if (p.severity !== 'error' && p.severity !== 'warning') continue;
    io.stderr(`${displayPath(p.uri, io.cwd)}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message} [${p.code}]\n`);
    if (p.severity === 'error') inputError = true;
  }

  // Drafts.
  const drafts = await resolveDrafts(targets, io.cwd);
  for (const miss of drafts.missing) {
    io.stderr(`policy-facts: ${miss}: no such file, or no drafts (*.md, *.markdown, *.txt) found there\n`);
    inputError = true;
  }
  const reports: FileReport[] = [];
  for (const path of drafts.files) {
    const read = readDraft(path, encoding);
    if (!read.ok) {
      io.stderr(`policy-facts: ${displayPath(path, io.cwd)}: ${read.reason}\n`);
      inputError = true;
      continue;
    }
    if (read.warning) io.stderr(`policy-facts: ${displayPath(path, io.cwd)}: ${read.warning}\n`);
    const result = checkText(kb, read.text, { rules, maxChars });
    reports.push({ path: displayPath(path, io.cwd), text: read.text, result });
  }

  const out =
    format === 'json' ? formatJson(kb, reports) : format === 'sarif' ? formatSarif(reports, version) : formatText(kb, reports, { all: !!values.all });
  io.stdout(out);
  if (inputError) return EXIT_USAGE;
  const bad = reports.some((r) => r.result.findings.some((f) => !f.suppressed && (f.status === 'mismatch' || f.status === 'misattributed' || f.status === 'inconsistent')));
  return bad ? EXIT_FINDINGS : EXIT_OK;
}

function displayPath(p: string, cwd: string): string {
  const norm = p.replace(/\\/g, '/');
  const base = cwd.replace(/\\/g, '/').replace(/\/?$/, '/');
  return norm.startsWith(base) ? norm.slice(base.length) : norm;
}

/** Entry point of the `policy-facts` command. */
export function main(): void {
  run(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), cwd: process.cwd() }, packageVersion()).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`policy-facts: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}

if (require.main === module) main();
