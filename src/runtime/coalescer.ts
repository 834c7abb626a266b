/**
 * Runs one task per key at a time; requests that arrive while it runs fold into one more run after it.
 * A burst of check_run events for one commit thus costs one or two GitHub reads, not twenty.
 */
export class Coalescer {
  private readonly slots = new Map<string, { running: Promise<void>; again: boolean }>();

  constructor(private readonly onError: (error: unknown, key: string) => void) {}

  request(key: string, task: () => Promise<void>): Promise<void> {
    const slot = this.slots.get(key);
    if (slot) {
      slot.again = true;
      return slot.running;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = (async () => {
      try {
        do {
          entry.again = false;
          await task().catch((error: unknown) => this.onError(error, key));
        } while (entry.again);
      } finally {
        this.slots.delete(key);
      }
    })();
    this.slots.set(key, entry);
    return entry.running;
  }

  async idle(): Promise<void> {
    while (this.slots.size > 0) await Promise.allSettled([...this.slots.values()].map((s) => s.running));
  }
}
