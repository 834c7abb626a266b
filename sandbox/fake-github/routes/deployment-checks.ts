import type { FakeState } from '../fake-state.js';
import { ApiError, unprocessable } from '../http/api-error.js';
import { mergeDefaultBranchInto } from '../repo/merge-default-branch.js';
import type { RepoState } from '../repo/repo-state.js';
import { latestStatuses } from '../serialize/checks.js';

/**
 * auto_merge (default true): a ref behind the default branch gets the default branch merged in and
 * no deployment (202), or a 409 when that merge cannot happen. Returns the 202 answer, if any.
 */
export function applyAutoMerge(state: FakeState, repo: RepoState, ref: string, sha: string) {
  const outcome = mergeDefaultBranchInto(repo, ref, sha, state.actorIdentity(), state.now());
  if (outcome.kind === 'up-to-date') return undefined;
  if (outcome.kind === 'conflict')
    throw new ApiError(409, `Conflict merging ${repo.defaultBranch} into ${ref}.`);
  return { status: 202, body: { message: `Auto-merged ${repo.defaultBranch} into ${ref} on deployment.` } };
}

/**
 * required_contexts omitted = every commit-status context on the sha must be success; `[]` skips the
 * check; a named context with no status fails it.
 */
export function checkRequiredContexts(
  repo: RepoState,
  ref: string,
  sha: string,
  required: string[] | undefined,
) {
  const latest = latestStatuses(repo.statuses.get(sha) ?? []);
  const contexts = required ?? latest.map((status) => status.context);
  const failing = contexts
    .map((context) => ({
      context,
      state: latest.find((status) => status.context === context)?.state ?? 'missing',
    }))
    .filter((entry) => entry.state !== 'success');
  if (failing.length === 0) return;
  throw new ApiError(409, `Conflict: Commit status checks failed for ${ref}.`, {
    errors: [{ contexts: failing, resource: 'Deployment', field: 'required_contexts', code: 'invalid' }],
  });
}

export function resolveDeployRef(repo: RepoState, ref: string): string {
  const sha = repo.resolveRef(ref);
  if (!sha) throw unprocessable(`No ref found for: ${ref}`);
  return sha;
}
