// Start a real VS Code (code-server: VS Code's server with the real Node extension host and
// the web workbench) on 127.0.0.1 with auth and telemetry off, and drive it with Debian's
// Chromium through playwright-core. Installed by scripts/install-code-server.sh.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CS_VERSION = process.env.CS_VERSION || '4.100.3';
export const CODE_SERVER_DIR =
  process.env.CODE_SERVER_DIR || path.join(os.homedir(), '.cache', 'policy-facts-e2e', `code-server-${CS_VERSION}`);
const CS_PKG = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CS_PKG, 'out', 'node', 'entry.js');
export let CHROMIUM = findChromium();
function findChromium() {
  return process.env.CHROMIUM_PATH || which('chromium') || which('chromium-browser') || 'chromium';
}

/** The first executable called `name` on PATH. */
function which(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const log = (...args) => console.log(`[e2e ${new Date().toISOString().slice(11, 23)}]`, ...args);

/** User settings of the test instance: quiet, deterministic, no network. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 200,
  'git.enabled': false,
};

/**
 * Installs code-server and Chromium (scripts/install-code-server.sh) when either is missing,
 * so that the first `npm test` on a machine sets itself up. Returns false if that failed.
 */
export function ensureInstalled() {
  if (fs.existsSync(CODE_SERVER_ENTRY) && fs.existsSync(path.join(CODE_SERVER_DIR, '.installed')) && fs.existsSync(CHROMIUM)) {
    return true;
  }
  log('code-server or Chromium is missing: running scripts/install-code-server.sh (once, about 90 s)');
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-code-server.sh')], { stdio: 'inherit' });
  CHROMIUM = findChromium();
  return r.status === 0;
}

/**
 * Starts code-server. Everything it writes (config, user data, extensions, logs, temp files)
 * goes under `tmp` (a fresh temp dir unless given), removed by `stop()` unless `keep`. `port`: the
 * port to listen on (default any free one); VS Code keys a workspace's storage by the server's
 * address too, so two starts that must share it need the same port.
 * Resolves once the server listens: `{ url, host, proc, tmp, stop(keep) }`.
 */
export async function startServer({ tmp, env = {}, settings = {}, port = 0 } = {}) {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed (${CODE_SERVER_ENTRY} is missing): run \`npm run setup:e2e\` first`);
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`npm run setup:e2e\` first (or set CHROMIUM_PATH)`);
  }
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'policy-facts-e2e-'));
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  // code-server keeps user settings on the server's disk, so they can be written up front.
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  // Own config file: otherwise code-server writes ~/.config/code-server/config.yaml.
  const configFile = path.join(tmp, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  // Private TMPDIR: VS Code leaves sockets and caches in it; stop() removes them with the rest.
  const serverTmp = path.join(tmp, 't');
  fs.mkdirSync(serverTmp, { recursive: true });

  const args = [
    CODE_SERVER_ENTRY,
    '--config', configFile,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--bind-addr', `127.0.0.1:${port}`, // loopback only, any free port unless one is given
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  const t0 = Date.now();
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, TMPDIR: serverTmp, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stop() ends the server, the extension host and the rest
  });
  const serverLog = fs.createWriteStream(path.join(tmp, 'server.log'));
  proc.stdout.pipe(serverLog);
  proc.stderr.pipe(serverLog);
  let exited = false;
  proc.on('exit', () => (exited = true));
  const killGroup = (signal) => {
    try {
      process.kill(-proc.pid, signal);
    } catch {
      // already gone
    }
  };
  process.on('exit', () => killGroup('SIGKILL'));

  const url = await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (d) => {
      output += d.toString();
      if (process.env.E2E_VERBOSE) process.stderr.write(d);
      const m = output.match(/HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(`${m[1]}/`);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited early (${code}):\n${output}`));
    });
  });
  log(`code-server ${CS_VERSION} up at ${url} in ${Date.now() - t0} ms`);
  const host = new URL(url).host; // "127.0.0.1:PORT", the remote authority the workbench uses

  /** Ends the whole process group, waits for the server to exit, then removes tmp unless keep. */
  const stop = async (keep = false) => {
    killGroup('SIGTERM');
    for (let i = 0; i < 50 && !exited; i++) await new Promise((r) => setTimeout(r, 100));
    killGroup('SIGKILL'); // stragglers: extension host, pty host, file watcher
    if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  };
  return { url, host, proc, tmp, stop };
}

/** The `vscode-remote:` URI of a path on the server (payload entries must be URIs). */
export const remoteUri = (host, p) => `vscode-remote://${host}${path.resolve(p)}`;

/**
 * Workbench URL: `folder` is the server path of the workspace; `payload` is a list of
 * [key, value] pairs (extensionDevelopmentPath, extensionTestsPath, openFile as vscode-remote
 * URIs; skipWelcome), the same query VS Code's own browser integration tests use.
 */
export function workbenchUrl({ url }, { folder, payload = [] }) {
  const q = new URLSearchParams();
  if (folder) q.set('folder', path.resolve(folder));
  if (payload.length) q.set('payload', JSON.stringify(payload));
  return `${url}?${q}`;
}

/** Headless Debian Chromium through playwright-core (no browser download). `scale`: device pixels per CSS pixel. */
export async function launchBrowser({ width = 1280, height = 800, scale = 1 } = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale });
  const page = await context.newPage();
  return { browser, context, page };
}

/** The last `lines` lines of the newest extension host log under a user-data dir. */
export function extensionHostLogTail(tmp, lines = 60) {
  const logsDir = path.join(tmp, 'user-data', 'logs');
  const found = [];
  const walk = (dir) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^(remoteexthost|exthost)\.log$/.test(e.name) || /Policy Facts\.log$/.test(e.name)) found.push(p);
    }
  };
  walk(logsDir);
  return found
    .map((file) => {
      const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      return `--- ${path.relative(tmp, file)} (last ${Math.min(lines, text.length)} lines)\n${text.slice(-lines).join('\n')}`;
    })
    .join('\n');
}

/** `publisher.name` of the extension under development, from package.json. */
export function extensionId(root = ROOT) {
  const { publisher, name } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return `${publisher}.${name}`;
}

/**
 * User settings that run the extension under development in the web worker extension host (the
 * one of VS Code for the web) instead of the server's Node one. VS Code 1.100 ignores the
 * `extensionDevelopmentKind` entry of the workbench URL's payload; this setting it follows.
 */
export const webWorkerHostSettings = (root = ROOT) => ({ 'remote.extensionKind': { [extensionId(root)]: ['web'] } });

/**
 * The last `lines` lines of the logs the workbench hands to `codeAutomationExit` (its second
 * argument: `{ relativePath, contents }[]`): those of the web worker extension host and of the
 * extension's own output channel, which exist only in the browser, never on the server's disk.
 */
export function workerLogTail(logs, lines = 60) {
  return (Array.isArray(logs) ? logs : [])
    .filter((l) => /exthost|extension ?host|Policy Facts/i.test(l?.relativePath ?? ''))
    .map((l) => {
      const text = String(l.contents ?? '').trimEnd().split('\n');
      return `--- ${l.relativePath} (last ${Math.min(lines, text.length)} lines)\n${text.slice(-lines).join('\n')}`;
    })
    .join('\n');
}
