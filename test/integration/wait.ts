/**
 * Waiting in the tests, in VS Code's extension host on the desktop and in the browser's web
 * worker alike (no Node built-ins here): for state the workbench updates asynchronously, and
 * for how long the extension host is held up at once.
 */

/**
 * Retries `check` until it neither throws nor returns `false`, for state the workbench
 * updates asynchronously (diagnostics, reloads), and returns its value. After `timeoutMs`
 * the last error is thrown.
 */
export async function waitFor<T>(check: () => T | Promise<T>, { timeoutMs = 10_000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let error: unknown;
    try {
      const value = await check();
      if (value !== false) return value;
      error = new Error(`waitFor: the condition was still false after ${timeoutMs} ms`);
    } catch (e) {
      error = e;
    }
    if (Date.now() > deadline) throw error;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Watches the extension host's event loop from now on: `stop()` gives the longest it went
 * without running a timer due every 5 ms (how long it was held up at once), and how long the
 * watch lasted.
 */
export function watchHoldUps(): { stop(): { longest: number; took: number } } {
  const from = performance.now();
  let last = from;
  let longest = 0;
  let ended: number | undefined;
  const tick = () => {
    if (ended !== undefined) return;
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    setTimeout(tick, 5);
  };
  setTimeout(tick, 5);
  return {
    stop() {
      if (ended === undefined) {
        ended = performance.now();
        longest = Math.max(longest, ended - last);
      }
      return { longest, took: ended - from };
    },
  };
}
