import type { Octokit } from 'octokit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, type FakeRepo, WEB_FLOW } from '../../../sandbox/fake-github/index.js';
import { ALICE, BOB, commitImageBumps, minute, startFake } from './helpers.js';

describe('commit identities as GitHub links them', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  let repo: FakeRepo;

  beforeEach(async () => {
    ({ fake, octokit } = await startFake());
    repo = fake.repo('acme/gitops');
  });
  afterEach(async () => {
    await fake.close();
  });

  const read = async (ref: string) =>
    (await octokit.rest.repos.getCommit({ owner: 'acme', repo: 'gitops', ref })).data;

  it('gives `author: null` for an e-mail no account owns, and the account for one that a commit linked', async () => {
    repo.commit({ message: 'linked', author: ALICE, files: { a: '1' }, date: minute(0) });
    const unlinked = repo.commit({
      message: 'personal address',
      author: { name: 'Alice', email: 'alice.personal@gmail.example' },
      files: { a: '2' },
      date: minute(1),
    });
    const sameAddress = repo.commit({
      message: 'work address, no login given',
      author: { name: 'Alice', email: 'ALICE@example.com' },
      files: { a: '3' },
      date: minute(2),
    });
    const noreply = repo.commit({
      message: 'private address',
      author: { name: 'Dana', email: '777+dana@users.noreply.github.com' },
      files: { a: '4' },
      date: minute(3),
    });
    const personal = await read(unlinked);
    expect(personal.author).toBeNull();
    expect(personal.committer).toBeNull();
    expect(personal.commit.author).toMatchObject({ name: 'Alice', email: 'alice.personal@gmail.example' });
    expect((await read(sameAddress)).author).toMatchObject({ login: 'alice', type: 'User' });
    expect((await read(noreply)).author).toMatchObject({ login: 'dana' });
  });

  it("commits made in the browser carry GitHub's web-flow as committer, like GitHub's", async () => {
    const sha = repo.commit({
      message: 'Merge pull request #1',
      author: BOB,
      committer: WEB_FLOW,
      files: { a: '1' },
    });
    const data = await read(sha);
    expect(data.author).toMatchObject({ login: 'bob' });
    expect(data.committer).toMatchObject({ login: 'web-flow', type: 'User' });
    expect(data.commit.committer).toMatchObject({ name: 'GitHub', email: 'noreply@github.com' });
  });

  it('a committer given without a login is linked by e-mail too', async () => {
    repo.commit({ message: 'x', author: BOB, files: { a: '1' } });
    const sha = repo.commit({
      message: 'cherry-picked',
      author: { name: 'Someone', email: 'someone@elsewhere.example' },
      committer: { name: 'Bob', email: 'bob@example.com' },
      files: { a: '2' },
    });
    const data = await read(sha);
    expect(data.author).toBeNull();
    expect(data.committer).toMatchObject({ login: 'bob' });
  });
});

describe('combined status pages its statuses like GitHub', () => {
  let fake: FakeGitHub;
  let octokit: Octokit;
  let head: string;

  beforeEach(async () => {
    ({ fake, octokit } = await startFake());
    const repo = fake.repo('acme/gitops');
    [head] = commitImageBumps(repo, 1) as [string];
    repo.setStatuses(head, [
      { context: 'ci/first', state: 'failure' },
      ...Array.from({ length: 44 }, (_, i) => ({ context: `ci/ctx-${i}`, state: 'success' as const })),
    ]);
  });
  afterEach(async () => {
    await fake.close();
  });

  const combined = (params: { per_page?: number; page?: number } = {}) =>
    octokit.rest.repos.getCombinedStatusForRef({ owner: 'acme', repo: 'gitops', ref: head, ...params });

  it('lists 30 contexts by default with a Link to the next page; state and total_count cover all', async () => {
    const first = await combined();
    expect(first.data.statuses).toHaveLength(30);
    expect(first.data.total_count).toBe(45);
    expect(first.data.state).toBe('failure');
    expect(first.data.statuses.map((s) => s.context)).not.toContain('ci/first');
    expect(first.headers.link).toMatch(/[?&]page=2>; rel="next"/);
    const second = await combined({ page: 2 });
    expect(second.data.statuses.map((s) => s.context)).toContain('ci/first');
    expect(second.data.statuses).toHaveLength(15);
  });

  it('caps per_page at 100', async () => {
    const all = await combined({ per_page: 500 });
    expect(all.data.statuses).toHaveLength(45);
    expect(all.headers.link).toBeUndefined();
  });
});
