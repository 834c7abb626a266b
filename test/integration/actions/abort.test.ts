import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  actionIds,
  auditOf,
  cardIdOf,
  latest,
  PROD,
  PROD_APP,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from './helpers.js';

describe.each(SLACK_TRANSPORTS)('abort over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    // Slow operations, so that there is time to press Abort (and to collide with a running sync).
    env = await startWorldWithBot({ slackTransport, timing: { syncMs: 6000, healthMs: 150 } });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const click = (user: string, ts: string, actionId: string) =>
    env.world.slack.clickButton({ user, channel: PROD, ts, actionId });

  describe('Abort while syncing', () => {
    it('terminates the Argo CD operation; the card fails with "Operation terminated" and offers Retry', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Slow migration' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      await click('U0ALICE', card.ts, 'deploy_approve_sync');
      await waitForCard(world, PROD, sha, 'deploy_abort');
      expect(textOf(latest(world, PROD, card.ts))).toContain('*Syncing*');

      await click('U0DAVE', card.ts, 'deploy_abort');
      await new Promise((r) => setTimeout(r, 300));
      expect(world.argocd.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);

      await click('U0BOB', card.ts, 'deploy_abort');
      const terminate = await eventually(() => world.argocd.requests.find((r) => r.method === 'DELETE'));
      expect(terminate.path).toBe(`/api/v1/applications/${PROD_APP}/operation`);
      expect(terminate.query).toMatchObject({ appNamespace: ['argocd'], project: ['gamemetrics'] });

      await eventually(async () => (await storedCard(env, cardId)).state === 'failed', { timeoutMs: 10_000 });
      expect((await storedCard(env, cardId)).operation?.message).toBe('Operation terminated');
      await eventually(() => {
        const message = latest(world, PROD, card.ts);
        return (
          textOf(message).includes('Operation terminated') && actionIds(message).includes('deploy_retry')
        );
      });
      await eventually(() =>
        /Sync of `[0-9a-f]{7}` failed: Operation terminated/.test(threadText(world, PROD, card.ts)),
      );
      const thread = threadText(world, PROD, card.ts);
      expect(thread).toContain('<@U0BOB> aborted the sync');
      // Named without a live mention: a refusal must not ping anyone.
      expect(thread).toMatch(/`U0DAVE` was refused \(abort\)/);
      const audit = (await auditOf(env, cardId)).map((e) => `${e.action}:${e.outcome}:${e.user ?? ''}`);
      expect(audit).toEqual([
        'approve:allowed:U0ALICE',
        'sync-started:started:U0ALICE',
        'abort:denied:U0DAVE',
        'abort:started:U0BOB',
      ]);
    });

    it('a second card approved while another sync runs is told, in plain words, that an operation is in progress', async () => {
      const { world } = env;
      const first = await world.pushCommit({ author: 'dave', message: 'First of two' });
      const firstCard = await waitForCard(world, PROD, first);
      await click('U0ALICE', firstCard.ts, 'deploy_approve_sync');
      await waitForCard(world, PROD, first, 'deploy_abort');

      const second = await world.pushCommit({ author: 'carol', message: 'Second of two' });
      const secondCard = await waitForCard(world, PROD, second);
      const secondId = cardIdOf(secondCard);
      await click('U0ALICE', secondCard.ts, 'deploy_approve_sync');
      await eventually(async () => (await storedCard(env, secondId)).state === 'failed');
      expect((await storedCard(env, secondId)).operation?.message).toMatch(
        /^Argo CD is already running another operation on this app \("another operation is already in progress"\); wait for it to finish, then Retry\.$/,
      );
      await eventually(() => actionIds(latest(world, PROD, secondCard.ts)).includes('deploy_retry'));

      // Once the first sync is over, Retry deploys the second revision.
      await eventually(async () => (await storedCard(env, cardIdOf(firstCard))).state === 'succeeded', {
        timeoutMs: 10_000,
      });
      await click('U0ALICE', secondCard.ts, 'deploy_retry');
      await eventually(async () => (await storedCard(env, secondId)).state === 'succeeded', {
        timeoutMs: 10_000,
      });
      const revisions = world.argocd.syncRequests().map((s) => (s.body as { revision?: string }).revision);
      expect(revisions.slice(-3)).toEqual([first, second, second]);
    });
  });
});
