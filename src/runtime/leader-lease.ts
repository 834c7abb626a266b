import { performance } from 'node:perf_hooks';
import type { Logger } from '../logging/create-logger.js';
import type { Store } from '../store/store.js';

interface Heartbeat {
  token: string;
}

export interface LeaderLeaseOptions {
  store: Store;
  logger: Logger;
  /** The lock key; its TTL is `leaseMs`. */
  key: string;
  leaseMs: number;
  /** How often the leader proves it is alive; a heartbeat unchanged for 3 periods means the leader died. */
  heartbeatMs: number;
}

/**
 * One leader among replicas: a lock in the store, renewed by its holder. The lock's TTL is long (a
 * leader may be slow), so the holder also bumps a heartbeat record every period; a replica that sees
 * the heartbeat stand still for three periods frees the dead holder's lock and takes it. Staleness is
 * judged on the watcher's own monotonic clock, so clock skew between replicas does not matter.
 */
export class LeaderLease {
  private token?: string;
  private holding?: Promise<boolean>;
  private seen?: { version: number; token: string; at: number };
  private readonly heartbeatKey: string;

  constructor(private readonly options: LeaderLeaseOptions) {
    this.heartbeatKey = `${options.key}:heartbeat`;
  }

  get isLeader(): boolean {
    return this.token !== undefined;
  }

  /** Keeps the lease (renewing lock and heartbeat) or tries to get it; true while this replica leads. */
  hold(): Promise<boolean> {
    // One attempt at a time: two racing attempts would each see the other's lock as someone else's.
    this.holding ??= this.holdOnce().finally(() => {
      this.holding = undefined;
    });
    return this.holding;
  }

  private async holdOnce(): Promise<boolean> {
    const { store, key, leaseMs, logger } = this.options;
    if (this.token) {
      if (await store.renewLock(key, this.token, leaseMs)) {
        await this.beat();
        return true;
      }
      this.token = undefined;
      logger.warn('lost the reconciler lease to another replica');
    }
    this.token = (await store.acquireLock(key, leaseMs)) ?? (await this.takeOverFromDeadLeader());
    if (!this.token) return false;
    this.seen = undefined;
    await this.beat();
    logger.info('this replica leads reconciliation');
    return true;
  }

  /** Hands the lease back (graceful stop) so another replica leads at once. */
  async release(): Promise<void> {
    await this.holding?.catch(() => false);
    const token = this.token;
    this.token = undefined;
    if (!token) return;
    const { store, key } = this.options;
    await store.releaseLock(key, token).catch(() => {});
    const beat = await store.get<Heartbeat>(this.heartbeatKey).catch(() => undefined);
    if (beat?.value.token === token) await store.delete(this.heartbeatKey).catch(() => {});
  }

  private async beat(): Promise<void> {
    const { store, leaseMs } = this.options;
    const current = await store.get<Heartbeat>(this.heartbeatKey);
    await store.compareAndSet(this.heartbeatKey, { token: this.token }, current?.version ?? 0, leaseMs);
  }

  private async takeOverFromDeadLeader(): Promise<string | undefined> {
    const { store, key, leaseMs, heartbeatMs, logger } = this.options;
    const beat = await store.get<Heartbeat>(this.heartbeatKey);
    const now = performance.now();
    if (!beat) {
      this.seen = undefined;
      return undefined;
    }
    if (this.seen?.version !== beat.version || this.seen.token !== beat.value.token) {
      this.seen = { version: beat.version, token: beat.value.token, at: now };
      return undefined;
    }
    if (now - this.seen.at < 3 * heartbeatMs) return undefined;
    // Only frees the lock if the silent leader still holds it; then the usual race decides who leads.
    if (!(await store.releaseLock(key, beat.value.token))) return undefined;
    logger.warn(
      { silentForMs: Math.round(now - this.seen.at) },
      'the reconciler leader went silent; taking over',
    );
    this.seen = undefined;
    return store.acquireLock(key, leaseMs);
  }
}
