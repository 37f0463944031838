// Screenshots for the docs, taken in a real VS Code (code-server + headless Chromium) with this
// project loaded as the extension under development, on a copy of the fixture workspace:
//   docs/hover.png     the hover card on a programme named in a draft (Adoption Support Fund)
//   docs/sidebar.png   the Policy Facts sidebar: "In this draft" and "Knowledge base"
//   docs/problems.png  the Problems panel after "Policy Facts: Check Figures"
//   node test/e2e/screenshots.mjs [outDir]      (needs `npm run build` and `npm run setup:e2e`)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, launchBrowser, log, remoteUri, startServer, workbenchUrl } from './lib.mjs';

const outDir = path.resolve(process.argv[2] || path.join(ROOT, 'docs'));
const WIDTH = 1360;
const HEIGHT = 820;
/** Pixels per CSS pixel: sharp text in the docs. */
const SCALE = 2;
const DRAFT = path.join('drafts', 'checking-briefing.md');

if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) {
  console.error('dist/extension.js is missing: run `npm run build` first');
  process.exit(1);
}
fs.mkdirSync(outDir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-facts-shots-'));
const workspace = path.join(tmp, 'workspace');
fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
// The broken fact file is there for the tests of fact-file problems; here it would only crowd the Problems panel.
fs.rmSync(path.join(workspace, 'broken.facts.yaml'), { force: true });

const t0 = Date.now();
const server = await startServer({
  tmp: path.join(tmp, 'server'),
  settings: {
    'editor.fontSize': 15,
    'editor.lineHeight': 22,
    'editor.wordWrap': 'on',
    'editor.lightbulb.enabled': 'off',
    'editor.renderWhitespace': 'none',
    'workbench.editor.enablePreview': false,
    'workbench.layoutControl.enabled': false,
    'workbench.activityBar.location': 'default',
    'window.commandCenter': false,
    'breadcrumbs.enabled': false,
    'markdown.validate.enabled': false,
    'problems.defaultViewMode': 'tree',
  },
});
const { browser } = await launchBrowser({ width: WIDTH, height: HEIGHT });
const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: SCALE });
const page = await context.newPage();
let failed = false;

/** Runs a command through the command palette by its full title. */
async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  // The exact title, not a longer one that starts with it.
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const label = (await rows.nth(i).getAttribute('aria-label')) ?? '';
    if (label === title || label.startsWith(`${title},`)) {
      await rows.nth(i).click();
      return;
    }
  }
  await row.click();
}

/** Pixel box of `word` in the editor line that contains it (a DOM Range over the text). */
async function wordBox(lineText, word) {
  const line = page.locator('.monaco-editor .view-lines .view-line', { hasText: lineText }).first();
  await line.waitFor({ state: 'visible', timeout: 60_000 });
  const box = await line.evaluate((el, w) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let text = '';
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push([n, text.length]);
      text += n.textContent;
    }
    const at = text.replace(/\u00a0/g, ' ').indexOf(w);
    if (at < 0) return null;
    const locate = (offset) => {
      for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
      return [nodes[0][0], 0];
    };
    const r = document.createRange();
    r.setStart(...locate(at));
    r.setEnd(...locate(at + w.length));
    const b = r.getBoundingClientRect();
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  }, word);
  if (!box) throw new Error(`“${word}” is not on the line “${lineText}”`);
  return box;
}

const clamp = (clip) => {
  const x = Math.max(0, Math.floor(clip.x));
  const y = Math.max(0, Math.floor(clip.y));
  return { x, y, width: Math.min(WIDTH - x, Math.ceil(clip.width)), height: Math.min(HEIGHT - y, Math.ceil(clip.height)) };
};

async function dismissNotifications() {
  await page.keyboard.press('Escape');
  await runCommand('Notifications: Clear All Notifications');
  await page.locator('.notification-toast-container .notification-toast').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
}

try {
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(
    workbenchUrl(server, {
      folder: workspace,
      payload: [
        ['extensionDevelopmentPath', remoteUri(server.host, ROOT)],
        ['openFile', remoteUri(server.host, path.join(workspace, DRAFT))],
        ['skipWelcome', 'true'],
      ],
    }),
  );

  // 1) The hover card on a programme named in the draft. -----------------------------------------
  const target = await wordBox('Adoption Support Fund has made', 'Adoption Support Fund');
  log(`the draft is open after ${Date.now() - t0} ms`);
  // The card appears once the extension has activated and loaded the facts: move again until it does.
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Adoption Support Fund' });
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(5, 5);
    await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 5 });
    try {
      await hover.first().waitFor({ state: 'visible', timeout: 2_000 });
      await page.locator('.monaco-hover:visible', { hasText: 'over £185m' }).first().waitFor({ state: 'visible', timeout: 2_000 });
      log(`hover card visible (attempt ${attempt})`);
      break;
    } catch (e) {
      if (attempt >= 30) throw e;
    }
  }
  await page.waitForTimeout(400); // fade-in
  // The card is resizable: drag its bottom edge down so all of it shows without a scrollbar.
  const resizable = page.locator('.monaco-resizable-hover:visible').first();
  const edge = (await resizable.count()) ? await resizable.boundingBox() : undefined;
  if (edge) {
    const x = edge.x + edge.width / 2;
    await page.mouse.move(x, edge.y + edge.height / 2, { steps: 3 });
    await page.mouse.move(x, edge.y + edge.height - 2, { steps: 3 });
    await page.mouse.down();
    await page.mouse.move(x, edge.y + edge.height + 200, { steps: 10 });
    await page.mouse.up();
    await page.waitForTimeout(300);
  }
  const card = await hover.first().boundingBox();
  const editor = await page.locator('.part.editor').boundingBox();
  const pad = 16;
  const top = Math.min(card.y, target.y) - pad;
  const bottom = Math.max(card.y + card.height, target.y + target.height) + pad;
  await page.screenshot({
    path: path.join(outDir, 'hover.png'),
    clip: clamp({ x: editor.x, y: top, width: Math.max(card.x + card.width, target.x + target.width) + pad - editor.x, height: bottom - top }),
  });
  log('docs/hover.png');
  await page.mouse.move(WIDTH - 5, HEIGHT / 2);
  await page.keyboard.press('Escape');

  // 2) The sidebar: both views, with a programme revealed in the knowledge base. -----------------
  await page.locator('.part.activitybar [aria-label^="Policy Facts"]').first().click();
  await page.locator('.part.sidebar .pane-header', { hasText: 'In this draft' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Figures' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  // Widen the sidebar so descriptions are readable: drag its sash.
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  const sashX = sidebar.x + sidebar.width;
  await page.mouse.move(sashX, 300);
  await page.mouse.down();
  await page.mouse.move(sashX + 170, 300, { steps: 10 });
  await page.mouse.up();
  // Reveal "Supporting Families" (cursor on the former name in the draft).
  const tf = await wordBox('Troubled Families Programme made', 'Troubled Families Programme');
  await page.mouse.click(tf.x + 20, tf.y + tf.height / 2);
  await runCommand('Policy Facts: Reveal in Sidebar');
  await page.locator('.part.sidebar .monaco-list-row.selected', { hasText: 'Supporting Families' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.part.sidebar .monaco-list-row', { hasText: 'up to £1.085bn' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  // Expand the draft's "Supporting Families" entry to show its mentions.
  const draftPane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'In this draft' }) }).first();
  const draftEntity = draftPane.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^Supporting Families$/ }) }).first();
  await draftEntity.click();
  await draftPane.locator('.monaco-list-row', { hasText: 'line ' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.mouse.move(WIDTH - 5, HEIGHT - 60);
  await page.waitForTimeout(500);
  const bar = await page.locator('.part.activitybar').boundingBox();
  const side = await page.locator('.part.sidebar').boundingBox();
  await page.screenshot({ path: path.join(outDir, 'sidebar.png'), clip: clamp({ x: bar.x, y: side.y, width: side.x + side.width - bar.x, height: side.height }) });
  log('docs/sidebar.png');

  // 3) Check Figures, then the Problems panel. ----------------------------------------------------
  await page.mouse.click(tf.x + 20, tf.y + tf.height / 2);
  await runCommand('Policy Facts: Check Figures');
  await page.locator('.notification-toast', { hasText: 'Checked' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await dismissNotifications();
  await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
  const problems = page.locator('.part.panel .markers-panel');
  await problems.waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.part.panel .monaco-list-row', { hasText: 'does not match' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  // Give the panel room for every problem and its related information.
  const panel = await page.locator('.part.panel').boundingBox();
  await page.mouse.move(panel.x + panel.width / 2, panel.y);
  await page.mouse.down();
  await page.mouse.move(panel.x + panel.width / 2, panel.y - 160, { steps: 10 });
  await page.mouse.up();
  await page.mouse.move(WIDTH - 5, 5);
  await page.waitForTimeout(500);
  const shot = await page.locator('.part.panel').boundingBox();
  await page.screenshot({ path: path.join(outDir, 'problems.png'), clip: clamp(shot) });
  log(`docs/problems.png; done in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${path.relative(ROOT, outDir) || '.'}`);
} catch (e) {
  failed = true;
  const failure = path.join(tmp, 'failure.png');
  await page.screenshot({ path: failure }).catch(() => {});
  console.error(`FAILED: ${e instanceof Error ? e.message : e}\nthe page at that moment: ${failure}; logs in ${tmp}`);
} finally {
  await browser.close();
  await server.stop(failed);
  if (!failed) fs.rmSync(tmp, { recursive: true, force: true });
  process.exitCode = failed ? 1 : 0;
}
