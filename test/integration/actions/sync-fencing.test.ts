import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisStore } from '../../../src/store/redis-store.js';
import type { Store } from '../../../src/store/store.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { deleteKeys, openRawRedis } from '../reliability/support/redis-keys.js';
import {
  actionIds,
  auditOf,
  cardIdOf,
  craftClick,
  ephemeralTexts,
  latest,
  PROD,
  PROD_APP,
  socketOpenedBy,
  storedCard,
  waitForCard,
} from './helpers.js';

// The stuck-claim recovery gives up a claim after 120 s without a trace in Argo CD.
const PAST_THE_GRACE_MS = 121_000;

interface FreezableStore {
  store: Store;
  /** After the next call matching `when` has run, it and every later call wait: the replica is frozen. */
  freezeAfter(methods: string[], when: (args: unknown[]) => boolean): Promise<void>;
  thaw(): void;
}

/**
 * The real Redis store of one replica, which a test can freeze right after a chosen write (as a
 * stop-the-world pause, a stalled node or a partition would): the write has happened, the replica
 * does not go on, and nothing it sends reaches the store until it thaws.
 */
function createFreezableStore(url: string, prefix: string): FreezableStore {
  const real = new RedisStore({ url, prefix });
  let rule: { methods: string[]; when: (args: unknown[]) => boolean; frozen: () => void } | undefined;
  let gate: Promise<void> | undefined;
  let open = () => {};
  const store = new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (gate) await gate;
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (rule?.methods.includes(String(property)) && rule.when(args)) {
          const { frozen } = rule;
          rule = undefined;
          gate = new Promise<void>((resolve) => {
            open = resolve;
          });
          frozen();
          await gate;
        }
        return result;
      };
    },
  });
  return {
    store,
    freezeAfter: (methods, when) =>
      new Promise<void>((resolve) => {
        rule = { methods, when, frozen: resolve };
      }),
    thaw() {
      gate = undefined;
      open();
    },
  };
}

describe.each(SLACK_TRANSPORTS)('sync fencing over %s', (slackTransport) => {
  const prefix = `test:${randomUUID()}:`;
  let frozen: FreezableStore;
  let env: WorldWithBot;
  let successor: TestBot;
  // Over Socket Mode each replica's own connection: a press must reach the replica the test means.
  let replicaA: string | undefined;
  let replicaB: string | undefined;
  let redis: Redis;

  beforeAll(async () => {
    frozen = createFreezableStore(inject('redisUrl'), prefix);
    // Replica A gets the first click (the fake Slack's request URL, or its socket); replica B shares the store, its clock
    // already past the recovery's grace, as it will be once A has been stalled that long.
    env = await startWorldWithBot({ slackTransport }, { store: frozen.store, prefix });
    replicaA = env.world.slack.socket.connections[0]?.id;
    ({ started: successor, connectionId: replicaB } = await socketOpenedBy(env.world, () =>
      startTestBot({
        env: env.world.env,
        policy: env.world.policyYaml,
        prefix,
        now: () => Date.now() + PAST_THE_GRACE_MS,
      }),
    ));
    redis = openRawRedis(inject('redisUrl'));
  });
  afterAll(async () => {
    frozen?.thaw();
    await successor?.stop();
    await env?.stop();
    await deleteKeys(redis, prefix);
    redis?.disconnect();
  });

  describe('a replica stalls between claiming a sync and sending it', () => {
    it('after the recovery gave the claim up and Retry synced elsewhere, the stalled replica sends nothing', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Stalled claim' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      world.argocd.clearRequests();

      // A claims the sync (approved → syncing) and freezes right after that write, before its request.
      // A version-checked write is compareAndSet or, from a remembered version, writeIfVersion.
      const claimed = frozen.freezeAfter(['compareAndSet', 'writeIfVersion'], (args) => {
        const value = args[1] as { id?: string; state?: string } | undefined;
        return value?.id === cardId && value.state === 'syncing';
      });
      await craftClick(world, {
        botUrl: env.bot.url,
        connectionId: replicaA,
        user: 'U0ALICE',
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      await claimed;
      expect((await storedCard({ ...env, bot: successor }, cardId)).state).toBe('syncing');
      // Frozen longer than the app lock's TTL: the lock has expired.
      await redis.del(`${prefix}lock:app:argocd/${PROD_APP}`);

      // B's reconciler finds the claim without a trace in Argo CD past the grace: failed, with Retry.
      await successor.bot.features.reconciler.reconcile();
      await eventually(async () => (await storedCard({ ...env, bot: successor }, cardId)).state === 'failed');
      await eventually(() => actionIds(latest(world, PROD, card.ts)).includes('deploy_retry'));
      await craftClick(world, {
        botUrl: successor.url,
        connectionId: replicaB,
        user: 'U0BOB',
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_retry',
      });
      await eventually(() => world.argocd.syncRequests().length === 1);
      await eventually(
        async () => (await storedCard({ ...env, bot: successor }, cardId)).state === 'succeeded',
        {
          timeoutMs: 10_000,
        },
      );

      // A wakes up and carries on where it stopped: its claim is no longer on the card.
      const answersBefore = ephemeralTexts(world, 'U0ALICE').length;
      frozen.thaw();
      // Until A has done whatever it does next: answer Alice, or send a second sync.
      await eventually(
        () =>
          ephemeralTexts(world, 'U0ALICE').length > answersBefore || world.argocd.syncRequests().length > 1,
        { timeoutMs: 15_000 },
      );
      await new Promise((r) => setTimeout(r, 1500));
      expect(world.argocd.syncRequests(), 'exactly one POST …/sync').toHaveLength(1);
      expect(ephemeralTexts(world, 'U0ALICE').at(-1)).toMatch(/held up .* sent nothing to Argo CD/);
      expect(world.argocd.syncRequests()[0]?.body).toMatchObject({ revision: sha });
      expect((await storedCard(env, cardId)).state).toBe('succeeded');
      const audit = (await auditOf(env, cardId)).map((e) => `${e.action}:${e.outcome}:${e.user ?? ''}`);
      expect(audit.filter((e) => e.startsWith('sync-started:'))).toEqual(['sync-started:started:U0ALICE']);
      expect(audit).toContain('retry:allowed:U0BOB');
    }, 40_000);
  });
});
