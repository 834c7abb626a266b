import type { AppRef } from '../domain/card.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';

const APP_LOCK_TTL_MS = 60_000;
const POLL_MS = 100;
const RELEASE_RETRY_MS = 500;
const RENEW_MIN_MS = 1_000;

export type Locked<T> = { locked: true; value: T } | { locked: false };

/**
 * Hands a lock back; when the store is away, keeps trying in the background until the lock would
 * have expired, so that an outage does not leave the app blocked for the whole TTL once it is over.
 */
async function release(store: Store, key: string, token: string, until: number): Promise<void> {
  try {
    await store.releaseLock(key, token);
  } catch {
    if (Date.now() + RELEASE_RETRY_MS >= until) return;
    setTimeout(() => void release(store, key, token, until), RELEASE_RETRY_MS).unref();
  }
}

/** Runs `run` while holding `key`, waiting up to `waitMs` for it; `locked: false` when it stayed taken. */
export async function withLock<T>(
  store: Store,
  key: string,
  { ttlMs, waitMs }: { ttlMs: number; waitMs: number },
  run: () => Promise<T>,
): Promise<Locked<T>> {
  const deadline = Date.now() + waitMs;
  let token = await store.acquireLock(key, ttlMs);
  while (!token && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    token = await store.acquireLock(key, ttlMs);
  }
  if (!token) return { locked: false };
  const held = token;
  let expiresAt = Date.now() + ttlMs;
  // A live holder keeps its lock however long the work takes (a sync request may be followed by a long
  // look-out on Argo CD); a holder that is paused or cut off from the store stops renewing and loses it
  // after the TTL, which is why the work itself re-checks its claim (a fencing token) before it writes.
  let renewing = true;
  const renewal = setInterval(
    () => {
      if (!renewing) return;
      const at = Date.now();
      store.renewLock(key, held, ttlMs).then(
        (kept) => {
          if (kept) expiresAt = at + ttlMs;
          else renewing = false;
        },
        () => {},
      );
    },
    Math.max(RENEW_MIN_MS, Math.floor(ttlMs / 3)),
  );
  renewal.unref();
  try {
    return { locked: true, value: await run() };
  } finally {
    clearInterval(renewal);
    await release(store, key, held, expiresAt);
  }
}

/**
 * One Argo CD operation request per application at a time, across replicas. A holder that dies
 * frees it after the TTL; waiting a little covers a neighbour that is just finishing.
 */
export function withAppLock<T>(
  store: Store,
  app: AppRef,
  waitMs: number,
  run: () => Promise<T>,
): Promise<Locked<T>> {
  return withLock(store, storeKeys.appLock(app), { ttlMs: APP_LOCK_TTL_MS, waitMs }, run);
}
