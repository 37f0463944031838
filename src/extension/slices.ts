/**
 * Work done in slices on the extension host's one thread: loading fact files, building the
 * knowledge base, reading and writing the cache, checking long drafts. Every so often (`budgetMs`) the work pauses and lets the
 * extension host handle what waits (a hover, a keystroke, another extension) before going on.
 * One `Slices` for all such work gives one budget for all of it, so many small pieces, or
 * pieces of several kinds one after another, still pause.
 *
 * Pure: no `vscode`, no Node built-ins (`setImmediate` is used when there is one; see `turnsIn`).
 */
import type { Steps } from '../core';

export class Slices {
  /** When the current slice began. */
  private sliceStart = 0;
  /** Slices begun so far (see `pauseIfDue`). */
  private begun = 0;

  constructor(
    readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly yieldToHost: () => Promise<void> = hostTurn,
  ) {}

  /**
   * Pauses when the current slice has taken `budgetMs`. Of several pieces of work that waited
   * for the same pause (files read side by side), the first to go on begins the next slice;
   * each of the others waits for a turn of the host of its own.
   */
  async pauseIfDue(): Promise<void> {
    if (this.now() - this.sliceStart < this.budgetMs) return;
    for (;;) {
      const seen = this.begun;
      await this.yieldToHost();
      if (this.begun === seen) {
        this.begun++;
        this.sliceStart = this.now();
        return;
      }
      // Another piece of work began a slice in this turn (its work may not have run yet).
    }
  }

  /** Runs the steps to their end, pausing between them when a slice has taken its budget. */
  async run<T>(steps: Steps<T>): Promise<T> {
    for (;;) {
      await this.pauseIfDue();
      const step = steps.next();
      if (step.done) return step.value;
    }
  }
}

/** What `turnsIn` needs of the global scope: whichever of these it has. */
export interface HostScope {
  readonly setImmediate?: (callback: () => void) => unknown;
  readonly MessageChannel?: new () => {
    readonly port1: { onmessage: ((event: unknown) => void) | null; close(): void };
    readonly port2: { postMessage(message: unknown): void };
  };
  readonly setTimeout: (callback: () => void, ms: number) => unknown;
}

/**
 * Turns of the event loop, the quickest way the scope has. In Node (VS Code's extension host on
 * the desktop), `setImmediate`: it runs after pending input. In a browser worker (VS Code for the
 * web), a message to itself: the browser makes a timer nested in timers wait at least 4 ms (4.3–4.9
 * ms a turn measured in VS Code's web worker extension host, against 0.01 ms for a message), which
 * would add a third to every slice of 12 ms. A timer is the last resort.
 */
export function turnsIn(scope: HostScope): () => Promise<void> {
  const { setImmediate, MessageChannel } = scope;
  if (typeof setImmediate === 'function') return () => new Promise((resolve) => void setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    return () =>
      new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(undefined);
      });
  }
  return () => new Promise((resolve) => void scope.setTimeout(resolve, 0));
}

/** Lets the extension host handle what is waiting (messages from VS Code, timers) before going on. */
export const hostTurn: () => Promise<void> = turnsIn(globalThis as unknown as HostScope);

/**
 * About the longest stretch of work (loading fact files, building the knowledge base, writing
 * the cache, checking a long draft) before the extension host goes on with whatever else waits
 * (a hover, a keystroke, another extension); a stretch ends after the step that passes it, and
 * one step can take longer (one large file from the cache: tens of milliseconds; composing a
 * large fact file that must be read as one YAML document: about 0.1 s a megabyte). A 1 MB fact
 * file takes most of a second to parse, a 1 MB draft a few tenths of a second to check the
 * first time: in one go, everything else would wait that long. Not in slices: the bundled facts
 * (activation's knowledge base), checking only what an edit changed, and handing a draft's
 * diagnostics to VS Code (one call).
 */
export const SLICE_MS = 12;

/** All such work shares one budget. */
export const slices = new Slices(SLICE_MS);
