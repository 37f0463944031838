import * as assert from 'node:assert/strict';
import { type HostScope, Slices, turnsIn } from '../../src/extension/slices';

/**
 * Loading in slices: the extension host gets a turn whenever a slice has taken its budget,
 * however the work is split and however many pieces of it wait side by side. The clock is
 * fake (each piece of work moves it on) and so is the host: in each of its turns, everything
 * that paused before it goes on, one after another, as callbacks queued for the same turn of
 * an event loop do. So the test counts turns, not milliseconds.
 */
function setup(budgetMs: number) {
  let clock = 1_000;
  let turns = 0;
  let paused: (() => void)[] = [];
  const slices = new Slices(budgetMs, () => clock, () => new Promise<void>((resume) => paused.push(resume)));
  /** Gives the host its turns until `work` ends. */
  const host = async <T>(work: Promise<T>): Promise<T> => {
    let finished = false;
    void work.then(
      () => (finished = true),
      () => (finished = true),
    );
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (finished) return work;
      turns++;
      const resume = paused;
      paused = [];
      for (const r of resume) r();
    }
  };
  return { slices, host, work: (ms: number) => (clock += ms), turn: () => turns };
}

describe('loading in slices', () => {
  it('gives the host a turn whenever a slice has taken its budget, and not before', async () => {
    const { slices, host, work, turn } = setup(12);
    function* steps() {
      for (let i = 0; i < 10; i++) {
        work(5);
        yield;
      }
      return 'done';
    }
    assert.equal(await host(slices.run(steps())), 'done');
    // 50 ms of work in 5 ms steps with a 12 ms budget: a turn after every third step, and one
    // before the first slice.
    assert.equal(turn(), 4);
  });

  it('runs pieces of work that wait side by side one slice each, not one after another in one go', async () => {
    const { slices, host, work, turn } = setup(12);
    const ranIn: number[] = [];
    // Files read side by side: each waits for its turn, then does 15 ms of work (more than a slice).
    const pieces = Array.from({ length: 5 }, async () => {
      await slices.pauseIfDue();
      ranIn.push(turn());
      work(15);
    });
    await host(Promise.all(pieces));
    assert.deepEqual(ranIn, [1, 2, 3, 4, 5]);
  });

  it('shares one budget between pieces of work one after another', async () => {
    const { slices, host, work, turn } = setup(12);
    // Many small files, each less than a slice: together they still pause.
    const files = (async () => {
      for (let i = 0; i < 20; i++) {
        await slices.pauseIfDue();
        work(4);
      }
    })();
    await host(files);
    assert.equal(turn(), 7, '80 ms of work: a turn every three files, and one before the first');
  });

  it('pauses with the real event loop by default, and gives the same result', async () => {
    // A budget of 0: a pause before every step.
    function* steps() {
      let sum = 0;
      for (let i = 1; i <= 2000; i++) {
        sum += i;
        yield;
      }
      return sum;
    }
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    assert.equal(await new Slices(0).run(steps()), 2001000);
    assert.ok(timerRan, 'a timer due meanwhile ran between the steps');
  });

  it('takes a turn of the event loop with a message where there is no setImmediate (a browser worker), not a timer', async () => {
    const noTimer = () => {
      throw new Error('a timer waits at least 4 ms once nested in a browser');
    };
    const turn = turnsIn({ MessageChannel: globalThis.MessageChannel as unknown as HostScope['MessageChannel'], setTimeout: noTimer });
    // Resolves (a timer would throw), fifty times over.
    for (let i = 0; i < 50; i++) await turn();
    // With neither, a timer.
    let timers = 0;
    const withTimer = turnsIn({ setTimeout: (callback, ms) => (timers++, setTimeout(callback, ms)) });
    await withTimer();
    assert.equal(timers, 1);
  });
});
