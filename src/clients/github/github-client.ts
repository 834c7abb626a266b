import type { Octokit } from 'octokit';
import type { ChecksSummary, CommitInfo, PullInfo } from '../../domain/card.js';

export interface RepoRef {
  owner: string;
  name: string;
}

export interface CompareResult {
  commits: CommitInfo[];
  totalCommits: number;
  authorLogins: string[];
  authorEmails: string[];
}

/** The GitHub port: reads for the card, writes for deployments and revert pull requests. */
export interface GitHubClient {
  compare(repo: RepoRef, base: string, head: string, maxCommits: number): Promise<CompareResult>;
  getCommit(repo: RepoRef, sha: string): Promise<CommitInfo>;
  pullsForCommits(repo: RepoRef, shas: string[], maxCalls: number): Promise<PullInfo[]>;
  checks(repo: RepoRef, sha: string): Promise<ChecksSummary>;
  createDeployment(repo: RepoRef, input: DeploymentInput): Promise<number>;
  createDeploymentStatus(repo: RepoRef, deploymentId: number, input: DeploymentStatusInput): Promise<void>;
  octokit: Octokit;
}

export interface DeploymentInput {
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

function toCommitInfo(c: {
  sha: string;
  html_url?: string;
  commit: { message: string; author?: { name?: string; email?: string; date?: string } | null };
  author?: { login?: string } | null;
}): CommitInfo {
  return {
    sha: c.sha,
    subject: c.commit.message.split('\n')[0] ?? '',
    authorLogin: c.author?.login ?? undefined,
    authorName: c.commit.author?.name ?? undefined,
    authorEmail: c.commit.author?.email ?? undefined,
    date: c.commit.author?.date ?? undefined,
    url: c.html_url,
  };
}

export function createGitHubClient(octokit: Octokit): GitHubClient {
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
        const page = data as unknown as {
          total_commits: number;
          commits: Parameters<typeof toCommitInfo>[0][];
        };
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
      const seen = new Map<number, PullInfo>();
      for (const sha of shas.slice(0, maxCalls)) {
        const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
          owner: repo.owner,
          repo: repo.name,
          commit_sha: sha,
        });
        for (const pr of data) {
          if (!seen.has(pr.number))
            seen.set(pr.number, {
              number: pr.number,
              title: pr.title,
              url: pr.html_url,
              authorLogin: pr.user?.login,
              mergedAt: pr.merged_at ?? undefined,
            });
        }
      }
      return [...seen.values()];
    },
    async checks(repo, sha) {
      // Actions report only through the Checks API, other CI through statuses: both count.
      const [runs, combined] = await Promise.all([
        octokit.paginate(octokit.rest.checks.listForRef, {
          owner: repo.owner,
          repo: repo.name,
          ref: sha,
          filter: 'latest',
          per_page: 100,
        }),
        octokit.rest.repos.getCombinedStatusForRef({ owner: repo.owner, repo: repo.name, ref: sha }),
      ]);
      const failing: string[] = [];
      const pending: string[] = [];
      for (const run of runs) {
        if (run.status !== 'completed') pending.push(run.name);
        else if (run.conclusion && FAILING.has(run.conclusion)) failing.push(run.name);
      }
      for (const status of combined.data.statuses) {
        if (status.state === 'pending') pending.push(status.context);
        else if (status.state !== 'success') failing.push(status.context);
      }
      const total = runs.length + combined.data.statuses.length;
      const state = failing.length
        ? 'failure'
        : pending.length
          ? 'pending'
          : total > 0
            ? 'success'
            : 'pending';
      return { state, total, failing, pendingNames: pending };
    },
    async createDeployment(repo, input) {
      const response = await octokit.rest.repos.createDeployment({
        owner: repo.owner,
        repo: repo.name,
        ref: input.sha,
        environment: input.environment,
        auto_merge: false,
        required_contexts: [],
        production_environment: input.production,
        transient_environment: false,
        description: input.description.slice(0, 140),
        payload: input.payload ?? {},
      });
      const data = response.data as { id?: number; message?: string };
      if (typeof data.id !== 'number')
        throw new Error(`GitHub did not create the deployment: ${data.message ?? response.status}`);
      return data.id;
    },
    async createDeploymentStatus(repo, deploymentId, input) {
      await octokit.rest.repos.createDeploymentStatus({
        owner: repo.owner,
        repo: repo.name,
        deployment_id: deploymentId,
        state: input.state,
        log_url: input.logUrl,
        environment_url: input.environmentUrl,
        description: input.description?.slice(0, 140),
        auto_inactive: true,
      });
    },
  };
}

/** Turns an Argo CD repoURL into owner/name when it is a GitHub repository. */
export function parseGitHubRepo(repoURL: string | null | undefined): RepoRef | undefined {
  if (!repoURL) return undefined;
  const match = /github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(repoURL);
  return match ? { owner: match[1]!, name: match[2]! } : undefined;
}
