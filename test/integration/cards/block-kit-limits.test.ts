import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE, POLICY_YAML, REPO } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { buttonsOf, cardPosts, messageText, updatesOf } from './card-helpers.js';

const APP = 'event-ingestion-prod';
const CHANNEL = CHANNELS.prodDeploys.id;
const COMMITS = 400;
const IMAGES = 30;

// deploybot verifies the authors of at most 100 commits, so with self-approval off a 400-commit change
// is refused to everybody (authorship unknown, fail closed): this test of Block Kit limits allows it.
const POLICY = POLICY_YAML.replace('    allowSelfApproval: false', '    allowSelfApproval: true');

describe.each(SLACK_TRANSPORTS)('block-kit-limits over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport }, { policy: POLICY });
  });
  afterAll(async () => {
    await env?.stop();
  });

  /** Subjects that stress escaping and truncation: mrkdwn control characters, mentions, very long lines. */
  function subject(i: number): string {
    const long = i % 50 === 0 ? ` ${'x'.repeat(2500)}` : '';
    return `Change ${i}: <!channel> & <@U0ALICE> *bold* _it_ \`code\` ~s~ > quote${long}\n\nBody line ${i}`;
  }

  describe('a huge change fits Slack’s Block Kit limits (the fake answers invalid_blocks otherwise)', () => {
    let sha = '';
    let ts = '';

    it('400 commits, 40 pull requests and 30 new images post as one valid card', async () => {
      const repo = env.world.github.repo(REPO);
      const dave = PEOPLE.dave;
      for (let i = 1; i <= COMMITS; i++) {
        sha = repo.commit({
          message: subject(i),
          branch: 'main',
          files: { [`docs/changes/${i}.md`]: `change ${i}\n` },
          author: { login: dave.login, name: dave.realName, email: dave.email },
        });
        if (i % 10 === 0)
          repo.openPull({
            title: `PR for change ${i} & <${'y'.repeat(400)}>`,
            head: `dave/change-${i}`,
            base: 'main',
            author: 'dave',
            commits: [sha],
            merged: true,
          });
      }
      repo.setCheckRuns(sha, [{ name: 'tests', status: 'completed', conclusion: 'success' }]);
      const images = Array.from(
        { length: IMAGES },
        (_, i) => `registry.example.com/gamemetrics/${i === 0 ? 'n'.repeat(300) : `service-${i}`}:2.0.${i}`,
      );
      env.world.argocd.pushRevision(APP, sha, { images });

      const card = await eventually(
        () =>
          env.world.slack
            .channelMessages(CHANNEL)
            .find((m) => m.text.startsWith(`${APP} ${sha.slice(0, 7)}`)),
        { timeoutMs: 15_000 },
      );
      ts = card.ts;
      // Wait for the enrichment (changelog of 400 commits) to land in place.
      const full = await eventually(
        () => {
          const m = env.world.slack.channelMessages(CHANNEL).find((x) => x.ts === ts);
          return m && messageText(m).includes(`(${COMMITS} commits)`) ? m : undefined;
        },
        { timeoutMs: 15_000 },
      );
      const text = messageText(full);
      expect(text).toContain('Pull requests* (');
      expect(text).toMatch(/and \d+ more/); // the changelog is capped, with the rest counted
      expect(text).toContain(`*Images* (${IMAGES + 2})`); // 30 new, the 2 old ones removed
      expect(text).not.toContain('<!channel>'); // escaped: no mass mention from a commit subject
      expect(full.blocks?.length ?? 0).toBeLessThanOrEqual(50);
      expect(buttonsOf(full)).toContain('deploy_approve_sync');

      const posts = cardPosts(env.world.slack, { channel: CHANNEL, app: APP, sha });
      expect(posts).toHaveLength(1);
      expect(posts[0]?.response.ok).toBe(true);
      for (const call of updatesOf(env.world.slack, ts)) expect(call.response).toMatchObject({ ok: true });
    });

    it('stays valid through approve → syncing → deployed with the same content', async () => {
      const click = await env.world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: CHANNEL,
        ts,
        actionId: 'deploy_approve_sync',
      });
      expect(click.status).toBe(200);
      const deployed = await eventually(
        () => {
          const m = env.world.slack.channelMessages(CHANNEL).find((x) => x.ts === ts);
          return m?.text.includes('was deployed') ? m : undefined;
        },
        { timeoutMs: 15_000 },
      );
      expect(buttonsOf(deployed)).toContain('deploy_rollback');
      const updates = updatesOf(env.world.slack, ts);
      expect(String(updates.at(-1)?.args.text)).toContain('was deployed');
      for (const call of updates) expect(call.response).toMatchObject({ ok: true });
      const invalid = env.world.slack.calls.filter((c) => c.response.error === 'invalid_blocks');
      expect(invalid).toEqual([]);
    });
  });
});
