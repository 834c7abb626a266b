import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_YAML } from '../../../sandbox/world/seed.js';
import type { SlackTransport } from '../../../sandbox/world/start-world.js';
import { type RedisTopology, startRedisCluster } from '../../helpers/redis-topologies.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  auditOf,
  cardIdOf,
  craftClick,
  editPolicy,
  ephemeralTexts,
  latest,
  PROD,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from './helpers.js';

const CLICKERS = 50;
// Alice, Bob (through the on-call group) and 48 more approvers listed by id, each a distinct person.
const EXTRA = Array.from({ length: CLICKERS - 2 }, (_, i) => `U0RACE${String(i + 1).padStart(2, '0')}`);
const USERS = ['U0ALICE', 'U0BOB', ...EXTRA];
const POLICY = editPolicy(
  editPolicy(
    POLICY_YAML,
    'people:\n',
    `people:\n${EXTRA.map((id) => `  - { slack: ${id}, github: ${id.toLowerCase()}, email: ${id.toLowerCase()}@gamemetrics.example }\n`).join('')}`,
  ),
  '    approvers: { users: [U0ALICE], groups: [S0ONCALL] }',
  `    approvers: { users: [U0ALICE, ${EXTRA.join(', ')}], groups: [S0ONCALL] }`,
);

// Every Slack transport on one Redis server, and once more (over HTTP) on a real 3-node Redis Cluster, where
// the card's CAS, the app lock and the audit append must stay atomic across the cluster's nodes.
const CASES: [SlackTransport, 'redis' | 'redis-cluster'][] = [
  ...SLACK_TRANSPORTS.map((t): [SlackTransport, 'redis'] => [t, 'redis']),
  ['http', 'redis-cluster'],
];

describe.each(CASES)('Approve & Sync under concurrency over %s on %s', (slackTransport, redis) => {
  let env: WorldWithBot;
  let second: TestBot;
  let cluster: RedisTopology | undefined;
  beforeAll(async () => {
    const prefix = `test:${randomUUID()}:`;
    if (redis === 'redis-cluster') cluster = await startRedisCluster();
    const redisEnv = cluster ? { REDIS_URL: cluster.url } : {};
    env = await startWorldWithBot({ slackTransport }, { policy: POLICY, prefix, env: redisEnv });
    // A second replica: same Redis prefix, same fakes, its own port.
    second = await startTestBot({ env: { ...env.world.env, ...redisEnv }, policy: POLICY, prefix });
  }, 120_000);
  afterAll(async () => {
    await second?.stop();
    await env?.stop();
    await cluster?.stop();
  }, 60_000);

  describe('Approve & Sync under concurrency', () => {
    it(`syncs exactly once when ${CLICKERS} approvers click at the same time on two replicas`, async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Hot path rewrite' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      world.argocd.clearRequests();

      const started = performance.now();
      const responses = await Promise.all(
        USERS.map((user, i) =>
          craftClick(world, {
            botUrl: i % 2 === 0 ? env.bot.url : second.url,
            user,
            channel: PROD,
            ts: card.ts,
            actionId: 'deploy_approve_sync',
          }),
        ),
      );
      const acked = performance.now() - started;
      expect(responses.map((r) => r.status)).toEqual(USERS.map(() => 200));

      const sync = await eventually(() => world.argocd.syncRequests()[0]);
      const synced = performance.now() - started;
      expect(sync.body).toMatchObject({ revision: sha, name: 'event-ingestion-prod' });
      await eventually(async () => (await storedCard(env, cardId)).state === 'succeeded', {
        timeoutMs: 10_000,
      });
      // Let stragglers on both replicas finish, then count.
      await new Promise((r) => setTimeout(r, 1000));
      const syncs = world.argocd.syncRequests().length;
      expect(syncs).toBe(1);

      const stored = await storedCard(env, cardId);
      expect(stored.approvals).toHaveLength(1);
      const winner = stored.approvals[0]!.user;
      const audit = await auditOf(env, cardId);
      expect(audit.filter((e) => e.action === 'approve' && e.outcome === 'allowed')).toHaveLength(1);
      expect(audit.filter((e) => e.action === 'sync-started')).toHaveLength(1);
      expect(audit.filter((e) => e.action === 'approve' && e.outcome === 'denied')).toHaveLength(
        CLICKERS - 1,
      );

      // Every other clicker is told why, through their own response_url; the winner is not.
      await eventually(() =>
        USERS.filter((u) => u !== winner).every((u) => ephemeralTexts(world, u).length === 1),
      );
      expect(ephemeralTexts(world, winner)).toEqual([]);

      const thread = threadText(world, PROD, card.ts);
      // One note for the one approval that counted: the sync's "started, approved by …".
      expect(thread).not.toMatch(/approved \(1 of 1\)/);
      expect(thread.match(/started, approved by/g)).toHaveLength(1);
      // The card follows within its update interval (one chat.update per card per 2 s).
      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Deployed*'));

      process.stdout.write(
        `approve race (${redis}): ${CLICKERS} clicks over 2 replicas, ${syncs} sync request, all acked in ${acked.toFixed(0)} ms, sync sent after ${synced.toFixed(0)} ms\n`,
      );
    });
  });
});
