import { type GitSignature, toGitDate } from '../git/object-hash.js';
import { invalidRequest, notFound, unprocessable } from '../http/api-error.js';
import { readObjectBody, requireString } from '../http/body-fields.js';
import type { Route, RouteContext } from '../http/router.js';
import type { RepoState } from '../repo/repo-state.js';
import { serializeGitCommit } from '../serialize/commit.js';
import { json, param, repoRoute } from './repo-route.js';

function readSignature(value: unknown, field: string, fallback: GitSignature): GitSignature {
  if (value === undefined) return fallback;
  const signature = readObjectBody(value);
  const { name, email, date } = signature;
  if (typeof name !== 'string' || typeof email !== 'string') {
    throw invalidRequest(`For 'properties/${field}', name and email are required.`);
  }
  return { name, email, date: typeof date === 'string' ? toGitDate(date) : fallback.date };
}

function readParents(repo: RepoState, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((parent) => typeof parent !== 'string')) {
    throw invalidRequest(`For 'properties/parents', ${JSON.stringify(value)} is not an array of strings.`);
  }
  for (const parent of value as string[]) {
    if (!repo.objects.getCommit(parent))
      throw unprocessable('Parent SHA does not exist or is not a commit object');
  }
  return value as string[];
}

function createCommit(context: RouteContext, repo: RepoState) {
  const { state } = context;
  const body = readObjectBody(context.body);
  const message = requireString(body, 'message');
  const tree = requireString(body, 'tree');
  if (repo.objects.typeOf(tree) !== 'tree') throw unprocessable('Tree SHA does not exist');
  const parents = readParents(repo, body.parents);
  const actor = state.actorIdentity();
  const actorSignature = { name: actor.name, email: actor.email, date: toGitDate(state.now()) };
  const author = readSignature(body.author, 'author', actorSignature);
  const committer = readSignature(
    body.committer,
    'committer',
    body.author === undefined ? actorSignature : author,
  );
  const loginOf = (signature: GitSignature) =>
    signature.email === actor.email ? actor.login : state.loginForEmail(signature.email);
  const sha = repo.objects.writeCommit(
    { tree, parents, message, author, committer },
    { author: loginOf(author), committer: loginOf(committer) },
  );
  return json(serializeGitCommit(state, repo, repo.requireCommit(sha)), 201);
}

export const gitCommitRoutes: Route[] = [
  repoRoute('GET', '/git/commits/:sha', (context, repo) => {
    const commit = repo.objects.getCommit(param(context, 'sha'));
    if (!commit) throw notFound();
    return json(serializeGitCommit(context.state, repo, commit));
  }),

  repoRoute('POST', '/git/commits', createCommit),
];
