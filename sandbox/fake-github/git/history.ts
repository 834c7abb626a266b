import type { ObjectStore } from './object-store.js';

/** Every commit reachable from `sha`, itself included (`git rev-list sha`). */
export function collectReachable(store: ObjectStore, sha: string): Set<string> {
  const seen = new Set<string>();
  const pending = [sha];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (seen.has(current)) continue;
    const commit = store.getCommit(current);
    if (!commit) continue;
    seen.add(current);
    pending.push(...commit.parents);
  }
  return seen;
}

export function isAncestor(store: ObjectStore, ancestor: string, descendant: string): boolean {
  return collectReachable(store, descendant).has(ancestor);
}

function commitTime(store: ObjectStore, sha: string): number {
  const commit = store.getCommit(sha);
  return commit ? Date.parse(commit.committer.date) : 0;
}

/**
 * Parents before children, ties broken by commit date then sha: the "chronological" order the
 * compare API promises (the reverse of `git log`).
 */
export function orderChronologically(store: ObjectStore, shas: ReadonlySet<string>): string[] {
  const waitingOn = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const sha of shas) {
    const parents = (store.getCommit(sha)?.parents ?? []).filter((parent) => shas.has(parent));
    waitingOn.set(sha, parents.length);
    for (const parent of parents) {
      children.set(parent, [...(children.get(parent) ?? []), sha]);
    }
  }
  const byAge = (left: string, right: string) =>
    commitTime(store, left) - commitTime(store, right) || left.localeCompare(right);
  const ready = [...shas].filter((sha) => waitingOn.get(sha) === 0).sort(byAge);
  const ordered: string[] = [];
  while (ready.length > 0) {
    const next = ready.shift()!;
    ordered.push(next);
    let added = false;
    for (const child of children.get(next) ?? []) {
      const remaining = (waitingOn.get(child) ?? 1) - 1;
      waitingOn.set(child, remaining);
      if (remaining === 0) {
        ready.push(child);
        added = true;
      }
    }
    if (added) ready.sort(byAge);
  }
  return ordered;
}

/** The best common ancestor: a common ancestor that no other common ancestor descends from. */
export function findMergeBase(store: ObjectStore, left: string, right: string): string | null {
  const fromLeft = collectReachable(store, left);
  const common = new Set([...collectReachable(store, right)].filter((sha) => fromLeft.has(sha)));
  if (common.size === 0) return null;
  const ordered = orderChronologically(store, common);
  return ordered[ordered.length - 1] ?? null;
}

export interface CommitRange {
  mergeBase: string | null;
  /** Commits in head and not in base, chronological. */
  ahead: string[];
  behindBy: number;
}

export function compareCommits(store: ObjectStore, base: string, head: string): CommitRange {
  const fromBase = collectReachable(store, base);
  const fromHead = collectReachable(store, head);
  const ahead = new Set([...fromHead].filter((sha) => !fromBase.has(sha)));
  const behindBy = [...fromBase].filter((sha) => !fromHead.has(sha)).length;
  return { mergeBase: findMergeBase(store, base, head), ahead: orderChronologically(store, ahead), behindBy };
}
