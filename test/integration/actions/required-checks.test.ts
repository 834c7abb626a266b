import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, POLICY_YAML, REPO } from '../../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { sendSignedWebhook } from '../github-events/send-signed-webhook.js';
import {
  auditOf,
  cardIdOf,
  editPolicy,
  ephemeralTexts,
  latest,
  PROD,
  PROD_APP,
  storedCard,
  textOf,
  waitForCard,
} from './helpers.js';

// prod lists one required status context; requireGreenChecks stays on as in the seed policy.
const POLICY = editPolicy(
  POLICY_YAML,
  '    requireGreenChecks: true',
  '    requireGreenChecks: true\n    requiredChecks: [deploy-gate]',
);

describe.each(SLACK_TRANSPORTS)('required checks over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport }, { policy: POLICY });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const click = (user: string, ts: string) =>
    env.world.slack.clickButton({ user, channel: PROD, ts, actionId: 'deploy_approve_sync' });

  let fileVersion = 0;

  /** A commit on main with the CI results the test chooses, then Argo CD sees Git move. */
  function land(statuses: { context: string; state: 'success' | 'failure' | 'pending' }[]): string {
    const repo = env.world.github.repo(REPO);
    fileVersion += 1;
    const sha = repo.commit({
      message: `Tune ingestion ${fileVersion}`,
      author: { login: 'dave', name: 'Dave', email: PEOPLE.dave.email },
      files: { 'k8s/services/event-ingestion/notes.txt': `change ${fileVersion}\n` },
    });
    repo.setCheckRuns(sha, [{ name: 'tests', status: 'completed', conclusion: 'success' }]);
    repo.setStatuses(sha, statuses);
    env.world.argocd.pushRevision(PROD_APP, sha);
    return sha;
  }

  async function expectRefused(user: string, pattern: RegExp, syncsBefore: number): Promise<void> {
    await eventually(() => ephemeralTexts(env.world, user).some((t) => pattern.test(t)));
    await new Promise((r) => setTimeout(r, 300));
    expect(env.world.argocd.syncRequests()).toHaveLength(syncsBefore);
  }

  describe('requiredChecks through the real approve route', () => {
    it('a required status context that has not reported counts as pending; once it is green, Approve syncs', async () => {
      const { world } = env;
      const sha = land([]);
      const card = await waitForCard(world, PROD, sha);
      const syncsBefore = world.argocd.syncRequests().length;

      await click(PEOPLE.alice.id, card.ts);
      await expectRefused(
        PEOPLE.alice.id,
        new RegExp(`Required checks are not green on ${sha.slice(0, 7)} \\(deploy-gate: not reported\\)`),
        syncsBefore,
      );
      expect((await auditOf(env, cardIdOf(card))).map((e) => e.rule)).toEqual(['checks-not-green']);

      // The gate reports green; GitHub's status webhook makes the bot read the checks again.
      world.github.repo(REPO).setStatuses(sha, [{ context: 'deploy-gate', state: 'success' }]);
      const payload = world.github.buildWebhook('status', {
        repo: REPO,
        sha,
        state: 'success',
        name: 'deploy-gate',
      });
      const sent = await sendSignedWebhook(
        env.bot.url,
        WORLD_SECRETS.GITHUB_WEBHOOK_SECRET,
        'status',
        payload,
      );
      expect(sent.status).toBe(202);
      await eventually(async () =>
        (await storedCard(env, cardIdOf(card))).checks.passing?.includes('deploy-gate'),
      );

      await click(PEOPLE.alice.id, card.ts);
      const sync = await eventually(() => world.argocd.syncRequests()[syncsBefore]);
      expect(sync.body).toMatchObject({ revision: sha });
      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Deployed*'), {
        timeoutMs: 10_000,
      });
    });

    it('reads statuses past the first page: a failing context listed 31st or later still refuses', async () => {
      const { world } = env;
      // Set first, so GitHub lists it last (newest first): beyond the 30 a single combined-status call returns.
      const sha = land([
        { context: 'ci/legacy-scan', state: 'failure' },
        ...Array.from({ length: 40 }, (_, i) => ({ context: `ci/shard-${i}`, state: 'success' as const })),
        { context: 'deploy-gate', state: 'success' },
      ]);
      const card = await waitForCard(world, PROD, sha);
      const stored = await storedCard(env, cardIdOf(card));
      expect(stored.checks).toMatchObject({ state: 'failure', total: 43, failing: ['ci/legacy-scan'] });
      const syncsBefore = world.argocd.syncRequests().length;

      await click(PEOPLE.alice.id, card.ts);
      await expectRefused(
        PEOPLE.alice.id,
        new RegExp(`GitHub checks failed on ${sha.slice(0, 7)} \\(ci/legacy-scan\\)`),
        syncsBefore,
      );
      const statusReads = world.github.requests.filter((r) => r.path.endsWith(`/commits/${sha}/status`));
      expect(statusReads.every((r) => r.query.per_page === '100')).toBe(true);
    });
  });
});
