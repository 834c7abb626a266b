import type { FakeState } from '../fake-state.js';
import type { RepoState } from '../repo/repo-state.js';
import type { BuildWebhookOptions } from '../types.js';

export interface BuildContext {
  state: FakeState;
  repo: RepoState;
  options: BuildWebhookOptions;
  sha: string;
  branch: string;
}

/** The head_commit object webhooks carry, from the fake's commit when it has it. */
export function describeHeadCommit(context: BuildContext, sha: string) {
  const commit = context.repo.objects.getCommit(sha);
  if (!commit) return undefined;
  return {
    id: sha,
    tree_id: commit.tree,
    message: commit.message,
    timestamp: commit.committer.date,
    author: { name: commit.author.name, email: commit.author.email },
    committer: { name: commit.committer.name, email: commit.committer.email },
  };
}

export function firstParentOf(context: BuildContext, sha: string): string | undefined {
  return context.repo.objects.getCommit(sha)?.parents[0];
}
