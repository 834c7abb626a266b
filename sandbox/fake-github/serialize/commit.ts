import type { FakeState } from '../fake-state.js';
import { diffFlatTrees, type FileChange } from '../git/diff-trees.js';
import type { FlatTree, StoredCommit } from '../git/object-store.js';
import type { RepoState } from '../repo/repo-state.js';
import { encodePath, nodeId, repoApiUrl, repoHtmlUrl } from './urls.js';
import { serializeUser } from './user.js';

const UNSIGNED = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };

function serializeParents(
  state: FakeState,
  repo: RepoState,
  commit: StoredCommit,
  kind: 'commits' | 'git/commits',
) {
  return commit.parents.map((parent) => ({
    sha: parent,
    url: `${repoApiUrl(state, repo)}/${kind}/${parent}`,
    html_url: `${repoHtmlUrl(state, repo)}/commit/${parent}`,
  }));
}

/** `GET /git/commits/{sha}` shape. */
export function serializeGitCommit(state: FakeState, repo: RepoState, commit: StoredCommit) {
  const api = repoApiUrl(state, repo);
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', commit.sha),
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `${repoHtmlUrl(state, repo)}/commit/${commit.sha}`,
    author: { ...commit.author },
    committer: { ...commit.committer },
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: serializeParents(state, repo, commit, 'git/commits'),
    verification: { ...UNSIGNED },
  };
}

/** One entry of `files` in compare and single-commit answers (`diff-entry`). */
export function serializeFileChange(state: FakeState, repo: RepoState, change: FileChange, headSha: string) {
  const html = repoHtmlUrl(state, repo);
  const path = encodePath(change.filename);
  return {
    sha: change.sha,
    filename: change.filename,
    status: change.status,
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: `${html}/blob/${headSha}/${path}`,
    raw_url: `${html}/raw/${headSha}/${path}`,
    contents_url: `${repoApiUrl(state, repo)}/contents/${path}?ref=${headSha}`,
  };
}

export function diffCommits(repo: RepoState, from: string | null, to: string): FileChange[] {
  const before: FlatTree = from ? repo.flatTreeOf(from) : new Map();
  return diffFlatTrees(repo.objects, before, repo.flatTreeOf(to));
}

/** The REST `commit` shape (compare, `GET /commits/{ref}`); `withFiles` adds stats and files against the first parent. */
export function serializeRestCommit(state: FakeState, repo: RepoState, sha: string, withFiles = false) {
  const commit = repo.requireCommit(sha);
  const api = repoApiUrl(state, repo);
  const base = {
    sha,
    node_id: nodeId('Commit', sha),
    commit: {
      author: { ...commit.author },
      committer: { ...commit.committer },
      message: commit.message,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      url: `${api}/git/commits/${sha}`,
      comment_count: 0,
      verification: { ...UNSIGNED },
    },
    url: `${api}/commits/${sha}`,
    html_url: `${repoHtmlUrl(state, repo)}/commit/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    author: commit.authorLogin ? serializeUser(state, commit.authorLogin) : null,
    committer: commit.committerLogin ? serializeUser(state, commit.committerLogin) : null,
    parents: serializeParents(state, repo, commit, 'commits'),
  };
  if (!withFiles) return base;
  const changes = diffCommits(repo, commit.parents[0] ?? null, sha);
  const additions = changes.reduce((sum, change) => sum + change.additions, 0);
  const deletions = changes.reduce((sum, change) => sum + change.deletions, 0);
  return {
    ...base,
    stats: { total: additions + deletions, additions, deletions },
    files: changes.map((change) => serializeFileChange(state, repo, change, sha)),
  };
}
