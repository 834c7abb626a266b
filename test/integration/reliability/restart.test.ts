import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { PEOPLE, POLICY_YAML } from '../../../sandbox/world/seed.js';
import { startWorld, type World } from '../../../sandbox/world/start-world.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually } from '../../helpers/start-world-bot.js';
import {
  cardsFor,
  type PostedCard,
  PROD_CHANNEL,
  pushAndWaitForPendingCard,
  waitForCardText,
} from './support/cards.js';
import { type ChildBot, startChildBot, writePolicyFile } from './support/child-bot.js';
import { deleteKeys, openRawRedis } from './support/redis-keys.js';

// The press that starts the sync is the Slack part; after a SIGKILL nothing more comes from Slack, so
// the two kill cases run once, over HTTP. The graceful stop, where the socket is closed and the next
// instance opens its own, runs over both.
describe.each(SLACK_TRANSPORTS)('restart over %s', (slackTransport) => {
  let world: World;
  let redis: Redis;
  const prefixes: string[] = [];
  const running: { child?: ChildBot; successor?: TestBot } = {};

  beforeAll(async () => {
    // Slow enough that the bot is still following the sync when it is killed.
    world = await startWorld({ slackTransport, timing: { syncMs: 3000, healthMs: 300 } });
    redis = openRawRedis(inject('redisUrl'));
  });

  afterEach(async () => {
    world.argocd.resumeNotifications();
    await running.child?.kill('SIGKILL');
    await running.successor?.stop();
    running.child = undefined;
    running.successor = undefined;
  });

  afterAll(async () => {
    await world?.close();
    for (const prefix of prefixes) await deleteKeys(redis, prefix);
    redis?.disconnect();
  });

  function newPrefix(): string {
    const prefix = `rel-restart:${randomUUID()}:`;
    prefixes.push(prefix);
    return prefix;
  }

  async function startChild(prefix: string, policyYaml = POLICY_YAML): Promise<ChildBot> {
    const child = await startChildBot({
      env: { ...world.env, REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix },
      policyPath: writePolicyFile(policyYaml),
      port: world.botPort,
    });
    running.child = child;
    return child;
  }

  async function startSuccessor(prefix: string, policyYaml = POLICY_YAML): Promise<TestBot> {
    const successor = await startTestBot({ env: world.env, policy: policyYaml, port: world.botPort, prefix });
    running.successor = successor;
    return successor;
  }

  /** Approves the card as Alice and waits until the bot follows the running sync (card shows "syncing"). */
  async function approveAndWaitForSyncing(card: PostedCard): Promise<number> {
    const syncsBefore = world.argocd.syncRequests().length;
    const click = await world.slack.clickButton({
      user: PEOPLE.alice.id,
      channel: PROD_CHANNEL,
      ts: card.ts,
      actionId: 'deploy_approve_sync',
    });
    expect(click.status).toBe(200);
    await eventually(() => world.argocd.syncRequests().length === syncsBefore + 1);
    await waitForCardText(world, card.ts, /is syncing/);
    return syncsBefore + 1;
  }

  const lockKeys = (prefix: string) => redis.keys(`${prefix}lock:*`);

  if (slackTransport === 'http')
    describe('the bot is killed while it follows a sync', () => {
      it('SIGKILL, then a fresh instance on the same store finishes the card at start-up (default policy)', {
        timeout: 60_000,
      }, async () => {
        const prefix = newPrefix();
        const child = await startChild(prefix);
        const card = await pushAndWaitForPendingCard(world);
        // From here on only the bot's own following can move the card: Argo CD's notifications are lost.
        world.argocd.pauseNotifications();
        const syncs = await approveAndWaitForSyncing(card);

        expect(await child.kill('SIGKILL')).toBeNull();
        await startSuccessor(prefix);

        // Start-up reconciliation: the card must not wait for the dead replica's lease (3 × reconcileInterval).
        await waitForCardText(world, card.ts, /was deployed/, 20_000);
        expect(world.argocd.syncRequests()).toHaveLength(syncs);
        expect(cardsFor(world, card.sha)).toHaveLength(1);
      });

      it('SIGKILL with a short reconcileInterval: the successor takes the lease when it expires and finishes the card', {
        timeout: 60_000,
      }, async () => {
        const prefix = newPrefix();
        const policy = POLICY_YAML.replace(/^reconcileInterval: .*$/m, 'reconcileInterval: 2s');
        expect(policy).toContain('reconcileInterval: 2s');
        const child = await startChild(prefix, policy);
        const card = await pushAndWaitForPendingCard(world);
        world.argocd.pauseNotifications();
        const syncs = await approveAndWaitForSyncing(card);

        expect(await child.kill('SIGKILL')).toBeNull();
        const successor = await startSuccessor(prefix, policy);

        await waitForCardText(world, card.ts, /was deployed/, 20_000);
        expect(world.argocd.syncRequests()).toHaveLength(syncs);
        expect(cardsFor(world, card.sha)).toHaveLength(1);
        await eventually(() => successor.bot.features.reconciler.isLeader);
      });
    });

  describe('the bot is stopped gracefully', () => {
    it('SIGTERM releases every lock and the reconciler lease; the next instance leads at once and finishes the card', {
      timeout: 60_000,
    }, async () => {
      const prefix = newPrefix();
      const child = await startChild(prefix);
      await eventually(async () => (await redis.exists(`${prefix}lock:reconciler:leader`)) === 1);
      const leaseTtlMs = await redis.pttl(`${prefix}lock:reconciler:leader`);
      // The default policy's lease is 3 × 60 s: "at once" below cannot be the lease running out.
      expect(leaseTtlMs).toBeGreaterThan(60_000);

      const card = await pushAndWaitForPendingCard(world);
      world.argocd.pauseNotifications();
      const syncs = await approveAndWaitForSyncing(card);

      expect(await child.kill('SIGTERM')).toBe(0);
      expect(await lockKeys(prefix)).toEqual([]);
      expect(child.output.join('\n')).toMatch(/deploybot stopped/);

      const startedAt = Date.now();
      const successor = await startSuccessor(prefix);
      await eventually(() => successor.bot.features.reconciler.isLeader, { timeoutMs: 3000 });
      expect(Date.now() - startedAt).toBeLessThan(5000);
      await waitForCardText(world, card.ts, /was deployed/, 15_000);
      expect(world.argocd.syncRequests()).toHaveLength(syncs);
      expect(cardsFor(world, card.sha)).toHaveLength(1);
    });
  });
});
