import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommitInput, WEB_FLOW } from '../../../sandbox/fake-github/index.js';
import { PEOPLE, REPO } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  auditOf,
  cardIdOf,
  ephemeralTexts,
  latest,
  PROD,
  PROD_APP,
  storedCard,
  textOf,
  waitForCard,
} from './helpers.js';

// prod: allowSelfApproval false, one approval; Alice approves by id, Bob through the on-call group.
describe.each(SLACK_TRANSPORTS)('self-approval over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
  });
  afterAll(async () => {
    await env?.stop();
  });

  let fileVersion = 0;

  /**
   * A change reaching prod the way a developer makes it, with the identities the test chooses: a commit
   * on main (green CI), optionally inside a merged pull request, then Argo CD sees Git move.
   */
  function land(commit: Pick<CommitInput, 'author' | 'committer' | 'message'>, pullAuthor?: string): string {
    const repo = env.world.github.repo(REPO);
    fileVersion += 1;
    const sha = repo.commit({
      ...commit,
      files: { 'k8s/services/event-ingestion/notes.txt': `change ${fileVersion}\n` },
    });
    if (pullAuthor)
      repo.openPull({
        title: commit.message,
        head: `${pullAuthor}/change-${fileVersion}`,
        base: 'main',
        author: pullAuthor,
        commits: [sha],
        merged: true,
      });
    repo.setCheckRuns(sha, [{ name: 'tests', status: 'completed', conclusion: 'success' }]);
    env.world.argocd.pushRevision(PROD_APP, sha);
    return sha;
  }

  const click = (user: string, ts: string) =>
    env.world.slack.clickButton({ user, channel: PROD, ts, actionId: 'deploy_approve_sync' });

  async function refusalFor(user: string, pattern: RegExp): Promise<string> {
    return eventually(() => ephemeralTexts(env.world, user).find((t) => pattern.test(t)));
  }

  /** Nothing synced, even a moment after the refusal: no sync request reached Argo CD. */
  async function expectNoSync(before: number): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
    expect(env.world.argocd.syncRequests()).toHaveLength(before);
  }

  async function approveAndDeploy(user: string, ts: string, sha: string): Promise<void> {
    const before = env.world.argocd.syncRequests().length;
    await click(user, ts);
    const sync = await eventually(() => env.world.argocd.syncRequests()[before]);
    expect(sync.body).toMatchObject({ revision: sha });
    await eventually(() => textOf(latest(env.world, PROD, ts)).includes('*Deployed*'), { timeoutMs: 10_000 });
  }

  describe('self-approval (allowSelfApproval: false) through the real approve route', () => {
    it("refuses Alice on her own pull request whose commit e-mail GitHub links to no account; Bob's approval syncs", async () => {
      const { world } = env;
      // The review's case: alice.personal@ is on no GitHub account and not in `people`.
      const sha = land(
        {
          message: 'Raise consumer replicas',
          author: { name: 'Alice', email: 'alice.personal@gmail.example' },
        },
        'alice',
      );
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      const syncsBefore = world.argocd.syncRequests().length;

      await click(PEOPLE.alice.id, card.ts);
      const refusal = await refusalFor(PEOPLE.alice.id, /self-approval/);
      expect(refusal).toMatch(
        new RegExp(
          `You opened pull request #\\d+ \\(GitHub login alice\\), which holds commit ${sha.slice(0, 7)} of this change and prod does not allow self-approval`,
        ),
      );
      await expectNoSync(syncsBefore);
      const stored = await storedCard(env, cardId);
      expect([stored.state, stored.approvals]).toEqual(['pending', []]);
      expect((await auditOf(env, cardId)).map((e) => [e.action, e.outcome, e.user, e.rule])).toEqual([
        ['approve', 'denied', PEOPLE.alice.id, 'self-approval'],
      ]);

      // What the card stored for it: the commit without an account, attributed through the pull request.
      const [commit] = stored.changelog.commits;
      expect(commit).toMatchObject({ sha, authorEmail: 'alice.personal@gmail.example' });
      expect(commit?.authorLogin).toBeUndefined();
      expect(stored.changelog.pulls.find((p) => commit?.pulls?.includes(p.number))?.authorLogin).toBe(
        'alice',
      );

      await approveAndDeploy(PEOPLE.bob.id, card.ts, sha);
    });

    it("a browser merge (GitHub's web-flow committer) of Carol's pull request does not make Alice an author", async () => {
      const sha = land(
        {
          message: 'Merge pull request: tune partitions',
          author: { login: 'carol', name: 'Carol', email: PEOPLE.carol.email },
          committer: WEB_FLOW,
        },
        'carol',
      );
      const card = await waitForCard(env.world, PROD, sha);
      await approveAndDeploy(PEOPLE.alice.id, card.ts, sha);
    });

    it("refuses Alice as the committer of Carol's commit (she cherry-picked it), in Carol's pull request", async () => {
      const sha = land(
        {
          message: 'Cherry-pick: fix consumer lag alert',
          author: { login: 'carol', name: 'Carol', email: PEOPLE.carol.email },
          committer: { login: 'alice', name: 'Alice', email: PEOPLE.alice.email },
        },
        'carol',
      );
      const card = await waitForCard(env.world, PROD, sha);
      const syncsBefore = env.world.argocd.syncRequests().length;
      await click(PEOPLE.alice.id, card.ts);
      const refusal = await refusalFor(PEOPLE.alice.id, new RegExp(`commit ${sha.slice(0, 7)}`));
      expect(refusal).toContain(
        `You authored or committed commit ${sha.slice(0, 7)} of this change (GitHub login alice)`,
      );
      await expectNoSync(syncsBefore);
      await approveAndDeploy(PEOPLE.bob.id, card.ts, sha);
    });

    it('refuses everybody, naming the commit, when a commit in no pull request has no GitHub account (fail closed)', async () => {
      const sha = land({
        message: 'Hotfix from a laptop',
        author: { name: 'Someone', email: 'root@build-host.local' },
      });
      const card = await waitForCard(env.world, PROD, sha);
      const cardId = cardIdOf(card);
      const syncsBefore = env.world.argocd.syncRequests().length;
      const naming = new RegExp(
        `Commit ${sha.slice(0, 7)} has an e-mail GitHub links to no account and is in no pull request`,
      );

      await click(PEOPLE.bob.id, card.ts);
      const refusal = await refusalFor(PEOPLE.bob.id, naming).catch((error: unknown) => {
        throw new Error(
          `${String(error)}; Bob was told: ${JSON.stringify(ephemeralTexts(env.world, PEOPLE.bob.id))}`,
        );
      });
      expect(refusal).toMatch(/prod does not allow self-approval/);
      await click(PEOPLE.alice.id, card.ts);
      await refusalFor(PEOPLE.alice.id, naming);
      await expectNoSync(syncsBefore);
      expect((await storedCard(env, cardId)).state).toBe('pending');
      expect((await auditOf(env, cardId)).map((e) => [e.outcome, e.user, e.rule])).toEqual([
        ['denied', PEOPLE.bob.id, 'self-approval'],
        ['denied', PEOPLE.alice.id, 'self-approval'],
      ]);
    });
  });
});
