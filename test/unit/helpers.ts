import * as fs from 'node:fs';
import * as path from 'node:path';
import { KnowledgeBase, parseFactFile, type LoadedFactFile, type Steps } from '../../src/core';

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

/** A fixed-seed generator of numbers in [0, 1), so a failure can be replayed. */
export function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 4294967296;
  };
}

/** Up to `most` of `pieces` in a random order, most of them followed by a space. */
export function randomText(random: () => number, pieces: readonly string[], most: number, spaced = 0.7): string {
  const parts: string[] = [];
  for (let k = Math.floor(random() * most); k > 0; k--) parts.push(pieces[Math.floor(random() * pieces.length)], random() < spaced ? ' ' : '');
  return parts.join('');
}

/** A random range of a text of `length`: from its start or anywhere, to its end or anywhere after. */
export function randomRange(random: () => number, length: number): [number, number] {
  const from = random() < 0.5 ? 0 : Math.floor(random() * length);
  const to = random() < 0.5 ? length : from + Math.floor(random() * (length - from + 1));
  return [from, to];
}

/** Runs steps to their end, counting the pauses; `between` runs at each pause. */
export function runCounting<T>(steps: Steps<T>, between?: () => void): { pauses: number; result: T } {
  let pauses = 0;
  let step = steps.next();
  for (; !step.done; step = steps.next()) {
    pauses++;
    between?.();
  }
  return { pauses, result: step.value };
}
