/**
 * The few assertions the web tests need. The web worker extension host has no `node:assert`,
 * and these compare plain values only (strings, numbers, arrays and objects of them).
 */

export class AssertionError extends Error {
  override name = 'AssertionError';
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** Throws unless `value` is truthy; narrows its type like `node:assert`'s `ok`. */
export function ok(value: unknown, message?: string): asserts value {
  if (!value) throw new AssertionError(message ?? `expected a truthy value, got ${show(value)}`);
}

/** Strict equality (`===`). */
export function equal<T>(actual: T, expected: T, message?: string): void {
  if (actual !== expected) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`);
}

/** Equality of plain values, compared as JSON with keys in any order. */
export function deepEqual<T>(actual: T, expected: T, message?: string): void {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]))
        : v;
  const a = JSON.stringify(canonical(actual));
  const e = JSON.stringify(canonical(expected));
  if (a !== e) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${e}, got ${a}`);
}

/** Throws unless `text` matches `pattern`. */
export function match(text: string, pattern: RegExp, message?: string): void {
  if (!pattern.test(text)) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${pattern} to match ${show(text.slice(0, 500))}`);
}
