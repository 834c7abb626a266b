import { describe, expect, it } from 'vitest';
import { attachPulls } from '../../../src/cards/enrich-card.js';
import type { PullsOfCommits } from '../../../src/clients/github/github-client.js';
import type { CommitInfo } from '../../../src/domain/card.js';

const sha = (c: string) => c.repeat(40);

const COMMITS: CommitInfo[] = [
  // A browser merge: the merger is the author, GitHub's web-flow the committer.
  { sha: sha('a'), subject: 'Merge pull request #7', authorLogin: 'carol', committerLogin: 'web-flow' },
  // A rebase made locally: the committer merged it.
  { sha: sha('b'), subject: 'Rebased', authorLogin: 'bob', committerLogin: 'dave' },
  // Committed by its author.
  { sha: sha('c'), subject: 'Direct', authorLogin: 'erin' },
  { sha: sha('d'), subject: 'Work', authorEmail: 'alice.personal@gmail.example' },
];

const pull = (number: number, mergeCommitSha?: string) => ({
  number,
  title: `PR ${number}`,
  url: `https://github.com/acme/gitops/pull/${number}`,
  authorLogin: 'alice',
  mergeCommitSha,
});

describe('attachPulls: pull request numbers per commit and who merged each', () => {
  const lookups: PullsOfCommits = {
    pulls: [pull(7, sha('a')), pull(8, sha('b')), pull(9, sha('c')), pull(10, sha('f'))],
    bySha: { [sha('a')]: [7], [sha('b')]: [8], [sha('c')]: [9], [sha('d')]: [7] },
  };

  it('puts each commit its numbers, and derives the merger from the merge commit', () => {
    const { commits, pulls } = attachPulls(COMMITS, lookups);
    expect(commits.map((c) => [c.subject, c.pulls])).toEqual([
      ['Merge pull request #7', [7]],
      ['Rebased', [8]],
      ['Direct', [9]],
      ['Work', [7]],
    ]);
    expect(pulls.map((p) => [p.number, p.mergedBy])).toEqual([
      [7, 'carol'],
      [8, 'dave'],
      [9, 'erin'],
      // Its merge commit is not in the change: nobody to name.
      [10, undefined],
    ]);
    expect(pulls.every((p) => !('mergeCommitSha' in p))).toBe(true);
  });

  it('a commit that was not looked up keeps no `pulls` (its authorship is unknown)', () => {
    const { commits } = attachPulls(COMMITS, { pulls: [], bySha: { [sha('a')]: [] } });
    expect(commits.map((c) => c.pulls)).toEqual([[], undefined, undefined, undefined]);
  });

  it('a failed lookup leaves every commit without `pulls` and no pull requests', () => {
    const { commits, pulls } = attachPulls(COMMITS, undefined);
    expect(commits.every((c) => c.pulls === undefined)).toBe(true);
    expect(pulls).toEqual([]);
  });
});
