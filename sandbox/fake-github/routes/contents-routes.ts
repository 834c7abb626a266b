import { ApiError, invalidRequest, notFound } from '../http/api-error.js';
import { optionalString, readObjectBody, requireString } from '../http/body-fields.js';
import type { Route, RouteContext } from '../http/router.js';
import type { RepoState } from '../repo/repo-state.js';
import { serializeGitCommit } from '../serialize/commit.js';
import { serializeContentEntry, serializeFileContent } from '../serialize/content.js';
import { json, param, repoRoute } from './repo-route.js';

function readContent(context: RouteContext, repo: RepoState) {
  const path = param(context, 'path').replace(/\/$/, '');
  const ref = context.query.ref ?? repo.defaultBranch;
  const sha = repo.resolveRef(ref);
  if (!sha) throw new ApiError(404, `No commit found for the ref ${ref}`);
  const tree = repo.requireCommit(sha).tree;
  const entry = repo.objects.entryAt(tree, path);
  if (!entry) throw notFound();
  const { state } = context;
  if (entry.type !== 'tree') return json(serializeFileContent(state, repo, path, entry, ref));
  const listing = (repo.objects.getTree(entry.sha) ?? []).map((child) =>
    serializeContentEntry(state, repo, path ? `${path}/${child.name}` : child.name, child, ref),
  );
  return json(listing);
}

function readIdentity(value: unknown): { name: string; email: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, email } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof email === 'string' ? { name, email } : undefined;
}

// createOrUpdateFileContents: the blob sha guards an update, so a concurrent change is a 409, not lost.
function writeContent(context: RouteContext, repo: RepoState) {
  const { state } = context;
  const path = param(context, 'path');
  const body = readObjectBody(context.body);
  const message = requireString(body, 'message');
  const content = Buffer.from(requireString(body, 'content'), 'base64');
  const branch = optionalString(body, 'branch') ?? repo.defaultBranch;
  const head = repo.headOf(branch);
  if (!head && repo.refs.size > 0) throw new ApiError(404, `Branch ${branch} not found`);
  const existing = head ? repo.flatTreeOf(head).get(path) : undefined;
  const expectedSha = optionalString(body, 'sha');
  if (existing && expectedSha === undefined) throw invalidRequest('"sha" wasn\'t supplied.');
  if (existing && expectedSha !== existing.sha)
    throw new ApiError(409, `${path} does not match ${expectedSha}`);
  const actor = state.actorIdentity();
  const author = readIdentity(body.author) ?? readIdentity(body.committer) ?? actor;
  const committer = readIdentity(body.committer) ?? author;
  const sha = repo.commitFiles(
    {
      message,
      author: { ...author, login: state.loginForEmail(author.email) ?? actor.login },
      committer: { ...committer, login: state.loginForEmail(committer.email) ?? actor.login },
      files: { [path]: content },
      branch,
    },
    state.now(),
  );
  const entry = repo.objects.entryAt(repo.requireCommit(sha).tree, path);
  if (!entry) throw new Error(`just-written ${path} is missing`);
  return json(
    {
      content: serializeContentEntry(state, repo, path, entry, branch),
      commit: serializeGitCommit(state, repo, repo.requireCommit(sha)),
    },
    existing ? 200 : 201,
  );
}

export const contentsRoutes: Route[] = [
  repoRoute('GET', '/contents/*path', readContent),
  repoRoute('PUT', '/contents/*path', writeContent),
  {
    method: 'GET',
    pattern: '/raw/:owner/:repo/:ref/*path',
    handler: (context) => {
      const repo = context.state.findRepo(param(context, 'owner'), param(context, 'repo'));
      const content = repo?.fileAt(param(context, 'ref'), param(context, 'path'));
      if (content === undefined) throw notFound();
      return { status: 200, body: content, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    },
  },
];
