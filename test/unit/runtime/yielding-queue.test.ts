import { describe, expect, it } from 'vitest';
import { YieldingQueue } from '../../../src/runtime/yielding-queue.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('YieldingQueue', () => {
  it('starts tasks in arrival order and never more than the concurrency at once', async () => {
    const queue = new YieldingQueue({ concurrency: 3, isBusy: () => false, maxDeferMs: 100 });
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        queue.run(async () => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          await tick(2);
          running--;
        }),
      ),
    );
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(3);
    expect(queue.size).toEqual({ running: 0, waiting: 0 });
  });

  it('holds work back while requests are in flight and starts it when they are answered', async () => {
    let busy = true;
    const queue = new YieldingQueue({ concurrency: 10, isBusy: () => busy, maxDeferMs: 10_000 });
    let ran = false;
    const done = queue.run(async () => {
      ran = true;
    });
    await tick(30);
    expect(ran).toBe(false);
    busy = false;
    await done;
    expect(ran).toBe(true);
  });

  it('never holds a task back longer than maxDeferMs, however busy', async () => {
    const queue = new YieldingQueue({ concurrency: 10, isBusy: () => true, maxDeferMs: 40 });
    const queuedAt = performance.now();
    const startedAt = await queue.run(async () => performance.now());
    expect(startedAt - queuedAt).toBeGreaterThanOrEqual(35);
    expect(startedAt - queuedAt).toBeLessThan(1000);
  });

  it('lets a task that failed free its slot', async () => {
    const queue = new YieldingQueue({ concurrency: 1, isBusy: () => false, maxDeferMs: 10 });
    await expect(queue.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(async () => 'next')).resolves.toBe('next');
  });

  it('lets pending I/O run between task starts (a burst of starts does not hold the loop)', async () => {
    const queue = new YieldingQueue({ concurrency: 100, isBusy: () => false, maxDeferMs: 10 });
    const order: string[] = [];
    const tasks = Array.from({ length: 40 }, (_, i) =>
      queue.run(async () => {
        order.push(`task${i}`);
      }),
    );
    setImmediate(() => order.push('io'));
    await Promise.all(tasks);
    const io = order.indexOf('io');
    expect(io).toBeGreaterThan(0);
    expect(io).toBeLessThan(order.length - 1);
  });
});
