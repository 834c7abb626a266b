import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../src/runtime/keyed-queue.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('KeyedQueue', () => {
  it('runs the tasks of one key one at a time, in the order they were pushed', async () => {
    const queue = new KeyedQueue(() => {});
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    for (let i = 0; i < 20; i++) {
      queue.push('argocd/app', async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        // Later tasks are quicker: a queue that did not wait would finish them first.
        await sleep(20 - i);
        log.push(`t${i}`);
        running--;
      });
    }
    await queue.idle();
    expect(log).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`));
    expect(maxRunning).toBe(1);
  });

  it('runs different keys in parallel', async () => {
    const queue = new KeyedQueue(() => {});
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    queue.push('a', async () => {
      started.push('a');
      await gate;
    });
    queue.push('b', async () => {
      started.push('b');
    });
    await sleep(10);
    expect(started).toEqual(['a', 'b']);
    expect(queue.pendingKeys).toBe(1);
    release();
    await queue.idle();
    expect(queue.pendingKeys).toBe(0);
  });

  it('reports a failing task with its key and goes on with the next one', async () => {
    const errors: [unknown, string][] = [];
    const queue = new KeyedQueue((error, key) => errors.push([error, key]));
    const log: number[] = [];
    queue.push('k', async () => {
      log.push(1);
    });
    queue.push('k', async () => {
      throw new Error('boom');
    });
    queue.push('k', async () => {
      log.push(3);
    });
    await queue.idle();
    expect(log).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
    const [error, key] = errors[0] ?? [];
    expect((error as Error).message).toBe('boom');
    expect(key).toBe('k');
  });

  it('drain waits for queued work up to the deadline, then refuses new work', async () => {
    const queue = new KeyedQueue(() => {});
    let done = false;
    queue.push('k', async () => {
      await sleep(30);
      done = true;
    });
    await queue.drain(1000);
    expect(done).toBe(true);
    expect(queue.push('k', async () => {})).toBe(false);

    const slow = new KeyedQueue(() => {});
    slow.push('k', () => sleep(5000));
    const started = Date.now();
    await slow.drain(50);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
