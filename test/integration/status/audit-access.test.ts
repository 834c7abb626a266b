import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE, POLICY_YAML } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { editPolicy } from '../actions/helpers.js';
import { appsShown, askStatus, readAnswer } from './ask-status.js';

// The audit names who approved, rejected and was refused: only Alice and the on-call group may read it.
const POLICY = editPolicy(
  POLICY_YAML,
  'reconcileInterval: 60s\n',
  'reconcileInterval: 60s\naudit: { users: [U0ALICE], groups: [S0ONCALL] }\n',
);
const APP = 'event-ingestion-prod';

describe.each(SLACK_TRANSPORTS)('audit access over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport }, { policy: POLICY });
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('audit: { users, groups } limits who may read /deploy-status audit', () => {
    // First, while the on-call group is not cached yet: its lookup takes 4 s here.
    it('a group member is answered after the group is read, the command acked at once however slow Slack is', async () => {
      const { slack } = env.world;
      slack.delay('usergroups.users.list', 4000);
      try {
        const before = slack.ephemerals({ user: PEOPLE.bob.id }).length;
        const started = Date.now();
        const result = await slack.slashCommand({
          user: PEOPLE.bob.id,
          channel: CHANNELS.deploys.id,
          command: '/deploy-status',
          text: `audit ${APP}`,
        });
        expect(result.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(3000);
        const answer = await eventually(
          () =>
            slack
              .ephemerals({ user: PEOPLE.bob.id })
              .slice(before)
              .find((e) => e.source === 'response_url'),
          { timeoutMs: 10_000 },
        );
        expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
        expect(readAnswer(answer)).toContain(`Audit: ${APP}`);
      } finally {
        slack.delay('usergroups.users.list', 0);
      }
    });

    it('answers a listed user, refuses anyone else clearly, and leaves /deploy-status open to all', async () => {
      const alice = readAnswer(await askStatus(env.world, PEOPLE.alice.id, `audit ${APP}`));
      expect(alice).toContain(`Audit: ${APP}`);

      const carol = readAnswer(await askStatus(env.world, PEOPLE.carol.id, `audit ${APP}`));
      expect(carol).toContain(`You may not read the audit log of *${APP}*`);
      expect(carol).toContain(
        'deploybot.yaml lets only <@U0ALICE> or <!subteam^S0ONCALL> read the audit log',
      );
      expect(carol).not.toContain(`Audit: ${APP}`);

      const status = await askStatus(env.world, PEOPLE.carol.id, 'prod', CHANNELS.deploys.id);
      expect(appsShown(status)).toContain(APP);
    });
  });
});
