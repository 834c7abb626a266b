import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_YAML } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  auditOf,
  cardIdOf,
  craftClick,
  editPolicy,
  ephemeralTexts,
  expectNoArgoWrites,
  PROD,
  storedCard,
  threadText,
  waitForCard,
} from './helpers.js';

// Someone from a partner company in a Slack Connect channel: Slack signs their clicks like anyone's.
const PARTNER = 'U0PARTNER';
const PARTNER_TEAM = 'T0PARTNERCO';
// prod approvable by "*": any member of the installing workspace, and nobody else. The partner has a
// `people` entry (a known GitHub identity), so nothing but being external can refuse them.
const POLICY = editPolicy(
  editPolicy(
    POLICY_YAML,
    '    approvers: { users: [U0ALICE], groups: [S0ONCALL] }',
    '    approvers: { users: ["*"] }',
  ),
  'people:\n',
  `people:\n  - { slack: ${PARTNER}, github: partner, email: partner@partner.example }\n`,
);

describe.each(SLACK_TRANSPORTS)('Slack Connect over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport }, { policy: POLICY });
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('Slack Connect: "*" means members of the installing workspace', () => {
    it('refuses a signed click from a user of another workspace on a "*" card, and says why', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Shared-channel change' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      world.argocd.clearRequests();

      const response = await craftClick(world, {
        botUrl: env.bot.url,
        user: PARTNER,
        userTeamId: PARTNER_TEAM,
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      expect(response.status).toBe(200);
      const answer = await eventually(() =>
        ephemeralTexts(world, PARTNER).find((t) => /Not allowed/.test(t)),
      );
      expect(answer).toContain('not a member of this Slack workspace (Slack Connect)');
      expect(answer).toContain('"*" in the prod approvers admits members of this workspace only');
      await new Promise((r) => setTimeout(r, 300));
      expectNoArgoWrites(world);
      expect((await storedCard(env, cardId)).state).toBe('pending');
      expect((await auditOf(env, cardId)).map((e) => [e.action, e.outcome, e.user, e.rule])).toEqual([
        ['approve', 'denied', PARTNER, 'not-approver'],
      ]);
      await eventually(() => /`U0PARTNER` was refused \(approve\)/.test(threadText(world, PROD, card.ts)));

      // The same card, the same "*", a member of this workspace: allowed and synced.
      await craftClick(world, {
        botUrl: env.bot.url,
        user: 'U0CAROL',
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      const sync = await eventually(() => world.argocd.syncRequests()[0]);
      expect(sync.body).toMatchObject({ revision: sha });
    });
  });
});
