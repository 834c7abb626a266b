/**
 * The Argo CD API routes the fake serves, spelled exactly as `paths` in Argo CD's swagger. The extract script keeps
 * these operations, and the fake's router must have a handler for each (the type below makes that a compile error).
 */
export const SERVED_ROUTES = [
  'GET /api/v1/applications',
  'GET /api/v1/applications/{name}',
  'POST /api/v1/applications/{name}/sync',
  'POST /api/v1/applications/{name}/rollback',
  'DELETE /api/v1/applications/{name}/operation',
  'GET /api/v1/applications/{name}/revisions/{revision}/metadata',
  'GET /api/v1/applications/{applicationName}/managed-resources',
  'GET /api/v1/applications/{applicationName}/resource-tree',
  'GET /api/v1/applications/{name}/syncwindows',
  'GET /api/v1/account/can-i/{resource}/{action}/{subresource}',
  'GET /api/v1/session/userinfo',
  'GET /api/v1/applications/{name}/resource',
  'POST /api/v1/applications/{name}/resource/actions/v2',
] as const;

export type ServedRoute = (typeof SERVED_ROUTES)[number];

/**
 * Path parameters that swallow the rest of the path. The proto declares `{subresource=**}`, which swagger cannot
 * express, so the extract records it under `x-deploybot.greedyPathParams`.
 */
export const GREEDY_PATH_PARAMS: Readonly<Record<string, string>> = {
  '/api/v1/account/can-i/{resource}/{action}/{subresource}': 'subresource',
};
