import type { Octokit } from 'octokit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../../../../sandbox/fake-github/index.js';
import { createOctokit } from '../../../../src/clients/github/create-octokit.js';
import { createLogger } from '../../../../src/logging/create-logger.js';
import { ALICE, TOKEN } from '../../../sandbox/fake-github/helpers.js';

const REPO = { owner: 'acme', repo: 'gitops' };
const logger = createLogger({ level: 'silent', destination: { write: () => {} } });

let fake: FakeGitHub;
let octokit: Octokit;
let head: string;
beforeEach(async () => {
  fake = await startFakeGitHub({ token: TOKEN });
  head = fake.repo('acme/gitops').commit({ message: 'First', author: ALICE, files: { 'a.txt': 'a\n' } });
  octokit = await createOctokit({ auth: { token: TOKEN }, baseUrl: fake.url, logger, timeoutMs: 500 });
});
afterEach(async () => {
  await fake.close();
});

const requestsTo = (method: string, path: string) =>
  fake.requests.filter((r) => r.method === method && r.path === path);

describe('createOctokit: reads are retried, writes never blindly', () => {
  it('a GET answered 502 is tried again and succeeds', async () => {
    fake.failNext({ method: 'GET', pathPrefix: '/repos/acme/gitops', status: 502 });
    const { data } = await octokit.rest.repos.get(REPO);
    expect(data.full_name).toBe('acme/gitops');
    expect(requestsTo('GET', '/repos/acme/gitops')).toHaveLength(2);
  });

  it('a POST answered 502 after GitHub made the deployment is sent once: exactly one deployment', async () => {
    fake.failNext({
      method: 'POST',
      pathPrefix: '/repos/acme/gitops/deployments',
      status: 502,
      afterHandling: true,
    });
    await expect(
      octokit.rest.repos.createDeployment({ ...REPO, ref: head, auto_merge: false, required_contexts: [] }),
    ).rejects.toMatchObject({ status: 502 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(requestsTo('POST', '/repos/acme/gitops/deployments')).toHaveLength(1);
    expect(fake.deployments('acme/gitops')).toHaveLength(1);
  });

  it('PATCH, PUT and DELETE are not repeated either', async () => {
    fake.failNext({ method: 'PATCH', pathPrefix: '/repos/acme/gitops/git/refs', status: 503 });
    await expect(
      octokit.rest.git.updateRef({ ...REPO, ref: 'heads/main', sha: head, force: false }),
    ).rejects.toMatchObject({ status: 503 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('a request that hangs fails after the timeout instead of waiting for ever', async () => {
    fake.setLatency(3000);
    const started = Date.now();
    await expect(
      octokit.rest.git.createRef({ ...REPO, ref: 'refs/heads/x', sha: head }),
    ).rejects.toMatchObject({ status: 500 });
    expect(Date.now() - started).toBeLessThan(2000);
    fake.setLatency(0);
  });
});
