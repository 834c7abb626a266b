import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../sandbox/fake-slack/index.js';
import { PEOPLE } from '../../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  cardMessage,
  cardsFor,
  PROD_APP,
  PROD_CHANNEL,
  pushAndWaitForPendingCard,
  settle,
  waitForCardText,
} from './support/cards.js';

describe.each(SLACK_TRANSPORTS)('Slack faults over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const updatesOf = (ts: string, from: number): CallRecord[] =>
    env.world.slack.calls.slice(from).filter((c) => c.method === 'chat.update' && c.args.ts === ts);

  /** An Argo CD notification for the app; `hint` keeps each one distinct (the bot reads the app itself). */
  const notify = (hint: number) =>
    fetch(`${env.bot.url}/argocd/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${WORLD_SECRETS.ARGOCD_WEBHOOK_SECRET}`,
      },
      body: JSON.stringify({
        event: 'on-health-degraded',
        app: PROD_APP,
        appNamespace: 'argocd',
        project: 'gamemetrics',
        revision: hint.toString(16).padStart(40, '0'),
      }),
    });

  describe('Slack rate-limits chat.update during a burst of 100 events for one app', () => {
    it('honours Retry-After, keeps the calls bounded and lands the final state', async () => {
      const card = await pushAndWaitForPendingCard(env.world);
      await env.world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: PROD_CHANNEL,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      await waitForCardText(env.world, card.ts, /was deployed/);
      await settle(env.bot);
      await new Promise((r) => setTimeout(r, 1200));

      const from = env.world.slack.calls.length;
      env.world.slack.rateLimit('chat.update', { calls: 3, retryAfterSec: 1 });
      const started = Date.now();
      for (let i = 0; i < 100; i++) {
        // The app flaps between Degraded and Healthy; each flap is a change the card has to show.
        env.world.argocd.setHealth(PROD_APP, i % 2 === 0 ? 'Degraded' : 'Healthy');
        expect((await notify(i)).status).toBe(202);
      }
      env.world.argocd.setHealth(PROD_APP, 'Degraded', 'consumer pods crash-looping');
      expect((await notify(100)).status).toBe(202);
      const burstMs = Date.now() - started;

      const final = await waitForCardText(env.world, card.ts, /is degraded \(health Degraded\)/, 15_000);
      await settle(env.bot);
      await new Promise((r) => setTimeout(r, 2500));
      expect(cardMessage(env.world, card.ts).text).toBe(final.text);

      const updates = updatesOf(card.ts, from);
      const limited = updates.filter((c) => c.status === 429);
      const landed = updates.filter((c) => c.status === 200);
      expect(limited).toHaveLength(3);
      // Coalesced: at most one update a second (plus the three refused ones), whatever the number of events.
      const seconds = Math.ceil((burstMs + 6000) / 1000);
      expect(updates.length).toBeLessThanOrEqual(3 + seconds);
      expect(landed.length).toBeGreaterThanOrEqual(1);
      // After a 429 the next try waits for Retry-After (1 s).
      for (const refused of limited) {
        const next = updates.find((c) => c.seq > refused.seq);
        if (next) expect(next.at - refused.at).toBeGreaterThanOrEqual(950);
      }
    }, 45_000);
  });

  describe('chat.postMessage fails', () => {
    it('retries the card until it is posted, and never posts it twice', async () => {
      await settle(env.bot);
      const from = env.world.slack.calls.length;
      env.world.slack.failNext('chat.postMessage', 'internal_error');
      env.world.slack.failNext('chat.postMessage', 'internal_error');
      env.world.slack.rateLimit('chat.postMessage', { calls: 1, retryAfterSec: 1 });
      const sha = await env.world.pushCommit({
        author: 'dave',
        message: 'Retry the consumer on broker errors',
      });
      await eventually(() => cardsFor(env.world, sha).length === 1, { timeoutMs: 15_000 });
      await settle(env.bot);
      await new Promise((r) => setTimeout(r, 3000));

      const posts = env.world.slack.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
      expect(posts.filter((c) => c.status === 429)).toHaveLength(1);
      expect(posts.filter((c) => c.response.error === 'internal_error')).toHaveLength(2);
      // Every card that the push produced (the manual app's pending card and kafka-prod's info card) is out once.
      expect(cardsFor(env.world, sha)).toHaveLength(1);
      expect(cardsFor(env.world, sha, 'kafka-prod')).toHaveLength(1);
    }, 30_000);
  });
});
