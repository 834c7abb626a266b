import { collectReachable, isAncestor, orderChronologically } from '../git/history.js';
import { buildLinkHeader, readPaging, respondWithPage, takePage } from '../http/paging.js';
import type { Route } from '../http/router.js';
import type { RepoState } from '../repo/repo-state.js';
import { serializeCheckRun, serializeCombinedStatus } from '../serialize/checks.js';
import { diffCommits, serializeRestCommit } from '../serialize/commit.js';
import { serializePull } from '../serialize/pull.js';
import { json, param, repoRoute, resolveCommitOr422 } from './repo-route.js';

function touchesPath(repo: RepoState, sha: string, path: string): boolean {
  const parent = repo.requireCommit(sha).parents[0] ?? null;
  return diffCommits(repo, parent, sha).some(
    (change) => change.filename === path || change.filename.startsWith(`${path.replace(/\/$/, '')}/`),
  );
}

/** Merged pull requests that carry a commit; for a commit not on the default branch, open ones too. */
function pullsForCommit(repo: RepoState, sha: string) {
  const defaultHead = repo.headOf(repo.defaultBranch);
  const onDefaultBranch = defaultHead !== undefined && isAncestor(repo.objects, sha, defaultHead);
  return repo.pulls.filter((pull) => {
    const carries = pull.commits.includes(sha) || pull.mergeCommitSha === sha || pull.headSha === sha;
    if (!carries) return false;
    return pull.merged || (!onDefaultBranch && pull.state === 'open');
  });
}

export const commitRoutes: Route[] = [
  repoRoute('GET', '/commits', (context, repo) => {
    const { query, state, url } = context;
    const start = resolveCommitOr422(repo, query.sha ?? repo.defaultBranch);
    let shas = orderChronologically(repo.objects, collectReachable(repo.objects, start)).reverse();
    const path = query.path;
    if (path) shas = shas.filter((sha) => touchesPath(repo, sha, path));
    const page = respondWithPage(url, shas);
    return { ...page, body: page.body.map((sha) => serializeRestCommit(state, repo, sha)) };
  }),

  repoRoute('GET', '/commits/:ref', (context, repo) => {
    const sha = resolveCommitOr422(repo, param(context, 'ref'));
    return json(serializeRestCommit(context.state, repo, sha, true));
  }),

  repoRoute('GET', '/commits/:ref/check-runs', (context, repo) => {
    const { query, state, url } = context;
    const sha = resolveCommitOr422(repo, param(context, 'ref'));
    const runs = (repo.checkRuns.get(sha) ?? []).filter(
      (run) =>
        (query.check_name === undefined || run.name === query.check_name) &&
        (query.status === undefined || run.status === query.status),
    );
    const page = respondWithPage(url, runs);
    return {
      ...page,
      body: {
        total_count: runs.length,
        check_runs: page.body.map((run) => serializeCheckRun(state, repo, run)),
      },
    };
  }),

  // Like GitHub: `statuses` is paged (30 by default, at most 100, with a Link header), while `state`
  // and `total_count` cover every context.
  repoRoute('GET', '/commits/:ref/status', (context, repo) => {
    const sha = resolveCommitOr422(repo, param(context, 'ref'));
    const paging = readPaging(context.query);
    const combined = serializeCombinedStatus(context.state, repo, sha);
    const link = buildLinkHeader(context.url, paging, combined.statuses.length);
    return json({ ...combined, statuses: takePage(combined.statuses, paging) }, 200, link ? { link } : {});
  }),

  repoRoute('GET', '/commits/:sha/pulls', (context, repo) => {
    const sha = resolveCommitOr422(repo, param(context, 'sha'));
    const page = respondWithPage(context.url, pullsForCommit(repo, sha));
    return { ...page, body: page.body.map((pull) => serializePull(context.state, repo, pull)) };
  }),
];
