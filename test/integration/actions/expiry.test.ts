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

const POLICY = editPolicy(
  editPolicy(POLICY_YAML, '    approvalTimeout: 24h', '    approvalTimeout: 4s'),
  '    remindAfter: 30m',
  '    remindAfter: 1s',
);

describe.each(SLACK_TRANSPORTS)('approval timeout over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport }, { policy: POLICY, reconcileIntervalMs: 200 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('approval timeout and reminder', () => {
    it('reminds the approvers once in the thread, then expires the card and removes its buttons', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Nobody looks at this one' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);

      const reminder = await eventually(() =>
        world.slack.thread(PROD, card.ts).find((m) => m.text.startsWith('🔔')),
      );
      expect(reminder.text).toContain('<@U0ALICE>');
      expect(reminder.text).toContain('<!subteam^S0ONCALL>');
      expect((await storedCard(env, cardId)).state).toBe('pending');

      const expired = await eventually(async () => {
        const stored = await storedCard(env, cardId);
        return stored.state === 'expired' ? stored : undefined;
      });
      expect(expired.updatedAt - expired.createdAt).toBeGreaterThanOrEqual(4000);
      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Expired*'));
      expect(actionIds(latest(world, PROD, card.ts))).toEqual([]);
      await eventually(() =>
        /Expired after 4s without enough approvals/.test(threadText(world, PROD, card.ts)),
      );

      // Several more reconcile passes: still exactly one reminder.
      await new Promise((r) => setTimeout(r, 800));
      expect(world.slack.thread(PROD, card.ts).filter((m) => m.text.startsWith('🔔'))).toHaveLength(1);
      const audit = (await auditOf(env, cardId)).map((e) => `${e.action}:${e.outcome}`);
      expect(audit).toEqual(['remind:reminded', 'expire:expired']);

      // A client still showing Approve cannot bring it back.
      await craftClick(world, {
        botUrl: env.bot.url,
        user: 'U0ALICE',
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
        message: card,
      });
      await eventually(() => ephemeralTexts(world, 'U0ALICE').some((t) => /expired/.test(t)));
      expectNoArgoWrites(world);
    });
  });
});
