import { ApiError, appNotFound, GrpcCode, permissionDenied } from './api-error.js';
import type { AppRecord } from './app-record.js';
import { type AppWorld, CONTROL_PLANE_NAMESPACE } from './app-world.js';

export type CanI = (resource: string, action: string, subresource: string) => boolean;

export interface AppQuery {
  name: string;
  appNamespace?: string;
  project?: string;
}

/** The RBAC object: `<project>/<app>`, or `<project>/<namespace>/<app>` outside the control-plane namespace. */
export function rbacName(project: string, namespace: string, name: string): string {
  return namespace === CONTROL_PLANE_NAMESPACE ? `${project}/${name}` : `${project}/${namespace}/${name}`;
}

/**
 * server/application getAppEnforceRBAC: without a project, "missing" and "not allowed" are both 403 so callers
 * cannot probe which apps exist; with a project, a missing app or one in another project is 404.
 */
export function getAppEnforceRbac(world: AppWorld, canI: CanI, action: string, query: AppQuery): AppRecord {
  const namespace = query.appNamespace || CONTROL_PLANE_NAMESPACE;
  const project = query.project || '';
  if (project && !canI('applications', action, rbacName(project, namespace, query.name))) {
    throw permissionDenied();
  }
  const record = world.find(namespace, query.name);
  if (!record) throw project ? appNotFound(query.name) : permissionDenied();
  const actualProject = record.app.spec.project || 'default';
  if (!canI('applications', action, rbacName(actualProject, namespace, query.name))) {
    throw project ? appNotFound(query.name) : permissionDenied();
  }
  if (project && actualProject !== project) throw appNotFound(query.name);
  return record;
}

/** rbac.EnforceErr for a second action (sync) once the app is known, with the text the server builds. */
export function enforceAction(
  canI: CanI,
  record: AppRecord,
  action: string,
  username: string,
  issuedAt: string,
): void {
  const object = rbacName(
    record.app.spec.project || 'default',
    record.app.metadata.namespace,
    record.app.metadata.name,
  );
  if (canI('applications', action, object)) return;
  throw new ApiError(
    GrpcCode.PermissionDenied,
    `permission denied: applications, ${action}, ${object}, sub: ${username}, iat: ${issuedAt}`,
  );
}
