import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, type FakeRepo, WEB_FLOW } from '../../../../sandbox/fake-github/index.js';
import {
  chooseAppRepo,
  createGitHubClient,
  type GitHubClient,
  parseGitHubRepo,
} from '../../../../src/clients/github/github-client.js';
import {
  ALICE,
  BOB,
  commitImageBumps,
  createOctokit,
  minute,
  startFake,
} from '../../../sandbox/fake-github/helpers.js';

describe('parseGitHubRepo: only repositories on github.com', () => {
  it.each([
    ['https://github.com/acme/gitops', 'acme/gitops'],
    ['https://github.com/acme/gitops.git', 'acme/gitops'],
    ['https://github.com/acme/gitops/', 'acme/gitops'],
    ['https://GitHub.com/Acme/git.ops.git', 'Acme/git.ops'],
    ['git@github.com:acme/gitops.git', 'acme/gitops'],
    ['git@github.com:acme/gitops', 'acme/gitops'],
    ['ssh://git@github.com/acme/gitops.git', 'acme/gitops'],
    ['ssh://git@github.com:22/acme/gitops', 'acme/gitops'],
    ['  https://github.com/acme/gitops  ', 'acme/gitops'],
  ])('%s -> %s', (url, expected) => {
    const repo = parseGitHubRepo(url);
    expect(repo && `${repo.owner}/${repo.name}`).toBe(expected);
  });

  it.each([
    'https://notgithub.com/acme/gitops',
    'https://github.com.evil.example/acme/gitops',
    'https://evil.example/github.com/acme/gitops',
    'https://gitlab.com/github.com/acme/gitops.git',
    'git@notgithub.com:acme/gitops.git',
    'git@gitlab.com:github.com/acme/gitops',
    'ssh://git@evil.example/github.com/acme/gitops',
    'https://github.com/acme',
    'https://github.com/acme/gitops/tree/main',
    'https://github.com/acme/gitops?x=github.com/a/b',
    'https://github.com/acme/..',
    'http://github.com@evil.example/acme/gitops',
    'https://user@evil.example/github.com/acme/gitops',
    '',
  ])('%s -> not a GitHub repository', (url) => {
    expect(parseGitHubRepo(url)).toBeUndefined();
  });

  it('can be anchored to another host (GitHub Enterprise)', () => {
    expect(parseGitHubRepo('https://ghe.acme.example/ops/gitops.git', 'ghe.acme.example')).toEqual({
      owner: 'ops',
      name: 'gitops',
    });
    expect(parseGitHubRepo('https://ghe.acme.example/ops/gitops.git')).toBeUndefined();
  });
});

describe('chooseAppRepo: the policy github.repo only for an app that names no repository', () => {
  it.each([
    ['a GitHub repoURL wins over the fallback', 'https://github.com/acme/app.git', 'acme/other', 'acme/app'],
    ['a GitLab source gets no GitHub repository', 'https://gitlab.com/acme/app.git', 'acme/other', undefined],
    ['a look-alike host gets none', 'https://notgithub.com/acme/other', 'acme/other', undefined],
    ['no repoURL: the fallback', undefined, 'acme/other', 'acme/other'],
    ['no repoURL and no fallback', undefined, undefined, undefined],
  ])('%s', (_label, repoURL, fallback, expected) => {
    const repo = chooseAppRepo(repoURL, fallback);
    expect(repo && `${repo.owner}/${repo.name}`).toBe(expected);
  });
});

describe('GitHub client against the fake GitHub', () => {
  let fake: FakeGitHub;
  let repo: FakeRepo;
  let github: GitHubClient;
  const REPO = { owner: 'acme', name: 'gitops' };

  beforeEach(async () => {
    ({ fake } = await startFake());
    repo = fake.repo('acme/gitops');
    github = createGitHubClient(createOctokit(fake));
  });

  afterEach(async () => {
    await fake.close();
  });

  describe('checks', () => {
    let head: string;
    beforeEach(() => {
      [head] = commitImageBumps(repo, 1) as [string];
    });

    it('reads every status context, 100 a page: a failure on the third page is a failure', async () => {
      // The first status set is the last listed (newest first), so ci/ctx-0 comes on page 3.
      repo.setStatuses(head, [
        { context: 'ci/ctx-0', state: 'failure' },
        ...Array.from({ length: 249 }, (_, i) => ({ context: `ci/ctx-${i + 1}`, state: 'success' as const })),
      ]);
      repo.setCheckRuns(head, [{ name: 'build', status: 'completed', conclusion: 'success' }]);
      fake.clearRequests();
      const checks = await github.checks(REPO, head);
      expect(checks).toMatchObject({ state: 'failure', total: 251, failing: ['ci/ctx-0'] });
      expect(checks.passing).toHaveLength(250);
      const statusCalls = fake.requests.filter((r) => r.path.endsWith('/status'));
      expect(statusCalls.map((r) => [r.query.per_page, r.query.page])).toEqual([
        ['100', undefined],
        ['100', '2'],
        ['100', '3'],
      ]);
    });

    it('records the names that passed (success, neutral, skipped), so required checks can be judged', async () => {
      repo.setCheckRuns(head, [
        { name: 'build', status: 'completed', conclusion: 'success' },
        { name: 'docs', status: 'completed', conclusion: 'skipped' },
        { name: 'lint', status: 'completed', conclusion: 'neutral' },
        { name: 'e2e', status: 'in_progress' },
      ]);
      repo.setStatuses(head, [
        { context: 'ci/scan', state: 'success' },
        { context: 'ci/sign', state: 'pending' },
      ]);
      expect(await github.checks(REPO, head)).toEqual({
        state: 'pending',
        total: 6,
        failing: [],
        pendingNames: ['e2e', 'ci/sign'],
        passing: ['build', 'docs', 'lint', 'ci/scan'],
      });
    });

    it('fails (checks unknown) rather than judge a status list it could not read whole', async () => {
      repo.setStatuses(
        head,
        Array.from({ length: 1001 }, (_, i) => ({ context: `ci/ctx-${i}`, state: 'success' as const })),
      );
      await expect(github.checks(REPO, head)).rejects.toThrow(/read 1000 of the 1001 commit statuses/);
    });
  });

  describe('commit identities and pull requests', () => {
    it('keeps an unlinked author as no login, and a different committer (web-flow) by login and e-mail', async () => {
      const base = repo.commit({ message: 'base', author: ALICE, files: { a: '1' }, date: minute(0) });
      const unlinked = repo.commit({
        message: 'from a personal address',
        author: { name: 'Alice', email: 'alice.personal@gmail.example' },
        files: { a: '2' },
        date: minute(1),
      });
      const merged = repo.commit({
        message: 'Merge pull request #7',
        author: BOB,
        committer: WEB_FLOW,
        files: { a: '3' },
        date: minute(2),
      });
      const compared = await github.compare(REPO, base, merged, 100);
      expect(compared.totalCommits).toBe(2);
      expect(
        compared.commits.map((c) => [
          c.sha,
          c.authorLogin,
          c.authorEmail,
          c.committerLogin,
          c.committerEmail,
        ]),
      ).toEqual([
        [merged, 'bob', BOB.email, 'web-flow', 'noreply@github.com'],
        [unlinked, undefined, 'alice.personal@gmail.example', undefined, undefined],
      ]);
      const single = await github.getCommit(REPO, unlinked);
      expect(single).toMatchObject({ authorLogin: undefined, authorEmail: 'alice.personal@gmail.example' });
    });

    it('lists the pull requests of each commit, and none for a direct push', async () => {
      const [first, second, third] = commitImageBumps(repo, 3) as [string, string, string];
      repo.openPull({
        title: 'One',
        head: 'a',
        base: 'main',
        author: 'alice',
        commits: [first],
        merged: true,
      });
      repo.openPull({
        title: 'Two',
        head: 'b',
        base: 'main',
        author: 'carol',
        commits: [first, second],
        merged: true,
      });
      const found = await github.pullsForCommits(REPO, [third, second, first], 100);
      expect(found.bySha).toEqual({ [third]: [], [second]: [2], [first]: [1, 2] });
      expect(found.pulls.map((p) => [p.number, p.authorLogin, p.mergeCommitSha])).toEqual([
        [2, 'carol', second],
        [1, 'alice', first],
      ]);
    });

    it('looks up at most maxCalls commits: the rest stay unknown', async () => {
      const shas = commitImageBumps(repo, 3);
      const found = await github.pullsForCommits(REPO, shas, 2);
      expect(Object.keys(found.bySha)).toEqual(shas.slice(0, 2));
    });
  });
});
