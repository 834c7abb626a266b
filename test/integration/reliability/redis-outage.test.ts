import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, REPO } from '../../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  cardsFor,
  PROD_APP,
  PROD_CHANNEL,
  pushAndWaitForPendingCard,
  settle,
  waitForCardText,
} from './support/cards.js';
import { type OwnRedis, startOwnRedis } from './support/own-redis.js';

// The press during the outage runs over both transports; following a sync across an outage involves
// no Slack request and runs once, over HTTP.
describe.each(SLACK_TRANSPORTS)('Redis outage over %s', (slackTransport) => {
  let redis: OwnRedis;
  let env: WorldWithBot;

  beforeAll(async () => {
    redis = await startOwnRedis();
    env = await startWorldWithBot(
      { slackTransport, timing: { syncMs: 2500, healthMs: 300 } },
      { env: { REDIS_URL: redis.url }, prefix: `rel-outage:${randomUUID()}:` },
    );
  });

  afterAll(async () => {
    await env?.stop();
    await redis?.close();
  });

  const readyz = async () => {
    const response = await fetch(`${env.bot.url}/readyz`);
    return { status: response.status, body: (await response.json()) as { reason?: string } };
  };

  const postNotification = (revision: string) =>
    fetch(`${env.bot.url}/argocd/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${WORLD_SECRETS.ARGOCD_WEBHOOK_SECRET}`,
      },
      body: JSON.stringify({
        event: 'on-out-of-sync',
        app: PROD_APP,
        appNamespace: 'argocd',
        project: 'gamemetrics',
        syncStatus: 'OutOfSync',
        healthStatus: 'Healthy',
        revision,
        operationPhase: '',
      }),
    });

  const postGitHubStatus = (sha: string) => {
    const body = JSON.stringify({ sha, state: 'success', context: 'ci', repository: { full_name: REPO } });
    return fetch(`${env.bot.url}/github/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'status',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', WORLD_SECRETS.GITHUB_WEBHOOK_SECRET).update(body).digest('hex')}`,
      },
    });
  };

  const clickApprove = (ts: string, user: string = PEOPLE.alice.id) =>
    env.world.slack.clickButton({ user, channel: PROD_CHANNEL, ts, actionId: 'deploy_approve_sync' });

  describe('Redis goes away and comes back', () => {
    it('fails closed while it is down, then resumes with no lost, duplicated or late-running work', {
      timeout: 45_000,
    }, async () => {
      const first = await pushAndWaitForPendingCard(env.world);
      await settle(env.bot);
      expect((await readyz()).status).toBe(200);

      await redis.stop('SIGKILL');

      // Readiness reports the outage, so the Service stops routing to this pod.
      const down = await eventually(async () => {
        const r = await readyz();
        return r.status === 503 ? r : undefined;
      });
      expect(down.body.reason).toMatch(/Redis/);

      // A button press is acknowledged (Slack shows no error) and the user is told to try again; nothing syncs.
      const click = await clickApprove(first.ts);
      expect(click.status).toBe(200);
      const tryAgain = await eventually(() =>
        env.world.slack
          .ephemerals({ user: PEOPLE.alice.id })
          .find((e) => /try again/i.test(e.text) && /Nothing was done/.test(e.text)),
      );
      expect(tryAgain.text).toMatch(/Approve/);
      expect(env.world.argocd.syncRequests()).toHaveLength(0);

      // Argo CD notifications and GitHub deliveries get 503, so their senders retry them later.
      expect((await postNotification('f'.repeat(40))).status).toBe(503);
      expect((await postGitHubStatus(first.sha)).status).toBe(503);

      // A new revision lands during the outage: argocd-notifications' own delivery is refused too.
      const second = await env.world.pushCommit({ author: 'dave', message: 'Shard the consumer group' });
      const attempts = await eventually(() => {
        const sent = env.world.argocd.sentNotifications.filter(
          (n) => n.app === PROD_APP && n.body.revision === second && n.event === 'on-out-of-sync',
        );
        return sent.length >= 2 && sent.every((n) => n.status === 503) ? sent : undefined;
      });
      expect(attempts.every((n) => n.status === 503)).toBe(true);
      await env.world.argocd.whenNotificationsIdle();

      await redis.restart();
      await eventually(async () => (await readyz()).status === 200, { timeoutMs: 10_000 });
      // Operators see the outage once in the logs, not once per failed command.
      const lost = env.bot.logs.filter((l) => l.includes('lost the connection to Redis'));
      expect(lost).toHaveLength(1);
      await eventually(() => env.bot.logs.some((l) => l.includes('the connection to Redis is back')));

      // Nothing pressed during the outage runs now that the store is back.
      await new Promise((r) => setTimeout(r, 1500));
      expect(env.world.argocd.syncRequests()).toHaveLength(0);
      expect(cardsFor(env.world, first.sha)).toHaveLength(1);

      // argocd-notifications re-sends: exactly one card for the new revision, the older one superseded.
      await env.world.argocd.resendLast(PROD_APP);
      await eventually(() => cardsFor(env.world, second).length === 1);
      await waitForCardText(env.world, first.ts, /was superseded/);
      await env.world.argocd.resendLast(PROD_APP);
      await settle(env.bot);
      await new Promise((r) => setTimeout(r, 500));
      const secondCards = cardsFor(env.world, second);
      expect(secondCards).toHaveLength(1);

      // And a press now works: one sync of exactly the card's revision.
      const ts = secondCards[0]!.ts;
      expect((await clickApprove(ts)).status).toBe(200);
      await eventually(() => env.world.argocd.syncRequests().length === 1);
      expect(env.world.argocd.syncRequests()[0]?.body).toMatchObject({ revision: second });
      await waitForCardText(env.world, ts, /was deployed/, 15_000);
      expect(env.world.argocd.syncRequests()).toHaveLength(1);
    });

    if (slackTransport === 'http') {
      it('keeps following a running sync across an outage and still finishes the card', {
        timeout: 45_000,
      }, async () => {
        const card = await pushAndWaitForPendingCard(env.world);
        await settle(env.bot);
        const syncsBefore = env.world.argocd.syncRequests().length;
        // Only the bot's own follower may move the card: no notifications reach it from here on.
        env.world.argocd.pauseNotifications();
        try {
          expect((await clickApprove(card.ts)).status).toBe(200);
          await eventually(() => env.world.argocd.syncRequests().length === syncsBefore + 1);
          await waitForCardText(env.world, card.ts, /is syncing/);

          await redis.stop('SIGKILL');
          await new Promise((r) => setTimeout(r, 1500));
          await redis.restart();

          await waitForCardText(env.world, card.ts, /was deployed/, 20_000);
          expect(env.world.argocd.syncRequests()).toHaveLength(syncsBefore + 1);
          expect(cardsFor(env.world, card.sha)).toHaveLength(1);
        } finally {
          env.world.argocd.resumeNotifications();
        }
      });
    }
  });
});
