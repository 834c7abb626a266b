import type { FakeState } from '../fake-state.js';
import type { CheckRunRecord, StatusRecord } from '../repo/records.js';
import type { RepoState } from '../repo/repo-state.js';
import { serializeRepository } from './repository.js';
import { nodeId, repoApiUrl, repoHtmlUrl } from './urls.js';
import { serializeUser } from './user.js';

export function serializeCheckRun(state: FakeState, repo: RepoState, run: CheckRunRecord) {
  const api = repoApiUrl(state, repo);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('CheckRun', run.id),
    head_sha: run.headSha,
    external_id: '',
    url: `${api}/check-runs/${run.id}`,
    html_url: `${repoHtmlUrl(state, repo)}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: null,
      summary: null,
      text: null,
      annotations_count: 0,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    check_suite: { id: run.checkSuiteId },
    app: {
      id: 15368,
      slug: run.appSlug,
      name: run.appSlug === 'github-actions' ? 'GitHub Actions' : run.appSlug,
    },
    pull_requests: [],
  };
}

function serializeStatus(state: FakeState, repo: RepoState, sha: string, status: StatusRecord) {
  return {
    url: `${repoApiUrl(state, repo)}/statuses/${sha}`,
    avatar_url: null,
    id: status.id,
    node_id: nodeId('StatusContext', status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    creator: serializeUser(state, status.creatorLogin),
  };
}

/** The latest status of each context, newest first. */
export function latestStatuses(statuses: readonly StatusRecord[]): StatusRecord[] {
  const latest = new Map<string, StatusRecord>();
  for (const status of statuses) latest.set(status.context, status);
  return [...latest.values()].reverse();
}

function combineStates(statuses: readonly StatusRecord[]): 'failure' | 'pending' | 'success' {
  if (statuses.some((status) => status.state === 'failure' || status.state === 'error')) return 'failure';
  if (statuses.length === 0 || statuses.some((status) => status.state === 'pending')) return 'pending';
  return 'success';
}

/** `GET /commits/{ref}/status`: failure beats pending beats success, and no statuses at all is pending. */
export function serializeCombinedStatus(state: FakeState, repo: RepoState, sha: string) {
  const latest = latestStatuses(repo.statuses.get(sha) ?? []);
  const api = repoApiUrl(state, repo);
  return {
    state: combineStates(latest),
    statuses: latest.map((status) => {
      const { creator: _creator, ...simple } = serializeStatus(state, repo, sha, status);
      return simple;
    }),
    sha,
    total_count: latest.length,
    repository: serializeRepository(state, repo),
    commit_url: `${api}/commits/${sha}`,
    url: `${api}/commits/${sha}/status`,
  };
}
