/**
 * Work done a piece at a time. Loading a large knowledge base (parsing fact files, indexing
 * them, building the name matcher) takes seconds; done as a generator that stops after every
 * few milliseconds of work, it lets a caller with other work to do (an editor answering hovers)
 * pause between the pieces. A caller that cannot pause runs it to the end.
 */

/** Work that stops between pieces (each `next()` does one) and returns a `T` at its end. */
export type Steps<T> = Generator<void, T, void>;

/** Does all the pieces at once and returns the result. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
