/**
 * A file's bytes as text, as an editor would open it: UTF-8, or UTF-16 when the file starts
 * with its byte-order mark (Windows Notepad's "Unicode"); a byte-order mark is not part of the
 * text. A file with NUL bytes and no UTF-16 mark is taken for a binary file and not read;
 * bytes that are not valid UTF-8 are read as "\uFFFD" and said so. Used by the command line
 * and by the editor for files that are not open (drafts, workspace fact files), so both read a
 * file the same way.
 */
export type DecodedText = { readonly ok: true; readonly text: string; readonly warning?: string } | { readonly ok: false; readonly reason: string };

interface Decoder {
  decode(bytes: Uint8Array): string;
}
type DecoderClass = new (label: string, options?: { fatal?: boolean }) => Decoder;

/** How much of the start of a file is looked at for NUL bytes. */
const PROBE_BYTES = 8192;

export function decodeText(bytes: Uint8Array): DecodedText {
  const Decoder = (globalThis as unknown as { TextDecoder: DecoderClass }).TextDecoder;
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) {
    // The decoder drops the mark itself.
    const text = new Decoder(utf16).decode(bytes);
    if (bytes.length % 2 === 0 && !text.includes('\ufffd')) return { ok: true, text };
    return { ok: true, text, warning: `is not valid ${utf16 === 'utf-16le' ? 'UTF-16 (little-endian)' : 'UTF-16 (big-endian)'}: ${count(text, '\ufffd')} sequence(s) were read as "\ufffd"; figures next to them may be missed` };
  }
  if (bytes.subarray(0, PROBE_BYTES).includes(0)) return { ok: false, reason: 'looks like a binary file (it contains NUL bytes), so it was not read' };
  try {
    return { ok: true, text: withoutMark(new Decoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    const text = withoutMark(new Decoder('utf-8').decode(bytes));
    return { ok: true, text, warning: `is not valid UTF-8: ${count(text, '\ufffd')} byte sequence(s) were read as "\ufffd"; figures next to them may be missed` };
  }
}

function withoutMark(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function count(text: string, unit: string): number {
  let n = 0;
  for (let i = text.indexOf(unit); i >= 0; i = text.indexOf(unit, i + 1)) n++;
  return n;
}
