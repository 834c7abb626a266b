import { diffFlatTrees } from '../git/diff-trees.js';
import { compareCommits } from '../git/history.js';
import { ApiError, notFound } from '../http/api-error.js';
import { buildLinkHeader, readPaging, takePage } from '../http/paging.js';
import type { Route } from '../http/router.js';
import type { RepoState } from '../repo/repo-state.js';
import { serializeFileChange, serializeRestCommit } from '../serialize/commit.js';
import { repoApiUrl, repoHtmlUrl } from '../serialize/urls.js';
import { json, param, repoRoute } from './repo-route.js';

// Documented limits: 250 commits without paging parameters, 300 files in any case.
const UNPAGED_COMMIT_CAP = 250;
const FILE_CAP = 300;

function compareStatus(aheadBy: number, behindBy: number) {
  if (aheadBy === 0 && behindBy === 0) return 'identical';
  if (behindBy === 0) return 'ahead';
  if (aheadBy === 0) return 'behind';
  return 'diverged';
}

function listChangedFiles(repo: RepoState, mergeBase: string, head: string) {
  return diffFlatTrees(repo.objects, repo.flatTreeOf(mergeBase), repo.flatTreeOf(head)).slice(0, FILE_CAP);
}

export const compareRoutes: Route[] = [
  repoRoute('GET', '/compare/*basehead', (context, repo) => {
    const basehead = param(context, 'basehead');
    const separator = basehead.indexOf('...');
    if (separator === -1) throw notFound();
    const baseRef = basehead.slice(0, separator);
    const headRef = basehead.slice(separator + 3);
    const base = repo.resolveRef(baseRef);
    const head = repo.resolveRef(headRef);
    if (!base || !head) throw notFound();
    const range = compareCommits(repo.objects, base, head);
    if (!range.mergeBase) throw new ApiError(404, `No common ancestor between ${baseRef} and ${headRef}.`);

    const { state, query, url } = context;
    const paged = query.page !== undefined || query.per_page !== undefined;
    const paging = readPaging(query);
    const commits = paged ? takePage(range.ahead, paging) : range.ahead.slice(-UNPAGED_COMMIT_CAP);
    const link = paged ? buildLinkHeader(url, paging, range.ahead.length) : undefined;
    const html = repoHtmlUrl(state, repo);
    const body: Record<string, unknown> = {
      url: `${repoApiUrl(state, repo)}/compare/${basehead}`,
      html_url: `${html}/compare/${basehead}`,
      permalink_url: `${html}/compare/${repo.owner}:${base.slice(0, 7)}...${repo.owner}:${head.slice(0, 7)}`,
      diff_url: `${html}/compare/${basehead}.diff`,
      patch_url: `${html}/compare/${basehead}.patch`,
      base_commit: serializeRestCommit(state, repo, base),
      merge_base_commit: serializeRestCommit(state, repo, range.mergeBase),
      status: compareStatus(range.ahead.length, range.behindBy),
      ahead_by: range.ahead.length,
      behind_by: range.behindBy,
      total_commits: range.ahead.length,
      commits: commits.map((sha) => serializeRestCommit(state, repo, sha)),
    };
    if (!paged || paging.page === 1) {
      body.files = listChangedFiles(repo, range.mergeBase, head).map((change) =>
        serializeFileChange(state, repo, change, head),
      );
    }
    return json(body, 200, link ? { link } : {});
  }),
];
