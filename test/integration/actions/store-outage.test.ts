import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  auditOf,
  cardIdOf,
  ephemeralTexts,
  latest,
  PROD,
  storedCard,
  textOf,
  waitForCard,
} from './helpers.js';
import { type RedisProxy, startRedisProxy } from './redis-proxy.js';

describe.each(SLACK_TRANSPORTS)('store outage during a click over %s', (slackTransport) => {
  let proxy: RedisProxy;
  let env: WorldWithBot;
  beforeAll(async () => {
    proxy = await startRedisProxy(inject('redisUrl'));
    env = await startWorldWithBot({ slackTransport }, { env: { REDIS_URL: proxy.url } });
  });
  afterAll(async () => {
    await env?.stop();
    await proxy?.close();
  });

  const click = (user: string, ts: string) =>
    env.world.slack.clickButton({ user, channel: PROD, ts, actionId: 'deploy_approve_sync' });

  const tryAgain = (user: string) =>
    ephemeralTexts(env.world, user).filter((t) =>
      /could not record \*Approve &amp; Sync\* right now \(the state store is unreachable\).*nothing will run later/.test(
        t,
      ),
    );

  async function storeIsBack(): Promise<void> {
    await eventually(async () => {
      await env.bot.store.ping();
      return true;
    });
  }

  describe('the store (Redis) goes away during a click', () => {
    it('answers "try again" and never carries the click out later', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Outage before the click' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);

      proxy.cut();
      const ack = await click('U0ALICE', card.ts);
      expect(ack.status).toBe(200);
      await eventually(() => tryAgain('U0ALICE').length === 1);

      proxy.restore();
      await storeIsBack();
      await new Promise((r) => setTimeout(r, 1500));
      expect(world.argocd.syncRequests()).toHaveLength(0);
      expect(await storedCard(env, cardId)).toMatchObject({ state: 'pending', approvals: [] });

      // Trying again once it is back works, once.
      await click('U0ALICE', card.ts);
      await eventually(async () => (await storedCard(env, cardId)).state === 'succeeded');
      expect(world.argocd.syncRequests()).toHaveLength(1);
    });

    it('an approval recorded just before the outage does not sync by itself; a new Approve click restarts it once', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Outage in the middle' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      world.argocd.clearRequests();
      // Argo CD answers slowly, so the store can go away between recording the approval and starting the sync.
      world.argocd.setLatency(1500);
      await click('U0ALICE', card.ts);
      await eventually(async () => (await storedCard(env, cardId)).state === 'approved', { intervalMs: 10 });
      proxy.cut();
      await eventually(() => tryAgain('U0ALICE').length === 2, { timeoutMs: 10_000 });

      proxy.restore();
      world.argocd.setLatency(0);
      await storeIsBack();
      await new Promise((r) => setTimeout(r, 2500));
      expect(world.argocd.syncRequests()).toHaveLength(0);
      expect((await storedCard(env, cardId)).state).toBe('approved');

      await click('U0ALICE', card.ts);
      await eventually(async () => (await storedCard(env, cardId)).state === 'succeeded');
      await new Promise((r) => setTimeout(r, 500));
      expect(world.argocd.syncRequests().map((s) => (s.body as { revision?: string }).revision)).toEqual([
        sha,
      ]);
      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Deployed*'));
      const audit = (await auditOf(env, cardId)).map((e) => `${e.action}:${e.outcome}:${e.user ?? ''}`);
      expect(audit).toEqual([
        'approve:allowed:U0ALICE',
        'approve:resumed:U0ALICE',
        'sync-started:started:U0ALICE',
      ]);
    });
  });
});
