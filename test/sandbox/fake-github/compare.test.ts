import type { Octokit } from 'octokit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeGitHub, FakeRepo } from '../../../sandbox/fake-github/index.js';
import { ALICE, commitImageBumps, minute, startFake } from './helpers.js';

type Comparison = Awaited<ReturnType<Octokit['rest']['repos']['compareCommitsWithBasehead']>>['data'];

describe('compare', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  let repo: FakeRepo;
  let base: string;
  let shas: string[];

  beforeEach(async () => {
    ({ fake, octokit } = await startFake());
    repo = fake.repo('acme/gitops');
    base = repo.commit({
      message: 'Initial manifests',
      author: ALICE,
      files: {
        'k8s/app/deployment.yaml': 'image: registry.example.com/app:base\n',
        'README.md': '# gitops\n',
      },
      date: minute(-1),
    });
    shas = commitImageBumps(repo, 320);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('pages through 320 commits in chronological order with per_page=100, files on page 1 only', async () => {
    const commits: string[] = [];
    const pagesWithFiles: boolean[] = [];
    for await (const page of octokit.paginate.iterator(octokit.rest.repos.compareCommitsWithBasehead, {
      owner: 'acme',
      repo: 'gitops',
      basehead: `${base}...main`,
      per_page: 100,
    })) {
      // Each page is a whole comparison: it has `url`, so paginate does not unwrap it (octokit's types assume it does).
      const data = page.data as unknown as Comparison;
      commits.push(...data.commits.map((commit) => commit.sha));
      pagesWithFiles.push(data.files !== undefined);
      expect(data.total_commits).toBe(320);
    }
    expect(commits).toEqual(shas);
    expect(pagesWithFiles).toEqual([true, false, false, false]);
    const pages = fake.requests
      .filter((request) => request.path.includes('/compare/'))
      .map((r) => r.query.page);
    expect(pages).toEqual([undefined, '2', '3', '4']);
  });

  it('caps an unpaged comparison at the 250 most recent commits, with no Link header', async () => {
    const response = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'gitops',
      basehead: `${base}...main`,
    });
    expect(response.data.status).toBe('ahead');
    expect(response.data.ahead_by).toBe(320);
    expect(response.data.behind_by).toBe(0);
    expect(response.data.total_commits).toBe(320);
    expect(response.data.commits.map((commit) => commit.sha)).toEqual(shas.slice(-250));
    expect(response.headers.link).toBeUndefined();
    expect(response.data.merge_base_commit.sha).toBe(base);
    expect(
      response.data.files?.map((file) => [file.filename, file.status, file.additions, file.deletions]),
    ).toEqual([['k8s/app/deployment.yaml', 'modified', 1, 1]]);
  });

  it('sends a GitHub-style Link header when paging', async () => {
    const response = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'gitops',
      basehead: `${base}...main`,
      per_page: 100,
      page: 2,
    });
    const link = response.headers.link ?? '';
    expect(link).toContain(`${fake.url}/repos/acme/gitops/compare/`);
    expect(link).toMatch(/page=1>; rel="prev"/);
    expect(link).toMatch(/page=3>; rel="next"/);
    expect(link).toMatch(/page=4>; rel="last"/);
    expect(response.data.commits.map((commit) => commit.sha)).toEqual(shas.slice(100, 200));
  });

  it('reports behind, identical and diverged with the right counts', async () => {
    const middle = shas[309]!;
    const behind = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'gitops',
      basehead: `main...${middle}`,
    });
    expect([behind.data.status, behind.data.ahead_by, behind.data.behind_by]).toEqual(['behind', 0, 10]);

    const identical = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'gitops',
      basehead: 'main...main',
    });
    expect([identical.data.status, identical.data.total_commits, identical.data.commits]).toEqual([
      'identical',
      0,
      [],
    ]);

    repo.setBranch('hotfix', middle);
    const fix = repo.commit({
      message: 'Hotfix',
      author: ALICE,
      branch: 'hotfix',
      files: { 'k8s/app/hotfix.yaml': 'x: 1\n' },
      date: minute(400),
    });
    const diverged = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'gitops',
      basehead: 'main...hotfix',
    });
    expect(diverged.data.status).toBe('diverged');
    expect([diverged.data.ahead_by, diverged.data.behind_by]).toEqual([1, 10]);
    expect(diverged.data.commits.map((commit) => commit.sha)).toEqual([fix]);
    expect(diverged.data.merge_base_commit.sha).toBe(middle);
    expect(diverged.data.files?.map((file) => `${file.status}:${file.filename}`)).toEqual([
      'added:k8s/app/hotfix.yaml',
    ]);
  });

  it('carries the author account and git identity of each commit', async () => {
    const response = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'gitops',
      basehead: `${shas[0]}...${shas[2]}`,
    });
    const [first, second] = response.data.commits;
    expect(first?.author?.login).toBe('bob');
    expect(first?.commit.message).toBe('Bump image to 1');
    expect(first?.commit.author).toEqual({
      name: 'Bob Example',
      email: 'bob@example.com',
      date: '2026-03-02T09:01:00Z',
    });
    expect(first?.parents.map((parent) => parent.sha)).toEqual([shas[0]]);
    expect(second?.author?.login).toBe('alice');
  });

  it('answers 404 for an unknown ref', async () => {
    await expect(
      octokit.rest.repos.compareCommitsWithBasehead({
        owner: 'acme',
        repo: 'gitops',
        basehead: 'main...nope',
      }),
    ).rejects.toMatchObject({ status: 404, response: { data: { message: 'Not Found', status: '404' } } });
  });
});
