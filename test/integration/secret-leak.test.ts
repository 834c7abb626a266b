import { Webhooks } from '@octokit/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../sandbox/world/seed.js';
import { WORLD_APP_TOKEN, WORLD_SECRETS } from '../../sandbox/world/start-world.js';
import { SLACK_TRANSPORTS } from '../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../helpers/start-world-bot.js';
import { pushAndWaitForPendingCard } from './reliability/support/cards.js';

describe.each(SLACK_TRANSPORTS)('secrets never reach the logs over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport }, { env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('secrets never reach the logs', () => {
    it('keeps every secret value out of all log lines while serving good and bad requests', async () => {
      const { bot, world } = env;
      // Bad and good Argo CD deliveries, with the real secret in the header of the good one.
      await fetch(`${bot.url}/argocd/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${WORLD_SECRETS.ARGOCD_TOKEN}` },
        body: '{}',
      });
      await fetch(`${bot.url}/argocd/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${WORLD_SECRETS.ARGOCD_WEBHOOK_SECRET}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ event: 'on-out-of-sync', app: 'Bad Name' }),
      });
      // A GitHub delivery signed with the right secret, and one signed with the Slack secret.
      const webhooks = new Webhooks({ secret: WORLD_SECRETS.GITHUB_WEBHOOK_SECRET });
      const payload = JSON.stringify(
        world.github.buildWebhook('status', { repo: 'sheeffii/RealtimeGaming' }),
      );
      for (const signature of [await webhooks.sign(payload), `sha256=${'f'.repeat(64)}`]) {
        await fetch(`${bot.url}/github/events`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'status',
            'x-github-delivery': `leak-${signature.slice(-6)}`,
            'x-hub-signature-256': signature,
          },
          body: payload,
        });
      }
      // A full deploy: Argo CD, GitHub and Slack calls all carry tokens.
      const card = await pushAndWaitForPendingCard(world);
      await world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: CHANNELS.prodDeploys.id,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      await eventually(() => world.argocd.syncRequests().length > 0);
      await new Promise((r) => setTimeout(r, 500));

      expect(bot.logs.length).toBeGreaterThan(10);
      const everything = bot.logs.join('\n');
      // At trace level Socket Mode logs its frames and the connection URL: the app token must stay out too.
      for (const [name, value] of Object.entries({ ...WORLD_SECRETS, SLACK_APP_TOKEN: WORLD_APP_TOKEN })) {
        expect(everything.includes(value), `${name} leaked into the logs`).toBe(false);
      }
    });
  });
});
