import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../helpers/start-world-bot.js';
import { cardsFor } from './reliability/support/cards.js';

describe.each(SLACK_TRANSPORTS)('deploy card flow over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const prodCards = () => env.world.slack.channelMessages(CHANNELS.prodDeploys.id);
  const allText = (m: { text?: string; blocks?: unknown[] }) =>
    `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`;

  describe('pending card → approve → sync → deployed', () => {
    it('posts one pending card for a new prod revision with changelog, checks, images and buttons', async () => {
      const sha = await env.world.pushCommit({ author: 'dave', message: 'Batch inserts into ClickHouse' });
      // Posted at once from Argo CD's read; the changelog (GitHub) follows as one update of the same message.
      const first = await eventually(() =>
        prodCards().find((m) => allText(m).includes(sha.slice(0, 7)) && allText(m).includes('Approve')),
      );
      const card = await eventually(() =>
        // Enriched: the changelog has loaded (the first post may already name the subject from Argo CD).
        prodCards().find(
          (m) =>
            m.ts === first.ts &&
            allText(m).includes('Batch inserts') &&
            !allText(m).includes('reading the changelog'),
        ),
      );
      const text = allText(card);
      expect(text).toContain('event-ingestion-prod');
      expect(text).toContain('Batch inserts into ClickHouse');
      // The commit's author is a Slack user (people mapping), mentioned on the card.
      expect(text).toContain('<@U0DAVE>');
      expect(text).toMatch(/event-consumer/);
      expect(text).toContain('deploy_approve_sync');
      expect(text).toContain('deploy_reject');
      await new Promise((r) => setTimeout(r, 500));
      expect(cardsFor(env.world, sha)).toHaveLength(1);
    });

    it('refuses Dave, then syncs exactly the card revision when Alice approves', async () => {
      const sha = env.world.headOf('main');
      const card = cardsFor(env.world, sha)[0]!;
      const dave = await env.world.slack.clickButton({
        user: PEOPLE.dave.id,
        channel: CHANNELS.prodDeploys.id,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      expect(dave.status).toBe(200);
      await eventually(() =>
        env.world.slack.ephemerals({ user: PEOPLE.dave.id }).find((e) => /Not allowed/.test(e.text ?? '')),
      );
      expect(env.world.argocd.syncRequests()).toHaveLength(0);

      const alice = await env.world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: CHANNELS.prodDeploys.id,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      expect(alice.status).toBe(200);
      const sync = await eventually(() => env.world.argocd.syncRequests()[0]);
      expect(sync.body).toMatchObject({ revision: sha, project: 'gamemetrics', appNamespace: 'argocd' });
      await eventually(() => {
        const latest = prodCards().find((m) => m.ts === card.ts)!;
        return /deployed|succeeded/i.test(latest.text ?? '') && allText(latest).includes('deploy_rollback');
      });
      expect(env.world.argocd.syncRequests()).toHaveLength(1);
      // The card's message metadata follows its state on every chat.update (other apps react to it).
      await eventually(
        () =>
          (prodCards().find((m) => m.ts === card.ts)?.metadata as { event_payload?: { state?: string } })
            ?.event_payload?.state === 'succeeded',
      );
      expect(prodCards().find((m) => m.ts === card.ts)?.metadata).toEqual({
        event_type: 'deploybot_card',
        event_payload: {
          instance: 'default',
          app: 'event-ingestion-prod',
          revision: sha,
          environment: 'prod',
          state: 'succeeded',
        },
      });
    });
  });
});
