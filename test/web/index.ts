/**
 * Entry point of the tests inside VS Code for the web's extension host, a browser web worker.
 * There is no Node there (no `process`, no `fs`, no `require` but of `vscode`), so this file is
 * bundled with mocha's browser build and every test file into one script
 * (scripts/bundle-web-tests.mjs); VS Code evaluates it and calls `run()`, and a rejected promise
 * means failure. Mocha's report and the titles of passed and failed tests go to the console,
 * which VS Code hands to the runner outside (test/e2e/run-tests.mjs --web); the titles on one
 * line that starts with `RESULTS_PREFIX`.
 */
import './setup';
import './startup.test';
import './navigation.test';
import './checking.test';

/** Starts the line with the results; test/e2e/run-tests.mjs looks for the same text. */
export const RESULTS_PREFIX = 'policy-facts-web-test-results ';

export interface TestResults {
  readonly passed: string[];
  readonly failed: { title: string; error: string }[];
}

export function run(): Promise<void> {
  const results: TestResults = { passed: [], failed: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log('%s%s', RESULTS_PREFIX, JSON.stringify(results));
      if (failures > 0) reject(new Error(`${failures} web test(s) failed.`));
      else resolve();
    });
    runner.on('pass', (test) => results.passed.push(test.fullTitle()));
    runner.on('fail', (test, err: unknown) => {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.failed.push({ title: test.fullTitle(), error });
    });
  });
}
