import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  actionIds,
  auditOf,
  cardIdOf,
  ephemeralTexts,
  expectNoArgoWrites,
  latest,
  PROD,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from './helpers.js';

describe.each(SLACK_TRANSPORTS)('reject over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
  });
  afterAll(async () => {
    await env?.stop();
  });

  async function openRejectModal(user: string, ts: string) {
    const { world } = env;
    const opened = world.slack.callsTo('views.open').length;
    const click = await world.slack.clickButton({ user, channel: PROD, ts, actionId: 'deploy_reject' });
    expect(click.status).toBe(200);
    await eventually(() => world.slack.callsTo('views.open').length > opened);
    const view = await eventually(() =>
      world.slack.views.find(
        (v) => v.open && v.user === user && v.view.callback_id === 'deploy_reason_modal',
      ),
    );
    return view;
  }

  const reasonValues = (reason: string) => ({ reason_block: { reason_input: reason } });

  describe('Reject with a reason', () => {
    it('opens the modal, then rejects the card with who and why and removes its buttons', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Risky schema change' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);

      const view = await openRejectModal('U0ALICE', card.ts);
      expect(JSON.parse(view.view.private_metadata)).toMatchObject({
        cardId,
        channel: PROD,
        messageTs: card.ts,
      });
      expect(JSON.stringify(view.view.blocks)).toContain(sha.slice(0, 7));

      const short = await world.slack.submitView({
        user: 'U0ALICE',
        viewId: view.id,
        values: reasonValues('no'),
      });
      expect(short.responseAction).toBe('errors');
      expect(short.errors?.reason_block).toMatch(/at least 3 characters/);
      expect((await storedCard(env, cardId)).state).toBe('pending');

      const submitted = await world.slack.submitView({
        user: 'U0ALICE',
        viewId: view.id,
        values: reasonValues('Tournament this weekend, ship Monday'),
      });
      expect(submitted.status).toBe(200);
      expect(submitted.viewOpen).toBe(false);
      // Acked before the decision: the outcome is told in the card's channel once it is known.
      const told = await eventually(() =>
        world.slack.ephemerals({ user: 'U0ALICE' }).find((e) => e.source === 'chat.postEphemeral'),
      );
      expect(told.channel).toBe(PROD);
      expect(told.text).toMatch(/^✅ Rejected/);

      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Rejected*'));
      const message = latest(world, PROD, card.ts);
      expect(textOf(message)).toContain('<@U0ALICE>');
      expect(textOf(message)).toContain('Tournament this weekend, ship Monday');
      expect(actionIds(message)).toEqual([]);
      const stored = await storedCard(env, cardId);
      expect(stored).toMatchObject({
        state: 'rejected',
        rejection: { user: 'U0ALICE', reason: 'Tournament this weekend, ship Monday' },
      });
      await eventually(() =>
        /Rejected by <@U0ALICE>: Tournament this weekend, ship Monday/.test(threadText(world, PROD, card.ts)),
      );
      expect((await auditOf(env, cardId)).map((e) => [e.action, e.outcome, e.user, e.detail])).toEqual([
        ['reject', 'allowed', 'U0ALICE', 'Tournament this weekend, ship Monday'],
      ]);
      expectNoArgoWrites(world);
    });

    it('closes the modal of a user who may not reject, tells them ephemerally and leaves the card as it was', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'carol', message: 'Another change' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      await new Promise((r) => setTimeout(r, 300));
      const before = JSON.stringify(latest(world, PROD, card.ts).blocks);

      const view = await openRejectModal('U0DAVE', card.ts);
      // Told at once, before typing a reason.
      await eventually(() => ephemeralTexts(world, 'U0DAVE').some((t) => /Not allowed/.test(t)));
      const result = await world.slack.submitView({
        user: 'U0DAVE',
        viewId: view.id,
        values: reasonValues('I do not like it'),
      });
      // The submission is acked before the rights are checked (that can take longer than Slack's 3 s):
      // the modal closes and the refusal arrives ephemerally in the card's channel.
      expect(result.status).toBe(200);
      expect(result.responseAction).toBeUndefined();
      expect(result.viewOpen).toBe(false);
      const told = await eventually(() =>
        world.slack
          .ephemerals({ user: 'U0DAVE' })
          .find((e) => e.source === 'chat.postEphemeral' && /Not allowed/.test(e.text)),
      );
      expect(told.channel).toBe(PROD);
      expect(told.text).toMatch(/Only the prod approvers \(<@U0ALICE> or <!subteam\^S0ONCALL>\)/);

      await new Promise((r) => setTimeout(r, 300));
      expect((await storedCard(env, cardId)).state).toBe('pending');
      expect(JSON.stringify(latest(world, PROD, card.ts).blocks)).toBe(before);
      // The submission is the attempt that counts: audited once, with the rule.
      expect((await auditOf(env, cardId)).map((e) => [e.action, e.outcome, e.user, e.rule])).toEqual([
        ['reject', 'denied', 'U0DAVE', 'not-approver'],
      ]);
      await eventually(() => /`U0DAVE` was refused \(reject\)/.test(threadText(world, PROD, card.ts)));
    });
  });
});
