const APP_LOCK_TTL_MS = 60_000;
const POLL_MS = 100;
const RELEASE_RETRY_MS = 500;
/**
 * Hands a lock back; when the store is away, keeps trying in the background until the lock would
 * have expired, so that an outage does not leave the app blocked for the whole TTL once it is over.
 */
async function release(store, key, token, until) {
    try {
        await store.releaseLock(key, token);
    }
    catch {
        if (Date.now() + RELEASE_RETRY_MS >= until)
            return;
        setTimeout(() => void release(store, key, token, until), RELEASE_RETRY_MS).unref();
    }
}
/** Runs `run` while holding `key`, waiting up to `waitMs` for it; `locked: false` when it stayed taken. */
export async function withLock(store, key, { ttlMs, waitMs }, run) {
    const deadline = Date.now() + waitMs;
    let token = await store.acquireLock(key, ttlMs);
    while (!token && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        token = await store.acquireLock(key, ttlMs);
    }
    if (!token)
        return { locked: false };
    const expiresAt = Date.now() + ttlMs;
    try {
        return { locked: true, value: await run() };
    }
    finally {
        await release(store, key, token, expiresAt);
    }
}
/**
 * One Argo CD operation request per application at a time, across replicas. A holder that dies
 * frees it after the TTL; waiting a little covers a neighbour that is just finishing.
 */
export function withAppLock(store, app, waitMs, run) {
    return withLock(store, `app:${app.namespace}/${app.name}`, { ttlMs: APP_LOCK_TTL_MS, waitMs }, run);
}
