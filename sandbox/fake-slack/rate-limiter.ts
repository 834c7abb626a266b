/**
 * Slack's documented per-method tiers (calls per minute, per app per workspace) and the special
 * chat.postMessage limit of about one message per second per channel with short bursts.
 */
const METHOD_TIERS: Record<string, number> = {
  'auth.test': 4,
  'chat.getPermalink': 4,
  'chat.postEphemeral': 4,
  'chat.update': 3,
  'conversations.replies': 3,
  'reactions.add': 3,
  'usergroups.users.list': 2,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'views.open': 4,
  'views.update': 4,
};

export const TIER_CALLS_PER_MINUTE: Record<number, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };

export const POST_MESSAGE_BURST = 5;
const WINDOW_MS = 60_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly forced = new Map<string, { remaining: number; retryAfterSec: number }>();
  private readonly windows = new Map<string, number[]>();
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly now: () => number,
    private readonly realistic: boolean,
  ) {}

  force(method: string, calls: number, retryAfterSec: number): void {
    this.forced.set(method, { remaining: calls, retryAfterSec });
  }

  /** Retry-After seconds when a forced limit applies to this call. */
  takeForced(method: string): number | undefined {
    const forced = this.forced.get(method);
    if (!forced || forced.remaining <= 0) return undefined;
    forced.remaining -= 1;
    if (forced.remaining === 0) this.forced.delete(method);
    return forced.retryAfterSec;
  }

  /** Retry-After seconds when the realistic limits refuse this call; counts the call otherwise. */
  check(method: string, channel: string | undefined): number | undefined {
    if (!this.realistic) return undefined;
    if (method === 'chat.postMessage') return this.takeToken(channel ?? '');
    const tier = METHOD_TIERS[method];
    const limit = tier === undefined ? undefined : TIER_CALLS_PER_MINUTE[tier];
    if (limit === undefined) return undefined;
    const now = this.now();
    const recent = (this.windows.get(method) ?? []).filter((t) => now - t < WINDOW_MS);
    this.windows.set(method, recent);
    const oldest = recent[0];
    if (recent.length >= limit && oldest !== undefined) {
      return Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    }
    recent.push(now);
    return undefined;
  }

  private takeToken(channel: string): number | undefined {
    const now = this.now();
    const bucket = this.buckets.get(channel) ?? { tokens: POST_MESSAGE_BURST, updatedAt: now };
    bucket.tokens = Math.min(POST_MESSAGE_BURST, bucket.tokens + (now - bucket.updatedAt) / 1000);
    bucket.updatedAt = now;
    this.buckets.set(channel, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil(1 - bucket.tokens));
    bucket.tokens -= 1;
    return undefined;
  }

  reset(): void {
    this.forced.clear();
    this.windows.clear();
    this.buckets.clear();
  }
}
