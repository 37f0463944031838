// Runs the integration tests (out/test/integration) inside a real VS Code: code-server's
// Node extension host, with this project loaded as the extension under development and the
// fixture workspace open, driven by headless Chromium. Exit code = the test result; the
// last line is "N passed, N failed".
//   node test/e2e/run-tests.mjs [--web] [--grep <text>] [--timeout <seconds>] [--keep]
// --web runs the tests of VS Code for the web instead (test/web, bundled first into
// out/web-tests/index.js by scripts/bundle-web-tests.mjs) in the browser's web worker
// extension host, where the extension runs from dist/web/extension.js.
// Needs `npm run build`; installs code-server and Chromium first if they are missing
// (`npm run setup:e2e` does only that). E2E_VERBOSE=1 echoes server output
// and the browser console.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import {
  ROOT,
  ensureInstalled,
  extensionHostLogTail,
  launchBrowser,
  log,
  remoteUri,
  startServer,
  webWorkerHostSettings,
  workbenchUrl,
  workerLogTail,
} from './lib.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const timeoutS = Number(arg('--timeout') ?? 300);
const grep = arg('--grep');
const keepLogs = process.argv.includes('--keep');
const web = process.argv.includes('--web');
/** Starts the line test/web/index.ts logs with the titles of passed and failed tests. */
const WEB_RESULTS_PREFIX = 'policy-facts-web-test-results ';

const extensionDevelopmentPath = ROOT;
// The web worker extension host fetches `<extensionTestsPath>.js`, a file inside the extension.
const extensionTestsPath = web ? path.join(ROOT, 'out', 'web-tests', 'index') : path.join(ROOT, 'out', 'test', 'integration');
const fixtureWorkspace = path.join(ROOT, 'test', 'fixtures', 'workspace');
for (const [file, what] of web
  ? [[path.join(ROOT, 'dist', 'web', 'extension.js'), 'the bundled extension for the web']]
  : [
      [path.join(ROOT, 'dist', 'extension.js'), 'the bundled extension'],
      [path.join(extensionTestsPath, 'index.js'), 'the compiled integration tests'],
    ]) {
  if (!fs.existsSync(file)) {
    console.error(`${path.relative(ROOT, file)} is missing (${what}): run \`npm run build\` first`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
if (web) {
  try {
    const { bundleWebTests } = await import('../../scripts/bundle-web-tests.mjs');
    const { outfile, bytes } = await bundleWebTests({ grep: grep ?? '' });
    log(`bundled the web tests: ${path.relative(ROOT, outfile)} ${(bytes / 1024).toFixed(0)} KB`);
  } catch (e) {
    console.error(`bundling the web tests failed: ${e instanceof Error ? e.message : e}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

if (!ensureInstalled()) {
  console.error('installing code-server failed; see above, or run `npm run setup:e2e`');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const t0 = Date.now();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-facts-e2e-'));
const resultsFile = path.join(tmp, 'results.json');
// Tests edit fact files and settings: they get a copy of the fixture workspace, so the
// fixtures in the project never change.
const workspace = path.join(tmp, 'workspace');
fs.cpSync(fixtureWorkspace, workspace, { recursive: true });
let server;
let browser;
let finishing = false;
/** --web: the results test/web/index.ts logged, and the worker's logs handed to codeAutomationExit. */
let webResults;
let workerLogs;

/** The first `n` lines of `text`. */
const firstLines = (text, n) => String(text ?? '').split('\n').slice(0, n).join('\n');
/** `text` with every line indented by `pad`. */
const indent = (text, pad) => text.split('\n').map((line) => pad + line).join('\n');

/** Prints the results and the closing line, cleans up, exits with `code`. */
async function finish(code, why) {
  if (finishing) return;
  finishing = true;
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  log(`${why} after ${seconds} s`);
  let passed = 0;
  let failed = 0;
  let failures = '';
  if (web ? webResults : fs.existsSync(resultsFile)) {
    const r = web ? webResults : JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    // Printed last, after the logs, so the end of the output says which test failed and why.
    if (r.failed.length) {
      failures = `failed:\n${r.failed.map((t) => `  ✗ ${t.title}\n${indent(firstLines(t.error, 12), '      ')}`).join('\n')}`;
    }
    passed = r.passed.length;
    failed = r.failed.length;
  }
  if (code !== 0 && failed === 0) failed = 1; // the run itself failed (crash, timeout)
  if (code === 0 && passed + failed === 0) {
    // Nothing ran (no results reported, or --grep matched nothing): not a pass.
    console.log('no test ran');
    code = 1;
    failed = 1;
  }
  if (code !== 0 && server) {
    // The web worker's logs live in the browser: the workbench hands them over on exit.
    console.log(web && workerLogs ? workerLogTail(workerLogs) : extensionHostLogTail(server.tmp));
    console.log(keepLogs ? `logs kept in ${server.tmp}` : 'rerun with --keep to keep all logs');
  }
  try {
    await browser?.close();
  } catch {
    // already closed
  }
  await server?.stop(keepLogs);
  if (!keepLogs) fs.rmSync(tmp, { recursive: true, force: true });
  if (failures) console.log(failures);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
}

process.on('SIGINT', () => void finish(130, 'interrupted'));
process.on('SIGTERM', () => void finish(143, 'terminated'));
setTimeout(() => void finish(124, `TIMEOUT: no result within ${timeoutS} s`), timeoutS * 1000).unref();

try {
  // The extension host is a child of the server, so this environment reaches the tests.
  // The web worker extension host has no environment: --grep is in the test bundle instead.
  server = await startServer({
    tmp,
    env: { POLICY_FACTS_TEST_RESULTS: resultsFile, ...(grep ? { POLICY_FACTS_TEST_GREP: grep } : {}) },
    ...(web ? { settings: webWorkerHostSettings() } : {}),
  });
  server.proc.on('exit', (c) => void finish(1, `code-server exited unexpectedly (${c})`));
  const launched = await launchBrowser();
  browser = launched.browser;
  const { page } = launched;
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  page.on('crash', () => void finish(1, 'the browser page crashed'));
  if (process.env.E2E_VERBOSE) page.on('console', (m) => console.log('[console]', m.type(), m.text()));
  // The web workbench calls these when it runs extension tests; expose them BEFORE loading it.
  if (web) {
    // From the web worker, console calls arrive as their arguments, printf style.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (text.startsWith(WEB_RESULTS_PREFIX)) webResults = JSON.parse(text.slice(WEB_RESULTS_PREFIX.length));
      else (console[type] || console.log)(text);
    });
  } else {
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      (console[type] || console.log)(...args); // mocha's reporter output from the extension host
    });
  }
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    workerLogs = logs;
    return finish(code, `the extension host finished the tests (exit code ${code})`);
  });
  const target = workbenchUrl(server, {
    folder: workspace,
    payload: [
      ['extensionDevelopmentPath', remoteUri(server.host, extensionDevelopmentPath)],
      ['extensionTestsPath', remoteUri(server.host, extensionTestsPath)],
      ['skipWelcome', 'true'],
    ],
  });
  log(`opening the workbench on a copy of ${path.relative(ROOT, fixtureWorkspace)}${web ? ', the extension in the web worker extension host' : ''}`);
  await page.goto(target);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  await finish(1, 'the test run could not start');
}
