/**
 * Work done in slices on the extension host's one thread: loading fact files, building the
 * knowledge base, writing the cache. Every so often (`budgetMs`) the work pauses and lets the
 * extension host handle what waits (a hover, a keystroke, another extension) before going on.
 * One `Slices` for all such work gives one budget for all of it, so many small pieces, or
 * pieces of several kinds one after another, still pause.
 *
 * Pure: no `vscode`, no Node built-ins (`setImmediate` is used when there is one).
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

/** Lets the extension host handle what is waiting (messages from VS Code, timers) before going on. */
export function hostTurn(): Promise<void> {
  // `setImmediate` runs after pending input; VS Code for the web (a browser worker) has only timers.
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
