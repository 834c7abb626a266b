import type { Octokit } from 'octokit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../../sandbox/fake-github/index.js';
import { ALICE, createOctokit, minute, startFake, TOKEN } from './helpers.js';

describe('fake GitHub controls', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  const where = { owner: 'acme', repo: 'gitops' };

  beforeEach(async () => {
    ({ fake, octokit } = await startFake());
    fake.repo('acme/gitops', { defaultBranch: 'trunk' }).commit({
      message: 'init',
      author: ALICE,
      branch: 'trunk',
      files: { 'k8s/app/deployment.yaml': 'image: app:1\n' },
      date: minute(0),
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('answers 401 Bad credentials for a wrong token and accepts token and Bearer schemes', async () => {
    await expect(createOctokit(fake, 'wrong').rest.repos.get(where)).rejects.toMatchObject({
      status: 401,
      response: {
        data: {
          message: 'Bad credentials',
          status: '401',
          documentation_url: 'https://docs.github.com/rest',
        },
      },
    });
    const bearer = await fetch(`${fake.url}/repos/acme/gitops`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.status).toBe(200);
    const anonymous = await fetch(`${fake.url}/repos/acme/gitops`);
    expect(anonymous.status).toBe(401);
    const { data } = await octokit.rest.repos.get(where);
    expect(data).toMatchObject({
      full_name: 'acme/gitops',
      default_branch: 'trunk',
      owner: { login: 'acme' },
    });
  });

  it('records requests, with unknown routes marked and answered 404', async () => {
    fake.clearRequests();
    await expect(octokit.request('GET /repos/{owner}/{repo}/nothing-here', where)).rejects.toMatchObject({
      status: 404,
    });
    await octokit.rest.git.getRef({ ...where, ref: 'heads/trunk' });
    expect(
      fake.requests.map((request) => [request.method, request.path, request.status, request.unknownRoute]),
    ).toEqual([
      ['GET', '/repos/acme/gitops/nothing-here', 404, true],
      ['GET', '/repos/acme/gitops/git/ref/heads/trunk', 200, false],
    ]);
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('fails the next matching calls with failNext, then recovers', async () => {
    fake.failNext({ method: 'GET', pathPrefix: '/repos/acme/gitops/commits/', status: 502, times: 2 });
    const status = () => octokit.rest.repos.getCombinedStatusForRef({ ...where, ref: 'trunk' });
    await expect(octokit.rest.repos.get(where)).resolves.toMatchObject({ status: 200 });
    await expect(status()).rejects.toMatchObject({ status: 502 });
    await expect(status()).rejects.toMatchObject({ status: 502 });
    await expect(status()).resolves.toMatchObject({ status: 200 });
  });

  it('answers 503 to everything while down, and adds latency', async () => {
    fake.setDown(true);
    await expect(octokit.rest.repos.get(where)).rejects.toMatchObject({ status: 503 });
    fake.setDown(false);
    fake.setLatency(150);
    const started = Date.now();
    await octokit.rest.repos.get(where);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('serves file and directory contents, and guards updates with the blob sha', async () => {
    const file = await octokit.rest.repos.getContent({
      ...where,
      path: 'k8s/app/deployment.yaml',
      ref: 'trunk',
    });
    if (Array.isArray(file.data) || file.data.type !== 'file') throw new Error('expected a file');
    expect(Buffer.from(file.data.content, 'base64').toString()).toBe('image: app:1\n');
    const directory = await octokit.rest.repos.getContent({ ...where, path: 'k8s' });
    expect(Array.isArray(directory.data) && directory.data.map((entry) => [entry.type, entry.path])).toEqual([
      ['dir', 'k8s/app'],
    ]);
    await expect(octokit.rest.repos.getContent({ ...where, path: 'missing.yaml' })).rejects.toMatchObject({
      status: 404,
    });

    await expect(
      octokit.rest.repos.createOrUpdateFileContents({
        ...where,
        path: 'k8s/app/deployment.yaml',
        message: 'stale',
        content: Buffer.from('image: app:0\n').toString('base64'),
        sha: 'b'.repeat(40),
        branch: 'trunk',
      }),
    ).rejects.toMatchObject({ status: 409 });
    const updated = await octokit.rest.repos.createOrUpdateFileContents({
      ...where,
      path: 'k8s/app/deployment.yaml',
      message: 'Roll back app',
      content: Buffer.from('image: app:0\n').toString('base64'),
      sha: file.data.sha,
      branch: 'trunk',
    });
    expect(updated.status).toBe(200);
    expect(fake.repo('acme/gitops').fileAt('trunk', 'k8s/app/deployment.yaml')).toBe('image: app:0\n');
  });

  it('is case-insensitive about owner and repository names, like GitHub', async () => {
    const { data } = await octokit.rest.repos.get({ owner: 'ACME', repo: 'GitOps' });
    expect(data.full_name).toBe('acme/gitops');
  });
});
