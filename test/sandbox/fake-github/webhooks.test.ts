import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, type FakeRepo, signGitHubPayload } from '../../../sandbox/fake-github/index.js';
import {
  deriveMergedPullRequestClosed,
  deriveOrdinaryPush,
} from '../../../sandbox/fake-github/webhooks/derive-examples.js';
import { ALICE, BOB, createOctokit, minute, startFake } from './helpers.js';
import { startWebhookReceiver } from './webhook-receiver.js';

const SECRET = 'webhook-secret-for-tests';

describe('webhook deliveries', () => {
  let fake: FakeGitHub;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeEach(async () => {
    receiver = await startWebhookReceiver(SECRET);
    ({ fake } = await startFake({
      webhook: { url: receiver.url, secret: SECRET, hookId: 4242, emitOnApiWrites: true },
    }));
  });

  afterEach(async () => {
    await fake.close();
    await receiver.close();
  });

  it('signs the exact bytes so @octokit/webhooks verifies them, with GitHub headers', async () => {
    const result = await fake.sendWebhook('ping', { zen: 'Keep it logically awesome.', hook_id: 4242 });
    expect(result.status).toBe(202);
    const [delivery] = receiver.received;
    expect(delivery?.verified).toBe(true);
    expect(delivery?.headers).toMatchObject({
      'x-github-event': 'ping',
      'x-github-delivery': result.deliveryId,
      'x-github-hook-id': '4242',
      'content-type': 'application/json',
    });
    expect(delivery?.headers['user-agent']).toMatch(/^GitHub-Hookshot\//);
    expect(result.deliveryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(signGitHubPayload(SECRET, delivery!.rawBody)).toBe(
      await receiver.webhooks.sign(delivery!.rawBody),
    );
  });

  it('is rejected by a receiver holding another secret', async () => {
    const other = await startWebhookReceiver('another-secret');
    const stranger = await startFake({ webhook: { url: other.url, secret: SECRET } });
    try {
      const result = await stranger.fake.sendWebhook('ping', { zen: 'x' });
      expect(result.status).toBe(401);
      expect(other.received[0]?.verified).toBe(false);
    } finally {
      await stranger.fake.close();
      await other.close();
    }
  });

  it('redelivers the same bytes under the same X-GitHub-Delivery', async () => {
    const first = await fake.sendWebhook(
      'status',
      { state: 'success' },
      { deliveryId: 'd1b2c3d4-0000-4000-8000-000000000001' },
    );
    const again = await fake.redeliver(first.deliveryId);
    expect(again.deliveryId).toBe('d1b2c3d4-0000-4000-8000-000000000001');
    const [original, redelivered] = receiver.received;
    expect(redelivered?.rawBody).toBe(original?.rawBody);
    expect(redelivered?.headers['x-github-delivery']).toBe(original?.headers['x-github-delivery']);
    expect(fake.deliveries.map((delivery) => delivery.redelivery)).toEqual([false, true]);
  });

  it('sends deployment events back when the API creates a deployment, from a Bot sender', async () => {
    const repo = fake.repo('acme/gitops');
    const sha = repo.commit({
      message: 'init',
      author: ALICE,
      files: { 'a.yaml': 'a: 1\n' },
      date: minute(0),
    });
    const octokit = createOctokit(fake);
    const created = await octokit.rest.repos.createDeployment({
      owner: 'acme',
      repo: 'gitops',
      ref: sha,
      auto_merge: false,
      required_contexts: [],
    });
    if (created.status !== 201) throw new Error('expected a deployment');
    await octokit.rest.repos.createDeploymentStatus({
      owner: 'acme',
      repo: 'gitops',
      deployment_id: created.data.id,
      state: 'success',
    });
    await fake.drainWebhooks();
    const events = receiver.received.map((delivery) => {
      const payload = JSON.parse(delivery.rawBody);
      return [
        delivery.headers['x-github-event'],
        payload.deployment.id,
        payload.deployment.sha,
        payload.sender.type,
        payload.deployment_status?.state,
      ];
    });
    expect(events).toEqual([
      ['deployment', created.data.id, sha, 'Bot', undefined],
      ['deployment_status', created.data.id, sha, 'Bot', 'success'],
    ]);
  });
});

describe('webhooks set off by API writes', () => {
  it('never fail the API call when the receiver is unreachable; the failed delivery is recorded', async () => {
    const gone = await startWebhookReceiver(SECRET);
    await gone.close();
    const { fake, octokit } = await startFake({
      webhook: { url: gone.url, secret: SECRET, emitOnApiWrites: true },
    });
    try {
      const sha = fake
        .repo('acme/gitops')
        .commit({ message: 'init', author: ALICE, files: { 'a.yaml': 'a\n' }, date: minute(0) });
      const created = await octokit.rest.repos.createDeployment({
        owner: 'acme',
        repo: 'gitops',
        ref: sha,
        auto_merge: false,
        required_contexts: [],
      });
      expect(created.status).toBe(201);
      await fake.drainWebhooks();
      expect(fake.deliveries.map((delivery) => [delivery.event, delivery.status])).toEqual([
        ['deployment', 0],
      ]);
    } finally {
      await fake.close();
    }
  });
});

describe('buildWebhook', () => {
  let fake: FakeGitHub;
  let repo: FakeRepo;
  let parent: string;
  let head: string;

  beforeEach(async () => {
    ({ fake } = await startFake());
    repo = fake.repo('acme/gitops');
    parent = repo.commit({
      message: 'init',
      author: ALICE,
      files: { 'k8s/app.yaml': 'image: app:1\n', 'old.txt': 'x\n' },
      date: minute(0),
    });
    head = repo.commit({
      message: 'Bump app to 2',
      author: BOB,
      files: { 'k8s/app.yaml': 'image: app:2\n', 'old.txt': null, 'new.txt': 'y\n' },
      date: minute(1),
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  function expectOurs(payload: Record<string, unknown>) {
    const text = JSON.stringify(payload);
    expect(text).not.toMatch(/Codertocat\/Hello-World|octo-org\/octo-repo/);
    expect(payload.repository).toMatchObject({
      full_name: 'acme/gitops',
      name: 'gitops',
      owner: { login: 'acme' },
    });
    expect(text).toContain(head);
  }

  it('workflow_run completed carries our sha, branch and conclusion', () => {
    const payload = fake.buildWebhook('workflow_run', {
      repo: 'acme/gitops',
      conclusion: 'failure',
      name: 'CI',
    });
    expectOurs(payload);
    expect(payload).toMatchObject({
      action: 'completed',
      workflow_run: {
        head_sha: head,
        head_branch: 'main',
        status: 'completed',
        conclusion: 'failure',
        name: 'CI',
        head_commit: { id: head, message: 'Bump app to 2' },
      },
    });
  });

  it('check_suite and check_run completed carry our sha and conclusion', () => {
    const suite = fake.buildWebhook('check_suite', {
      repo: 'acme/gitops',
      sha: head,
      conclusion: 'timed_out',
    });
    expectOurs(suite);
    expect(suite).toMatchObject({
      action: 'completed',
      check_suite: {
        head_sha: head,
        after: head,
        before: parent,
        conclusion: 'timed_out',
        head_branch: 'main',
      },
    });
    const run = fake.buildWebhook('check_run', {
      repo: 'acme/gitops',
      sha: head,
      name: 'build',
      conclusion: 'success',
    });
    expectOurs(run);
    expect(run).toMatchObject({
      action: 'completed',
      check_run: { head_sha: head, name: 'build', conclusion: 'success', check_suite: { head_sha: head } },
    });
  });

  it('status carries our sha, state, context and branch', () => {
    const payload = fake.buildWebhook('status', { repo: 'acme/gitops', state: 'failure', name: 'ci/scan' });
    expectOurs(payload);
    expect(payload).toMatchObject({
      sha: head,
      state: 'failure',
      context: 'ci/scan',
      branches: [{ name: 'main', commit: { sha: head } }],
      commit: { sha: head, commit: { message: 'Bump app to 2' } },
    });
  });

  it('push is an ordinary push whose commits come from the fake history', () => {
    const payload = fake.buildWebhook('push', { repo: 'acme/gitops' });
    expectOurs(payload);
    expect(payload).toMatchObject({
      ref: 'refs/heads/main',
      before: parent,
      after: head,
      created: false,
      deleted: false,
    });
    expect(payload.commits).toEqual([
      expect.objectContaining({
        id: head,
        message: 'Bump app to 2',
        added: ['new.txt'],
        removed: ['old.txt'],
        modified: ['k8s/app.yaml'],
        author: { name: 'Bob Example', email: 'bob@example.com', username: 'bob' },
      }),
    ]);
    expect(payload.head_commit).toMatchObject({ id: head });
  });

  it('pull_request closed is merged by default and takes the fake pull request when there is one', () => {
    const number = repo.openPull({
      title: 'Bump app',
      head: 'bump',
      base: 'main',
      author: 'bob',
      commits: [head],
      merged: true,
      mergedAt: minute(2),
    });
    const payload = fake.buildWebhook('pull_request', { repo: 'acme/gitops', number });
    expectOurs(payload);
    expect(payload).toMatchObject({
      action: 'closed',
      number,
      pull_request: {
        number,
        title: 'Bump app',
        merged: true,
        merge_commit_sha: head,
        head: { ref: 'bump', sha: head },
        base: { ref: 'main' },
        user: { login: 'bob' },
      },
    });
    const unmerged = fake.buildWebhook('pull_request', {
      repo: 'acme/gitops',
      sha: head,
      merged: false,
      branch: 'feature',
    });
    expect(unmerged).toMatchObject({
      action: 'closed',
      pull_request: { merged: false, head: { ref: 'feature', sha: head } },
    });
  });

  it('deployment and deployment_status carry our sha, environment and state', () => {
    const deployment = fake.buildWebhook('deployment', { repo: 'acme/gitops', environment: 'staging' });
    expectOurs(deployment);
    expect(deployment).toMatchObject({
      action: 'created',
      deployment: { sha: head, environment: 'staging' },
    });
    const status = fake.buildWebhook('deployment_status', {
      repo: 'acme/gitops',
      state: 'failure',
      sender: { login: 'deploybot[bot]', type: 'Bot' },
    });
    expectOurs(status);
    expect(status).toMatchObject({
      deployment_status: { state: 'failure', environment: 'production' },
      deployment: { sha: head },
      sender: { login: 'deploybot[bot]', type: 'Bot' },
    });
  });

  it('is accepted by @octokit/webhooks handlers after signing', async () => {
    const receiver = await startWebhookReceiver(SECRET);
    const seen: string[] = [];
    receiver.webhooks.on('workflow_run.completed', ({ payload }) => {
      seen.push(
        `${payload.repository.full_name}@${payload.workflow_run.head_sha}:${payload.workflow_run.conclusion}`,
      );
    });
    try {
      const body = JSON.stringify(fake.buildWebhook('workflow_run', { repo: 'acme/gitops' }));
      await receiver.webhooks.verifyAndReceive({
        id: 'x',
        name: 'workflow_run',
        payload: body,
        signature: signGitHubPayload(SECRET, body),
      });
      expect(seen).toEqual([`acme/gitops@${head}:success`]);
    } finally {
      await receiver.close();
    }
  });

  it('keeps the saved derived fixtures equal to the derivation code', () => {
    const read = (name: string) =>
      JSON.parse(readFileSync(new URL(`../../fixtures/github/${name}`, import.meta.url), 'utf8'));
    expect(read('pull_request.closed.merged.json')).toEqual(deriveMergedPullRequestClosed());
    expect(read('push.ordinary.json')).toEqual(deriveOrdinaryPush());
    expect(deriveOrdinaryPush()).toMatchObject({
      before: expect.not.stringMatching(/^0+$/),
      after: expect.not.stringMatching(/^0+$/),
    });
  });
});
