import type { ArgoCdClient } from './argocd-client.js';
import { unknownInstance } from './argocd-error.js';

/**
 * Several Argo CD instances behind the one port: each call goes to the client of `app.instance` (its
 * URL, its token). An instance without a client is refused before anything is sent, so an app is never
 * looked up or synced on an instance it does not belong to.
 */
export function routeByInstance(clients: ReadonlyMap<string, ArgoCdClient>): ArgoCdClient {
  const clientOf = (instance: string): ArgoCdClient => {
    const client = clients.get(instance);
    if (!client) throw unknownInstance(instance);
    return client;
  };
  // Async wrappers so an unknown instance is a rejected promise like every other Argo CD failure.
  return {
    listApplications: async (instance) => clientOf(instance).listApplications(instance),
    getApplication: async (app) => clientOf(app.instance).getApplication(app),
    revisionMetadata: async (app, revision) => clientOf(app.instance).revisionMetadata(app, revision),
    managedResources: async (app) => clientOf(app.instance).managedResources(app),
    syncWindows: async (app) => clientOf(app.instance).syncWindows(app),
    sync: async (app, options) => clientOf(app.instance).sync(app, options),
    rollback: async (app, historyId) => clientOf(app.instance).rollback(app, historyId),
    terminateOperation: async (app) => clientOf(app.instance).terminateOperation(app),
    resourceTree: async (app) => clientOf(app.instance).resourceTree(app),
    getRollout: async (app, ref) => clientOf(app.instance).getRollout(app, ref),
    runResourceAction: async (app, ref, action) => clientOf(app.instance).runResourceAction(app, ref, action),
  };
}
