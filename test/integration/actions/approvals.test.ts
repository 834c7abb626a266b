import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_YAML } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  actionIds,
  auditOf,
  cardIdOf,
  craftClick,
  editPolicy,
  ephemeralTexts,
  expectNoArgoWrites,
  latest,
  PROD,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from './helpers.js';

// prod needs two distinct approvers here: Alice, or anyone in the on-call group (Bob).
const POLICY = editPolicy(POLICY_YAML, '    requiredApprovals: 1', '    requiredApprovals: 2');

describe.each(SLACK_TRANSPORTS)('N-of-M approvals over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport }, { policy: POLICY });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const click = (user: string, ts: string, actionId = 'deploy_approve_sync') =>
    env.world.slack.clickButton({ user, channel: PROD, ts, actionId });

  describe('N-of-M approvals (requiredApprovals: 2)', () => {
    it('records one approval without syncing, ignores a second click by the same person, syncs on the second approver', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Two-person rule change' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);

      expect((await click('U0ALICE', card.ts)).status).toBe(200);
      await eventually(() => /1 of 2/.test(textOf(latest(world, PROD, card.ts))));
      expect((await storedCard(env, cardId)).state).toBe('approved');
      await eventually(() => /approved \(1 of 2\)/.test(threadText(world, PROD, card.ts)));
      expect(actionIds(latest(world, PROD, card.ts))).toContain('deploy_approve_sync');

      await click('U0ALICE', card.ts);
      await eventually(() => ephemeralTexts(world, 'U0ALICE').some((t) => /already approved/.test(t)));
      await new Promise((r) => setTimeout(r, 300));
      expect(world.argocd.syncRequests()).toHaveLength(0);
      expect((await storedCard(env, cardId)).approvals.map((a) => a.user)).toEqual(['U0ALICE']);

      await click('U0BOB', card.ts);
      const sync = await eventually(() => world.argocd.syncRequests()[0]);
      expect(sync.body).toMatchObject({ revision: sha });
      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Deployed*'));
      expect(world.argocd.syncRequests()).toHaveLength(1);

      const thread = threadText(world, PROD, card.ts);
      expect(thread).toMatch(/<@U0ALICE> approved \(1 of 2\)/);
      // The approval that completes the card is told by the sync's note, which names both approvers.
      expect(thread).not.toMatch(/approved \(2 of 2\)/);
      expect(thread).toMatch(/started, approved by <@U0ALICE>, <@U0BOB>/);
      expect(thread).toMatch(/Sync of `[0-9a-f]{7}` started, approved by <@U0ALICE>.*<@U0BOB>/);
      await eventually(() => /deployed/.test(threadText(world, PROD, card.ts)));
      const audit = await auditOf(env, cardId);
      expect(audit.map((e) => [e.action, e.outcome, e.user ?? '', e.rule ?? ''])).toEqual([
        ['approve', 'allowed', 'U0ALICE', ''],
        ['approve', 'denied', 'U0ALICE', 'already-approved'],
        ['approve', 'allowed', 'U0BOB', ''],
        ['sync-started', 'started', 'U0ALICE,U0BOB', ''],
      ]);
      // Decisions and refusals name the app's Argo CD instance (the one there is today).
      expect(new Set(audit.map((e) => e.instance))).toEqual(new Set(['default']));
    });

    it('refuses a user outside the policy: no Argo CD call, card unchanged, ephemeral with the rule, audit and thread note', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'carol', message: 'Tune partitions' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      await new Promise((r) => setTimeout(r, 300));
      world.argocd.clearRequests();
      const before = JSON.stringify(latest(world, PROD, card.ts).blocks);

      expect((await click('U0DAVE', card.ts)).status).toBe(200);
      const answer = await eventually(() =>
        ephemeralTexts(world, 'U0DAVE').find((t) => /Not allowed/.test(t) && t.includes('approvers')),
      );
      expect(answer).toMatch(/Only the prod approvers .*may approve this deploy/);
      await eventually(() => /`U0DAVE` was refused \(approve\)/.test(threadText(world, PROD, card.ts)));
      expect(threadText(world, PROD, card.ts)).not.toMatch(/<@U0DAVE>|<!subteam\^/);
      expectNoArgoWrites(world);
      expect(JSON.stringify(latest(world, PROD, card.ts).blocks)).toBe(before);
      const stored = await storedCard(env, cardId);
      expect(stored.state).toBe('pending');
      expect(stored.approvals).toEqual([]);
      expect((await auditOf(env, cardId)).map((e) => [e.action, e.outcome, e.user, e.rule])).toEqual([
        ['approve', 'denied', 'U0DAVE', 'not-approver'],
      ]);
    });

    it('refuses an interaction whose button value names another card than the message it was pressed on', async () => {
      const { world } = env;
      const current = await waitForCard(world, PROD, world.headOf('main'));
      // The card deployed in the first test lives on another message.
      const foreignId = (await env.bot.store.readAudit({ app: 'event-ingestion-prod', limit: 100 })).find(
        (e) => e.action === 'sync-started',
      )?.cardId;
      expect(foreignId).toBeDefined();
      world.argocd.clearRequests();

      const response = await craftClick(world, {
        botUrl: env.bot.url,
        user: 'U0ALICE',
        channel: PROD,
        ts: current.ts,
        actionId: 'deploy_approve_sync',
        value: foreignId,
      });
      expect(response.status).toBe(200);
      await eventually(() =>
        ephemeralTexts(world, 'U0ALICE').some((t) => /does not belong to the card it was pressed on/.test(t)),
      );
      expectNoArgoWrites(world);
      const audit = await auditOf(env, foreignId!);
      expect(audit.at(-1)).toMatchObject({ action: 'approve', outcome: 'denied', rule: 'card-mismatch' });
      expect((await storedCard(env, cardIdOf(current))).approvals).toEqual([]);
    });

    it('refuses a click on a superseded card, even from a client that still shows its buttons', async () => {
      const { world } = env;
      const older = await waitForCard(world, PROD, world.headOf('main'));
      const olderBlocks = older.blocks;
      const newerSha = await world.pushCommit({ author: 'carol', message: 'Newer revision' });
      await waitForCard(world, PROD, newerSha);
      await eventually(() => textOf(latest(world, PROD, older.ts)).includes('*Superseded*'));
      expect(actionIds(latest(world, PROD, older.ts))).not.toContain('deploy_approve_sync');
      world.argocd.clearRequests();

      await craftClick(world, {
        botUrl: env.bot.url,
        user: 'U0BOB',
        channel: PROD,
        ts: older.ts,
        actionId: 'deploy_approve_sync',
        message: { ...latest(world, PROD, older.ts), blocks: olderBlocks },
      });
      await eventually(() => ephemeralTexts(world, 'U0BOB').some((t) => /superseded/.test(t)));
      expectNoArgoWrites(world);
      expect((await storedCard(env, cardIdOf(older))).state).toBe('superseded');
    });
  });
});
