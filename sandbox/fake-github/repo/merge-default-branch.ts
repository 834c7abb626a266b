import { mergeFlatTrees } from '../git/diff-trees.js';
import { findMergeBase, isAncestor } from '../git/history.js';
import { toGitDate } from '../git/object-hash.js';
import type { RepoState } from './repo-state.js';

export type AutoMergeOutcome =
  | { kind: 'up-to-date' }
  | { kind: 'merged'; sha: string }
  /** Conflicting changes, or a ref that is not a branch (a sha or tag cannot take a merge commit). */
  | { kind: 'conflict' };

function branchNamed(repo: RepoState, ref: string, sha: string): string | undefined {
  const branch = ref.replace(/^refs\/heads\//, '').replace(/^heads\//, '');
  return repo.headOf(branch) === sha ? branch : undefined;
}

/**
 * What `auto_merge` does on createDeployment: when the ref lacks the default branch head, merge the
 * default branch into it (a real merge commit on that branch).
 */
export function mergeDefaultBranchInto(
  repo: RepoState,
  ref: string,
  sha: string,
  committer: { name: string; email: string; login: string },
  now: Date,
): AutoMergeOutcome {
  const defaultHead = repo.headOf(repo.defaultBranch);
  if (!defaultHead || isAncestor(repo.objects, defaultHead, sha)) return { kind: 'up-to-date' };
  const branch = branchNamed(repo, ref, sha);
  const base = findMergeBase(repo.objects, sha, defaultHead);
  if (!branch || !base) return { kind: 'conflict' };
  const result = mergeFlatTrees(repo.flatTreeOf(base), repo.flatTreeOf(sha), repo.flatTreeOf(defaultHead));
  if (!result.merged) return { kind: 'conflict' };
  const date = toGitDate(now);
  const signature = { name: committer.name, email: committer.email, date };
  const merged = repo.objects.writeCommit(
    {
      tree: repo.objects.buildTree(result.merged),
      parents: [sha, defaultHead],
      message: `Merge branch '${repo.defaultBranch}' into ${branch}`,
      author: signature,
      committer: signature,
    },
    { author: committer.login, committer: committer.login },
  );
  repo.setBranch(branch, merged);
  return { kind: 'merged', sha: merged };
}
