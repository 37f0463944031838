/** A file's text, or why it was not read; with a warning when part of it could not be read. */
export type DecodedText = { readonly ok: true; readonly text: string; readonly warning?: string } | { readonly ok: false; readonly reason: string };

interface Decoder {
  readonly encoding: string;
  decode(bytes: Uint8Array): string;
}
type DecoderClass = new (label: string, options?: { fatal?: boolean }) => Decoder;

/** How much of the start of a file is looked at for zero bytes (as VS Code looks). */
const PROBE_BYTES = 512;

const NAMES: Record<string, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 (little-endian)', 'utf-16be': 'UTF-16 (big-endian)' };

/**
 * A file's bytes as text, as VS Code opens it by default: UTF-8; UTF-16 when the file starts
 * with its byte-order mark (Windows Notepad's "Unicode"), or, without one, when its first 512
 * bytes hold zeros only where UTF-16 of plain text has them; a byte-order mark is not part of the
 * text. A file with other zero bytes is taken for a binary file and not read; bytes that are
 * not valid text are read as "\uFFFD" and said so. Used by the command line and by the editor
 * for files that are not open (drafts, workspace fact files), so both read a file the same way.
 *
 * `encoding` (a label `TextDecoder` knows, such as "windows-1252"; see `checkEncoding`) is what
 * a file without a byte-order mark is read as, in place of UTF-8, as VS Code's `files.encoding`
 * does: for drafts saved by older programs. A file with a mark, or in UTF-16, is read as that.
 */
export function decodeText(bytes: Uint8Array, encoding = 'utf-8'): DecodedText {
  if (bytes.length >= 4 && ((bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff))) {
    return { ok: false, reason: 'is UTF-32, which is not read; save it as UTF-8' };
  }
  const found = byMark(bytes) ?? byZeros(bytes);
  if (!found) return { ok: false, reason: 'looks like a binary file (it contains NUL bytes), so it was not read' };
  let chosen = found;
  if (found === 'utf-8' && !hasUtf8Mark(bytes) && encoding !== 'utf-8') {
    const named = canonicalEncoding(encoding);
    if (!named) return { ok: false, reason: `was not read: ${unknownEncoding(encoding)}` };
    chosen = named;
  }
  const Decoder = textDecoder();
  try {
    // (The decoder drops a byte-order mark itself, and only one.)
    return { ok: true, text: new Decoder(chosen, { fatal: true }).decode(bytes) };
  } catch {
    const text = new Decoder(chosen).decode(bytes);
    const bad = Math.max(1, replacementCount(text) - writtenReplacements(bytes, chosen));
    const what = chosen === 'utf-8' ? 'byte sequence(s)' : 'sequence(s)';
    return { ok: true, text, warning: `is not valid ${NAMES[chosen] ?? chosen}: ${bad} ${what} were read as "\ufffd"; figures next to them may be missed` };
  }
}

/** Why files cannot be read in `encoding` (not a label `TextDecoder` knows), or undefined when they can. */
export function checkEncoding(encoding: string): string | undefined {
  return canonicalEncoding(encoding) ? undefined : unknownEncoding(encoding);
}

function unknownEncoding(encoding: string): string {
  return `"${encoding}" is not a text encoding this program knows (such as utf-8, utf-16le or windows-1252)`;
}

/** The encoding's own name for a label ("latin1" → "windows-1252"), or undefined when there is no such encoding. */
function canonicalEncoding(label: string): string | undefined {
  try {
    return new (textDecoder())(label).encoding;
  } catch {
    return undefined;
  }
}

function textDecoder(): DecoderClass {
  return (globalThis as unknown as { TextDecoder: DecoderClass }).TextDecoder;
}

function hasUtf8Mark(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function byMark(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * UTF-8 when the start of the file has no zero byte; UTF-16 when every other byte of it is zero
 * (plain text in UTF-16 without a mark); else undefined (binary).
 */
function byZeros(bytes: Uint8Array): string | undefined {
  let zeros = false;
  let le = true;
  let be = true;
  for (let i = 0, n = Math.min(bytes.length, PROBE_BYTES); i < n; i++) {
    const zero = bytes[i] === 0;
    if (zero) zeros = true;
    const odd = i % 2 === 1;
    if (odd !== zero) le = false;
    if (odd === zero) be = false;
    if (zero && !le && !be) return undefined;
  }
  if (!zeros) return 'utf-8';
  return le ? 'utf-16le' : be ? 'utf-16be' : undefined;
}

/** How many "\uFFFD" a text holds. */
export function replacementCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) n++;
  return n;
}

/** How many "\uFFFD" the file itself writes (EF BF BD in UTF-8, FD FF or FF FD in UTF-16), so as not to count them as damage. */
function writtenReplacements(bytes: Uint8Array, encoding: string): number {
  if (encoding !== 'utf-8' && encoding !== 'utf-16le' && encoding !== 'utf-16be') return 0;
  let n = 0;
  if (encoding === 'utf-8') {
    for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) n++;
    return n;
  }
  const [first, second] = encoding === 'utf-16le' ? [0xfd, 0xff] : [0xff, 0xfd];
  for (let i = 0; i + 1 < bytes.length; i += 2) if (bytes[i] === first && bytes[i + 1] === second) n++;
  return n;
}
