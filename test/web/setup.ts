/**
 * Loads mocha's browser build and sets up `describe/it` as globals. Imported by index.ts before
 * any test file, so the tests find them when they are evaluated.
 */
import 'mocha/mocha.js';

/** `--grep` of the runner, set when the tests are bundled (scripts/bundle-web-tests.mjs). */
declare const POLICY_FACTS_WEB_TEST_GREP: string;

mocha.setup({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
if (POLICY_FACTS_WEB_TEST_GREP) mocha.grep(POLICY_FACTS_WEB_TEST_GREP);
