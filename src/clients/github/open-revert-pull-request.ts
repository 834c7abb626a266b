import type { Octokit } from 'octokit';
import type { RepoRef } from './github-client.js';
import { toGitHubError } from './github-error.js';
import {
  NothingToRevertError,
  type OpenRevertPullRequest,
  type RevertPullRequest,
  type RevertRequest,
} from './revert-port.js';
import { statusOf, writeOnce } from './write-once.js';

type TreeMode = '100644' | '100755' | '040000' | '160000' | '120000';

interface Leaf {
  path: string;
  mode: TreeMode;
  type: 'blob' | 'commit';
  sha: string;
}

interface TreeEdit {
  path: string;
  mode: TreeMode;
  type: 'blob' | 'commit';
  sha: string | null;
}

const MAX_BRANCH_ATTEMPTS = 20;

/** Argo CD paths may be written `./a/b/`; '' stands for the whole repository. */
export function normalizeAppPath(path: string): string {
  const trimmed = path
    .trim()
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+|\/+$/g, '');
  return trimmed === '.' ? '' : trimmed;
}

function isUnder(path: string, root: string): boolean {
  return root === '' || path === root || path.startsWith(`${root}/`);
}

/** Files (and submodules) under `root` in a tree; falls back to the path's own subtree when GitHub truncates. */
async function listLeaves(octokit: Octokit, repo: RepoRef, treeSha: string, root: string): Promise<Leaf[]> {
  const whole = await octokit.rest.git.getTree({
    owner: repo.owner,
    repo: repo.name,
    tree_sha: treeSha,
    recursive: 'true',
  });
  if (!whole.data.truncated) return toLeaves(whole.data.tree, '').filter((leaf) => isUnder(leaf.path, root));
  const subtree = await findSubtree(octokit, repo, treeSha, root);
  if (!subtree) return [];
  const part = await octokit.rest.git.getTree({
    owner: repo.owner,
    repo: repo.name,
    tree_sha: subtree,
    recursive: 'true',
  });
  if (part.data.truncated)
    throw new Error(`${root} holds too many files for GitHub's tree listing; revert it by hand`);
  return toLeaves(part.data.tree, root);
}

function toLeaves(
  entries: { path?: string; mode?: string; type?: string; sha?: string }[],
  prefix: string,
): Leaf[] {
  const leaves: Leaf[] = [];
  for (const entry of entries) {
    if ((entry.type !== 'blob' && entry.type !== 'commit') || !entry.path || !entry.sha || !entry.mode)
      continue;
    leaves.push({
      path: prefix ? `${prefix}/${entry.path}` : entry.path,
      mode: entry.mode as TreeMode,
      type: entry.type,
      sha: entry.sha,
    });
  }
  return leaves;
}

/** Walks one directory level at a time: only needed when a whole-repository listing is truncated. */
async function findSubtree(
  octokit: Octokit,
  repo: RepoRef,
  treeSha: string,
  root: string,
): Promise<string | undefined> {
  let current = treeSha;
  for (const segment of root.split('/')) {
    const { data } = await octokit.rest.git.getTree({
      owner: repo.owner,
      repo: repo.name,
      tree_sha: current,
    });
    const next = data.tree.find((entry) => entry.path === segment && entry.type === 'tree');
    if (!next?.sha) return undefined;
    current = next.sha;
  }
  return current;
}

/** What turns the head's files under the path into the old revision's: deletions first, then restores. */
export function diffLeaves(old: Leaf[], head: Leaf[]): TreeEdit[] {
  const oldByPath = new Map(old.map((leaf) => [leaf.path, leaf]));
  const headByPath = new Map(head.map((leaf) => [leaf.path, leaf]));
  const deletions: TreeEdit[] = head
    .filter((leaf) => !oldByPath.has(leaf.path))
    .map((leaf) => ({ path: leaf.path, mode: leaf.mode, type: leaf.type, sha: null }));
  const restores: TreeEdit[] = old
    .filter((leaf) => {
      const now = headByPath.get(leaf.path);
      return !now || now.sha !== leaf.sha || now.mode !== leaf.mode;
    })
    .map((leaf) => ({ path: leaf.path, mode: leaf.mode, type: leaf.type, sha: leaf.sha }));
  return [...deletions, ...restores];
}

async function resolveBranch(octokit: Octokit, request: RevertRequest): Promise<string> {
  const tracked = request.branch?.replace(/^refs\/heads\//, '');
  if (tracked && tracked !== 'HEAD') return tracked;
  const { data } = await octokit.rest.repos.get({ owner: request.repo.owner, repo: request.repo.name });
  return data.default_branch;
}

async function readHead(octokit: Octokit, repo: RepoRef, branch: string): Promise<string> {
  try {
    const { data } = await octokit.rest.git.getRef({
      owner: repo.owner,
      repo: repo.name,
      ref: `heads/${branch}`,
    });
    return data.object.sha;
  } catch (error) {
    if (statusOf(error) === 404)
      throw new Error(
        `"${branch}" is not a branch of ${repo.owner}/${repo.name}; Revert in Git needs the app to track a branch`,
      );
    throw error;
  }
}

async function treeOf(octokit: Octokit, repo: RepoRef, commitSha: string): Promise<string> {
  const { data } = await octokit.rest.git.getCommit({
    owner: repo.owner,
    repo: repo.name,
    commit_sha: commitSha,
  });
  return data.tree.sha;
}

/** Where the branch points, or undefined when there is no such branch. */
async function branchHead(octokit: Octokit, repo: RepoRef, name: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({
      owner: repo.owner,
      repo: repo.name,
      ref: `heads/${name}`,
    });
    return data.object.sha;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * A fresh branch per revert; an existing name (an earlier revert) gets a numeric suffix, never overwritten.
 * A branch that already points at this very commit is this call's own (its answer was lost): it is used.
 */
async function createBranch(octokit: Octokit, repo: RepoRef, base: string, sha: string): Promise<string> {
  for (let attempt = 1; attempt <= MAX_BRANCH_ATTEMPTS; attempt++) {
    const name = attempt === 1 ? base : `${base}-${attempt}`;
    const ours = async () => ((await branchHead(octokit, repo, name)) === sha ? name : undefined);
    try {
      return await writeOnce(async () => {
        await octokit.rest.git.createRef({
          owner: repo.owner,
          repo: repo.name,
          ref: `refs/heads/${name}`,
          sha,
        });
        return name;
      }, ours);
    } catch (error) {
      if (statusOf(error) !== 422) throw error;
      if ((await ours()) === name) return name;
    }
  }
  throw new Error(`branches ${base} to ${base}-${MAX_BRANCH_ATTEMPTS} all exist; delete old revert branches`);
}

/** The revert branches of this revert: the base name and its numeric suffixes. */
async function revertBranches(octokit: Octokit, repo: RepoRef, base: string): Promise<string[]> {
  const { data } = await octokit.rest.git.listMatchingRefs({
    owner: repo.owner,
    repo: repo.name,
    ref: `heads/${base}`,
  });
  return data
    .map((ref) => ref.ref.replace(/^refs\/heads\//, ''))
    .filter(
      (name) => name === base || (name.startsWith(`${base}-`) && /^\d+$/.test(name.slice(base.length + 1))),
    )
    .slice(0, MAX_BRANCH_ATTEMPTS);
}

/** An open pull request from one of this revert's branches into `into`: an earlier click already made it. */
async function findOpenRevert(
  octokit: Octokit,
  repo: RepoRef,
  base: string,
  into: string,
): Promise<RevertPullRequest | undefined> {
  for (const branch of await revertBranches(octokit, repo, base)) {
    const pull = await findPull(octokit, repo, branch, into, 'open');
    if (pull) return pull;
  }
  return undefined;
}

async function findPull(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
  into: string,
  state: 'open' | 'all',
): Promise<RevertPullRequest | undefined> {
  const { data } = await octokit.rest.pulls.list({
    owner: repo.owner,
    repo: repo.name,
    head: `${repo.owner}:${branch}`,
    base: into,
    state,
    per_page: 10,
  });
  const pull = data[0];
  return pull ? { url: pull.html_url, number: pull.number, branch } : undefined;
}

/** A pull request from `branch`, looked for (not created twice) when the answer to its creation is lost. */
async function openPull(
  octokit: Octokit,
  repo: RepoRef,
  pull: { title: string; body: string; branch: string; into: string },
): Promise<RevertPullRequest> {
  const look = () => findPull(octokit, repo, pull.branch, pull.into, 'all');
  try {
    return await writeOnce(async () => {
      const { data } = await octokit.rest.pulls.create({
        owner: repo.owner,
        repo: repo.name,
        title: pull.title,
        head: pull.branch,
        base: pull.into,
        body: pull.body,
      });
      return { url: data.html_url, number: data.number, branch: pull.branch };
    }, look);
  } catch (error) {
    // "A pull request already exists" for a branch made a moment ago: the lost attempt's own.
    const existing = statusOf(error) === 422 ? await look() : undefined;
    if (existing) return existing;
    throw error;
  }
}

/** Git objects nothing points at yet: repeating their creation after a lost answer changes nothing visible. */
const nothingToLookFor = async () => undefined;

function describe(request: RevertRequest, path: string, branch: string) {
  const to = request.toRevision.slice(0, 7);
  const from = request.fromRevision.slice(0, 7);
  const where = path || 'the repository';
  return {
    title: `Revert ${request.app} to ${to}`,
    message: [
      `Revert ${request.app} to ${to}`,
      '',
      `Restores ${where} to its content at ${request.toRevision},`,
      `the revision deployed before ${request.fromRevision}.`,
      '',
      `Requested in Slack by ${request.requestedBy} via deploybot.`,
    ].join('\n'),
    body: [
      `Restores \`${where}\` on \`${branch}\` to its content at \`${to}\`, the revision deployed before \`${from}\`.`,
      '',
      `Requested in Slack by \`${request.requestedBy}\` through deploybot's **Revert in Git** (the app is auto-synced, so Argo CD cannot roll it back).`,
      'Merging this pull request deploys the old manifests; files outside the path are untouched.',
    ].join('\n'),
  };
}

/**
 * Revert in Git through the git data API: one new commit on a new branch whose tree is the branch
 * head with the app's path replaced by the old revision's, then a pull request. Nothing is pushed
 * to the tracked branch itself.
 */
export function createRevertPullRequestOpener(octokit: Octokit): OpenRevertPullRequest {
  const open = openRevert(octokit);
  return async (request) => {
    try {
      return await open(request);
    } catch (error) {
      throw error instanceof NothingToRevertError ? error : toGitHubError(error);
    }
  };
}

function openRevert(octokit: Octokit): OpenRevertPullRequest {
  return async (request) => {
    const { repo } = request;
    const path = normalizeAppPath(request.path);
    const branch = await resolveBranch(octokit, request);
    const safeApp = request.app.replace(/[^A-Za-z0-9._-]+/g, '-');
    const base = `deploybot/revert-${safeApp}-${request.fromRevision.slice(0, 7)}`;
    // One pull request per revert: one already open (an earlier click whose answer was lost) is the answer.
    const open = await findOpenRevert(octokit, repo, base, branch);
    if (open) return open;
    const headSha = await readHead(octokit, repo, branch);
    const [headTree, oldTree] = await Promise.all([
      treeOf(octokit, repo, headSha),
      treeOf(octokit, repo, request.toRevision),
    ]);
    let tree: string;
    if (path === '') {
      if (headTree === oldTree) throw new NothingToRevertError('the repository', branch, request.toRevision);
      tree = oldTree;
    } else {
      const [oldLeaves, headLeaves] = await Promise.all([
        listLeaves(octokit, repo, oldTree, path),
        listLeaves(octokit, repo, headTree, path),
      ]);
      const edits = diffLeaves(oldLeaves, headLeaves);
      if (edits.length === 0) throw new NothingToRevertError(path, branch, request.toRevision);
      tree = await writeOnce(async () => {
        const created = await octokit.rest.git.createTree({
          owner: repo.owner,
          repo: repo.name,
          base_tree: headTree,
          tree: edits,
        });
        return created.data.sha;
      }, nothingToLookFor);
    }
    const text = describe(request, path, branch);
    const commit = await writeOnce(async () => {
      const { data } = await octokit.rest.git.createCommit({
        owner: repo.owner,
        repo: repo.name,
        message: text.message,
        tree,
        parents: [headSha],
      });
      return data.sha;
    }, nothingToLookFor);
    const prBranch = await createBranch(octokit, repo, base, commit);
    return openPull(octokit, repo, { title: text.title, body: text.body, branch: prBranch, into: branch });
  };
}
