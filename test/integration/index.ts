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

export { waitFor, watchHoldUps } from './wait';
