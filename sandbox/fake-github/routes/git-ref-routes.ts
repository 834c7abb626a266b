import { isAncestor } from '../git/history.js';
import { notFound, unprocessable } from '../http/api-error.js';
import { optionalBoolean, readObjectBody, requireString } from '../http/body-fields.js';
import type { Route, RouteContext } from '../http/router.js';
import type { RepoState } from '../repo/repo-state.js';
import { nodeId, repoApiUrl } from '../serialize/urls.js';
import { json, param, repoRoute } from './repo-route.js';

function fullRefName(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/${ref}`;
}

function serializeRef(context: RouteContext, repo: RepoState, ref: string, sha: string) {
  const api = repoApiUrl(context.state, repo);
  return {
    ref,
    node_id: nodeId('Ref', `${repo.fullName}:${ref}`),
    url: `${api}/git/${ref}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  };
}

function requireExistingCommit(repo: RepoState, sha: string): void {
  if (!repo.objects.getCommit(sha)) throw unprocessable('Object does not exist');
}

function createRef(context: RouteContext, repo: RepoState) {
  const body = readObjectBody(context.body);
  const ref = requireString(body, 'ref');
  const sha = requireString(body, 'sha');
  if (!/^refs\/[^/]+\/.+/.test(ref)) {
    throw unprocessable(`${ref} is not a valid ref name.`);
  }
  if (repo.refs.has(ref)) throw unprocessable('Reference already exists');
  requireExistingCommit(repo, sha);
  repo.refs.set(ref, sha);
  const serialized = serializeRef(context, repo, ref, sha);
  return json(serialized, 201, { location: serialized.url });
}

// force:false only moves a ref forward, so a concurrent push surfaces as 422 instead of being overwritten.
function updateRef(context: RouteContext, repo: RepoState) {
  const ref = fullRefName(param(context, 'ref'));
  const current = repo.refs.get(ref);
  if (!current) throw unprocessable('Reference does not exist');
  const body = readObjectBody(context.body);
  const sha = requireString(body, 'sha');
  requireExistingCommit(repo, sha);
  if (optionalBoolean(body, 'force') !== true && !isAncestor(repo.objects, current, sha)) {
    throw unprocessable('Update is not a fast forward');
  }
  repo.refs.set(ref, sha);
  return json(serializeRef(context, repo, ref, sha));
}

export const gitRefRoutes: Route[] = [
  repoRoute('GET', '/git/ref/*ref', (context, repo) => {
    const ref = fullRefName(param(context, 'ref'));
    const sha = repo.refs.get(ref);
    if (!sha) throw notFound();
    return json(serializeRef(context, repo, ref, sha));
  }),

  repoRoute('GET', '/git/matching-refs/*ref', (context, repo) => {
    const prefix = fullRefName(param(context, 'ref'));
    const matches = [...repo.refs.entries()]
      .filter(([ref]) => ref.startsWith(prefix))
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([ref, sha]) => serializeRef(context, repo, ref, sha));
    return json(matches);
  }),

  repoRoute('POST', '/git/refs', createRef),
  repoRoute('PATCH', '/git/refs/*ref', updateRef),

  repoRoute('DELETE', '/git/refs/*ref', (context, repo) => {
    const ref = fullRefName(param(context, 'ref'));
    if (!repo.refs.delete(ref)) throw unprocessable('Reference does not exist');
    return { status: 204 };
  }),
];
