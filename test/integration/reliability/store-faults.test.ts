import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { POLICY_YAML } from '../../../sandbox/world/seed.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { buttonValue, cardsFor, settle } from './support/cards.js';
import { createFlakyStore, type FlakyStore } from './support/flaky-store.js';
import { deleteKeys, openRawRedis } from './support/redis-keys.js';

// The reconciler is the safety net that must repair these faults; let it run every second.
const POLICY = POLICY_YAML.replace(/^reconcileInterval: .*$/m, 'reconcileInterval: 1s');

const prefix = `rel-store:${randomUUID()}:`;
let flaky: FlakyStore;
let env: WorldWithBot;
let redis: Redis;

beforeAll(async () => {
  flaky = createFlakyStore(inject('redisUrl'), prefix);
  env = await startWorldWithBot({}, { store: flaky.store, prefix, policy: POLICY });
  redis = openRawRedis(inject('redisUrl'));
});
afterAll(async () => {
  await env?.stop();
  await deleteKeys(redis, prefix);
  redis?.disconnect();
});

const isCardKey = (args: unknown[]) => typeof args[0] === 'string' && args[0].startsWith('card:');
const value = (args: unknown[]) =>
  args[1] as { ts?: string; revision?: string; app?: { name?: string } } | undefined;

describe('Redis fails between two writes that belong together', () => {
  it('between the card index and the card itself: the card still appears, once', async () => {
    // The first write of a new prod card record fails; its (app, revision) index was written just before.
    flaky.failNext({
      method: 'compareAndSet',
      when: (args) => isCardKey(args) && args[2] === 0 && value(args)?.app?.name === 'event-ingestion-prod',
    });
    const sha = await env.world.pushCommit({ author: 'dave' });
    await eventually(() => flaky.injected.length === 1);
    const card = await eventually(
      () => cardsFor(env.world, sha).find((m) => buttonValue(m, 'deploy_approve_sync') !== undefined),
      { timeoutMs: 10_000 },
    );
    expect(card).toBeDefined();
    await settle(env.bot);
    expect(cardsFor(env.world, sha)).toHaveLength(1);
  }, 20_000);

  it('after the card is posted but before its message ts is stored: the retry does not post it twice', async () => {
    // Only the new revision's card: the older card's own updates (it gets superseded) must not trip it.
    const older = env.world.headOf('main');
    flaky.failNext({
      method: ['compareAndSet', 'writeIfVersion'],
      when: (args) =>
        isCardKey(args) &&
        typeof value(args)?.ts === 'string' &&
        value(args)?.app?.name === 'event-ingestion-prod' &&
        value(args)?.revision !== older,
    });
    const before = flaky.injected.length;
    const sha = await env.world.pushCommit({ author: 'dave', message: 'Compress batches with zstd' });
    await eventually(() => flaky.injected.length === before + 1);
    await eventually(() => cardsFor(env.world, sha).length > 0, { timeoutMs: 10_000 });
    await settle(env.bot);
    // The publisher retries with backoff (about a second); give it time to (wrongly) post again.
    await new Promise((r) => setTimeout(r, 4000));
    await settle(env.bot);
    expect(cardsFor(env.world, sha)).toHaveLength(1);
  }, 20_000);
});
