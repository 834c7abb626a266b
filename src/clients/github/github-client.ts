import type { Octokit } from 'octokit';
import type { ChecksSummary, CommitInfo, PullInfo } from '../../domain/card.js';
import { mapBounded } from '../../runtime/map-bounded.js';
import { createDeploymentOnce, createDeploymentStatusOnce } from './deployment-writes.js';
import { toGitHubError } from './github-error.js';

export interface RepoRef {
  owner: string;
  name: string;
}

interface CompareResult {
  /** Newest first, at most `maxCommits` of them. */
  commits: CommitInfo[];
  totalCommits: number;
  authorLogins: string[];
  authorEmails: string[];
}

/** A pull request as the commit lookup returns it: its merge commit tells who merged it (see `PullInfo.mergedBy`). */
interface AssociatedPull extends PullInfo {
  mergeCommitSha?: string;
}

export interface PullsOfCommits {
  pulls: AssociatedPull[];
  /** Pull request numbers per commit looked up ([] = none); a commit beyond the call cap is missing. */
  bySha: Record<string, number[]>;
}

/** The GitHub port: reads for the card, writes for deployments and revert pull requests. */
export interface GitHubClient {
  compare(repo: RepoRef, base: string, head: string, maxCommits: number): Promise<CompareResult>;
  getCommit(repo: RepoRef, sha: string): Promise<CommitInfo>;
  pullsForCommits(repo: RepoRef, shas: string[], maxCalls: number): Promise<PullsOfCommits>;
  checks(repo: RepoRef, sha: string): Promise<ChecksSummary>;
  createDeployment(repo: RepoRef, input: DeploymentInput): Promise<number>;
  createDeploymentStatus(repo: RepoRef, deploymentId: number, input: DeploymentStatusInput): Promise<void>;
  octokit: Octokit;
}

interface DeploymentInput {
  sha: string;
  environment: string;
  production: boolean;
  description: string;
  payload?: Record<string, unknown>;
}

export interface DeploymentStatusInput {
  state: 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';
  logUrl?: string;
  environmentUrl?: string;
  description?: string;
}

const FAILING = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure', 'stale']);
/** Commit-to-pull-request lookups in flight at once for one card. */
const PULL_LOOKUP_CONCURRENCY = 4;
/** Status pages read (100 contexts each) before the checks count as unreadable. */
const STATUS_PAGES_MAX = 10;

type GitPerson = { name?: string; email?: string; date?: string } | null | undefined;

interface RestCommit {
  sha: string;
  html_url?: string;
  commit: { message: string; author?: GitPerson; committer?: GitPerson };
  /** The account GitHub links to the author e-mail, null when it links none. */
  author?: { login?: string } | null;
  committer?: { login?: string } | null;
}

const differs = (a: string | undefined, b: string | undefined) =>
  a !== undefined && a.toLowerCase() !== b?.toLowerCase();

function toCommitInfo(c: RestCommit): CommitInfo {
  const authorLogin = c.author?.login || undefined;
  const authorEmail = c.commit.author?.email || undefined;
  const committerLogin = c.committer?.login || undefined;
  const committerEmail = c.commit.committer?.email || undefined;
  return {
    sha: c.sha,
    subject: c.commit.message.split('\n')[0] ?? '',
    authorLogin,
    authorName: c.commit.author?.name ?? undefined,
    authorEmail,
    // Most commits are committed by their author: only a different committer is worth storing.
    committerLogin: differs(committerLogin, authorLogin) ? committerLogin : undefined,
    committerEmail: differs(committerEmail, authorEmail) ? committerEmail : undefined,
    date: c.commit.author?.date ?? undefined,
    url: c.html_url,
  };
}

interface CombinedStatusPage {
  total_count: number;
  statuses: { context: string; state: string }[];
}

/** Every call of the port throws GitHubError (classified by status), with octokit's error as its cause. */
function withGitHubErrors(client: GitHubClient): GitHubClient {
  const wrapped = { ...client };
  for (const key of Object.keys(client) as (keyof GitHubClient)[]) {
    const value = client[key];
    if (typeof value !== 'function') continue;
    (wrapped as Record<string, unknown>)[key] = async (...args: unknown[]) => {
      try {
        return await (value as (...a: unknown[]) => Promise<unknown>).apply(client, args);
      } catch (error) {
        throw toGitHubError(error);
      }
    };
  }
  return wrapped;
}

export function createGitHubClient(octokit: Octokit): GitHubClient {
  return withGitHubErrors(createBareGitHubClient(octokit));
}

function createBareGitHubClient(octokit: Octokit): GitHubClient {
  return {
    octokit,
    async compare(repo, base, head, maxCommits) {
      const commits: CommitInfo[] = [];
      const logins = new Set<string>();
      const emails = new Set<string>();
      let total = 0;
      // paginate() would return page objects for compare; the iterator gives each page's data.
      for await (const { data } of octokit.paginate.iterator(octokit.rest.repos.compareCommitsWithBasehead, {
        owner: repo.owner,
        repo: repo.name,
        basehead: `${base}...${head}`,
        per_page: 100,
      })) {
        // The paginate typings flatten compare pages oddly; the runtime value is the compare response.
        const page = data as unknown as { total_commits: number; commits: RestCommit[] };
        total = page.total_commits;
        for (const c of page.commits) {
          const info = toCommitInfo(c);
          if (info.authorLogin) logins.add(info.authorLogin.toLowerCase());
          if (info.authorEmail) emails.add(info.authorEmail.toLowerCase());
          commits.push(info);
        }
        if (commits.length >= Math.max(maxCommits, 1000)) break;
      }
      // Newest first reads best on a card; GitHub returns them oldest first.
      return {
        commits: commits.reverse().slice(0, maxCommits),
        totalCommits: Math.max(total, commits.length),
        authorLogins: [...logins],
        authorEmails: [...emails],
      };
    },
    async getCommit(repo, sha) {
      const { data } = await octokit.rest.repos.getCommit({ owner: repo.owner, repo: repo.name, ref: sha });
      return toCommitInfo(data);
    },
    async pullsForCommits(repo, shas, maxCalls) {
      const seen = new Map<number, AssociatedPull>();
      const bySha: Record<string, number[]> = {};
      const lookedUp = shas.slice(0, Math.max(0, maxCalls));
      const answers = await mapBounded(lookedUp, PULL_LOOKUP_CONCURRENCY, async (sha) => {
        // Paged: a pull request missed on a second page could be the approver's own.
        const data = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
          owner: repo.owner,
          repo: repo.name,
          commit_sha: sha,
          per_page: 100,
        });
        return [sha, data] as const;
      });
      for (const [sha, data] of answers) {
        bySha[sha] = data.map((pr) => pr.number);
        for (const pr of data) {
          if (!seen.has(pr.number))
            seen.set(pr.number, {
              number: pr.number,
              title: pr.title,
              url: pr.html_url,
              authorLogin: pr.user?.login,
              mergedAt: pr.merged_at ?? undefined,
              mergeCommitSha: pr.merge_commit_sha ?? undefined,
            });
        }
      }
      return { pulls: [...seen.values()], bySha };
    },
    async checks(repo, sha) {
      // Actions report only through the Checks API, other CI through statuses: both count.
      const [runs, statuses] = await Promise.all([
        octokit.paginate(octokit.rest.checks.listForRef, {
          owner: repo.owner,
          repo: repo.name,
          ref: sha,
          filter: 'latest',
          per_page: 100,
        }),
        readStatuses(octokit, repo, sha),
      ]);
      const failing: string[] = [];
      const pending: string[] = [];
      const passing = new Set<string>();
      for (const run of runs) {
        if (run.status !== 'completed') pending.push(run.name);
        else if (run.conclusion && FAILING.has(run.conclusion)) failing.push(run.name);
        // success, neutral and skipped: what GitHub itself accepts for a required check.
        else passing.add(run.name);
      }
      for (const status of statuses) {
        if (status.state === 'pending') pending.push(status.context);
        else if (status.state === 'success') passing.add(status.context);
        else failing.push(status.context);
      }
      const total = runs.length + statuses.length;
      const state = failing.length
        ? 'failure'
        : pending.length
          ? 'pending'
          : total > 0
            ? 'success'
            : 'pending';
      return { state, total, failing, pendingNames: pending, passing: [...passing] };
    },
    // Writes that must happen once although answers get lost: they look before they create again.
    createDeployment: (repo, input) => createDeploymentOnce(octokit, repo, input),
    createDeploymentStatus: (repo, deploymentId, input) =>
      createDeploymentStatusOnce(octokit, repo, deploymentId, input),
  };
}

/**
 * Every status context of a commit. The combined status lists 30 contexts unless asked for more, and
 * at most 100 a page: one that failed on page two must not pass for green.
 */
async function readStatuses(
  octokit: Octokit,
  repo: RepoRef,
  sha: string,
): Promise<CombinedStatusPage['statuses']> {
  const statuses: CombinedStatusPage['statuses'] = [];
  let total = 0;
  let pages = 0;
  // paginate() would merge the page objects; the iterator follows GitHub's Link header page by page.
  for await (const { data } of octokit.paginate.iterator(octokit.rest.repos.getCombinedStatusForRef, {
    owner: repo.owner,
    repo: repo.name,
    ref: sha,
    per_page: 100,
  })) {
    const page = data as unknown as CombinedStatusPage;
    total = page.total_count;
    statuses.push(...page.statuses);
    if (++pages >= STATUS_PAGES_MAX || statuses.length >= total) break;
  }
  // A list cut short could hide the failing context: the caller turns this into "checks unknown".
  if (statuses.length < total)
    throw new Error(`read ${statuses.length} of the ${total} commit statuses of ${sha}`);
  return statuses;
}

// Owners are accounts (letters, digits, hyphens; `_` in managed-user logins); names also allow `.`.
const GITHUB_REPO_PATH = '([A-Za-z0-9][\\w-]*)/([\\w.-]+?)(?:\\.git)?/?';
const repoPatterns = new Map<string, RegExp>();

function repoPatternFor(host: string): RegExp {
  let pattern = repoPatterns.get(host);
  if (!pattern) {
    const h = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(`^(?:https://${h}/|git@${h}:|ssh://git@${h}(?::\\d+)?/)${GITHUB_REPO_PATH}$`, 'i');
    repoPatterns.set(host, pattern);
  }
  return pattern;
}

/**
 * Turns an Argo CD repoURL into owner/name when it is a repository on `host` (github.com):
 * `https://github.com/o/r`, `git@github.com:o/r`, `ssh://git@github.com/o/r`, each with or
 * without `.git`. Anchored at both ends: `https://notgithub.com/o/r` or
 * `https://gitlab.com/github.com/o/r` is not a GitHub repository.
 */
export function parseGitHubRepo(
  repoURL: string | null | undefined,
  host = 'github.com',
): RepoRef | undefined {
  if (!repoURL) return undefined;
  const match = repoPatternFor(host.toLowerCase()).exec(repoURL.trim());
  const [, owner, name] = match ?? [];
  if (!owner || !name || name === '.' || name === '..') return undefined;
  return { owner, name };
}

/**
 * The GitHub repository a card reads its changelog and checks from and Revert in Git writes to: the
 * app's own repoURL when it is on GitHub. The policy's `github.repo` stands in only for an app that
 * names no repository; an app whose source is elsewhere (GitLab, another host) gets none, rather than
 * another repository's commits (self-approval then fails closed, revert explains that it needs GitHub).
 */
export function chooseAppRepo(
  repoURL: string | null | undefined,
  fallback: string | undefined,
): RepoRef | undefined {
  if (repoURL?.trim()) return parseGitHubRepo(repoURL);
  const [owner, name, ...rest] = fallback?.split('/') ?? [];
  return owner && name && rest.length === 0 ? { owner, name } : undefined;
}
