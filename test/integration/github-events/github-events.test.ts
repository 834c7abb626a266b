import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE, REPO } from '../../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { findReadyProdCard } from '../deployments/approve-prod-card.js';
import { sendSignedWebhook } from './send-signed-webhook.js';

describe.each(SLACK_TRANSPORTS)('GitHub webhooks and card presses over %s', (slackTransport) => {
  let env: WorldWithBot;
  let sha: string;
  let cardTs: string;

  const secret = WORLD_SECRETS.GITHUB_WEBHOOK_SECRET;
  const send = (event: string, payload: unknown, deliveryId?: string) =>
    sendSignedWebhook(env.bot.url, secret, event, payload, deliveryId);
  const replies = () =>
    env.world.slack
      .thread(CHANNELS.prodDeploys.id, cardTs)
      .slice(1)
      .map((m) => m.text);
  const githubCalls = (suffix: string) =>
    env.world.github.requests.filter((r) => r.method === 'GET' && r.path.endsWith(suffix)).length;

  beforeAll(async () => {
    // CI stays "in progress" until the test says otherwise.
    env = await startWorldWithBot({ slackTransport, checksDelayMs: 600_000 });
    sha = await env.world.pushCommit({ author: 'dave', message: 'Batch inserts into ClickHouse' });
    const card = await findReadyProdCard(env, sha);
    cardTs = card.ts;
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('GitHub webhooks → deploy cards', () => {
    it('while CI runs, requireGreenChecks refuses Alice', async () => {
      await env.world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: CHANNELS.prodDeploys.id,
        ts: cardTs,
        actionId: 'deploy_approve_sync',
      });
      const denial = await eventually(() =>
        env.world.slack.ephemerals({ user: PEOPLE.alice.id }).find((e) => /Not allowed/.test(e.text)),
      );
      expect(denial.text).toMatch(/check/i);
      expect(env.world.argocd.syncRequests()).toHaveLength(0);
    });

    it('check_suite completed: the card shows green checks, one thread note, and Approve now works', async () => {
      env.world.github.repo(REPO).setCheckRuns(sha, [
        { name: 'tests', status: 'completed', conclusion: 'success' },
        { name: 'build-and-push', status: 'completed', conclusion: 'success' },
      ]);
      const payload = env.world.github.buildWebhook('check_suite', { repo: REPO, sha });
      const first = await send('check_suite', payload);
      expect(first.status).toBe(202);
      await eventually(() => replies().find((t) => t.startsWith('🧪 Checks: ✅ 2 passed')));

      // The same delivery again (GitHub "Redeliver") is dropped at the door; a new delivery of the same news changes nothing.
      const checkReadsBefore = githubCalls(`/commits/${sha}/check-runs`);
      expect((await send('check_suite', payload, first.deliveryId)).body).toEqual({ status: 'duplicate' });
      expect(githubCalls(`/commits/${sha}/check-runs`)).toBe(checkReadsBefore);
      expect(
        (await send('workflow_run', env.world.github.buildWebhook('workflow_run', { repo: REPO, sha })))
          .status,
      ).toBe(202);
      await eventually(() => githubCalls(`/commits/${sha}/check-runs`) > checkReadsBefore);
      await env.bot.bot.features.githubEvents.idle();
      expect(replies().filter((t) => t.startsWith('🧪 Checks'))).toHaveLength(1);

      await env.world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: CHANNELS.prodDeploys.id,
        ts: cardTs,
        actionId: 'deploy_approve_sync',
      });
      const sync = await eventually(() => env.world.argocd.syncRequests()[0]);
      expect(sync.body).toMatchObject({ revision: sha });
    });

    it('a burst of check_run events for one commit costs at most two GitHub reads', async () => {
      const other = await env.world.pushCommit({ author: 'carol', message: 'Add retries to the producer' });
      // Both cards of this commit (event-ingestion-prod, kafka-prod) finish their own enrichment first.
      await findReadyProdCard(env, other);
      await eventually(
        async () =>
          (
            await env.bot.bot.features.cards.repo.findByRevision(
              { instance: 'default', namespace: 'argocd', name: 'kafka-prod' },
              other,
            )
          )?.enrichedAt,
      );
      const before = githubCalls(`/commits/${other}/check-runs`);
      const burst = Array.from({ length: 10 }, (_, i) =>
        send(
          'check_run',
          env.world.github.buildWebhook('check_run', { repo: REPO, sha: other, name: `job-${i}` }),
        ),
      );
      for (const result of await Promise.all(burst)) expect(result.status).toBe(202);
      await eventually(() => githubCalls(`/commits/${other}/check-runs`) > before);
      await env.bot.bot.features.githubEvents.idle();
      expect(githubCalls(`/commits/${other}/check-runs`) - before).toBeLessThanOrEqual(2);
    });

    it('status failure: the card turns red with a note', async () => {
      const other = env.world.headOf('main');
      const otherTs = env.world.slack
        .channelMessages(CHANNELS.prodDeploys.id)
        .find(
          (m) =>
            m.text.includes(other.slice(0, 7)) && JSON.stringify(m.blocks).includes('deploy_approve_sync'),
        )!.ts;
      env.world.github.repo(REPO).setStatuses(other, [{ context: 'security-scan', state: 'failure' }]);
      const payload = env.world.github.buildWebhook('status', {
        repo: REPO,
        sha: other,
        state: 'failure',
        name: 'security-scan',
      });
      expect((await send('status', payload)).status).toBe(202);
      await eventually(() =>
        env.world.slack
          .thread(CHANNELS.prodDeploys.id, otherTs)
          .find((m) => m.text.startsWith('🧪 Checks: ❌ failing:') && m.text.includes('security-scan')),
      );
    });

    it('push to a tracked branch: an "incoming" note on the app’s current card', async () => {
      const current = env.world.headOf('main');
      const currentTs = env.world.slack
        .channelMessages(CHANNELS.prodDeploys.id)
        .find(
          (m) =>
            m.text.includes(current.slice(0, 7)) && JSON.stringify(m.blocks).includes('event-ingestion-prod'),
        )!.ts;
      // A commit Argo CD has not seen yet (its poll comes later).
      const incoming = env.world.github.repo(REPO).commit({
        message: 'Raise consumer concurrency',
        branch: 'main',
        files: { 'k8s/services/event-ingestion/notes.txt': 'more consumers\n' },
        author: { login: 'carol', name: 'Carol Coder', email: 'carol@gamemetrics.example' },
      });
      const push = env.world.github.buildWebhook('push', {
        repo: REPO,
        sha: incoming,
        sender: { login: 'carol', type: 'User' },
      });
      expect((await send('push', push)).status).toBe(202);
      const note = await eventually(() =>
        env.world.slack.thread(CHANNELS.prodDeploys.id, currentTs).find((m) => m.text.startsWith('📥')),
      );
      expect(note.text).toContain('carol pushed 1 commit to `main`');
      expect(note.text).toContain(incoming.slice(0, 7));
      // A push to a branch no app tracks notes nothing.
      const before = env.world.slack.calls.length;
      env.world.github.repo(REPO).setBranch('feature/x', incoming);
      expect(
        (
          await send(
            'push',
            env.world.github.buildWebhook('push', { repo: REPO, sha: incoming, branch: 'feature/x' }),
          )
        ).status,
      ).toBe(202);
      await env.bot.bot.features.githubEvents.idle();
      const notes = env.world.slack.calls.slice(before).filter((c) => String(c.args.text).startsWith('📥'));
      expect(notes).toEqual([]);
    });

    it('ignores our own deployment events and unrelated repositories (real and derived example payloads)', async () => {
      const before = env.world.slack.calls.length;
      const own = env.world.github.buildWebhook('deployment_status', {
        repo: REPO,
        environment: 'prod/event-ingestion-prod',
        sender: { login: 'deploybot[bot]', type: 'Bot' },
      });
      expect((await send('deployment_status', own)).status).toBe(202);
      for (const file of ['push.ordinary.json', 'pull_request.closed.merged.json']) {
        const raw = readFileSync(new URL(`../../fixtures/github/${file}`, import.meta.url), 'utf8');
        const event = file.split('.')[0]!;
        expect((await send(event, raw)).status).toBe(202);
      }
      await env.bot.bot.features.githubEvents.idle();
      // Deploys still finishing may update cards meanwhile; none of these events may post anything.
      const posted = env.world.slack.calls.slice(before).filter((c) => c.method === 'chat.postMessage');
      expect(posted.filter((c) => /^(📥|🧪)/.test(String(c.args.text)))).toEqual([]);
      expect(
        env.bot.logs.some((l) => l.includes('deployment event ignored') && l.includes('"bot":true')),
      ).toBe(true);
    });
  });
});
