import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { auditOf, cardIdOf, PROD, PROD_APP, storedCard, waitForCard } from './helpers.js';
import { type RedisProxy, startRedisProxy } from './redis-proxy.js';

describe.each(SLACK_TRANSPORTS)('lost Redis reply over %s', (slackTransport) => {
  // Redis runs a write, its reply is lost with the connection, ioredis sends the write again once it has
  // reconnected. The second copy must not look like someone else's write, or the click dies half-way.
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

  async function approveWithLostReply(message: string, match: (command: string, cardId: string) => boolean) {
    const { world } = env;
    const sha = await world.pushCommit({ author: 'dave', message });
    const card = await waitForCard(world, PROD, sha);
    const cardId = cardIdOf(card);
    const syncsBefore = world.argocd.syncRequests().length;
    const dropped = proxy.dropReplyTo((command) => match(command, cardId));
    await world.slack.clickButton({
      user: 'U0ALICE',
      channel: PROD,
      ts: card.ts,
      actionId: 'deploy_approve_sync',
    });
    await dropped;
    await eventually(async () => (await storedCard(env, cardId)).state === 'succeeded', {
      timeoutMs: 15_000,
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(
      world.argocd
        .syncRequests()
        .slice(syncsBefore)
        .map((s) => (s.body as { revision?: string }).revision),
    ).toEqual([sha]);
    const audit = (await auditOf(env, cardId)).map((e) => `${e.action}:${e.outcome}`);
    expect(audit).toEqual(['approve:allowed', 'sync-started:started']);
  }

  describe('a Redis reply is lost during Approve & Sync', () => {
    it('the claim (approved → syncing): the resent write is recognised as the claim itself; one sync', async () => {
      await approveWithLostReply(
        'Lost reply on the claim',
        (command, cardId) => command.includes(`"id":"${cardId}"`) && command.includes('"state":"syncing"'),
      );
    });

    it('the app lock (SET NX): the holder knows it holds it; one sync, not "another action is running"', async () => {
      await approveWithLostReply(
        'Lost reply on the lock',
        (command) => command.includes(`lock:app:argocd/${PROD_APP}`) && command.includes('NX'),
      );
    });
  });
});
