import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, POLICY_YAML } from '../../../sandbox/world/seed.js';
import { startWorld, type World } from '../../../sandbox/world/start-world.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually } from '../../helpers/start-world-bot.js';
import { cardIdOf, editPolicy, latest, PROD, textOf, threadText, waitForCard } from './helpers.js';

// The policy is read when deploybot starts; cards live in Redis across restarts. A card posted under
// requiredApprovals: 1 must need 2 once the policy that decides says 2.
const TIGHTENED = editPolicy(POLICY_YAML, '    requiredApprovals: 1', '    requiredApprovals: 2');

describe.each(SLACK_TRANSPORTS)('requiredApprovals at decision time over %s', (slackTransport) => {
  let world: World;
  let bot: TestBot | undefined;
  const prefix = `test:policy-now:${randomUUID()}:`;

  beforeAll(async () => {
    world = await startWorld({ slackTransport, timing: { syncMs: 150, healthMs: 150 } });
  });
  afterAll(async () => {
    await bot?.stop();
    await world?.close();
  });

  const start = async (policy: string) => {
    bot = await startTestBot({ env: world.env, policy, port: world.botPort, prefix });
    return bot;
  };

  describe('requiredApprovals is read at decision time, not frozen on the card', () => {
    it('a card posted when one approval sufficed waits for a second after the policy was tightened', async () => {
      await start(POLICY_YAML);
      const sha = await world.pushCommit({ author: 'dave', message: 'Posted under the old policy' });
      const card = await waitForCard(world, PROD, sha);
      expect(textOf(card)).toMatch(/needs 1 approval\b/);
      await bot?.stop();

      await start(TIGHTENED);
      const stored = await bot?.bot.features.cards.repo.get(cardIdOf(card));
      expect(stored?.requiredApprovals).toBe(1);

      await world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      // A recorded approval is shown on the card and in its thread, not ephemerally.
      await eventually(() => /<@U0ALICE> approved \(1 of 2\)/.test(threadText(world, PROD, card.ts)));
      await new Promise((r) => setTimeout(r, 300));
      expect(world.argocd.syncRequests()).toHaveLength(0);
      // The card and its thread show the number that decided.
      await eventually(() => /1 of 2/.test(textOf(latest(world, PROD, card.ts))));
      expect((await bot?.bot.features.cards.repo.get(cardIdOf(card)))?.state).toBe('approved');

      await world.slack.clickButton({
        user: PEOPLE.bob.id,
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      const sync = await eventually(() => world.argocd.syncRequests()[0]);
      expect(sync.body).toMatchObject({ revision: sha });
    });
  });
});
