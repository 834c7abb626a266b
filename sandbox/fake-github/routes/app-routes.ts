import { ApiError } from '../http/api-error.js';
import type { Route } from '../http/router.js';

/** The permissions deploybot's installation is granted (docs/install.md lists the same). */
const PERMISSIONS = {
  contents: 'write',
  pull_requests: 'write',
  deployments: 'write',
  checks: 'read',
  statuses: 'read',
  metadata: 'read',
} as const;

export const appRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/app/installations/:installationId/access_tokens',
    handler: ({ state, params, body }) => {
      // Reached only with a verified app JWT (see handle-request.ts); without app mode there is no app.
      if (!state.appAuth) throw new ApiError(404, 'Not Found');
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
        throw new ApiError(400, 'Problems parsing JSON');
      const issued = state.appAuth.issue(params.installationId ?? '');
      return {
        status: 201,
        body: {
          token: issued.token,
          expires_at: issued.expiresAt,
          permissions: PERMISSIONS,
          repository_selection: 'all',
        },
      };
    },
  },
];
