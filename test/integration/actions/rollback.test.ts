import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  actionIds,
  argoWrites,
  auditOf,
  cardIdOf,
  ephemeralTexts,
  latest,
  PROD,
  PROD_APP,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from './helpers.js';

describe.each(SLACK_TRANSPORTS)('rollback over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const click = (user: string, ts: string, actionId: string) =>
    env.world.slack.clickButton({ user, channel: PROD, ts, actionId });

  describe('Rollback of a deployed manual-sync app', () => {
    it('refuses Dave, then rolls back to the previous history entry for Bob: rolling-back → rolled-back', async () => {
      const { world } = env;
      const previous = world.headOf('main');
      const sha = await world.pushCommit({ author: 'dave', message: 'Risky release' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      await click('U0ALICE', card.ts, 'deploy_approve_sync');
      await waitForCard(world, PROD, sha, 'deploy_rollback');
      expect(actionIds(latest(world, PROD, card.ts))).not.toContain('deploy_revert_git');
      const history = world.argocd.app(PROD_APP).status.history ?? [];
      const target = [...history].reverse().find((h) => h.revision === previous);
      expect(target).toBeDefined();
      world.argocd.clearRequests();
      const states: string[] = [];
      env.bot.bot.features.cards.events.on('transition', ({ before, after }) => {
        if (after.id === cardId && before.state !== after.state) states.push(after.state);
      });

      await click('U0DAVE', card.ts, 'deploy_rollback');
      await eventually(() =>
        ephemeralTexts(world, 'U0DAVE').some((t) => /Not allowed.*rollback users.*may roll back/.test(t)),
      );
      expect(argoWrites(world)).toEqual([]);
      expect((await storedCard(env, cardId)).state).toBe('succeeded');

      await click('U0BOB', card.ts, 'deploy_rollback');
      const request = await eventually(() =>
        world.argocd.requests.find((r) => r.method === 'POST' && r.path.endsWith('/rollback')),
      );
      expect(request.path).toBe(`/api/v1/applications/${PROD_APP}/rollback`);
      expect(request.body).toMatchObject({ id: target!.id, name: PROD_APP, prune: false, dryRun: false });
      await eventually(async () =>
        ['rolling-back', 'rolled-back'].includes((await storedCard(env, cardId)).state),
      );
      await eventually(async () => (await storedCard(env, cardId)).state === 'rolled-back');
      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Rolled back*'));
      expect(textOf(latest(world, PROD, card.ts))).toContain('<@U0BOB>');
      // The rolled-back revision is held (see test/integration/on-call/holds-and-stuck.test.ts).
      expect(actionIds(latest(world, PROD, card.ts))).toEqual(['deploy_release_hold']);
      expect(argoWrites(world)).toEqual([
        { method: 'POST', path: `/api/v1/applications/${PROD_APP}/rollback` },
      ]);

      await eventually(() => /Rolled back to `[0-9a-f]{7}`/.test(threadText(world, PROD, card.ts)));
      const thread = threadText(world, PROD, card.ts);
      expect(thread).toContain(
        `<@U0BOB> started a rollback to \`${previous.slice(0, 7)}\` (history ${target!.id})`,
      );
      // Named without a live mention: a refusal must not ping anyone.
      expect(thread).toMatch(/`U0DAVE` was refused \(rollback\)/);
      const audit = (await auditOf(env, cardId)).map((e) => `${e.action}:${e.outcome}:${e.user ?? ''}`);
      // The hold may be written before or after the rollback's own entry (the follower can be that fast).
      expect(audit.filter((e) => !e.startsWith('hold:')).slice(-2)).toEqual([
        'rollback:denied:U0DAVE',
        'rollback:started:U0BOB',
      ]);
      expect(audit).toContain('hold:held:U0BOB');
    });

    it('a 502 on a rollback that Argo CD carries out a moment later: one request, and the card follows it', async () => {
      const { world } = env;
      // The bot watches the app for 45 s after an ambiguous failure; 3 s here.
      env.bot.bot.features.follower.landingWindowMs = 3000;
      const sha = await world.pushCommit({
        author: 'dave',
        message: 'Release rolled back through a flaky proxy',
      });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      await click('U0ALICE', card.ts, 'deploy_approve_sync');
      await waitForCard(world, PROD, sha, 'deploy_rollback');
      world.argocd.clearRequests();
      world.argocd.failNext({
        method: 'POST',
        pathPrefix: `/api/v1/applications/${PROD_APP}/rollback`,
        status: 502,
        applyAfterMs: 1500,
      });
      await click('U0BOB', card.ts, 'deploy_rollback');
      await eventually(async () => (await storedCard(env, cardId)).state === 'rolled-back', {
        timeoutMs: 15_000,
      });
      expect(argoWrites(world)).toEqual([
        { method: 'POST', path: `/api/v1/applications/${PROD_APP}/rollback` },
      ]);
      const audit = (await auditOf(env, cardId)).map((e) => `${e.action}:${e.outcome}:${e.user ?? ''}`);
      expect(audit.filter((e) => !e.startsWith('hold:')).at(-1)).toBe('rollback:started:U0BOB');
    }, 30_000);
  });
});
