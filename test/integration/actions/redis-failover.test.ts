import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisStore } from '../../../src/store/redis-store.js';
import { type SentinelTopology, startRedisSentinel } from '../../helpers/redis-topologies.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { cardIdOf, ephemeralTexts, PROD, storedCard, waitForCard } from './helpers.js';

// A real Sentinel watching a real master and replica: the master dies during a click, Sentinel promotes
// the replica, and the bot (REDIS_URL=redis+sentinel://…) fails closed, then carries on against the new master.
describe('Redis Sentinel failover during a click', () => {
  let sentinel: SentinelTopology;
  let env: WorldWithBot;
  beforeAll(async () => {
    sentinel = await startRedisSentinel();
    env = await startWorldWithBot({ slackTransport: 'http' }, { env: { REDIS_URL: sentinel.url } });
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
    await sentinel?.stop();
  }, 60_000);

  const click = (user: string, ts: string) =>
    env.world.slack.clickButton({ user, channel: PROD, ts, actionId: 'deploy_approve_sync' });
  const tryAgain = (user: string) =>
    ephemeralTexts(env.world, user).filter((t) =>
      /could not record \*Approve &amp; Sync\* right now \(the state store is unreachable\).*nothing will run later/.test(
        t,
      ),
    );

  it('answers "try again" while the master is gone, never syncs that click, and syncs once after the failover', async () => {
    const { world } = env;
    const store = env.bot.store as RedisStore;
    expect(store.topology).toBe('sentinel');
    const sha = await world.pushCommit({ author: 'dave', message: 'Failover during the click' });
    const card = await waitForCard(world, PROD, sha);
    const cardId = cardIdOf(card);
    world.argocd.clearRequests();
    // The card must be on the replica before its master dies (replication is asynchronous).
    expect(Number(await store.client.call('WAIT', '1', '5000'))).toBe(1);

    const oldMaster = await sentinel.masterPort();
    await sentinel.killMaster();
    const ack = await click('U0ALICE', card.ts);
    expect(ack.status).toBe(200);
    await eventually(() => tryAgain('U0ALICE').length === 1, { timeoutMs: 15_000 });

    const newMaster = await sentinel.waitForNewMaster(oldMaster);
    expect(newMaster).not.toBe(oldMaster);
    await eventually(
      async () => {
        await store.ping();
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(world.argocd.syncRequests()).toHaveLength(0);
    expect(await storedCard(env, cardId)).toMatchObject({ state: 'pending', approvals: [] });

    // Trying again on the promoted master works, once.
    await click('U0ALICE', card.ts);
    await eventually(async () => (await storedCard(env, cardId)).state === 'succeeded', {
      timeoutMs: 20_000,
    });
    expect(world.argocd.syncRequests()).toHaveLength(1);
  }, 120_000);
});
