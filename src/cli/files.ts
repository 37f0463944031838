/**
 * File handling for the CLI: which files a path, folder or glob names, and reading them as
 * text with clear reasons when they cannot be (binary, not UTF-8, too large). Never writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { decodeText, type DecodedText } from '../core';

export const DRAFT_EXTENSIONS = ['.md', '.markdown', '.txt'];
export const FACT_EXTENSIONS = ['.yaml', '.yml'];
/** Drafts larger than this are refused rather than read into memory. */
export const MAX_DRAFT_BYTES = 256 * 1024 * 1024;

const IGNORED_DIRS = new Set(['node_modules', '.git', 'out', 'dist']);

/** The folder holding package.json of policy-facts (works from out/ and from the bundle). */
export function packageRoot(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'policy-facts') return dir;
      } catch {
        /* keep looking */
      }
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

export function bundledSeedsDir(): string | undefined {
  const root = packageRoot();
  const dir = root && path.join(root, 'seeds');
  return dir && fs.existsSync(dir) ? dir : undefined;
}

export function packageVersion(): string {
  const root = packageRoot();
  try {
    return root ? (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function walk(dir: string, exts: readonly string[], out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!IGNORED_DIRS.has(e.name)) walk(p, exts, out);
    } else if (e.isFile() && exts.includes(path.extname(e.name).toLowerCase())) out.push(p);
  }
}

async function resolve(specs: readonly string[], cwd: string, exts: readonly string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const spec of specs) {
    const abs = path.resolve(cwd, spec);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = undefined;
    }
    const before = files.length;
    if (stat?.isFile()) files.push(abs);
    else if (stat?.isDirectory()) walk(abs, exts, files);
    else if (/[*?[\]{}]/.test(spec)) {
      const hits = await glob(spec, { cwd, absolute: true, ignore: ['**/node_modules/**', '**/.git/**'] });
      files.push(...hits.filter((h) => exts.includes(path.extname(h).toLowerCase())).sort());
    }
    if (files.length === before) missing.push(spec);
  }
  return { files: [...new Set(files)], missing };
}

export async function resolveFactFiles(specs: readonly string[], cwd: string): Promise<string[]> {
  return (await resolve(specs, cwd, FACT_EXTENSIONS)).files;
}

export function resolveDrafts(specs: readonly string[], cwd: string): Promise<{ files: string[]; missing: string[] }> {
  return resolve(specs, cwd, DRAFT_EXTENSIONS);
}

export type ReadResult = DecodedText;

/**
 * Read a file as text (see `decodeText`: `encoding` for a file without a byte-order mark);
 * binary files and unreadable files get a reason instead.
 */
export function readTextFile(file: string, maxBytes = MAX_DRAFT_BYTES, encoding?: string): ReadResult {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (e) {
    return { ok: false, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  if (size > maxBytes) return { ok: false, reason: `is ${(size / 1048576).toFixed(0)} MB; files over ${maxBytes / 1048576} MB are not read` };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { ok: false, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  return decodeText(bytes, encoding);
}

/** A draft: as `readTextFile`, in `encoding` when it has no byte-order mark (default UTF-8). */
export function readDraft(file: string, encoding?: string): ReadResult {
  return readTextFile(file, MAX_DRAFT_BYTES, encoding);
}
