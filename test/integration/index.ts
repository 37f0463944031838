/**
 * Entry point of the integration tests inside VS Code's extension host. VS Code requires this
 * file (its folder is the `extensionTestsPath`) and calls `run()`; a rejected promise means
 * failure. Runs every `*.test.js` under this folder with mocha's `describe/it`, and writes the
 * titles of passed and failed tests to `POLICY_FACTS_TEST_RESULTS` so the runner outside
 * VS Code can print them and the closing "N passed, N failed" line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha = require('mocha');

export interface TestResults {
  readonly passed: string[];
  readonly failed: { title: string; error: string }[];
}

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function run(): Promise<void> {
  const grep = process.env.POLICY_FACTS_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of testFiles(__dirname)) mocha.addFile(file);
  const resultsFile = process.env.POLICY_FACTS_TEST_RESULTS;
  const results: TestResults = { passed: [], failed: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
      else resolve();
    });
    runner.on('pass', (test) => results.passed.push(test.fullTitle()));
    runner.on('fail', (test, err: unknown) => {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.failed.push({ title: test.fullTitle(), error });
    });
  });
}

// ---- helpers for the test files ----------------------------------------------------------------

/**
 * Retries `check` until it neither throws nor returns `false`, for state the workbench
 * updates asynchronously (diagnostics, reloads), and returns its value. After `timeoutMs`
 * the last error is thrown.
 */
export async function waitFor<T>(check: () => T | Promise<T>, { timeoutMs = 10_000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let error: unknown;
    try {
      const value = await check();
      if (value !== false) return value;
      error = new Error(`waitFor: the condition was still false after ${timeoutMs} ms`);
    } catch (e) {
      error = e;
    }
    if (Date.now() > deadline) throw error;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Watches the extension host's event loop from now on: `stop()` gives the longest it went
 * without running a timer due every 5 ms (how long it was held up at once), and how long the
 * watch lasted.
 */
export function watchHoldUps(): { stop(): { longest: number; took: number } } {
  const from = performance.now();
  let last = from;
  let longest = 0;
  let ended: number | undefined;
  const tick = () => {
    if (ended !== undefined) return;
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    setTimeout(tick, 5);
  };
  setTimeout(tick, 5);
  return {
    stop() {
      if (ended === undefined) {
        ended = performance.now();
        longest = Math.max(longest, ended - last);
      }
      return { longest, took: ended - from };
    },
  };
}
