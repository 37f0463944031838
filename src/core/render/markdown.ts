/**
 * Markdown building blocks for hover cards. Everything that comes from a fact file (names,
 * summaries, notes, titles) is untrusted: a fact file is shared like any document, so it
 * must not be able to put a link, an image, HTML or a command into a hover. Text goes
 * through `escapeMarkdown`; links are only ever built here, from ids we encode ourselves.
 */

/** Every character Markdown (CommonMark + GFM) can give a meaning to, plus `&` (entities) and `=` (setext headings). */
const SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~&=]/g;

/** Characters written as entities: no renderer can read them as the start of HTML. */
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** URI schemes that run something when a link is followed. */
const DANGEROUS_SCHEME = /\b(command|javascript|vbscript|data|file)(\s*):/gi;

/**
 * Text as literal Markdown: every Markdown character is backslash-escaped (so no link,
 * image, emphasis, heading, list, table cell break or code span can start), `<` and `>`
 * become `&lt;` and `&gt;` so no HTML can open, `&` cannot form an entity, and `command:` / `javascript:` are broken up
 * so that no renderer can see a scheme in them; bare addresses (`https://…`, `www.`) are broken
 * up too, so GFM autolinking cannot turn them into links.
 */
export function escapeMarkdown(text: string): string {
  return String(text)
    .replace(SPECIAL, (c) => ENTITIES[c] ?? `\\${c}`)
    .replace(DANGEROUS_SCHEME, (_m, scheme: string, space: string) => `${scheme}${space}&#58;`)
    // A bare "https://…" or "www." would become a link by GFM's autolinking.
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/\bwww\\\./gi, (m) => `${m.slice(0, 3)}&#46;`);
}

/** Untrusted text for one line or one table cell: whitespace (including line breaks) collapsed, then escaped. */
export function inline(text: string): string {
  return escapeMarkdown(String(text).replace(/\s+/g, ' ').trim());
}

/** Bold untrusted text. */
export function bold(text: string): string {
  return `**${inline(text)}**`;
}

/** Italic untrusted text. */
export function italic(text: string): string {
  return `*${inline(text)}*`;
}

/**
 * A `command:` URI for a link: the arguments are JSON-encoded, then URI-encoded, which is
 * the form VS Code expects and leaves no character that could end the link early.
 */
export function commandUri(command: string, args: readonly unknown[] = []): string {
  if (!/^[A-Za-z][\w.]*$/.test(command)) throw new Error(`Not a command id: ${command}`);
  if (!args.length) return `command:${command}`;
  // encodeURIComponent leaves ( ) ! ' * as they are; a ")" would end the Markdown link.
  const query = encodeURIComponent(JSON.stringify(args)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `command:${command}?${query}`;
}

/** A link that runs one of our commands; `label` is untrusted text, `tooltip` too. */
export function commandLink(label: string, command: string, args: readonly unknown[] = [], tooltip?: string): string {
  const title = tooltip ? ` "${inline(tooltip).replace(/"/g, '\\"')}"` : '';
  return `[${inline(label)}](${commandUri(command, args)}${title})`;
}

/** A web link, only for plain http(s) addresses; anything else is shown as text. */
export function webLink(label: string, url: string | undefined): string {
  if (!url || !/^https?:\/\/[^\s<>()[\]"'`\\]+$/i.test(url)) return inline(label);
  return `[${inline(label)}](${url})`;
}

/** One table cell: untrusted text, or a dash when there is none. */
export function cell(text: string | undefined): string {
  return text && text.trim() ? inline(text) : '—';
}

/** A Markdown table from already-rendered cells (cells must not contain line breaks). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\r?\n/g, ' ')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** "a, b, c +2 more": at most `max` items, with a count of the rest. */
export function capList(items: readonly string[], max: number, separator = ', '): string {
  if (items.length <= max) return items.join(separator);
  return `${items.slice(0, max).join(separator)} *+${items.length - max} more*`;
}
