/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapBounded(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}
/** Resolves to the promise's value, or to `fallback` once `ms` have passed (the work keeps running). */
export async function withDeadline(promise, ms, fallback) {
    let timer;
    const timeout = new Promise((resolve) => {
        timer = setTimeout(() => resolve(fallback), ms);
        timer.unref?.();
    });
    try {
        return await Promise.race([promise.catch(() => fallback), timeout]);
    }
    finally {
        if (timer)
            clearTimeout(timer);
    }
}
