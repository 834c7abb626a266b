import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, POLICY_YAML } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { cardMessage, isEnriched, PROD_CHANNEL, pushAndWaitForPendingCard, settle } from './support/cards.js';

// Self-approval is allowed here so that the only rule GitHub's outage can trip is requireGreenChecks;
// the reconciler runs every second so "filled in later" does not take a minute.
const POLICY = POLICY_YAML.replace('allowSelfApproval: false', 'allowSelfApproval: true').replace(
  /^reconcileInterval: .*$/m,
  'reconcileInterval: 1s',
);

describe.each(SLACK_TRANSPORTS)('GitHub faults over %s', (slackTransport) => {
  let env: WorldWithBot;
  // The bot's clock; the test moves it past the bot's 30 s "enrich again" threshold instead of waiting.
  let skewMs = 0;

  beforeAll(async () => {
    expect(POLICY).toContain('allowSelfApproval: true');
    expect(POLICY).toContain('requireGreenChecks: true');
    env = await startWorldWithBot({ slackTransport }, { policy: POLICY, now: () => Date.now() + skewMs });
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('GitHub is down when a new revision arrives', () => {
    it('posts the card marked "unavailable", fails approval closed on unknown checks, and fills in later', async () => {
      env.world.github.setDown(true);
      const card = await pushAndWaitForPendingCard(env.world, {}, { enriched: false, timeoutMs: 15_000 });
      // Posted at once ("reading the changelog"), then marked unavailable once GitHub is slower than the deadline.
      const posted = await eventually(() => {
        const m = cardMessage(env.world, card.ts);
        return JSON.stringify(m.blocks).includes('changelog unavailable') ? m : undefined;
      });
      const blocks = JSON.stringify(posted.blocks);
      expect(blocks).toMatch(/❔ unknown/);
      await settle(env.bot);

      const click = await env.world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: PROD_CHANNEL,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      expect(click.status).toBe(200);
      const denial = await eventually(() =>
        env.world.slack.ephemerals({ user: PEOPLE.alice.id }).find((e) => /Not allowed/.test(e.text)),
      );
      expect(denial.text).toMatch(/checks .*could not be read/i);
      await new Promise((r) => setTimeout(r, 500));
      expect(env.world.argocd.syncRequests()).toHaveLength(0);

      env.world.github.setDown(false);
      skewMs = 31_000;
      const filled = await eventually(
        () => {
          const message = cardMessage(env.world, card.ts);
          return isEnriched(message) ? message : undefined;
        },
        { timeoutMs: 15_000 },
      );
      expect(JSON.stringify(filled.blocks)).toMatch(/✅ 2 passed/);
      expect(JSON.stringify(filled.blocks)).toMatch(/Changelog/);

      // With the checks known and green, the same click now deploys.
      await env.world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: PROD_CHANNEL,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      const sync = await eventually(() => env.world.argocd.syncRequests()[0]);
      expect(sync.body).toMatchObject({ revision: card.sha });
    }, 45_000);
  });
});
