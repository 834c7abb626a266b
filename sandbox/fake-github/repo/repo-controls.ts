import type { FakeState } from '../fake-state.js';
import { toGitDate } from '../git/object-hash.js';
import type { CheckRunInput, CommitInput, FakeRepo, OpenPullInput, StatusInput } from '../types.js';
import type { PullRecord } from './records.js';
import type { RepoState } from './repo-state.js';

function requireSha(repo: RepoState, ref: string): string {
  const sha = repo.resolveRef(ref);
  if (!sha) throw new Error(`${repo.fullName} has no commit or ref ${ref}`);
  return sha;
}

function openPull(state: FakeState, repo: RepoState, input: OpenPullInput): number {
  const number = input.number ?? Math.max(0, ...repo.pulls.map((pull) => pull.number)) + 1;
  if (repo.pulls.some((pull) => pull.number === number)) {
    throw new Error(`${repo.fullName} already has pull request #${number}`);
  }
  const commits = input.commits.map((sha) => requireSha(repo, sha));
  const lastCommit = commits[commits.length - 1];
  const headSha = repo.headOf(input.head) ?? lastCommit;
  if (!headSha) throw new Error(`pull request #${number} needs commits or an existing head branch`);
  const merged = input.merged ?? false;
  const now = state.timestamp();
  const mergedAt = merged ? toGitDate(input.mergedAt ?? state.now()) : null;
  const closed = (input.state ?? (merged ? 'closed' : 'open')) === 'closed';
  const pull: PullRecord = {
    number,
    id: state.nextId('pull'),
    title: input.title,
    body: input.body ?? null,
    headRef: input.head,
    headSha,
    baseRef: input.base,
    baseSha: repo.headOf(input.base) ?? headSha,
    authorLogin: typeof input.author === 'string' ? input.author : input.author.login,
    state: closed ? 'closed' : 'open',
    draft: false,
    merged,
    mergedAt,
    mergeCommitSha: merged ? (input.mergeCommitSha ?? lastCommit ?? headSha) : null,
    closedAt: closed ? (mergedAt ?? now) : null,
    commits,
    createdAt: mergedAt && mergedAt < now ? mergedAt : now,
    updatedAt: mergedAt ?? now,
  };
  repo.pulls.push(pull);
  return number;
}

function setCheckRuns(state: FakeState, repo: RepoState, ref: string, runs: CheckRunInput[]): void {
  const sha = requireSha(repo, ref);
  const suiteId = state.nextId('checkSuite');
  const now = state.timestamp();
  repo.checkRuns.set(
    sha,
    runs.map((run) => ({
      id: state.nextId('checkRun'),
      checkSuiteId: suiteId,
      name: run.name,
      headSha: sha,
      status: run.status,
      conclusion: run.status === 'completed' ? (run.conclusion ?? 'success') : null,
      startedAt: now,
      completedAt: run.status === 'completed' ? now : null,
      detailsUrl: run.detailsUrl ?? null,
      appSlug: run.appSlug ?? 'github-actions',
    })),
  );
}

function setStatuses(state: FakeState, repo: RepoState, ref: string, statuses: StatusInput[]): void {
  const sha = requireSha(repo, ref);
  const existing = repo.statuses.get(sha) ?? [];
  for (const status of statuses) {
    existing.push({
      id: state.nextId('status'),
      context: status.context,
      state: status.state,
      description: status.description ?? null,
      targetUrl: status.targetUrl ?? null,
      createdAt: state.timestamp(),
      creatorLogin: state.actor.login,
    });
  }
  repo.statuses.set(sha, existing);
}

/**
 * A person given with a login owns their e-mail from then on (later commits under it link to them);
 * one given without is linked the way GitHub links it, by e-mail, and to no account if none owns it.
 */
function linkPerson(state: FakeState, person: { login?: string | null; email: string }): string | null {
  if (person.login) {
    state.linkEmail(person.email, person.login);
    return person.login;
  }
  return state.loginForEmail(person.email);
}

/** The test-and-demo side of a repository: shape its history and CI state directly. */
export function createRepoControls(state: FakeState, repo: RepoState): FakeRepo {
  return {
    fullName: repo.fullName,
    defaultBranch: repo.defaultBranch,
    commit: (input: CommitInput) => {
      const author = { ...input.author, login: linkPerson(state, input.author) };
      const committer = input.committer && { ...input.committer, login: linkPerson(state, input.committer) };
      return repo.commitFiles({ ...input, author, committer }, state.now());
    },
    openPull: (input) => openPull(state, repo, input),
    setCheckRuns: (sha, runs) => setCheckRuns(state, repo, sha, runs),
    setStatuses: (sha, statuses) => setStatuses(state, repo, sha, statuses),
    headOf: (branch) => repo.headOf(branch),
    setBranch: (branch, sha) => repo.setBranch(branch, requireSha(repo, sha)),
    fileAt: (ref, path) => repo.fileAt(ref, path),
  };
}
