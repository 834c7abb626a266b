import type { ServedRoute } from '../contracts/argocd/served-routes.js';
import {
  getApplication,
  listApplications,
  rollbackApplication,
  syncApplication,
  terminateOperation,
} from './app-handlers.js';
import type { Handler } from './handler-context.js';
import {
  canIHandler,
  getManagedResources,
  getResourceTree,
  getRevisionMetadata,
  getSyncWindows,
  getUserInfo,
} from './info-handlers.js';
import { getResource, runResourceActionV2 } from './rollout-handlers.js';

/** One handler per served swagger operation; a missing one is a type error. */
export const HANDLERS: Record<ServedRoute, Handler> = {
  'GET /api/v1/applications': listApplications,
  'GET /api/v1/applications/{name}': getApplication,
  'POST /api/v1/applications/{name}/sync': syncApplication,
  'POST /api/v1/applications/{name}/rollback': rollbackApplication,
  'DELETE /api/v1/applications/{name}/operation': terminateOperation,
  'GET /api/v1/applications/{name}/revisions/{revision}/metadata': getRevisionMetadata,
  'GET /api/v1/applications/{applicationName}/managed-resources': getManagedResources,
  'GET /api/v1/applications/{applicationName}/resource-tree': getResourceTree,
  'GET /api/v1/applications/{name}/syncwindows': getSyncWindows,
  'GET /api/v1/account/can-i/{resource}/{action}/{subresource}': canIHandler,
  'GET /api/v1/session/userinfo': getUserInfo,
  'GET /api/v1/applications/{name}/resource': getResource,
  'POST /api/v1/applications/{name}/resource/actions/v2': runResourceActionV2,
};
