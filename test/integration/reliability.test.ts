/**
 * Reliability inside a real VS Code: hostile drafts (50 MB, one 5 MB line, binary, invalid
 * UTF-8, lone surrogates), rapid edits, fact files changing while the workspace is checked,
 * documents closed mid-check, broken fact files, failures at the boundary, and that nothing
 * is ever written behind the user's back. Every file these tests use is generated here, in
 * the temporary copy of test/fixtures/workspace, and removed afterwards. The figures measured
 * (how long the big drafts take) are printed at the end; docs/reliability.md records them.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { checkText, LineIndex, type CheckResult } from '../../src/core';
import type { WorkspaceCheck } from '../../src/extension/commands';
import type { FigureDiagnostics } from '../../src/extension/diagnostics';
import { EXTENSION_ID, type PolicyFactsApi } from '../../src/extension/deps';
import { DEFAULT_MAX_DRAFT_CHARS, draftLimit, MAX_PARAGRAPH_CHARS } from '../../src/extension/limits';
import type { StatusBarState } from '../../src/extension/statusBar';
import { waitFor, watchHoldUps } from './index';
import { folder, fixture, encode, watchPublishes } from './workspace';

const write = (name: string, data: string | Uint8Array): Thenable<void> => vscode.workspace.fs.writeFile(fixture(name), typeof data === 'string' ? encode(data) : data);
const remove = async (name: string): Promise<void> => {
  try {
    await vscode.workspace.fs.delete(fixture(name));
  } catch {
    // already gone
  }
};

/** `piece` repeated to exactly `n` characters. */
const repeat = (piece: string, n: number): string => piece.repeat(Math.ceil(n / piece.length)).slice(0, n);

/** A figure the workspace facts record differently (1,250 pupils): one `figure.mismatch` each. */
const WRONG = 'The Riverside Numeracy Pilot reached 1,300 pupils in its first year.';
const FILLER = 'Officials met partners across the region to discuss next steps and agree a timetable for the work.';

const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);
const ours = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Policy Facts');
const fmt = (r: vscode.Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
const key = (code: string, range: string, message: string): string => `${code}@${range} ${message}`;
const sorted = (xs: string[]): string[] => [...xs].sort();
const hoverText = (hovers: vscode.Hover[] | undefined): string =>
  (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');

/** What the draft's diagnostics must be: a fresh, independent check of `text`. */
function expectedCheck(api: PolicyFactsApi, uri: vscode.Uri, text: string): CheckResult {
  const limit = draftLimit(text, api.settings.maxDraftChars(uri));
  return checkText(api.knowledge.kb, text, { rules: api.settings.rules(uri), maxChars: limit.maxChars });
}

function expectedDiagnostics(api: PolicyFactsApi, uri: vscode.Uri, text: string): string[] {
  const lines = new LineIndex(text);
  const at = (o: number) => {
    const p = lines.positionAt(o);
    return `${p.line}:${p.character}`;
  };
  return sorted(
    expectedCheck(api, uri, text)
      .findings.filter((f) => !f.suppressed && f.severity !== 'off')
      .map((f) => key(f.code, `${at(f.start)}-${at(f.end)}`, f.message)),
  );
}

const actualDiagnostics = (uri: vscode.Uri): string[] => sorted(ours(uri).map((d) => key(codeOf(d), fmt(d.range), d.message)));

/** Waits until the draft's diagnostics are those of a fresh check of its current text. */
async function settled(api: PolicyFactsApi, doc: vscode.TextDocument, timeoutMs = 15_000): Promise<string[]> {
  let expected: { version: number; generation: number; list: string[] } | undefined;
  return waitFor(
    () => {
      // A fresh check of a big draft takes a while: once per version and knowledge base.
      if (expected?.version !== doc.version || expected.generation !== api.knowledge.generation) {
        expected = { version: doc.version, generation: api.knowledge.generation, list: expectedDiagnostics(api, doc.uri, doc.getText()) };
      }
      assert.deepEqual(actualDiagnostics(doc.uri), expected.list);
      return expected.list;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** Plain data, so results from the bundled extension and from this file compare equal. */
const plain = (r: unknown): unknown => JSON.parse(JSON.stringify(r));

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Runs `body` with checkOn "manual" (nothing is checked until asked for), then puts the setting back. */
async function manually<T>(body: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('policyFacts');
  await config.update('checkOn', 'manual', vscode.ConfigurationTarget.Workspace);
  try {
    await waitFor(() => assert.equal(vscode.workspace.getConfiguration('policyFacts').get('checkOn'), 'manual'));
    return await body();
  } finally {
    await config.update('checkOn', undefined, vscode.ConfigurationTarget.Workspace);
  }
}

/**
 * Watches the extension host from now until a check of the named file is announced as ended
 * (`checked`), before its diagnostics are published: publishing thousands of them is one call
 * to VS Code, not part of the check. `end()` gives what it saw (until now, if no check was
 * announced: one done in one go is not).
 */
function watchUntilChecked(api: PolicyFactsApi, name: string): { end(): { longest: number; took: number } } {
  const watch = watchHoldUps();
  let held: { longest: number; took: number } | undefined;
  const listener = api.analysis.onDidChange((e) => {
    if (e.reason === 'checked' && e.uri?.path.endsWith(`/${name}`)) held ??= watch.stop();
  });
  return {
    end() {
      listener.dispose();
      return held ?? watch.stop();
    },
  };
}

/**
 * Opens a draft with checkOn "manual" and checks it in slices, watching the extension host from
 * then until its check is announced: the longest hold-up meanwhile, and how long it all took.
 */
async function openAndCheck(api: PolicyFactsApi, name: string): Promise<{ doc: vscode.TextDocument; result: CheckResult | undefined; longest: number; took: number }> {
  return manually(async () => {
    const doc = await vscode.workspace.openTextDocument(fixture(name));
    const watch = watchUntilChecked(api, name);
    const result = await api.analysis.getInSlices(doc);
    return { doc, result, ...watch.end() };
  });
}

describe('reliability', function () {
  this.timeout(180_000);
  let api: PolicyFactsApi;
  /** What was measured, printed at the end (docs/reliability.md). */
  const measured: Record<string, string | number> = {};

  before(async () => {
    const ext = vscode.extensions.getExtension<PolicyFactsApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    await api.ready;
    assert.equal(api.settings.maxDraftChars(folder().uri), DEFAULT_MAX_DRAFT_CHARS, 'the default limit applies');
  });

  after(async () => {
    await closeEditors();
    console.log(`reliability figures: ${JSON.stringify(measured, null, 2)}`);
  });

  describe('hostile drafts', () => {
    after(async () => {
      await closeEditors();
      for (const name of ['reliability-50mb.txt', 'reliability-1m.md', 'reliability-1m-open.txt', 'reliability-over.txt', 'reliability-lines.txt', 'reliability-sentences.txt', 'reliability-1m-asked.md', 'reliability-long-line.txt', 'reliability-binary.txt', 'reliability-invalid-utf8.md', 'reliability-surrogates.md']) await remove(name);
    });

    it('a 50 MB draft: the first 2,000,000 characters are checked, a warning says where it stopped, and hover answers', async () => {
      // A figure every ten paragraphs, as in a long report.
      const paragraph = `${WRONG}\n\n${`${FILLER}\n\n`.repeat(9)}`;
      const text = repeat(paragraph, 50_000_000);
      const t0 = Date.now();
      await write('reliability-50mb.txt', text);
      const rss0 = process.memoryUsage().rss;
      const t1 = Date.now();
      const doc = await vscode.workspace.openTextDocument(fixture('reliability-50mb.txt'));
      const opened = Date.now() - t1;
      assert.equal(doc.getText().length, 50_000_000);
      const t2 = Date.now();
      await vscode.window.showTextDocument(doc, { preview: false });
      const shown = Date.now() - t2;
      // Checked when opened, without any command.
      const diagnostics = await waitFor(
        () => {
          const list = ours(doc.uri);
          assert.ok(list.some((d) => codeOf(d) === 'check.limit'), `${list.length} diagnostics so far`);
          return list;
        },
        { timeoutMs: 90_000, intervalMs: 100 },
      );
      const firstDiagnostics = Date.now() - t2;
      const stats = api.analysis.stats(doc);
      assert.ok(stats, 'the check of this version is known');

      const limit = diagnostics.filter((d) => codeOf(d) === 'check.limit');
      assert.equal(limit.length, 1);
      assert.equal(limit[0].severity, vscode.DiagnosticSeverity.Warning);
      const stoppedAt = doc.offsetAt(limit[0].range.start);
      assert.ok(stoppedAt <= DEFAULT_MAX_DRAFT_CHARS && stoppedAt > DEFAULT_MAX_DRAFT_CHARS - 200, `stopped at ${stoppedAt}`);
      assert.match(limit[0].message, /^Only the first 1,99\d,\d{3} of 50,000,000 characters were checked \(limit 2,000,000\)\. Figures after this point were not checked\.$/);
      const wrong = diagnostics.filter((d) => codeOf(d) === 'figure.mismatch');
      const expectedWrong = Math.ceil(stoppedAt / paragraph.length);
      assert.ok(Math.abs(wrong.length - expectedWrong) <= 1, `${wrong.length} mismatches before the limit, expected about ${expectedWrong}`);
      assert.ok(wrong.every((d) => doc.offsetAt(d.range.end) <= stoppedAt), 'nothing reported after the limit');
      assert.equal(doc.getText(wrong[0].range), '1,300 pupils');
      assert.equal(stats.limit.reason, 'draft');
      assert.equal(stats.chars, 50_000_000);

      // The status bar says what was not checked.
      const statusBar = api.features.statusBar as { readonly state: StatusBarState };
      await waitFor(() => assert.match(statusBar.state.tooltip, /characters at the end were not checked/));

      // A hover near the start, and one after the limit, answer at once from the cached check.
      const t3 = Date.now();
      const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(10));
      const hoverMs = Date.now() - t3;
      assert.match(hoverText(hover), /Riverside Numeracy Pilot/);
      const late = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(40_000_010));
      assert.doesNotMatch(hoverText(late), /Riverside Numeracy Pilot/, 'after the limit nothing was checked, so there is no card');
      assert.ok(hoverMs < 5_000, `hover took ${hoverMs} ms`);

      // An edit at the start is checked again, within the same bounds.
      const t4 = Date.now();
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(0, 0), 'The Riverside Numeracy Pilot reached 1,250 pupils.\n\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor(() => assert.equal(ours(doc.uri).filter((d) => codeOf(d) === 'figure.mismatch').length, wrong.length), { timeoutMs: 90_000, intervalMs: 100 });
      /** Until the diagnostics are those of the current version (its limit warning is where its check stopped). */
      const settledLimit = (d: vscode.TextDocument) =>
        waitFor(
          () => {
            const stats = api.analysis.stats(d);
            assert.ok(stats, 'the current version is checked');
            assert.equal(d.offsetAt(ours(d.uri).find((x) => codeOf(x) === 'check.limit')!.range.start), stats.checkedChars);
          },
          { timeoutMs: 90_000, intervalMs: 100 },
        );
      const recheck = Date.now() - t4;

      // Each edit of a 50 MB document costs VS Code itself a while: measured with Policy
      // Facts on and off for it.
      const timeKeys = async (n: number) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) {
          const k = new vscode.WorkspaceEdit();
          k.insert(doc.uri, new vscode.Position(0, 0), 'y');
          const t = Date.now();
          assert.ok(await vscode.workspace.applyEdit(k));
          out.push(Date.now() - t);
        }
        return out.sort((x, y) => x - y)[Math.floor(n / 2)];
      };
      const keyOn = await timeKeys(3);
      const config = vscode.workspace.getConfiguration('policyFacts');
      await config.update('enable', false, vscode.ConfigurationTarget.Workspace);
      const keyOff = await timeKeys(3);
      await config.update('enable', undefined, vscode.ConfigurationTarget.Workspace);
      await settledLimit(doc);

      // A burst of 30 keystrokes is not 30 checks of 2,000,000 characters.
      const checks = api.analysis.checks;
      const t5 = Date.now();
      const keys: Thenable<boolean>[] = [];
      for (let i = 0; i < 30; i++) {
        const key = new vscode.WorkspaceEdit();
        key.insert(doc.uri, new vscode.Position(0, 0), 'x');
        keys.push(vscode.workspace.applyEdit(key));
      }
      assert.ok((await Promise.all(keys)).every(Boolean));
      const typed = Date.now() - t5;
      await settledLimit(doc);
      const checksWhileTyping = api.analysis.checks - checks;
      assert.ok(checksWhileTyping <= 6, `${checksWhileTyping} checks for 30 keystrokes`);
      const rss1 = process.memoryUsage().rss;
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

      Object.assign(measured, {
        '50 MB draft: characters': text.length,
        '50 MB draft: write to disk (ms)': t1 - t0,
        '50 MB draft: openTextDocument (ms)': opened,
        '50 MB draft: from showing it to its diagnostics (ms)': firstDiagnostics,
        '50 MB draft: one check in the extension host (ms)': stats.ms,
        '50 MB draft: characters checked': stats.checkedChars,
        '50 MB draft: hover (ms)': hoverMs,
        '50 MB draft: edit → new diagnostics (ms)': recheck,
        '50 MB draft: 30 keystrokes in a burst (ms)': typed,
        '50 MB draft: one edit, median of 3, Policy Facts on (ms)': keyOn,
        '50 MB draft: one edit, median of 3, Policy Facts off (ms)': keyOff,
        '50 MB draft: checks run for 30 keystrokes': checksWhileTyping,
        '50 MB draft: extension host memory growth': mb(rss1 - rss0),
        '50 MB draft: showTextDocument (ms)': shown,
      });
    });

    it('a 5 MB single-line draft is checked 100,000 characters into the line, quickly, and says so', async () => {
      const text = repeat(`${WRONG} ${FILLER} `, 5_000_000);
      await write('reliability-long-line.txt', text);
      const t0 = Date.now();
      const doc = await vscode.workspace.openTextDocument(fixture('reliability-long-line.txt'));
      await vscode.window.showTextDocument(doc, { preview: false });
      assert.equal(doc.lineCount, 1);
      const diagnostics = await waitFor(
        () => {
          const list = ours(doc.uri);
          assert.ok(list.some((d) => codeOf(d) === 'check.limit'), `${list.length} diagnostics so far`);
          return list;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      const firstDiagnostics = Date.now() - t0;
      const stats = api.analysis.stats(doc);
      assert.ok(stats);
      assert.equal(stats.limit.reason, 'paragraph');
      const [limit] = diagnostics.filter((d) => codeOf(d) === 'check.limit');
      assert.match(limit.message, /^Only the first 99,\d{3} of 5,000,000 characters were checked \(limit 100,000\)/);
      assert.equal(limit.range.start.line, 0);
      assert.ok(limit.range.start.character <= MAX_PARAGRAPH_CHARS && limit.range.start.character > MAX_PARAGRAPH_CHARS - 200);
      assert.ok(diagnostics.filter((d) => codeOf(d) === 'figure.mismatch').length > 400, 'the checked part is checked');
      assert.deepEqual(actualDiagnostics(doc.uri), expectedDiagnostics(api, doc.uri, doc.getText()));
      const t1 = Date.now();
      const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 10));
      const hoverMs = Date.now() - t1;
      assert.match(hoverText(hover), /Riverside Numeracy Pilot/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      Object.assign(measured, {
        '5 MB line: characters': text.length,
        '5 MB line: open → diagnostics (ms)': firstDiagnostics,
        '5 MB line: one check in the extension host (ms)': stats.ms,
        '5 MB line: characters checked': stats.checkedChars,
        '5 MB line: hover (ms)': hoverMs,
      });
    });

    it('a 1,000,000-character draft: an edit re-checks only the paragraphs it touches, with the same result as a whole check', async () => {
      const text = repeat(`${WRONG}\n\n${`${FILLER}\n\n`.repeat(4)}`, 1_000_000);
      await write('reliability-1m.md', text);
      const doc = await vscode.workspace.openTextDocument(fixture('reliability-1m.md'));
      await vscode.window.showTextDocument(doc, { preview: false });
      await settled(api, doc, 60_000);
      const whole = api.analysis.stats(doc);
      assert.ok(whole && !whole.limit.reason && whole.checkedChars === 1_000_000, JSON.stringify(whole));
      const middle = doc.positionAt(doc.getText().indexOf(WRONG, 500_000) + WRONG.indexOf('1,300'));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(middle, middle.translate(0, 5)), '1,250');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await settled(api, doc, 60_000);
      const changed = api.analysis.stats(doc);
      assert.ok(changed && changed.version === doc.version);
      assert.equal(changed.incremental, true, 'only the changed part was checked');
      assert.deepEqual(plain(api.analysis.get(doc)), plain(expectedCheck(api, doc.uri, doc.getText())));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      Object.assign(measured, {
        '1,000,000-character draft: whole check (ms)': whole.ms,
        '1,000,000-character draft: check after an edit (ms)': changed.ms,
      });
    });

    it('a 1,000,000-character draft is checked in slices as it opens: the extension host keeps answering, and the result is a whole check’s', async () => {
      const text = repeat(`${WRONG}\n\n${`${FILLER}\n\n`.repeat(4)}`, 1_000_000);
      await write('reliability-1m-open.txt', text);
      await write('reliability-1m-asked.md', `${text.slice(0, 999_000)}\n\nThe end.\n`);
      // Opened with checkOn "manual", so that nothing checks it before it is asked for (VS Code
      // itself takes a while over a 1 MB document as it opens): from then until its check ends,
      // before its 1,600 diagnostics would be published (about 50 ms in one go, in VS Code's own
      // `DiagnosticCollection.set` mostly).
      const { doc, result, longest, took } = await openAndCheck(api, 'reliability-1m-open.txt');
      assert.ok(result, 'checked');
      assert.deepEqual(plain(result), plain(expectedCheck(api, doc.uri, text)));
      assert.equal(api.analysis.stats(doc)?.checkedChars, 1_000_000);
      // Checked in one go, it would hold everything else up for nearly all of that time (over 95%
      // in runs made so; 15–25% in slices, more on a busy machine).
      assert.ok(longest < took / 2, `held up for ${Math.round(longest)} ms at once while a draft opened and was checked in ${Math.round(took)} ms`);
      // Its own pieces, whatever else the extension host does meanwhile (one piece took 121 ms of 335
      // once, in a clean run: probably a pause of the garbage collector).
      const stats = api.analysis.stats(doc)!;
      assert.ok(stats.longestStepMs < stats.ms / 2, `a piece of ${stats.longestStepMs} ms in a check of ${stats.ms} ms`);

      // Asked for at once (a hover) while the check runs in slices: the same check is finished, not done twice.
      const asked = await vscode.workspace.openTextDocument(fixture('reliability-1m-asked.md'));
      const checks = api.analysis.checks;
      const inSlices = api.analysis.getInSlices(asked);
      const now = api.analysis.get(asked);
      assert.equal(await inSlices, now);
      assert.equal(api.analysis.checks, checks + 1, 'one check');
      assert.deepEqual(plain(now), plain(expectedCheck(api, asked.uri, asked.getText())));
      Object.assign(measured, {
        '1,000,000-character draft opened: check in slices (ms)': Math.round(took),
        '1,000,000-character draft opened: longest hold-up (ms)': Math.round(longest),
        '1,000,000-character draft opened: longest piece of its check (ms)': stats.longestStepMs,
      });
    });

    it('a 2,000,000-character draft with 28,000 wrong figures: their diagnostics are made in slices too, after its check, then published at once', async () => {
      const text = repeat(`${WRONG}\n\n`, DEFAULT_MAX_DRAFT_CHARS);
      // From the end of its check (announced as `checked`) until its diagnostics are handed to VS Code.
      let watching: { uri: vscode.Uri; watch?: ReturnType<typeof watchHoldUps>; held?: { longest: number; took: number } } | undefined;
      const checked = api.analysis.onDidChange((e) => {
        if (watching && e.reason === 'checked' && e.uri?.toString() === watching.uri.toString()) watching.watch ??= watchHoldUps();
      });
      const published = watchPublishes((api.features.diagnostics as FigureDiagnostics).collection, (uri) => {
        if (watching?.watch && uri.toString() === watching.uri.toString()) watching.held ??= watching.watch.stop();
      });
      // The best of three drafts: the window also holds the extension host up now and then, and so
      // does the collector. Made in one go, they hold it up for all of that time, every time.
      const seen: { longest: number; took: number }[] = [];
      let written = 0;
      let wrong: string[] = [];
      try {
        for (let i = 0; i < 3 && !seen.some((h) => h.longest < h.took / 2); i++) {
          // Plain text: VS Code's Markdown support would send a Markdown draft to its own server meanwhile.
          await write(`reliability-dense-${i}.txt`, text);
          written++;
          const uri = fixture(`reliability-dense-${i}.txt`);
          const mine: { uri: vscode.Uri; held?: { longest: number; took: number } } = { uri };
          watching = mine;
          const doc = await vscode.workspace.openTextDocument(uri);
          await vscode.window.showTextDocument(doc, { preview: false });
          seen.push(await waitFor(() => mine.held ?? assert.fail('published after a check in slices'), { timeoutMs: 60_000 }));
          wrong = expectedDiagnostics(api, uri, text);
          assert.ok(wrong.length > 28_000, `${wrong.length} diagnostics`);
          assert.deepEqual(actualDiagnostics(uri), wrong);
          await closeEditors();
        }
        const best = seen.reduce((a, b) => (b.longest / b.took < a.longest / a.took ? b : a));
        assert.ok(
          best.longest < best.took / 2,
          `held up for ${seen.map((h) => `${Math.round(h.longest)} ms at once while ${wrong.length} diagnostics were made in ${Math.round(h.took)} ms`).join('; ')}`,
        );
        Object.assign(measured, {
          '28,000 diagnostics made: took (ms)': Math.round(best.took),
          '28,000 diagnostics made: longest hold-up (ms)': Math.round(best.longest),
        });
      } finally {
        published.dispose();
        checked.dispose();
        watching = undefined;
        await closeEditors();
        // Not left for the workspace checks below to check again.
        for (let i = 0; i < written; i++) await remove(`reliability-dense-${i}.txt`);
      }
    });

    it('a draft over the length limit is checked in slices too, up to the limit', async () => {
      const text = repeat(`${WRONG}\n\n${`${FILLER}\n\n`.repeat(4)}`, 2_600_000);
      await write('reliability-over.txt', text);
      const { doc, result, longest, took } = await openAndCheck(api, 'reliability-over.txt');
      assert.ok(result && result.summary.skippedChars > 500_000, 'checked up to the limit');
      assert.deepEqual(plain(result), plain(expectedCheck(api, doc.uri, text)));
      assert.ok(longest < took / 2, `held up for ${Math.round(longest)} ms at once while a draft over the limit was checked in ${Math.round(took)} ms`);
      // Its own pieces, whatever else the extension host does meanwhile (a pause of the garbage
      // collector, probably, once made one piece 121 ms of 335). In one go, one piece is all of it.
      const stats = api.analysis.stats(doc)!;
      assert.ok(stats.longestStepMs < stats.ms / 2, `a piece of ${stats.longestStepMs} ms in a check of ${stats.ms} ms`);
      measured['2,600,000-character draft opened: longest hold-up (ms)'] = Math.round(longest);
      measured['2,600,000-character draft opened: longest piece of its check (ms)'] = stats.longestStepMs;
      measured['2,600,000-character draft opened: its check, its pieces added up (ms)'] = stats.ms;
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('a long draft without blank lines is read in slices as it opens, and an edit re-checks only the lines around it, at once', async () => {
      // No blank line: each line is a paragraph. Lines that end a sentence, followed by one that
      // starts another, are places where it can be cut.
      const text = Array.from({ length: 14_000 }, (_, i) => `The Riverside Numeracy Pilot reached ${1000 + i} pupils, then ${2000 + i} pupils and ${3000 + i} pupils.\n`).join('');
      await write('reliability-sentences.txt', text);
      const { doc, result, longest, took } = await openAndCheck(api, 'reliability-sentences.txt');
      assert.ok(result, 'checked');
      assert.deepEqual(plain(result), plain(expectedCheck(api, doc.uri, text)));
      assert.ok(longest < took / 2, `held up for ${Math.round(longest)} ms at once while a draft without blank lines was checked in ${Math.round(took)} ms`);
      const opened = api.analysis.stats(doc)!;
      assert.ok(opened.longestStepMs < opened.ms / 2, `a piece of ${opened.longestStepMs} ms in a check of ${opened.ms} ms`);
      await vscode.window.showTextDocument(doc);
      const type = async (line: number, words: string) => {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(doc.uri, new vscode.Position(line, 0), words);
        assert.ok(await vscode.workspace.applyEdit(edit));
      };
      // Once its code is warm, as it is after the first edit or two.
      await type(3000, 'Draft. ');
      assert.ok(await api.analysis.getInSlices(doc));
      assert.equal(api.analysis.stats(doc)?.incremental, true, 'only what the edit changed');
      await type(7000, 'Draft. ');
      // What the status bar, the draft view and the light bulb ask: the edit's re-check fits in one slice.
      const t1 = performance.now();
      const peeked = api.analysis.peek(doc);
      const peekMs = performance.now() - t1;
      assert.ok(peeked, `re-checked at once (${JSON.stringify(api.analysis.stats(doc) ?? api.analysis.lastCheck)})`);
      assert.equal(api.analysis.stats(doc)?.incremental, true, 'only what the edit changed');
      assert.deepEqual(plain(peeked), plain(expectedCheck(api, doc.uri, doc.getText())));
      Object.assign(measured, {
        'draft without blank lines opened: check in slices (ms)': Math.round(took),
        'draft without blank lines opened: longest hold-up (ms)': Math.round(longest),
        'draft without blank lines: re-check after an edit (ms)': Math.round(peekMs),
      });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('an edit of a long draft without blank lines or sentences to cut it at (checked whole each time) is checked in slices, not in one go, when the status bar or light bulb asks', async () => {
      // No blank line, and no line ends a sentence (a list, say): every edit is checked whole. Such a
      // draft cannot be cut into pieces (a name may run over a line break): it is read for names,
      // figures and sentences in steps, and its many figures, each different, are judged a hundred
      // or so at a time.
      const text = Array.from({ length: 14_000 }, (_, i) => `The Riverside Numeracy Pilot reached ${1000 + i} pupils, then ${2000 + i} pupils and ${3000 + i} pupils\n`).join('');
      await write('reliability-lines.txt', text);
      const doc = await vscode.workspace.openTextDocument(fixture('reliability-lines.txt'));
      await vscode.window.showTextDocument(doc);
      assert.ok(await api.analysis.getInSlices(doc));
      const type = async (words: string) => {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(doc.uri, new vscode.Position(0, 0), words);
        assert.ok(await vscode.workspace.applyEdit(edit));
      };
      // What a whole check of it costs the extension once its code is warm (its slices' time added
      // up), and its longest step: the best of three checks, as a pause of the garbage collector
      // can fall in any one step. (Read in one piece, that piece was 40–45% of the check.)
      let best = { ms: 1, longestStepMs: Number.POSITIVE_INFINITY };
      for (const words of ['Draft ', 'Short ', 'Long ']) {
        await type(words);
        assert.ok(await api.analysis.getInSlices(doc));
        const stats = api.analysis.stats(doc)!;
        if (stats.longestStepMs / stats.ms < best.longestStepMs / best.ms) best = stats;
      }
      const { ms: wholeMs, longestStepMs } = best;
      assert.ok(longestStepMs < wholeMs / 3, `a step of ${longestStepMs} ms in a check of ${wholeMs} ms`);
      await type('New ');
      const whole = expectedCheck(api, doc.uri, doc.getText());
      // What the status bar, the draft view and the light bulb ask: they are given one slice of the
      // check (and the step it is in), not all of it; the rest goes on in slices.
      const t1 = performance.now();
      assert.equal(api.analysis.peek(doc), undefined, 'not checked whole at once');
      const peeked = performance.now() - t1;
      assert.equal(api.analysis.stats(doc), undefined, 'the check goes on');
      measured['draft without blank lines or sentences: whole check (ms of slices)'] = wholeMs;
      measured['draft without blank lines or sentences: its longest step (ms)'] = longestStepMs;
      measured['draft without blank lines or sentences: peek after an edit (ms)'] = Math.round(peeked);
      assert.deepEqual(plain(await api.analysis.getInSlices(doc)), plain(whole));
      assert.equal(api.analysis.stats(doc)?.incremental, false, 'checked whole');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('a binary file opened as text is checked like any text, within bounds', async () => {
      let seed = 11;
      const bytes = new Uint8Array(200_000);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
      const embedded = encode(` ${WRONG} `);
      bytes.set(embedded, 100_000);
      await write('reliability-binary.txt', bytes);
      let doc: vscode.TextDocument;
      try {
        doc = await vscode.workspace.openTextDocument(fixture('reliability-binary.txt'));
        measured['binary file: openTextDocument'] = `opened as text (${doc.getText().length.toLocaleString('en-GB')} characters)`;
      } catch (e) {
        // VS Code refuses to open binary files as text; the user can still look at the bytes
        // as plain text (an untitled document holding them).
        assert.match(String(e), /binary/i);
        measured['binary file: openTextDocument'] = 'refused by VS Code (binary)';
        doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: new TextDecoder('latin1').decode(bytes) });
      }
      await vscode.window.showTextDocument(doc, { preview: false });
      const expected = await settled(api, doc, 30_000);
      assert.ok(expected.some((d) => d.startsWith('figure.mismatch@')), 'the sentence inside the bytes is checked');
      const result = api.analysis.get(doc);
      assert.deepEqual(plain(result), plain(expectedCheck(api, doc.uri, doc.getText())));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('a draft with invalid UTF-8 is checked at the right places', async () => {
      const parts = [encode('# Invalid bytes\n\nThe Riverside Numeracy Pilot reached '), new Uint8Array([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), encode(' 1,300 pupils.\n\n'), new Uint8Array([0xc0, 0xaf]), encode(`${WRONG}\n`)];
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
      await write('reliability-invalid-utf8.md', bytes);
      const doc = await vscode.workspace.openTextDocument(fixture('reliability-invalid-utf8.md'));
      await vscode.window.showTextDocument(doc, { preview: false });
      assert.match(doc.getText(), /\ufffd/, 'VS Code shows the bad bytes as replacement characters');
      await settled(api, doc);
      const wrong = ours(doc.uri).filter((d) => codeOf(d) === 'figure.mismatch');
      assert.deepEqual(
        wrong.map((d) => doc.getText(d.range)),
        ['1,300 pupils', '1,300 pupils'],
      );
      assert.ok(!doc.isDirty);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('lone surrogates typed into a draft do not disturb the check, hovers or positions', async () => {
      await write('reliability-surrogates.md', `# Surrogates\n\n${WRONG}\n\nThe Harbour Reading Fund gave £2.5m.\n`);
      const doc = await vscode.workspace.openTextDocument(fixture('reliability-surrogates.md'));
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      await settled(api, doc);
      const edit = new vscode.WorkspaceEdit();
      const text = doc.getText();
      edit.insert(doc.uri, doc.positionAt(text.indexOf('1,300')), '\ud800');
      edit.insert(doc.uri, doc.positionAt(text.indexOf('Harbour')), '\udc00\ud83d');
      edit.insert(doc.uri, doc.positionAt(text.indexOf('£2.5m')), '\u{1f4b7}\ud83d ');
      edit.insert(doc.uri, doc.positionAt(text.length), '\udfff£9m\ud800');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const expected = await settled(api, doc);
      assert.ok(expected.some((d) => d.startsWith('figure.mismatch@')));
      assert.deepEqual(plain(api.analysis.get(doc)), plain(expectedCheck(api, doc.uri, doc.getText())));
      const pos = doc.positionAt(doc.getText().indexOf('Harbour') + 3);
      assert.match(hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)), /Harbour Reading Fund/);
      const [wrong] = ours(doc.uri).filter((d) => codeOf(d) === 'figure.mismatch');
      assert.equal(doc.getText(wrong.range), '1,300 pupils');
      await vscode.commands.executeCommand('undo');
      await waitFor(() => assert.equal(doc.isDirty, false));
      await editor.document.save();
    });
  });

  describe('concurrency', () => {
    after(async () => {
      await closeEditors();
      for (const name of ['reliability-rapid.md', 'reliability.facts.yaml']) await remove(name);
      for (let i = 0; i < 12; i++) await remove(`reliability-ws/draft-${i}.md`);
      await remove('reliability-ws');
    });

    it('50 rapid edits end with the diagnostics of a fresh check of the final text', async () => {
      await write('reliability-rapid.md', `# Rapid edits\n\n${WRONG}\n\nThe Harbour Reading Fund gave £2.5m.\n`);
      const doc = await vscode.workspace.openTextDocument(fixture('reliability-rapid.md'));
      await vscode.window.showTextDocument(doc, { preview: false });
      await settled(api, doc);
      const v0 = doc.version;
      const edits: Thenable<boolean>[] = [];
      for (let i = 0; i < 50; i++) {
        const edit = new vscode.WorkspaceEdit();
        if (i % 5 === 4) edit.delete(doc.uri, new vscode.Range(0, 0, 0, 3));
        else edit.insert(doc.uri, new vscode.Position(0, 0), i % 2 ? `The Riverside Numeracy Pilot reached ${1200 + i} pupils.\n\n` : `The Harbour Reading Fund gave £${i}m. `);
        edits.push(vscode.workspace.applyEdit(edit));
      }
      assert.ok((await Promise.all(edits)).every(Boolean), 'every edit applied');
      assert.ok(doc.version >= v0 + 50, `version ${v0} → ${doc.version}`);
      const expected = await settled(api, doc);
      assert.ok(expected.length > 20, `${expected.length} diagnostics`);
      assert.deepEqual(plain(api.analysis.get(doc)), plain(expectedCheck(api, doc.uri, doc.getText())));
      assert.equal(api.analysis.stats(doc)?.version, doc.version, 'the result is for the final version');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('a fact file changed while "Check Figures in Workspace" runs: every draft ends up checked against the new facts', async () => {
      const facts = (amount: string) =>
        'sources:\n  - id: kestrel-notes\n    title: Kestrel Literacy Fund notes\n' +
        `entities:\n  - id: kestrel-literacy-fund\n    kind: programme\n    type: fund\n    name: Kestrel Literacy Fund\n    facts:\n      - figure: ${amount}\n        about: total funding\n        period: 2024-25\n        source: { source: kestrel-notes }\n`;
      await write('reliability.facts.yaml', facts('£3m'));
      await waitFor(() => assert.equal(api.knowledge.kb.get('kestrel-literacy-fund')?.facts[0]?.figure, '£3m'));
      // Enough text that checking the workspace takes a while.
      const body = `The Kestrel Literacy Fund gave £4m in 2024-25.\n\n${`${FILLER}\n\n`.repeat(1500)}`;
      for (let i = 0; i < 12; i++) await write(`reliability-ws/draft-${i}.md`, `# Draft ${i}\n\n${body}`);
      const open = await vscode.workspace.openTextDocument(fixture('reliability-ws', 'draft-0.md'));
      await vscode.window.showTextDocument(open, { preview: false });
      await waitFor(() => assert.ok(ours(open.uri).some((d) => codeOf(d) === 'figure.mismatch')));

      const reloads: number[] = [];
      const listener = api.knowledge.onDidChange(() => reloads.push(Date.now()));
      try {
        const started = Date.now();
        const run = vscode.commands.executeCommand<WorkspaceCheck>('policyFacts.checkWorkspace');
        await write('reliability.facts.yaml', facts('£4m'));
        const summary = await run;
        const finished = Date.now();
        assert.ok(summary && !summary.cancelled && summary.files >= 12, JSON.stringify(summary));
        await waitFor(() => assert.equal(api.knowledge.kb.get('kestrel-literacy-fund')?.facts[0]?.figure, '£4m'));
        measured['workspace check with a reload during it (ms)'] = finished - started;
        assert.ok(reloads.some((t) => t < finished), 'the facts were reloaded while the workspace was being checked');
        // Open or not, every draft's diagnostics are those of the new facts: no mismatch left.
        for (let i = 0; i < 12; i++) {
          const uri = fixture('reliability-ws', `draft-${i}.md`);
          const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
          await waitFor(() => {
            assert.deepEqual(actualDiagnostics(uri), expectedDiagnostics(api, uri, text));
            assert.ok(!ours(uri).some((d) => codeOf(d) === 'figure.mismatch'), `draft-${i} still has a mismatch`);
          });
        }
      } finally {
        listener.dispose();
      }
    });

    it('"Check Figures in Workspace" checks a long file that is not open in slices, and publishes the whole check', async () => {
      // Thousands of figures to judge, one in thirty wrong. Handing each file's diagnostics to
      // VS Code is one call of its own (20–50 ms for the 1,400 of this file), not what this
      // measures: so the workspace is checked more than once, and after the first time, with
      // nothing changed, nothing is handed over again. A busy machine stalls the extension host
      // now and then, whatever it runs: so each round also times the same check in one go, here,
      // and compares the two; the best of three rounds counts.
      const text = repeat(`${WRONG}\n\n${`${WRONG.replace('1,300', '1,250')}\n\n`.repeat(29)}`, 1_000_000);
      await write('reliability-ws-long/long.md', text);
      const uri = fixture('reliability-ws-long', 'long.md');
      const rounds: { held: number; oneGo: number }[] = [];
      let whole: ReturnType<typeof expectedCheck> | undefined;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        whole = expectedCheck(api, uri, text);
        const oneGo = performance.now() - t0;
        const watch = watchHoldUps();
        try {
          const summary = await vscode.commands.executeCommand<WorkspaceCheck>('policyFacts.checkWorkspace');
          assert.ok(summary && !summary.cancelled && summary.files >= 1, JSON.stringify(summary));
        } finally {
          rounds.push({ held: watch.stop().longest, oneGo });
        }
      }
      const best = rounds.reduce((a, r) => (r.held / r.oneGo < a.held / a.oneGo ? r : a));
      const longest = best.held;
      const oneGo = best.oneGo;
      assert.ok(whole && whole.summary.verified > 10_000 && whole.summary.mismatch > 400, `a long draft with much to judge: ${JSON.stringify(whole?.summary)}`);
      await waitFor(() => assert.deepEqual(actualDiagnostics(uri), expectedDiagnostics(api, uri, text)));
      assert.ok(
        longest < oneGo / 2,
        `held up for ${rounds.map((r) => `${Math.round(r.held)} ms at once while the file alone took ${Math.round(r.oneGo)} ms in one go`).join('; ')}`,
      );
      measured['workspace check: longest hold-up (ms), with a 1,000,000-character file'] = Math.round(longest);
      measured['1,000,000-character file checked in one go (ms)'] = Math.round(oneGo);
      await vscode.workspace.fs.delete(fixture('reliability-ws-long'), { recursive: true });
    });

    it('"Check Figures in Workspace" reads a draft saved as UTF-16 as the editor opens it, and skips a binary one, saying why', async () => {
      const text = `Intro.\r\n\r\n${WRONG}\r\n`;
      await write('reliability-enc/unicode.md', Uint8Array.from([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]));
      await write('reliability-enc/image.md', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
      const unicode = fixture('reliability-enc', 'unicode.md');
      try {
        const summary = await vscode.commands.executeCommand<WorkspaceCheck>('policyFacts.checkWorkspace');
        assert.ok(summary && !summary.cancelled, JSON.stringify(summary));
        const skipped = summary.skipped.find((s) => s.uri.endsWith('/reliability-enc/image.md'));
        assert.match(skipped?.reason ?? '', /binary file/, JSON.stringify(summary.skipped));
        assert.ok(!summary.skipped.some((s) => s.uri.endsWith('/unicode.md')), 'the UTF-16 draft is checked');
        const diags = ours(unicode);
        assert.deepEqual(
          diags.map((d) => `${codeOf(d)}@${fmt(d.range)}`),
          [`figure.mismatch@2:${WRONG.indexOf('1,300')}-2:${WRONG.indexOf('1,300') + '1,300 pupils'.length}`],
        );
        // Find All References reads it the same way while it is closed.
        const probe = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'The Riverside Numeracy Pilot.' });
        const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', probe.uri, new vscode.Position(0, 6));
        assert.ok(
          refs.some((l) => l.uri.toString() === unicode.toString() && fmt(l.range) === `2:4-2:28`),
          refs.map((l) => `${l.uri.path}@${fmt(l.range)}`).join(', '),
        );
        // Opened, the editor reads it the same way: the same diagnostic, where the check put it.
        const doc = await vscode.workspace.openTextDocument(unicode);
        assert.equal(doc.getText(), text);
        await waitFor(() => assert.deepEqual(ours(unicode).map((d) => fmt(d.range)), diags.map((d) => fmt(d.range))));
      } finally {
        await vscode.workspace.fs.delete(fixture('reliability-enc'), { recursive: true });
      }
    });

    it('"Check Figures in Workspace" and Find All References read a closed draft in the encoding files.encoding gives its language, as the editor opens it', async () => {
      // Saved by an older Windows program: "£" is the one byte A3, which is not UTF-8.
      const text = 'Intro.\r\n\r\nHarbourside Youth Hub costs \u00a380,000 a year to run.\r\n';
      await write('reliability-ansi/ansi.txt', Uint8Array.from(Buffer.from(text, 'latin1')));
      const ansi = fixture('reliability-ansi', 'ansi.txt');
      // Set for Markdown only, as a team with old Markdown notes might, and this folder's .txt
      // files taken for Markdown: VS Code works out the file's language, and so its encoding.
      const markdown = { languageId: 'markdown' };
      const files = vscode.workspace.getConfiguration('files', markdown);
      await files.update('encoding', 'windows1252', vscode.ConfigurationTarget.Workspace, true);
      await vscode.workspace.getConfiguration('files').update('associations', { '**/reliability-ansi/*.txt': 'markdown' }, vscode.ConfigurationTarget.Workspace);
      try {
        await waitFor(() => assert.equal(vscode.workspace.getConfiguration('files', markdown).get('encoding'), 'windows1252'));
        assert.equal(vscode.workspace.getConfiguration('files').get('encoding'), 'utf8', 'other files are still read as UTF-8');
        const summary = await vscode.commands.executeCommand<WorkspaceCheck>('policyFacts.checkWorkspace');
        assert.ok(summary && !summary.cancelled, JSON.stringify(summary));
        assert.deepEqual(actualDiagnostics(ansi), expectedDiagnostics(api, ansi, text));
        assert.match(ours(ansi)[0]?.message ?? '', /^£80,000 does not match what is recorded for Harbourside Youth Hub: £75,000/);
        // Find All References reads it the same way while it is closed.
        const probe = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'Harbourside Youth Hub.' });
        const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', probe.uri, new vscode.Position(0, 3));
        assert.ok(
          refs.some((l) => l.uri.toString() === ansi.toString() && fmt(l.range) === '2:0-2:21'),
          refs.map((l) => `${l.uri.path}@${fmt(l.range)}`).join(', '),
        );
        // Opened, the editor reads it the same way: the same text, and the same diagnostics.
        const doc = await vscode.workspace.openTextDocument(ansi);
        assert.equal(doc.getText(), text);
        await waitFor(() => assert.deepEqual(actualDiagnostics(ansi), expectedDiagnostics(api, ansi, text)));
      } finally {
        await files.update('encoding', undefined, vscode.ConfigurationTarget.Workspace, true);
        await vscode.workspace.getConfiguration('files').update('associations', undefined, vscode.ConfigurationTarget.Workspace);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.workspace.fs.delete(fixture('reliability-ansi'), { recursive: true });
      }
    });

    it('a file that is not open, checked as the facts change, is published against the new facts', async () => {
      const facts = (amount: string) =>
        'sources:\n  - id: osprey-notes\n    title: Osprey Reading Fund notes\n' +
        `entities:\n  - id: osprey-reading-fund\n    kind: programme\n    type: fund\n    name: Osprey Reading Fund\n    facts:\n      - figure: ${amount}\n        about: total funding\n        period: 2024-25\n        source: { source: osprey-notes }\n`;
      const figure = () => api.knowledge.kb.get('osprey-reading-fund')?.facts[0]?.figure;
      await write('reliability-osprey.facts.yaml', facts('£3m'));
      await waitFor(() => assert.equal(figure(), '£3m'));
      const uri = fixture('reliability-osprey', 'closed.md');
      const text = 'The Osprey Reading Fund gave £4m in 2024-25.\n';
      await write('reliability-osprey/closed.md', text);
      // The facts change as the file's first check ends, before its diagnostics are published.
      const analysis = api.analysis as { checkFile: PolicyFactsApi['analysis']['checkFile'] };
      const checkFile = analysis.checkFile;
      let reloaded = false;
      analysis.checkFile = async function (this: unknown, ...args: Parameters<typeof checkFile>) {
        const checked = await Reflect.apply(checkFile, this, args);
        if (!reloaded) {
          reloaded = true;
          await write('reliability-osprey.facts.yaml', facts('£4m'));
          await waitFor(() => assert.equal(figure(), '£4m'));
        }
        return checked;
      };
      try {
        await (api.features.diagnostics as FigureDiagnostics).checkClosed(uri, text);
        assert.ok(reloaded, 'the facts changed during the check');
        // What stays shown is a check against the new facts.
        await waitFor(() => {
          assert.deepEqual(actualDiagnostics(uri), expectedDiagnostics(api, uri, text));
          assert.ok(!ours(uri).some((d) => codeOf(d) === 'figure.mismatch'), 'no diagnostic from the old facts');
        });
      } finally {
        analysis.checkFile = checkFile;
        await vscode.workspace.fs.delete(fixture('reliability-osprey'), { recursive: true });
        await remove('reliability-osprey.facts.yaml');
        // Reloaded before the next test measures anything.
        await waitFor(() => assert.equal(figure(), undefined));
      }
    });

    it('a draft edited and closed before its check runs gets no diagnostics, and its state is dropped', async () => {
      const doomed = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: 'reliability-doomed.md' }));
      const uri = doomed.uri.toString();
      await vscode.window.showTextDocument(doomed, { preview: false });
      const first = new vscode.WorkspaceEdit();
      first.insert(doomed.uri, new vscode.Position(0, 0), `${WRONG}\n`);
      assert.ok(await vscode.workspace.applyEdit(first));
      await waitFor(() => assert.equal(ours(doomed.uri).length, 1));
      const closed = new Promise<void>((resolve) => {
        const l = vscode.workspace.onDidCloseTextDocument((d) => {
          if (d.uri.toString() === uri) {
            l.dispose();
            resolve();
          }
        });
      });
      // An edit schedules a check after a pause; the draft is closed before the pause ends.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doomed.uri, new vscode.Position(0, 0), `${WRONG}\n\n`);
      assert.ok(await vscode.workspace.applyEdit(edit));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await closed;
      assert.ok(doomed.isClosed);
      // A draft edited after it: once its check has run, the closed draft's has too.
      const witness = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: 'reliability-witness.md' }));
      await vscode.window.showTextDocument(witness, { preview: false });
      const w = new vscode.WorkspaceEdit();
      w.insert(witness.uri, new vscode.Position(0, 0), `${WRONG}\n`);
      assert.ok(await vscode.workspace.applyEdit(w));
      await waitFor(() => assert.equal(ours(witness.uri).length, 1));
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri), 'the draft is closed');
      assert.deepEqual(ours(doomed.uri), [], 'no diagnostics for the closed draft');
      assert.equal(api.analysis.get(doomed), undefined, 'a closed draft is not checked');
      assert.equal(api.analysis.stats(doomed), undefined, 'and nothing is kept for it');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  });

  describe('broken fact files and failures at the boundary', () => {
    const hostile: Record<string, string | Uint8Array> = {
      'reliability-binary.facts.yaml': new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)),
      'reliability-invalid-utf8.facts.yaml': new Uint8Array([...encode('entities:\n  - id: bad-bytes\n    kind: programme\n    name: Bad '), 0xff, 0xfe, 0xc0, ...encode('\n')]),
      'reliability-alias-bomb.facts.yaml': `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nentities: *g\n`,
      'reliability-scalar.facts.yaml': 'just a string\n',
      'reliability-override.facts.yaml': 'entities:\n  - id: dfe\n    override: true\n    kind: 42\n    name: [not, a, name]\n',
      'reliability-deep.facts.yaml': `${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    };

    after(async () => {
      for (const name of Object.keys(hostile)) await remove(name);
    });

    it('broken, binary and hostile fact files never stop the bundled facts working', async () => {
      const generation = api.knowledge.generation;
      for (const [name, data] of Object.entries(hostile)) await write(name, data);
      await waitFor(() => {
        assert.ok(api.knowledge.generation > generation);
        const files = api.knowledge.status().files.map((f) => f.label);
        for (const name of Object.keys(hostile)) assert.ok(files.includes(name), `${name} was loaded: ${files.join(', ')}`);
      });
      const kb = api.knowledge.kb;
      assert.equal(kb.findByName('DfE')[0]?.name, 'Department for Education', 'the bundled DfE is intact');
      assert.ok(kb.get('riverside-numeracy-pilot'), 'the good workspace facts are intact');
      for (const name of Object.keys(hostile)) {
        await waitFor(() => assert.ok(ours(fixture(name)).length > 0 || api.knowledge.status().files.find((f) => f.label === name)?.readError, `${name} has a diagnostic`));
      }
      // A draft is still checked against bundled and workspace facts alike.
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `The Department for Education (DfE) works with schools.\n\n${WRONG}\n` });
      await settled(api, doc);
      assert.ok(api.analysis.get(doc)?.mentions.some((m) => m.entityId === kb.findByName('DfE')[0].id));
      assert.equal(ours(doc.uri).filter((d) => codeOf(d) === 'figure.mismatch').length, 1);
      for (const name of Object.keys(hostile)) await remove(name);
      await waitFor(() => assert.ok(!api.knowledge.status().files.some((f) => f.label.startsWith('reliability-'))));
    });

    it('a fact file saved as UTF-16 loads; a binary one is not read, and says why', async () => {
      const yaml = ['entities:', '  - id: utf16-tutoring', '    kind: programme', '    type: programme', '    name: Harbour Café Tutoring', '    summary: Saved as “Unicode” by Notepad.', ''].join('\r\n');
      const generation = api.knowledge.generation;
      await write('reliability-utf16.facts.yaml', Uint8Array.from([0xff, 0xfe, ...Buffer.from(yaml, 'utf16le')]));
      await write('reliability-nul.facts.yaml', Uint8Array.from([...encode('entities: []\n'), 0, 0, 0]));
      try {
        await waitFor(() => {
          assert.ok(api.knowledge.generation > generation);
          assert.equal(api.knowledge.kb.get('utf16-tutoring')?.name, 'Harbour Café Tutoring');
          const nul = api.knowledge.status().files.find((f) => f.label === 'reliability-nul.facts.yaml');
          assert.match(nul?.readError ?? '', /looks like a binary file/);
        });
      } finally {
        await remove('reliability-utf16.facts.yaml');
        await remove('reliability-nul.facts.yaml');
      }
    });

    it('commands and providers given arguments they do not expect fail softly, never throwing at VS Code', async () => {
      const missing = vscode.Uri.joinPath(folder().uri, 'no-such-draft.md');
      assert.equal(await vscode.commands.executeCommand('policyFacts.checkFigures', missing), undefined);
      for (const bad of [42, { entityId: 42 }, { factId: 'x' }, 'no-such-entity']) {
        assert.equal(await vscode.commands.executeCommand('policyFacts.copyCitation', bad), undefined);
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `${WRONG}\n` });
      for (const pos of [new vscode.Position(0, 0), new vscode.Position(999, 999), new vscode.Position(0, 10_000)]) {
        await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos);
        await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, pos);
      }
    });
  });

  describe('nothing lost', () => {
    it('checks, reloads, hovers and tree refreshes leave every draft and fact file byte-identical, and no document dirty', async () => {
      await closeEditors();
      const files = (await vscode.workspace.findFiles('**/*', '**/node_modules/**')).sort((a, b) => a.toString().localeCompare(b.toString()));
      assert.ok(files.length >= 8, `${files.length} files`);
      const before = new Map<string, Uint8Array>();
      for (const uri of files) before.set(uri.toString(), await vscode.workspace.fs.readFile(uri));

      const drafts = files.filter((u) => /\.(md|txt)$/.test(u.path));
      const factFiles = files.filter((u) => /\.ya?ml$/.test(u.path));
      const docs: vscode.TextDocument[] = [];
      for (const uri of [...drafts, ...factFiles]) {
        const doc = await vscode.workspace.openTextDocument(uri);
        docs.push(doc);
        await vscode.window.showTextDocument(doc, { preview: false });
        if (drafts.includes(uri)) await vscode.commands.executeCommand('policyFacts.checkFigures');
        for (const line of [0, 1, 2, 5]) {
          if (line >= doc.lineCount) break;
          const pos = new vscode.Position(line, Math.floor(doc.lineAt(line).text.length / 2));
          await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos);
          await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, pos);
        }
        api.trees.draft?.getChildren(undefined);
      }
      await api.knowledge.reload();
      await vscode.commands.executeCommand('policyFacts.checkWorkspace');
      for (const node of (await api.trees.knowledgeBase?.getChildren(undefined)) ?? []) await api.trees.knowledgeBase?.getChildren(node);
      await vscode.commands.executeCommand('policyFacts.showStatus');

      for (const doc of docs) assert.equal(doc.isDirty, false, `${vscode.workspace.asRelativePath(doc.uri)} is not dirty`);
      assert.deepEqual(
        vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file').map((d) => d.uri.toString()),
        [],
        'no open file has unsaved changes',
      );
      for (const uri of files) {
        const now = await vscode.workspace.fs.readFile(uri);
        assert.ok(sameBytes(now, before.get(uri.toString())!), `${vscode.workspace.asRelativePath(uri)} is unchanged on disk`);
      }
      await closeEditors();
    });
  });
});
