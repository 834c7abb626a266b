import { notFound, unprocessable } from '../http/api-error.js';
import type { Route, RouteContext, RouteResponse } from '../http/router.js';
import type { RepoState } from '../repo/repo-state.js';

export type RepoHandler = (context: RouteContext, repo: RepoState) => RouteResponse;

/** A route under `/repos/{owner}/{repo}`; an unknown repository is a 404, as on GitHub. */
export function repoRoute(method: string, pattern: string, handler: RepoHandler): Route {
  return {
    method,
    pattern: `/repos/:owner/:repo${pattern}`,
    handler: (context) => {
      const repo = context.state.findRepo(context.params.owner ?? '', context.params.repo ?? '');
      if (!repo) throw notFound();
      return handler(context, repo);
    },
  };
}

export function param(context: RouteContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route has no :${name} parameter`);
  return value;
}

/** The commit a ref names, or GitHub's 422 for the commit endpoints. */
export function resolveCommitOr422(repo: RepoState, ref: string): string {
  const sha = repo.resolveRef(ref);
  if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
  return sha;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): RouteResponse {
  return { status, body, headers };
}
