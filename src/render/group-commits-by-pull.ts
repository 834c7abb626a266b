/** Groups a changelog's commits under the pull requests that brought them in. */
import type { CommitInfo, PullInfo } from '../domain/card.js';

/** A pull request with the commits GitHub associates with it, when the caller looked them up. */
export interface ReleasePull extends PullInfo {
  commitShas?: string[];
}

interface PullGroup {
  pull: ReleasePull;
  commits: CommitInfo[];
}

export interface GroupedCommits {
  groups: PullGroup[];
  /** Commits that belong to none of the pull requests (direct pushes). */
  loose: CommitInfo[];
}

/** Squash merges end their subject with "(#123)"; merge commits start with "Merge pull request #123". */
function referencedPullNumber(subject: string): number | undefined {
  const match = /\(#(\d+)\)\s*$/.exec(subject) ?? /^Merge pull request #(\d+)\b/.exec(subject);
  return match?.[1] ? Number(match[1]) : undefined;
}

export function groupCommitsByPull(
  commits: readonly CommitInfo[],
  pulls: readonly ReleasePull[],
): GroupedCommits {
  const groups = pulls.map((pull) => ({ pull, commits: [] as CommitInfo[] }));
  const bySha = new Map<string, PullGroup>();
  const byNumber = new Map<number, PullGroup>();
  for (const group of groups) {
    byNumber.set(group.pull.number, group);
    for (const sha of group.pull.commitShas ?? []) bySha.set(sha, group);
  }
  const loose: CommitInfo[] = [];
  for (const commit of commits) {
    const subjectRef = referencedPullNumber(commit.subject.split('\n', 1)[0] ?? '');
    const group = bySha.get(commit.sha) ?? (subjectRef !== undefined ? byNumber.get(subjectRef) : undefined);
    if (group) group.commits.push(commit);
    else loose.push(commit);
  }
  return { groups, loose };
}
