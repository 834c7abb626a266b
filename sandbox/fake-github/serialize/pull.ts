import type { FakeState } from '../fake-state.js';
import { findMergeBase } from '../git/history.js';
import type { PullRecord } from '../repo/records.js';
import type { RepoState } from '../repo/repo-state.js';
import { diffCommits } from './commit.js';
import { serializeRepository } from './repository.js';
import { repoApiUrl, repoHtmlUrl } from './urls.js';
import { serializeUser } from './user.js';

// GitHub keeps an open pull request's base sha at the base branch head; a closed one keeps the last it saw.
function currentBaseSha(repo: RepoState, pull: PullRecord): string {
  return pull.state === 'open' ? (repo.headOf(pull.baseRef) ?? pull.baseSha) : pull.baseSha;
}

function serializeBranchEnd(state: FakeState, repo: RepoState, ref: string, sha: string) {
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: serializeUser(state, repo.owner),
    repo: serializeRepository(state, repo),
  };
}

function countChanges(repo: RepoState, baseSha: string, headSha: string) {
  const changes = diffCommits(repo, findMergeBase(repo.objects, baseSha, headSha), headSha);
  return {
    additions: changes.reduce((sum, change) => sum + change.additions, 0),
    deletions: changes.reduce((sum, change) => sum + change.deletions, 0),
    changed_files: changes.length,
  };
}

/** `pull-request-simple` (lists), or the full `pull-request` (single pull, create) when `full`. */
export function serializePull(state: FakeState, repo: RepoState, pull: PullRecord, full = false) {
  const api = repoApiUrl(state, repo);
  const html = `${repoHtmlUrl(state, repo)}/pull/${pull.number}`;
  const self = `${api}/pulls/${pull.number}`;
  const baseSha = currentBaseSha(repo, pull);
  const simple = {
    url: self,
    id: pull.id,
    node_id: Buffer.from(`PullRequest:${pull.id}`).toString('base64'),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${pull.headSha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: serializeUser(state, pull.authorLogin),
    body: pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: serializeBranchEnd(state, repo, pull.headRef, pull.headSha),
    base: serializeBranchEnd(state, repo, pull.baseRef, baseSha),
    _links: {
      self: { href: self },
      html: { href: html },
      issue: { href: `${api}/issues/${pull.number}` },
      comments: { href: `${api}/issues/${pull.number}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: `${api}/statuses/${pull.headSha}` },
    },
    author_association: pull.authorLogin === repo.owner ? 'OWNER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: pull.draft,
  };
  if (!full) return simple;
  return {
    ...simple,
    merged: pull.merged,
    mergeable: pull.state === 'open' ? true : null,
    rebaseable: pull.state === 'open' ? true : null,
    mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
    merged_by: pull.merged ? serializeUser(state, pull.authorLogin) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pull.commits.length,
    ...countChanges(repo, baseSha, pull.headSha),
  };
}
