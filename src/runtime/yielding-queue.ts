/**
 * Runs slow background work (a click's decision, its Argo CD sync, the card update) in arrival order,
 * many at once, but never ahead of the requests still waiting for their answer: a task starts only
 * when `isBusy()` says no request is in flight, or once it has waited `maxDeferMs` (so a steady stream
 * of requests delays work by a bounded time and never starves it). Each start also waits one turn of
 * the event loop, so sockets that have data get read before the next task takes the CPU.
 */
export interface YieldingQueueOptions {
  /** Tasks running at once; the rest wait in order. */
  concurrency: number;
  /** True while requests are being answered (e.g. the HTTP server's in-flight count is above 0). */
  isBusy: () => boolean;
  /** The longest a queued task is held back by `isBusy`. */
  maxDeferMs: number;
  /** How often a held-back task looks again. */
  recheckMs?: number;
  now?: () => number;
}

/** Tasks started per event-loop turn: a burst of starts would otherwise hold the loop for all of them. */
const STARTS_PER_TURN = 4;

interface Waiting {
  start: () => void;
  queuedAt: number;
}

export class YieldingQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];
  private pumping = false;
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(private readonly options: YieldingQueueOptions) {
    this.recheckMs = options.recheckMs ?? 5;
    this.now = options.now ?? (() => performance.now());
  }

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      this.waiting.push({ start, queuedAt: this.now() });
      this.schedule(0);
    });
    try {
      return await task();
    } finally {
      this.running--;
      this.schedule(0);
    }
  }

  private schedule(delayMs: number): void {
    if (this.pumping) return;
    this.pumping = true;
    const pump = () => {
      this.pumping = false;
      this.pump();
    };
    if (delayMs > 0) setTimeout(pump, delayMs);
    else setImmediate(pump);
  }

  private pump(): void {
    let started = 0;
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      if (started === STARTS_PER_TURN) {
        this.schedule(0);
        return;
      }
      const head = this.waiting[0]!;
      const waited = this.now() - head.queuedAt;
      if (this.options.isBusy() && waited < this.options.maxDeferMs) {
        this.schedule(Math.min(this.recheckMs, this.options.maxDeferMs - waited));
        return;
      }
      this.waiting.shift();
      this.running++;
      started++;
      head.start();
    }
  }
}
