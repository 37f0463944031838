/**
 * Benchmark suite that runs inside VS Code's extension host, loaded as the `extensionTestsPath`
 * by bench/vscode/run.mjs (never by `npm test`). It measures, in the real product:
 *
 * 1. Start: from the first line of `activate()` (`api.timings.start`, same clock) until the
 *    first hover with content is answered, both through `vscode.executeHoverProvider` (what a
 *    user's mouse gets) and by the registered provider called in process every millisecond
 *    (when the extension itself could first answer), plus the extension's own timings.
 * 2. Hover latency on a 10,000-line draft: the hover provider called directly, in process
 *    (what Policy Facts itself costs), and the same positions through
 *    `vscode.executeHoverProvider` (with VS Code's IPC), paired call by call with an empty
 *    `executeHoverProvider` on a file no provider serves (the IPC floor).
 * 3. Once VS Code has settled: what one `vscode.workspace.fs.readFile` of a file in the
 *    extension costs (a round trip to the workbench), and parsing the precompiled snapshot and
 *    building the knowledge base (and its name matcher) in process.
 *
 * Results go to the JSON file named by POLICY_FACTS_BENCH_RESULTS. POLICY_FACTS_BENCH_PART is
 * `all` (default) or `start` (only part 1); POLICY_FACTS_BENCH_HOVERS is the number of
 * measured hover positions (default 400); POLICY_FACTS_BENCH_SNAPSHOT is the path of the
 * precompiled snapshot (dist/seeds.json, the text the bundle embeds) for part 3.
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as vscode from 'vscode';
import { KnowledgeBase } from '../../src/core';
import { rng } from '../generate';
import { EXTENSION_ID } from '../../src/extension/deps';
import { readSeedsSnapshot } from '../../src/extension/seedsSnapshot';
import type { PolicyFactsApiWithTimings } from '../../src/extension/extension';

/** The name hovered first in draft.md (written by run.mjs). */
export const FIRST_HOVER_NAME = 'Department for Education';

export interface Stats {
  readonly n: number;
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface StartResult {
  /** The extension was already active when the suite began (the start was not measured cold). */
  readonly wasActive: boolean;
  /** openTextDocument(draft.md) → first hover with content through executeHoverProvider. */
  readonly openToFirstHoverMs: number;
  /** openTextDocument → activate() started (VS Code activating, loading the bundle). */
  readonly openToActivateMs?: number;
  /** activate() started → first executeHoverProvider result with content. */
  readonly activateToFirstHoverMs?: number;
  /** activate() started → the hover provider, called in process, first answers with content. */
  readonly activateToInProcessHoverMs?: number;
  /** How long that first in-process call with content took (checking draft.md, rendering). */
  readonly firstHoverCallMs?: number;
  /** The check of draft.md that call used (the first with the bundled facts, so it builds the name matcher). */
  readonly firstCheckMs?: number;
  /** activate() started → activate() returned. */
  readonly activateMs?: number;
  /** Time of each activation step. */
  readonly steps?: Record<string, number>;
  /** activate() started → the bundled facts were in use. */
  readonly firstKnowledgeMs?: number;
  /** activate() started → a knowledge base with workspace fact files in it was in use. */
  readonly workspaceKnowledgeMs?: number;
  /** activate() started → knowledge base ready (bundled and workspace files). */
  readonly readyMs?: number;
  /** Each executeHoverProvider call until one had content: sent and answered, ms after activate() started. */
  readonly polls: { sent: number; answered: number; content: boolean }[];
  /**
   * From activate() until ready: the longest the extension host went without running a timer
   * due every 5 ms (a hold-up that began before activate() and ended after it counts whole).
   */
  readonly longestHoldUpMs?: number;
  /** When that longest hold-up ended, ms after activate() started. */
  readonly longestHoldUpEndedMs?: number;
  /** The same span: time beyond 50 ms of every such hold-up, added up (as "total blocking time" counts). */
  readonly heldUpMs?: number;
  /** The same before activate() started, from the suite's start (VS Code starting). */
  readonly longestHoldUpBeforeMs?: number;
}

export interface HoverResult {
  readonly lines: number;
  readonly chars: number;
  readonly mentions: number;
  readonly findings: number;
  /** The first hover on the draft, which checks the whole draft (direct call). */
  readonly firstHoverMs: number;
  readonly warmup: number;
  readonly direct: Record<'all' | 'mention' | 'figure' | 'plain', Stats & { withContent: number }>;
  readonly executeHover: Record<'all' | 'mention' | 'figure' | 'plain', Stats & { withContent: number }>;
  readonly floor: Stats;
}

/** What loading the bundled facts from the snapshot costs, apart from starting. */
export interface LoadResult {
  /** `vscode.workspace.fs.readFile` of the extension's package.json once VS Code has settled. */
  readonly readFile: Stats;
  /** Parsing the snapshot and building the knowledge base from it, in process, warm. */
  readonly parseAndBuild: Stats;
  /** Building the name matcher of that knowledge base, warm. */
  readonly matcher: Stats;
}

export interface BenchResults {
  env: { vscode: string; appName: string; uiKind: string; extensionHostNode: string; platform: string };
  knowledge?: { entities: number; facts: number; sources: number; files: number };
  start?: StartResult;
  hover?: HoverResult;
  load?: LoadResult;
  error?: string;
}

export function stats(samples: readonly number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return {
    n: s.length,
    median: s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2,
    p90: at(0.9),
    p99: at(0.99),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}


const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Watches the extension host's own thread: a timer due every 5 ms that runs late was held up by
 * whatever ran before it (VS Code loading extensions, loading fact files, checking a draft).
 * `stop` gives every hold-up of more than 20 ms: when it ended and how long it was.
 */
function watchHoldUps(): { stop(): { ended: number; ms: number }[] } {
  let last = performance.now();
  const holdUps: { ended: number; ms: number }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const note = () => {
    const now = performance.now();
    if (now - last > 20) holdUps.push({ ended: now, ms: now - last });
    last = now;
  };
  const tick = () => {
    note();
    timer = setTimeout(tick, 5);
  };
  timer = setTimeout(tick, 5);
  return {
    stop() {
      clearTimeout(timer);
      note();
      return holdUps;
    },
  };
}

function hoverText(hovers: readonly vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

function executeHover(uri: vscode.Uri, position: vscode.Position): Thenable<vscode.Hover[]> {
  return vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
}

async function measureStart(folder: vscode.WorkspaceFolder, ext: vscode.Extension<PolicyFactsApiWithTimings>): Promise<StartResult> {
  const wasActive = ext.isActive;
  const holdUps = watchHoldUps();
  const uri = vscode.Uri.joinPath(folder.uri, 'draft.md');
  const profile = await startProfile(process.env.POLICY_FACTS_BENCH_START_PROFILE);
  const t0 = performance.now();
  const doc = await vscode.workspace.openTextDocument(uri);
  const position = doc.positionAt(doc.getText().indexOf(FIRST_HOVER_NAME) + 3);
  // In process, as soon as the extension is active: when could it first answer?
  const token = new vscode.CancellationTokenSource().token;
  const inProcess = (async () => {
    while (performance.now() - t0 < 60_000) {
      const hover = ext.isActive ? (ext.exports.features.hover as vscode.HoverProvider | undefined) : undefined;
      if (hover) {
        const called = performance.now();
        const h = (await hover.provideHover(doc, position, token)) ?? undefined;
        const at = performance.now();
        if (h && hoverText([h]).includes(FIRST_HOVER_NAME)) return { at, callMs: at - called, checkMs: ext.exports.analysis.stats(doc)?.ms };
      }
      await delay(1);
    }
    return undefined;
  })();
  // Through VS Code, like a user's mouse.
  await vscode.window.showTextDocument(doc);
  const polls: { sent: number; answered: number; content: boolean }[] = [];
  let answered: number | undefined;
  while (performance.now() - t0 < 60_000) {
    const sent = performance.now();
    const content = hoverText(await executeHover(doc.uri, position)).includes(FIRST_HOVER_NAME);
    polls.push({ sent, answered: performance.now(), content });
    if (content) {
      answered = performance.now();
      break;
    }
  }
  if (answered === undefined) throw new Error(`no hover on "${FIRST_HOVER_NAME}" within 60 s of opening draft.md`);
  const inProcessHover = await inProcess;
  await profile?.stop();
  await ext.exports.ready;
  const holdUpsSeen = holdUps.stop();
  const timings = ext.exports.timings;
  const during = holdUpsSeen.filter((h) => h.ended > timings.start);
  const longest = during.reduce<{ ended: number; ms: number } | undefined>((a, h) => (!a || h.ms > a.ms ? h : a), undefined);
  const since = (t: number) => t - timings.start;
  return {
    wasActive,
    openToFirstHoverMs: answered - t0,
    openToActivateMs: timings.start - t0,
    activateToFirstHoverMs: since(answered),
    activateToInProcessHoverMs: inProcessHover === undefined ? undefined : since(inProcessHover.at),
    firstHoverCallMs: inProcessHover?.callMs,
    firstCheckMs: inProcessHover?.checkMs,
    activateMs: timings.activated,
    steps: timings.steps,
    firstKnowledgeMs: timings.firstKnowledge,
    workspaceKnowledgeMs: timings.workspaceKnowledge,
    readyMs: timings.ready,
    polls: polls.map((p) => ({ sent: since(p.sent), answered: since(p.answered), content: p.content })),
    longestHoldUpMs: longest?.ms ?? 0,
    longestHoldUpEndedMs: longest ? since(longest.ended) : undefined,
    heldUpMs: during.reduce((sum, h) => sum + Math.max(0, h.ms - 50), 0),
    longestHoldUpBeforeMs: holdUpsSeen.filter((h) => h.ended <= timings.start).reduce((a, h) => Math.max(a, h.ms), 0),
  };
}

type Kind = 'mention' | 'figure' | 'plain';

/**
 * With POLICY_FACTS_BENCH_PROFILE=<file>, a CPU profile of the in-process hovers; with
 * POLICY_FACTS_BENCH_START_PROFILE=<file>, one of the extension host from opening draft.md to
 * the first hover answered in process (open either in Chrome DevTools or VS Code). Sampling
 * slows everything down: never measure and profile at once.
 */
async function startProfile(file: string | undefined): Promise<{ stop(): Promise<void> } | undefined> {
  if (!file) return undefined;
  const profiler = new inspector.Session();
  profiler.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => profiler.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      fs.writeFileSync(file, JSON.stringify(profile));
      profiler.disconnect();
    },
  };
}

async function measureHover(folder: vscode.WorkspaceFolder, api: PolicyFactsApiWithTimings, count: number): Promise<HoverResult> {
  const provider = api.features.hover as vscode.HoverProvider | undefined;
  if (!provider) throw new Error('the extension does not expose its hover provider (api.features.hover)');
  const token = new vscode.CancellationTokenSource().token;
  const direct = async (doc: vscode.TextDocument, p: vscode.Position) => {
    const t = performance.now();
    let h = provider.provideHover(doc, p, token);
    const ms = performance.now() - t;
    if (h && typeof (h as Thenable<vscode.Hover>).then === 'function') h = await h; // not expected: the provider is synchronous
    return { ms, hover: h as vscode.Hover | null | undefined };
  };

  const uri = vscode.Uri.joinPath(folder.uri, 'draft-10k.md');
  const doc = await vscode.workspace.openTextDocument(uri);
  // Right after opening, before anything else can run: this call checks the whole draft.
  const first = await direct(doc, new vscode.Position(0, 0));
  await vscode.window.showTextDocument(doc);
  // Let diagnostics, semantic tokens and the rest settle before measuring.
  const deadline = performance.now() + 20_000;
  while (!vscode.languages.getDiagnostics(doc.uri).length && performance.now() < deadline) await delay(50);
  await delay(1000);

  const result = api.analysis.get(doc);
  if (!result) throw new Error('draft-10k.md is not checked');
  const text = doc.getText();
  const covered = new Uint8Array(text.length + 1);
  for (const s of [...result.mentions, ...result.findings]) covered.fill(1, Math.max(0, s.start - 1), s.end + 2);
  const figures = result.findings.filter((f) => f.figure);
  const r = rng(20240501);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const plainOffset = () => {
    for (;;) {
      const o = Math.floor(r() * text.length);
      if (!covered[o] && /\w/.test(text[o])) return o;
    }
  };
  const positionOf = (kind: Kind): vscode.Position => {
    if (kind === 'mention') {
      const m = pick(result.mentions);
      return doc.positionAt(Math.floor((m.start + m.end) / 2));
    }
    if (kind === 'figure') {
      const f = pick(figures);
      return doc.positionAt(Math.floor((f.start + f.end) / 2));
    }
    return doc.positionAt(plainOffset());
  };
  const kindOf = (i: number): Kind => (i % 4 === 0 ? 'figure' : i % 4 === 1 ? 'plain' : 'mention');
  const targets = Array.from({ length: count }, (_, i) => ({ kind: kindOf(i), position: positionOf(kindOf(i)) }));
  const warmup = Array.from({ length: 100 }, (_, i) => positionOf(kindOf(i)));

  // In process: the provider exactly as VS Code calls it.
  for (const p of warmup) await direct(doc, p);
  const directMs: Record<Kind, number[]> = { mention: [], figure: [], plain: [] };
  const directContent: Record<Kind, number> = { mention: 0, figure: 0, plain: 0 };
  const profile = await startProfile(process.env.POLICY_FACTS_BENCH_PROFILE);
  for (const t of targets) {
    const { ms, hover } = await direct(doc, t.position);
    directMs[t.kind].push(ms);
    if (hover?.contents.length) directContent[t.kind]++;
  }
  await profile?.stop();

  // Through VS Code, paired with the IPC floor: a file of a language nothing serves hovers for.
  const floorDoc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'floor.ini'));
  const floorPosition = (i: number) => new vscode.Position(i % floorDoc.lineCount, 2);
  for (let i = 0; i < 30; i++) {
    await executeHover(floorDoc.uri, floorPosition(i));
    await executeHover(doc.uri, warmup[i]);
  }
  const execMs: Record<Kind, number[]> = { mention: [], figure: [], plain: [] };
  const execContent: Record<Kind, number> = { mention: 0, figure: 0, plain: 0 };
  const floorMs: number[] = [];
  for (const [i, t] of targets.entries()) {
    let s = performance.now();
    const none = await executeHover(floorDoc.uri, floorPosition(i));
    floorMs.push(performance.now() - s);
    if (hoverText(none)) throw new Error('the IPC floor file got a hover; pick a language nothing serves');
    s = performance.now();
    const hovers = await executeHover(doc.uri, t.position);
    execMs[t.kind].push(performance.now() - s);
    if (hoverText(hovers)) execContent[t.kind]++;
  }

  const group = (ms: Record<Kind, number[]>, content: Record<Kind, number>) => ({
    all: { ...stats([...ms.mention, ...ms.figure, ...ms.plain]), withContent: content.mention + content.figure + content.plain },
    mention: { ...stats(ms.mention), withContent: content.mention },
    figure: { ...stats(ms.figure), withContent: content.figure },
    plain: { ...stats(ms.plain), withContent: content.plain },
  });
  return {
    lines: doc.lineCount,
    chars: text.length,
    mentions: result.mentions.length,
    findings: result.findings.length,
    firstHoverMs: first.ms,
    warmup: warmup.length,
    direct: group(directMs, directContent),
    executeHover: group(execMs, execContent),
    floor: stats(floorMs),
  };
}

async function measureLoad(extensionUri: vscode.Uri): Promise<LoadResult> {
  const uri = vscode.Uri.joinPath(extensionUri, 'package.json');
  const reads: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await vscode.workspace.fs.readFile(uri);
    reads.push(performance.now() - t);
  }
  const file = process.env.POLICY_FACTS_BENCH_SNAPSHOT;
  if (!file) throw new Error('POLICY_FACTS_BENCH_SNAPSHOT is not set');
  const text = fs.readFileSync(file, 'utf8');
  const parseAndBuild: number[] = [];
  const matcher: number[] = [];
  for (let i = 0; i < 20; i++) {
    let t = performance.now();
    const snapshot = readSeedsSnapshot(text, (p) => vscode.Uri.joinPath(extensionUri, p).toString());
    if (!snapshot) throw new Error(`${file} is not a snapshot`);
    const kb = KnowledgeBase.build(snapshot.files.map((f) => f.file));
    parseAndBuild.push(performance.now() - t);
    t = performance.now();
    void kb.matcher;
    matcher.push(performance.now() - t);
  }
  return { readFile: stats(reads), parseAndBuild: stats(parseAndBuild), matcher: stats(matcher) };
}

export async function run(): Promise<void> {
  const out = process.env.POLICY_FACTS_BENCH_RESULTS;
  const part = process.env.POLICY_FACTS_BENCH_PART ?? 'all';
  const count = Number(process.env.POLICY_FACTS_BENCH_HOVERS ?? 400);
  const results: BenchResults = {
    env: {
      vscode: vscode.version,
      appName: vscode.env.appName,
      uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
      extensionHostNode: process.versions.node,
      platform: `${process.platform} ${process.arch}`,
    },
  };
  try {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('no workspace folder is open');
    const ext = vscode.extensions.getExtension<PolicyFactsApiWithTimings>(EXTENSION_ID);
    if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
    results.start = await measureStart(folder, ext);
    const api = ext.exports;
    await api.ready;
    const kb = api.knowledge.kb;
    results.knowledge = { entities: kb.entities.length, facts: kb.factCount, sources: kb.sources.length, files: kb.files.length };
    // Not timed: the loaded workspace fact files kept for the next start on this profile.
    await api.knowledge.cacheWritten();
    if (part === 'all') {
      results.hover = await measureHover(folder, api, count);
      results.load = await measureLoad(ext.extensionUri);
    }
  } catch (e) {
    results.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  if (results.error) throw new Error(results.error);
}
