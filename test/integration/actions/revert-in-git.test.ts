import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS, REPO } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  actionIds,
  auditFor,
  cardIdOf,
  craftClick,
  DEPLOYS,
  ephemeralTexts,
  latest,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from './helpers.js';

const DEV_APP = 'event-ingestion-dev';
const APP_PATH = APPS.find((a) => a.name === DEV_APP)!.path;
const FILES = [
  `${APP_PATH}/consumer-deployment.yaml`,
  `${APP_PATH}/producer-deployment.yaml`,
  `${APP_PATH}/service.yaml`,
];

describe.each(SLACK_TRANSPORTS)('revert in Git over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('Revert in Git for an auto-synced app', () => {
    it('offers Revert in Git instead of Rollback and opens one pull request that restores the app path', async () => {
      const { world } = env;
      const repo = world.github.repo(REPO);
      const previous = world.headOf('develop');
      const sha = await world.pushCommit({
        branch: 'develop',
        author: 'carol',
        message: 'Consumer 1.4.1 on dev',
      });
      const card = await waitForCard(world, DEPLOYS, sha, 'deploy_revert_git', DEV_APP);
      const cardId = cardIdOf(card);
      expect(actionIds(card)).not.toContain('deploy_rollback');
      expect(textOf(card)).toContain('*Deployed*');
      const stored = await storedCard(env, cardId);
      expect(stored).toMatchObject({ kind: 'info', autoSync: true, from: { sha: previous } });
      // The push changed the app's manifests; something outside the path moves on develop afterwards.
      expect(repo.fileAt(sha, FILES[0]!)).not.toBe(repo.fileAt(previous, FILES[0]!));
      repo.commit({
        message: 'Docs only',
        branch: 'develop',
        author: { login: 'carol', name: 'Carol Coder', email: 'carol@gamemetrics.example' },
        files: { 'docs/runbook.md': 'restart the consumer\n' },
      });

      await world.slack.clickButton({
        user: 'U0DAVE',
        channel: DEPLOYS,
        ts: card.ts,
        actionId: 'deploy_revert_git',
      });
      const pull = await eventually(() =>
        world.github.pulls(REPO).find((p) => p.headRef.startsWith('deploybot/')),
      );
      expect(pull).toMatchObject({
        baseRef: 'develop',
        headRef: `deploybot/revert-${DEV_APP}-${sha.slice(0, 7)}`,
        state: 'open',
      });
      for (const file of FILES) expect(repo.fileAt(pull.headRef, file)).toBe(repo.fileAt(previous, file));
      expect(repo.fileAt(pull.headRef, 'docs/runbook.md')).toBe('restart the consumer\n');
      expect(repo.fileAt(pull.headRef, 'k8s/kafka/base/kafka.yaml')).toBe(
        repo.fileAt(world.headOf('develop'), 'k8s/kafka/base/kafka.yaml'),
      );
      // The tracked branch itself is untouched: only a pull request.
      expect(world.github.requests.filter((r) => r.method === 'PATCH')).toEqual([]);

      await eventually(() => actionIds(latest(world, DEPLOYS, card.ts)).includes('deploy_open_pr'));
      const message = latest(world, DEPLOYS, card.ts);
      expect(actionIds(message)).not.toContain('deploy_revert_git');
      expect(textOf(message)).toContain(
        `Revert PR <https://github.com/${REPO}/pull/${pull.number}|#${pull.number}>`,
      );
      await eventually(() =>
        threadText(world, DEPLOYS, card.ts).includes(
          `Revert PR <https://github.com/${REPO}/pull/${pull.number}|#${pull.number}> opened`,
        ),
      );
      expect(await storedCard(env, cardId)).toMatchObject({
        revertPr: { number: pull.number, user: 'U0DAVE' },
      });

      // A client still showing the old button cannot open a second one.
      await craftClick(world, {
        botUrl: env.bot.url,
        user: 'U0CAROL',
        channel: DEPLOYS,
        ts: card.ts,
        actionId: 'deploy_revert_git',
        message: card,
      });
      await eventually(() => ephemeralTexts(world, 'U0CAROL').some((t) => /already open/.test(t)));
      expect(world.github.pulls(REPO).filter((p) => p.headRef.startsWith('deploybot/'))).toHaveLength(1);
      const audit = (await auditFor(env, DEV_APP, cardId)).map((e) => `${e.action}:${e.outcome}:${e.user}`);
      // Opening the revert holds the reverted revision (its card says so), audited with whoever reverted.
      expect(audit.filter((e) => !e.startsWith('hold:'))).toEqual([
        'revert-in-git:started:U0DAVE',
        'revert-in-git:denied:U0CAROL',
      ]);
      expect(audit).toContain('hold:held:U0DAVE');
      expect(textOf(latest(world, DEPLOYS, card.ts))).toMatch(
        /\*Held\* — reverted in Git by <@U0DAVE> at <!date\^/,
      );
    });
  });
});
