/**
 * Runs the same integration tests in desktop VS Code through @vscode/test-electron.
 *   VSCODE_EXECUTABLE_PATH=<path to the VS Code executable> npm run test:desktop
 * VS Code is not downloaded: the executable must be given. Prints "N passed, N failed".
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import type { TestResults } from '../integration/index';

const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
  if (!vscodeExecutablePath) {
    console.error(
      'test:desktop needs a desktop VS Code (1.100 or later): set VSCODE_EXECUTABLE_PATH to its executable ' +
        '(e.g. the `code` binary of an installed VS Code). It is not downloaded. ' +
        'Without one, `npm run test:integration` runs the same tests in code-server.',
    );
    return 2;
  }
  if (!fs.existsSync(vscodeExecutablePath)) {
    console.error(`VSCODE_EXECUTABLE_PATH does not exist: ${vscodeExecutablePath}`);
    return 2;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-facts-desktop-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const resultsFile = path.join(tmp, 'results.json');
  let code: number;
  try {
    code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration'),
      extensionTestsEnv: { POLICY_FACTS_TEST_RESULTS: resultsFile },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(tmp, 'user-data')}`,
      ],
    });
  } catch (e) {
    console.error(`VS Code could not run the tests: ${e instanceof Error ? e.message : String(e)}`);
    code = 1;
  }
  let passed = 0;
  let failed = 0;
  if (fs.existsSync(resultsFile)) {
    const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as TestResults;
    passed = r.passed.length;
    failed = r.failed.length;
  }
  if (code !== 0 && failed === 0) failed = 1;
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  return code === 0 && failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
