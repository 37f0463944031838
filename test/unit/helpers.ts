import * as fs from 'node:fs';
import * as path from 'node:path';
import { KnowledgeBase, parseFactFile, type LoadedFactFile } from '../../src/core';

/** The project root, from out/test/unit or test/unit. */
export const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

export function fixture(...parts: string[]): string {
  return path.join(ROOT, 'test', 'fixtures', ...parts);
}

export function loadFixture(name: string, layer: 'bundled' | 'workspace' = 'workspace'): LoadedFactFile {
  const file = fixture('facts', name);
  return parseFactFile(fs.readFileSync(file, 'utf8'), file, layer);
}

export function testKb(): KnowledgeBase {
  return KnowledgeBase.build([loadFixture('valid.facts.yaml', 'bundled')]);
}

/**
 * Marked test strings: `[...]` marks an expected span. Returns the plain text and the spans.
 * Use `\\[` for a literal bracket.
 */
export function marked(s: string): { text: string; spans: { start: number; end: number; text: string }[] } {
  let text = '';
  const spans: { start: number; end: number; text: string }[] = [];
  let open = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && (s[i + 1] === '[' || s[i + 1] === ']')) {
      text += s[++i];
    } else if (c === '[') open = text.length;
    else if (c === ']' && open >= 0) {
      spans.push({ start: open, end: text.length, text: text.slice(open) });
      open = -1;
    } else text += c;
  }
  return { text, spans };
}
