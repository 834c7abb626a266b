import { ApiError } from '../http/api-error.js';
import type { Route } from '../http/router.js';
import { serializeRestCommit } from '../serialize/commit.js';
import { serializeRepository } from '../serialize/repository.js';
import { repoApiUrl, repoHtmlUrl } from '../serialize/urls.js';
import { json, param, repoRoute } from './repo-route.js';

export const repoRoutes: Route[] = [
  repoRoute('GET', '', (context, repo) => json(serializeRepository(context.state, repo))),

  repoRoute('GET', '/branches/*branch', (context, repo) => {
    const branch = param(context, 'branch');
    const sha = repo.headOf(branch);
    if (!sha) throw new ApiError(404, 'Branch not found');
    const api = repoApiUrl(context.state, repo);
    return json({
      name: branch,
      commit: serializeRestCommit(context.state, repo, sha),
      _links: {
        self: `${api}/branches/${branch}`,
        html: `${repoHtmlUrl(context.state, repo)}/tree/${branch}`,
      },
      protected: false,
      protection: {
        enabled: false,
        required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
      },
      protection_url: `${api}/branches/${branch}/protection`,
    });
  }),
];
