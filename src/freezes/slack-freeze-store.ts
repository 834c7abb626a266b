import type { SlackFreeze } from '../domain/freeze-window.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';

/** Kept a little past its end, so a replica whose clock lags still reads it until its own `until`. */
const TTL_SLACK_MS = 60_000;

/**
 * Freezes declared from Slack, one per environment, in the shared store: all replicas see one at once,
 * a restart keeps it, and its TTL removes it once it has ended. Readers still compare `until` with their
 * clock (the TTL is Redis time; decisions use deploybot's).
 */
export class SlackFreezeStore {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** The environment's Slack freeze if it is in force now. */
  async inForce(environment: string): Promise<SlackFreeze | undefined> {
    const found = await this.store.get<SlackFreeze>(storeKeys.slackFreeze(environment));
    const freeze = found?.value;
    const now = this.now();
    return freeze && freeze.from <= now && now < freeze.until ? freeze : undefined;
  }

  /** The freezes in force of the named environments (absent ones left out). */
  async listInForce(environments: readonly string[]): Promise<SlackFreeze[]> {
    const found = await Promise.all(environments.map((environment) => this.inForce(environment)));
    return found.filter((freeze): freeze is SlackFreeze => freeze !== undefined);
  }

  /** Declares (or replaces) the environment's freeze. */
  async put(freeze: SlackFreeze): Promise<void> {
    const key = storeKeys.slackFreeze(freeze.environment);
    const ttlMs = Math.max(1000, freeze.until - this.now()) + TTL_SLACK_MS;
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.store.get<SlackFreeze>(key);
      if ((await this.store.compareAndSet(key, freeze, current?.version ?? 0, ttlMs)) !== undefined) return;
    }
    throw new Error(`could not store the freeze of ${freeze.environment}`);
  }

  /** Ends the environment's freeze; returns the one that was in force, if any. */
  async end(environment: string): Promise<SlackFreeze | undefined> {
    const current = await this.inForce(environment);
    await this.store.delete(storeKeys.slackFreeze(environment));
    return current;
  }
}
