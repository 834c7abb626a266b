/**
 * Pauses that can all be cut short at once: a follower backs off between reads, and is woken early to
 * re-read (something changed) or to stop (shutdown must not wait out the longest backoff).
 */
export class WakeableSleeps {
  private readonly sleepers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.sleepers.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}
