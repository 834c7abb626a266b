import type { Logger } from '../logging/create-logger.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';

export interface RateDecision {
  allowed: boolean;
  /** When the current window ends, for the "try again in …" message. */
  retryAfterMs: number;
}

/**
 * A fixed window per user in the shared store (version-checked counter), so the limit holds across
 * replicas. A store outage lets the request through: the command only reads.
 */
export class UserRateLimit {
  constructor(
    private readonly store: Store,
    private readonly options: { limit: number; windowMs: number; now: () => number; logger: Logger },
  ) {}

  async take(user: string): Promise<RateDecision> {
    const { limit, windowMs, now } = this.options;
    const windowIndex = Math.floor(now() / windowMs);
    const retryAfterMs = (windowIndex + 1) * windowMs - now();
    const key = storeKeys.statusRate(user, windowIndex);
    try {
      for (let attempt = 0; attempt < 10; attempt++) {
        const current = await this.store.get<number>(key);
        const used = current?.value ?? 0;
        if (used >= limit) return { allowed: false, retryAfterMs };
        const written = await this.store.compareAndSet(key, used + 1, current?.version ?? 0, windowMs * 2);
        if (written !== undefined) return { allowed: true, retryAfterMs };
      }
      return { allowed: false, retryAfterMs };
    } catch (error) {
      this.options.logger.warn({ err: error, user }, 'rate limit unavailable; answering anyway');
      return { allowed: true, retryAfterMs: 0 };
    }
  }
}
