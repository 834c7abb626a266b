import type { Octokit } from 'octokit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeGitHub, FakeRepo } from '../../../../sandbox/fake-github/index.js';
import { createOctokit } from '../../../../src/clients/github/create-octokit.js';
import {
  createRevertPullRequestOpener,
  diffLeaves,
  normalizeAppPath,
} from '../../../../src/clients/github/open-revert-pull-request.js';
import { NothingToRevertError, type RevertRequest } from '../../../../src/clients/github/revert-port.js';
import { createLogger } from '../../../../src/logging/create-logger.js';
import { ALICE, BOB, minute, startFake, TOKEN } from '../../../sandbox/fake-github/helpers.js';

const REPO = { owner: 'acme', name: 'gitops' };
const APP_PATH = 'k8s/app';

let fake: FakeGitHub;
let octokit: Octokit;
let repo: FakeRepo;
let old: string;
let deployed: string;

/** Every file of a commit as path → content, read back through the API like a reviewer would see it. */
async function filesAt(sha: string): Promise<Record<string, string>> {
  const { data } = await octokit.rest.git.getTree({
    owner: REPO.owner,
    repo: REPO.name,
    tree_sha: sha,
    recursive: 'true',
  });
  const files: Record<string, string> = {};
  for (const entry of data.tree) {
    if (entry.type !== 'blob' || !entry.path || !entry.sha) continue;
    const blob = await octokit.rest.git.getBlob({ owner: REPO.owner, repo: REPO.name, file_sha: entry.sha });
    files[entry.path] = Buffer.from(blob.data.content, 'base64').toString('utf8');
  }
  return files;
}

const under = (files: Record<string, string>, root: string) =>
  Object.fromEntries(Object.entries(files).filter(([path]) => path.startsWith(`${root}/`)));

function request(overrides: Partial<RevertRequest> = {}): RevertRequest {
  return {
    repo: REPO,
    branch: 'main',
    path: APP_PATH,
    toRevision: old,
    fromRevision: deployed,
    app: 'app-prod',
    requestedBy: 'U0ALICE',
    ...overrides,
  };
}

beforeEach(async () => {
  ({ fake, octokit } = await startFake());
  repo = fake.repo('acme/gitops');
  old = repo.commit({
    message: 'App v1',
    author: ALICE,
    date: minute(0),
    files: {
      'k8s/app/deployment.yaml': 'image: app:1\n',
      'k8s/app/service.yaml': 'kind: Service\n',
      'k8s/app/config/settings.yaml': 'level: info\n',
      'k8s/other/deployment.yaml': 'image: other:1\n',
      'README.md': 'v1\n',
    },
  });
  deployed = repo.commit({
    message: 'App v2 with a canary',
    author: BOB,
    date: minute(1),
    files: {
      'k8s/app/deployment.yaml': 'image: app:2\n',
      'k8s/app/canary.yaml': 'kind: Canary\n',
      'k8s/app/config/settings.yaml': null,
      'k8s/other/deployment.yaml': 'image: other:2\n',
      'README.md': 'v2\n',
    },
  });
});

afterEach(async () => {
  await fake.close();
});

describe('createRevertPullRequestOpener', () => {
  it('opens a pull request whose branch restores the path, deletes files added since and leaves the rest alone', async () => {
    const pr = await createRevertPullRequestOpener(octokit)(request());

    expect(pr.branch).toBe(`deploybot/revert-app-prod-${deployed.slice(0, 7)}`);
    const [pull] = fake.pulls('acme/gitops');
    expect(pull).toMatchObject({ number: pr.number, baseRef: 'main', headRef: pr.branch, state: 'open' });
    expect(pr.url).toContain(`/acme/gitops/pull/${pr.number}`);

    const head = repo.headOf(pr.branch)!;
    const [before, after, reverted] = await Promise.all([filesAt(old), filesAt(deployed), filesAt(head)]);
    expect(under(reverted, APP_PATH)).toEqual(under(before, APP_PATH));
    expect(reverted['k8s/app/canary.yaml']).toBeUndefined();
    expect(reverted['k8s/app/config/settings.yaml']).toBe('level: info\n');
    // Outside the app's path the branch keeps what is on main now.
    expect(reverted['k8s/other/deployment.yaml']).toBe(after['k8s/other/deployment.yaml']);
    expect(reverted['README.md']).toBe('v2\n');
    // One commit on top of main; main itself does not move.
    expect(repo.headOf('main')).toBe(deployed);
    const commit = await octokit.rest.git.getCommit({ owner: 'acme', repo: 'gitops', commit_sha: head });
    expect(commit.data.parents.map((p) => p.sha)).toEqual([deployed]);
    expect(commit.data.message).toContain(old);
  });

  it('targets the default branch when the app tracks HEAD or nothing', async () => {
    repo.setBranch('release', deployed);
    const opener = createRevertPullRequestOpener(octokit);
    const viaHead = await opener(request({ branch: 'HEAD' }));
    const viaUnset = await opener(request({ branch: undefined, app: 'other-app' }));
    const pulls = fake.pulls('acme/gitops');
    expect(pulls.find((p) => p.number === viaHead.number)?.baseRef).toBe('main');
    expect(pulls.find((p) => p.number === viaUnset.number)?.baseRef).toBe('main');
  });

  it('uses the tracked branch, not the default one', async () => {
    repo.setBranch('develop', deployed);
    repo.commit({
      message: 'develop moves on',
      author: BOB,
      date: minute(2),
      branch: 'develop',
      files: { 'docs/notes.md': 'develop only\n' },
    });
    const pr = await createRevertPullRequestOpener(octokit)(request({ branch: 'develop' }));
    expect(fake.pulls('acme/gitops')[0]?.baseRef).toBe('develop');
    expect(repo.fileAt(pr.branch, 'docs/notes.md')).toBe('develop only\n');
    expect(repo.fileAt(pr.branch, 'k8s/app/deployment.yaml')).toBe('image: app:1\n');
  });

  it('adds a suffix when the revert branch already exists instead of overwriting it', async () => {
    // Left over from an earlier revert whose pull request is gone (closed, merged or never opened).
    const leftOver = `deploybot/revert-app-prod-${deployed.slice(0, 7)}`;
    repo.setBranch(leftOver, old);
    const pr = await createRevertPullRequestOpener(octokit)(request());
    expect(pr.branch).toBe(`${leftOver}-2`);
    expect(repo.headOf(leftOver)).toBe(old);
    expect(fake.pulls('acme/gitops')).toHaveLength(1);
  });

  it('a second request while the revert’s pull request is open answers with that pull request', async () => {
    const opener = createRevertPullRequestOpener(octokit);
    const first = await opener(request());
    const second = await opener(request({ requestedBy: 'U0BOB' }));
    expect(second).toEqual(first);
    expect(fake.pulls('acme/gitops')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git/refs'))).toHaveLength(1);
  });

  it('says there is nothing to revert when the path already matches, and opens no pull request', async () => {
    repo.commit({
      message: 'Manual revert',
      author: ALICE,
      date: minute(3),
      files: {
        'k8s/app/deployment.yaml': 'image: app:1\n',
        'k8s/app/canary.yaml': null,
        'k8s/app/config/settings.yaml': 'level: info\n',
      },
    });
    const refsBefore = fake.requests.filter((r) => r.method === 'POST').length;
    await expect(createRevertPullRequestOpener(octokit)(request())).rejects.toBeInstanceOf(
      NothingToRevertError,
    );
    expect(fake.pulls('acme/gitops')).toHaveLength(0);
    expect(fake.requests.filter((r) => r.method === 'POST').length).toBe(refsBefore);
  });

  it('restores the whole repository when the app path is the root', async () => {
    const pr = await createRevertPullRequestOpener(octokit)(request({ path: './' }));
    expect(await filesAt(repo.headOf(pr.branch)!)).toEqual(await filesAt(old));
  });

  it('refuses an app that tracks a commit instead of a branch, naming the problem', async () => {
    await expect(createRevertPullRequestOpener(octokit)(request({ branch: deployed }))).rejects.toThrow(
      /is not a branch of acme\/gitops/,
    );
    expect(fake.pulls('acme/gitops')).toHaveLength(0);
  });
});

describe('createRevertPullRequestOpener when GitHub’s answer to a write is lost', () => {
  // The real client (reads retried, writes not): a 502 that GitHub sends after it made the branch or PR.
  let client: Octokit;
  beforeEach(async () => {
    client = await createOctokit({
      auth: { token: TOKEN },
      baseUrl: fake.url,
      logger: createLogger({ level: 'silent', destination: { write: () => {} } }),
    });
  });
  const revertBranches = () => [
    ...new Set(
      fake.requests
        .filter((r) => r.method === 'POST' && r.path.endsWith('/git/refs'))
        .map((r) => (r.body as { ref?: string }).ref),
    ),
  ];

  it('creating the pull request: the pull request is looked up, not opened twice', async () => {
    fake.failNext({
      method: 'POST',
      pathPrefix: '/repos/acme/gitops/pulls',
      status: 502,
      afterHandling: true,
    });
    const pr = await createRevertPullRequestOpener(client)(request());
    const pulls = fake.pulls('acme/gitops');
    expect(pulls).toHaveLength(1);
    expect(pr).toMatchObject({ number: pulls[0]!.number, branch: pulls[0]!.headRef });
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls'))).toHaveLength(1);
  });

  it('creating the branch: the branch made is recognised and used; one branch, one pull request', async () => {
    fake.failNext({
      method: 'POST',
      pathPrefix: '/repos/acme/gitops/git/refs',
      status: 502,
      afterHandling: true,
    });
    const pr = await createRevertPullRequestOpener(client)(request());
    expect(pr.branch).toBe(`deploybot/revert-app-prod-${deployed.slice(0, 7)}`);
    expect(revertBranches()).toEqual([`refs/heads/${pr.branch}`]);
    expect(repo.headOf(`${pr.branch}-2`)).toBeUndefined();
    expect(fake.pulls('acme/gitops')).toHaveLength(1);
  });
});

describe('revert helpers', () => {
  it('normalizes Argo CD paths', () => {
    expect(normalizeAppPath('./k8s/app/')).toBe('k8s/app');
    expect(normalizeAppPath('.')).toBe('');
    expect(normalizeAppPath('/k8s/app')).toBe('k8s/app');
  });

  it('lists deletions before restores and skips unchanged files', () => {
    const leaf = (path: string, sha: string) => ({
      path,
      sha,
      mode: '100644' as const,
      type: 'blob' as const,
    });
    const edits = diffLeaves(
      [leaf('a/x', '1'), leaf('a/y', '2')],
      [leaf('a/x', '1'), leaf('a/y', '3'), leaf('a/z', '4')],
    );
    expect(edits).toEqual([
      { path: 'a/z', sha: null, mode: '100644', type: 'blob' },
      { path: 'a/y', sha: '2', mode: '100644', type: 'blob' },
    ]);
  });
});
