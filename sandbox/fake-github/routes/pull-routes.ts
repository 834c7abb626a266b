import { compareCommits } from '../git/history.js';
import { notFound, validationFailed } from '../http/api-error.js';
import { optionalBoolean, optionalString, readObjectBody, requireString } from '../http/body-fields.js';
import { respondWithPage } from '../http/paging.js';
import type { Route, RouteContext } from '../http/router.js';
import type { PullRecord } from '../repo/records.js';
import type { RepoState } from '../repo/repo-state.js';
import { serializePull } from '../serialize/pull.js';
import { json, param, repoRoute } from './repo-route.js';

// `head` may be `owner:branch`; the fake has no forks, so the owner part only has to be this repository's.
function readHeadBranch(repo: RepoState, head: string): string | undefined {
  const colon = head.indexOf(':');
  if (colon === -1) return head;
  return head.slice(0, colon).toLowerCase() === repo.owner.toLowerCase() ? head.slice(colon + 1) : undefined;
}

function pullError(field: string | undefined, message?: string) {
  return validationFailed([
    field
      ? { resource: 'PullRequest', field, code: 'invalid' }
      : { resource: 'PullRequest', code: 'custom', message },
  ]);
}

function createPull(context: RouteContext, repo: RepoState) {
  const { state } = context;
  const body = readObjectBody(context.body);
  const title = requireString(body, 'title');
  const head = requireString(body, 'head');
  const base = requireString(body, 'base');
  const headRef = readHeadBranch(repo, head);
  const headSha = headRef ? repo.headOf(headRef) : undefined;
  const baseSha = repo.headOf(base);
  if (!headRef || !headSha) throw pullError('head');
  if (!baseSha) throw pullError('base');
  const commits = compareCommits(repo.objects, baseSha, headSha).ahead;
  if (commits.length === 0) throw pullError(undefined, `No commits between ${base} and ${headRef}`);
  if (repo.pulls.some((pull) => pull.state === 'open' && pull.headRef === headRef && pull.baseRef === base)) {
    throw pullError(undefined, `A pull request already exists for ${repo.owner}:${headRef}.`);
  }
  const now = state.timestamp();
  const pull: PullRecord = {
    number: Math.max(0, ...repo.pulls.map((existing) => existing.number)) + 1,
    id: state.nextId('pull'),
    title,
    body: optionalString(body, 'body') ?? null,
    headRef,
    headSha,
    baseRef: base,
    baseSha,
    authorLogin: state.actor.login,
    state: 'open',
    draft: optionalBoolean(body, 'draft') ?? false,
    merged: false,
    mergedAt: null,
    mergeCommitSha: null,
    closedAt: null,
    commits,
    createdAt: now,
    updatedAt: now,
  };
  repo.pulls.push(pull);
  return json(serializePull(state, repo, pull, true), 201);
}

function listPulls(context: RouteContext, repo: RepoState) {
  const { query } = context;
  const wantedState = query.state ?? 'open';
  const headBranch = query.head === undefined ? undefined : readHeadBranch(repo, query.head);
  const matches = repo.pulls.filter(
    (pull) =>
      (wantedState === 'all' || pull.state === wantedState) &&
      (query.head === undefined || pull.headRef === headBranch) &&
      (query.base === undefined || pull.baseRef === query.base),
  );
  const ordered = query.direction === 'asc' ? matches : [...matches].reverse();
  const page = respondWithPage(context.url, ordered);
  return { ...page, body: page.body.map((pull) => serializePull(context.state, repo, pull)) };
}

export const pullRoutes: Route[] = [
  repoRoute('GET', '/pulls', listPulls),
  repoRoute('POST', '/pulls', createPull),
  repoRoute('GET', '/pulls/:number', (context, repo) => {
    const pull = repo.pulls.find((candidate) => candidate.number === Number(param(context, 'number')));
    if (!pull) throw notFound();
    return json(serializePull(context.state, repo, pull, true));
  }),
];
