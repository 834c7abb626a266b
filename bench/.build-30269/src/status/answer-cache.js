/**
 * A short in-process cache of computed status rows: a repeated query, or a click on **Next**, reuses the
 * rows instead of listing every application again. Concurrent identical loads share one promise.
 */
export class AnswerCache {
    now;
    maxEntries;
    entries = new Map();
    loading = new Map();
    constructor(now, maxEntries = 50) {
        this.now = now;
        this.maxEntries = maxEntries;
    }
    async get(key, maxAgeMs, load) {
        const hit = this.entries.get(key);
        if (hit && this.now() - hit.at <= maxAgeMs)
            return { value: hit.value, cached: true };
        const running = this.loading.get(key);
        if (running)
            return { value: await running, cached: true };
        const promise = load();
        this.loading.set(key, promise);
        try {
            const value = await promise;
            this.entries.delete(key);
            this.entries.set(key, { at: this.now(), value });
            while (this.entries.size > this.maxEntries) {
                const oldest = this.entries.keys().next().value;
                if (oldest === undefined)
                    break;
                this.entries.delete(oldest);
            }
            return { value, cached: false };
        }
        finally {
            this.loading.delete(key);
        }
    }
    /** True when a fresh enough entry exists (the caller can skip the rate limit: it costs nothing). */
    has(key, maxAgeMs) {
        const hit = this.entries.get(key);
        return (hit !== undefined && this.now() - hit.at <= maxAgeMs) || this.loading.has(key);
    }
}
