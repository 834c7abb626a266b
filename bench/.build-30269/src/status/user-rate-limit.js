/**
 * A fixed window per user in the shared store (version-checked counter), so the limit holds across
 * replicas. A store outage lets the request through: the command only reads.
 */
export class UserRateLimit {
    store;
    options;
    constructor(store, options) {
        this.store = store;
        this.options = options;
    }
    async take(user) {
        const { limit, windowMs, now } = this.options;
        const windowIndex = Math.floor(now() / windowMs);
        const retryAfterMs = (windowIndex + 1) * windowMs - now();
        const key = `status-rate:${user}:${windowIndex}`;
        try {
            for (let attempt = 0; attempt < 10; attempt++) {
                const current = await this.store.get(key);
                const used = current?.value ?? 0;
                if (used >= limit)
                    return { allowed: false, retryAfterMs };
                const written = await this.store.compareAndSet(key, used + 1, current?.version ?? 0, windowMs * 2);
                if (written !== undefined)
                    return { allowed: true, retryAfterMs };
            }
            return { allowed: false, retryAfterMs };
        }
        catch (error) {
            this.options.logger.warn({ err: error, user }, 'rate limit unavailable; answering anyway');
            return { allowed: true, retryAfterMs: 0 };
        }
    }
}
