import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  actionIds,
  auditOf,
  cardIdOf,
  cardMessage,
  editPolicy,
  ephemeralTexts,
  latest,
  PROD,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from '../actions/helpers.js';
import { ON_CALL_POLICY } from './helpers.js';

describe.each(SLACK_TRANSPORTS)('rollback holds and stuck syncs over %s', (slackTransport) => {
  describe('rollback holds', () => {
    let env: WorldWithBot;
    beforeAll(async () => {
      env = await startWorldWithBot({ slackTransport }, { policy: ON_CALL_POLICY });
    });
    afterAll(async () => {
      await env?.stop();
    });
    const click = (user: string, ts: string, actionId: string) =>
      env.world.slack.clickButton({ user, channel: PROD, ts, actionId });

    it('holds a rolled-back revision: no approval on a later pass; Release hold (approvers only) → approve → one sync; a newer revision is not held', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Bad release' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      await click('U0ALICE', card.ts, 'deploy_approve_sync');
      await waitForCard(world, PROD, sha, 'deploy_rollback');
      await click('U0BOB', card.ts, 'deploy_rollback');
      await eventually(async () => (await storedCard(env, cardId)).state === 'rolled-back');
      await eventually(() =>
        /\*Held\* — rolled back by <@U0BOB> at <!date\^/.test(textOf(latest(world, PROD, card.ts))),
      );
      expect(actionIds(latest(world, PROD, card.ts))).toEqual(['deploy_release_hold']);
      await eventually(() => threadText(world, PROD, card.ts).includes('Held: rolled back by <@U0BOB>'));

      // Argo CD still targets the revision (Git did not move): a notification and a reconciler pass post nothing approvable.
      world.argocd.clearRequests();
      const messagesBefore = world.slack.channelMessages(PROD).length;
      await env.bot.bot.features.reconciler.tick();
      await env.bot.bot.features.cards.refreshApp((await storedCard(env, cardId)).app, {
        allowInfoCards: true,
      });
      await new Promise((r) => setTimeout(r, 300));
      const approvable = world.slack
        .channelMessages(PROD)
        .filter(
          (m) =>
            m.text.startsWith(`event-ingestion-prod ${sha.slice(0, 7)}`) &&
            actionIds(m).includes('deploy_approve_sync'),
        );
      expect(approvable).toEqual([]);
      expect(world.slack.channelMessages(PROD).length).toBe(messagesBefore);
      expect(world.argocd.syncRequests()).toHaveLength(0);

      await click('U0DAVE', card.ts, 'deploy_release_hold');
      await eventually(() =>
        ephemeralTexts(world, 'U0DAVE').some((t) => /Not allowed.*approvers.*release this hold/.test(t)),
      );
      expect((await storedCard(env, cardId)).hold).toBeDefined();

      await click('U0ALICE', card.ts, 'deploy_release_hold');
      await eventually(() => actionIds(latest(world, PROD, card.ts)).includes('deploy_approve_sync'));
      expect(textOf(latest(world, PROD, card.ts))).not.toContain('*Held*');
      await eventually(() => threadText(world, PROD, card.ts).includes('<@U0ALICE> released the hold'));
      await click('U0ALICE', card.ts, 'deploy_approve_sync');
      const sync = await eventually(() => world.argocd.syncRequests()[0]);
      expect(sync.body).toMatchObject({ revision: sha });
      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Deployed*'));
      expect(world.argocd.syncRequests()).toHaveLength(1);
      const audit = await auditOf(env, cardId);
      expect(audit.map((e) => [e.action, e.outcome, e.user ?? ''])).toEqual(
        expect.arrayContaining([
          ['hold', 'held', 'U0BOB'],
          ['release-hold', 'denied', 'U0DAVE'],
          ['release-hold', 'allowed', 'U0ALICE'],
        ]),
      );

      // Roll it back again, then a newer revision arrives: its card is approvable as usual.
      await click('U0BOB', card.ts, 'deploy_rollback');
      await eventually(async () => (await storedCard(env, cardId)).hold !== undefined);
      const newer = await world.pushCommit({ author: 'dave', message: 'Fixed release' });
      const newerCard = await waitForCard(world, PROD, newer);
      expect(actionIds(newerCard)).toContain('deploy_approve_sync');
      expect(textOf(newerCard)).not.toContain('*Held*');
      expect(cardMessage(world, PROD, sha)).toBeDefined();
    });
  });

  describe('stuck syncs', () => {
    let env: WorldWithBot;
    beforeAll(async () => {
      const policy = editPolicy(
        ON_CALL_POLICY,
        '    remindAfter: 30m',
        '    remindAfter: 30m\n    syncTimeout: 1s',
      );
      env = await startWorldWithBot({ slackTransport, timing: { syncMs: 6000, healthMs: 150 } }, { policy });
    });
    afterAll(async () => {
      await env?.stop();
    });

    it('marks a sync running past syncTimeout stuck once, mentions the approvers, and Abort terminates it', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Slow migration' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      await world.slack.clickButton({
        user: 'U0ALICE',
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Stuck:*'), { timeoutMs: 6000 });
      expect(actionIds(latest(world, PROD, card.ts))).toContain('deploy_abort');
      const stuckNotes = () =>
        threadText(world, PROD, card.ts)
          .split('\n')
          .filter((line) => line.includes('looks stuck'));
      await eventually(() => stuckNotes().length === 1);
      expect(stuckNotes()[0]).toContain('<@U0ALICE>');
      expect(stuckNotes()[0]).toContain('<!subteam^S0ONCALL>');
      // More passes (follower, reconciler) do not note it again.
      await env.bot.bot.features.reconciler.tick();
      await new Promise((r) => setTimeout(r, 800));
      expect(stuckNotes()).toHaveLength(1);
      const stored = await storedCard(env, cardId);
      expect(stored.stuck?.startedAt).toBe(
        world.argocd.app('event-ingestion-prod').status.operationState?.startedAt,
      );

      await world.slack.clickButton({
        user: 'U0ALICE',
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_abort',
      });
      const terminate = await eventually(() => world.argocd.requests.find((r) => r.method === 'DELETE'));
      expect(terminate.path).toBe('/api/v1/applications/event-ingestion-prod/operation');
      expect((await auditOf(env, cardId)).filter((e) => e.action === 'stuck')).toHaveLength(1);
    });
  });
});
