// Runs the TextMate grammar tests (test/grammar/*.test.md|txt) with vscode-tmgrammar-test,
// against VS Code's own Markdown grammar (from tm-grammars) and our grammars from package.json.
// The Markdown grammar embeds dozens of languages we do not load; the tool warns once for each
// ("grammar not found"), which is noise here, so those lines are dropped and the rest is kept.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(path.dirname(require.resolve('vscode-tmgrammar-test/package.json')), 'dist', 'unit.js');
const markdown = require.resolve('tm-grammars/grammars/markdown.json');

const child = spawn(process.execPath, [cli, '--config', 'package.json', '-g', path.relative(root, markdown), 'test/grammar/*.test.{md,txt}'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'pipe'],
});
let pending = '';
child.stderr.setEncoding('utf8');
child.stderr.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) if (!/^grammar not found for "/.test(line)) process.stderr.write(`${line}\n`);
});
child.on('close', (code) => {
  if (pending && !/^grammar not found for "/.test(pending)) process.stderr.write(pending);
  process.exit(code ?? 1);
});
