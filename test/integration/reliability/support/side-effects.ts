import type { Redis } from 'ioredis';
import type { World } from '../../../../sandbox/world/start-world.js';
import { snapshotKeys } from './redis-keys.js';

/** Everything a request could have changed: Slack, Argo CD, and the store under the bot's prefix. */
export interface SideEffects {
  slackCalls: number;
  ephemerals: number;
  argocdRequests: number;
  keys: Record<string, string>;
}

/** Written on a timer by the reconciler leader (lease renewal, heartbeat), whatever the requests do. */
const TIMER_DRIVEN_KEY = /:(lock:)?reconciler:leader(:heartbeat)?$/;

export async function captureSideEffects(world: World, redis: Redis, prefix: string): Promise<SideEffects> {
  const keys = await snapshotKeys(redis, prefix);
  return {
    slackCalls: world.slack.calls.length,
    ephemerals: world.slack.ephemerals().length,
    argocdRequests: world.argocd.requests.length,
    keys: Object.fromEntries(Object.entries(keys).filter(([key]) => !TIMER_DRIVEN_KEY.test(key))),
  };
}

/**
 * Waits until nothing changes for `quietMs` (the world's own background work, such as auto-sync apps
 * deploying, has to finish before a test can say a request changed nothing). Returns the quiet state.
 */
export async function waitForQuiet(
  world: World,
  redis: Redis,
  prefix: string,
  { quietMs = 1500, timeoutMs = 20_000 } = {},
): Promise<SideEffects> {
  const deadline = Date.now() + timeoutMs;
  let last = await captureSideEffects(world, redis, prefix);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = await captureSideEffects(world, redis, prefix);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error(`the bot and its world did not go quiet within ${timeoutMs} ms`);
}
