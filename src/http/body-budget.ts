import type { RouteResult } from './route.js';

/**
 * The bytes that bodies not yet authenticated may hold at once on one route. Well-formed signature
 * headers cost an attacker nothing, so without this 40 slow forged uploads buffered 40 bodies (RSS
 * 156 → 351 MiB of a 384 Mi limit). A body is charged what it may grow to (its Content-Length, or the
 * route's limit when chunked) from its first byte until its HMAC has been checked; a request that does
 * not fit gets 503 at once. Charging bytes rather than counting requests bounds memory directly: a
 * count cap either still admits many 5 MiB bodies or refuses bursts of 2 KiB Slack clicks.
 */
export interface BodyBudget {
  /** Reserves `bytes`, or undefined when they do not fit; the returned release is idempotent. */
  tryReserve(bytes: number): (() => void) | undefined;
  readonly inUse: number;
  readonly maxBytes: number;
}

export function createBodyBudget(maxBytes: number): BodyBudget {
  let inUse = 0;
  return {
    maxBytes,
    get inUse() {
      return inUse;
    },
    tryReserve(bytes) {
      const charge = Math.max(0, bytes);
      if (inUse + charge > maxBytes) return undefined;
      inUse += charge;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inUse -= charge;
      };
    },
  };
}

/** How long a refused client should wait: a held body is done within the request timeout at the latest. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/**
 * 503 rather than 429: the limit is the server's capacity, not this caller's rate (forged requests
 * from anyone fill it); Slack's Events API retries a 5xx and GitHub marks the delivery failed, to redeliver.
 */
export function busyResult(): RouteResult {
  return {
    status: 503,
    outcome: 'busy',
    headers: { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) },
    body: { error: 'too many unverified request bodies in flight, retry later' },
  };
}
