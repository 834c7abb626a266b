/** Runs tasks one at a time per key (events for one app in order) and different keys in parallel. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly onError: (error: unknown, key: string) => void) {}

  get pendingKeys(): number {
    return this.tails.size;
  }

  push(key: string, task: () => Promise<void>): boolean {
    if (this.closed) return false;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous
      .then(task)
      .catch((error: unknown) => this.onError(error, key))
      .finally(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
      });
    this.tails.set(key, next);
    return true;
  }

  /** Stops taking work and waits for what is queued, up to the deadline. */
  async drain(deadlineMs: number): Promise<void> {
    this.closed = true;
    await Promise.race([
      Promise.allSettled([...this.tails.values()]),
      new Promise((r) => setTimeout(r, deadlineMs)),
    ]);
  }

  /** Waits until every queued task has run (tests and the benchmark use this). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }
}
