import type { Octokit } from 'octokit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeGitHub, FakeRepo } from '../../../sandbox/fake-github/index.js';
import { ALICE, BOB, commitImageBumps, minute, startFake } from './helpers.js';

describe('checks, statuses and pulls of a commit', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  let repo: FakeRepo;
  let head: string;

  beforeEach(async () => {
    ({ fake, octokit } = await startFake());
    repo = fake.repo('acme/gitops');
    [head] = commitImageBumps(repo, 1) as [string];
  });

  afterEach(async () => {
    await fake.close();
  });

  it('flattens 45 check runs across pages with paginate(checks.listForRef)', async () => {
    const runs = Array.from({ length: 45 }, (_, index) => ({
      name: `job-${index}`,
      status: 'completed' as const,
      conclusion: index === 7 ? ('failure' as const) : ('success' as const),
    }));
    repo.setCheckRuns(head, runs);
    const listed = await octokit.paginate(octokit.rest.checks.listForRef, {
      owner: 'acme',
      repo: 'gitops',
      ref: 'main',
      filter: 'latest',
      per_page: 20,
    });
    expect(listed).toHaveLength(45);
    expect(listed.map((run) => run.name)).toEqual(runs.map((run) => run.name));
    expect(listed.find((run) => run.conclusion === 'failure')?.name).toBe('job-7');
    expect(listed[0]).toMatchObject({ head_sha: head, status: 'completed', app: { slug: 'github-actions' } });
    expect(fake.requests.filter((request) => request.path.endsWith('/check-runs'))).toHaveLength(3);
  });

  it('keeps queued runs without a conclusion and filters by check_name', async () => {
    repo.setCheckRuns(head, [
      { name: 'build', status: 'completed', conclusion: 'success' },
      { name: 'e2e', status: 'in_progress' },
    ]);
    const { data } = await octokit.rest.checks.listForRef({
      owner: 'acme',
      repo: 'gitops',
      ref: head,
      check_name: 'e2e',
    });
    expect(data.total_count).toBe(1);
    expect(data.check_runs[0]).toMatchObject({
      name: 'e2e',
      status: 'in_progress',
      conclusion: null,
      completed_at: null,
    });
  });

  it('combines statuses: pending with none, failure beats pending, latest per context wins', async () => {
    const combined = () =>
      octokit.rest.repos.getCombinedStatusForRef({ owner: 'acme', repo: 'gitops', ref: head });
    const none = await combined();
    expect([none.data.state, none.data.total_count, none.data.statuses]).toEqual(['pending', 0, []]);

    repo.setStatuses(head, [
      { context: 'ci/build', state: 'success' },
      { context: 'ci/scan', state: 'pending' },
    ]);
    expect((await combined()).data.state).toBe('pending');

    repo.setStatuses(head, [{ context: 'ci/scan', state: 'failure', description: 'CVE found' }]);
    const failed = await combined();
    expect(failed.data.state).toBe('failure');
    expect(failed.data.total_count).toBe(2);
    expect(failed.data.statuses.find((status) => status.context === 'ci/scan')?.description).toBe(
      'CVE found',
    );

    repo.setStatuses(head, [{ context: 'ci/scan', state: 'success' }]);
    const green = await combined();
    expect(green.data.state).toBe('success');
    expect(green.data.sha).toBe(head);
    expect(green.data.repository.full_name).toBe('acme/gitops');
  });

  it('lists the merged pull request of a commit on the default branch, merged and open ones elsewhere', async () => {
    repo.setBranch('feature/login', head);
    const featureCommit = repo.commit({
      message: 'Add login',
      author: BOB,
      branch: 'feature/login',
      files: { 'k8s/app/login.yaml': 'kind: Service\n' },
      date: minute(10),
    });
    const open = repo.openPull({
      title: 'Add login',
      head: 'feature/login',
      base: 'main',
      author: 'bob',
      commits: [featureCommit],
    });
    const merged = repo.openPull({
      title: 'Bump image',
      head: 'bump',
      base: 'main',
      author: ALICE,
      commits: [head],
      merged: true,
      mergedAt: minute(5),
    });

    const onMain = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: 'acme',
      repo: 'gitops',
      commit_sha: head,
    });
    expect(onMain.data.map((pull) => [pull.number, pull.merged_at, pull.user?.login])).toEqual([
      [merged, '2026-03-02T09:05:00Z', 'alice'],
    ]);

    const onBranch = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: 'acme',
      repo: 'gitops',
      commit_sha: featureCommit,
    });
    expect(onBranch.data.map((pull) => [pull.number, pull.state, pull.head.ref, pull.base.ref])).toEqual([
      [open, 'open', 'feature/login', 'main'],
    ]);
  });

  it('returns a single commit with stats and files, and 422 for an unknown one', async () => {
    const next = repo.commit({
      message: 'Two files',
      author: ALICE,
      files: {
        'k8s/app/deployment.yaml': 'image: registry.example.com/app:1\nreplicas: 3\n',
        'k8s/app/new.yaml': 'a: 1\n',
      },
      date: minute(20),
    });
    const { data } = await octokit.rest.repos.getCommit({ owner: 'acme', repo: 'gitops', ref: next });
    expect(data.files?.map((file) => [file.filename, file.status, file.additions, file.deletions])).toEqual([
      ['k8s/app/deployment.yaml', 'modified', 2, 1],
      ['k8s/app/new.yaml', 'added', 1, 0],
    ]);
    expect(data.stats).toEqual({ total: 4, additions: 3, deletions: 1 });
    await expect(
      octokit.rest.repos.getCommit({ owner: 'acme', repo: 'gitops', ref: 'f'.repeat(40) }),
    ).rejects.toMatchObject({
      status: 422,
    });
  });
});
