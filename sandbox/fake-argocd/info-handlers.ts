import { ApiError, GrpcCode } from './api-error.js';
import { getAppEnforceRbac } from './app-access.js';
import { firstValue, type Handler, type RequestContext } from './handler-context.js';
import {
  buildManagedResources,
  buildResourceTree,
  matchesFilter,
  type ResourceFilter,
} from './resource-views.js';
import { evaluateWindows } from './sync-windows.js';
import type { SyncWindow } from './types.js';

function queryScope(ctx: RequestContext, nameParam: string) {
  return {
    name: ctx.params[nameParam] ?? '',
    appNamespace: firstValue(ctx.query, 'appNamespace'),
    project: firstValue(ctx.query, 'project'),
  };
}

function resourceFilter(query: Record<string, string[]>): ResourceFilter {
  return {
    namespace: firstValue(query, 'namespace'),
    name: firstValue(query, 'name'),
    version: firstValue(query, 'version'),
    group: firstValue(query, 'group'),
    kind: firstValue(query, 'kind'),
  };
}

export const getRevisionMetadata: Handler = async ({ world, canI, revisionMetadata }, ctx) => {
  const record = getAppEnforceRbac(world, canI, 'get', queryScope(ctx, 'name'));
  const revision = ctx.params.revision ?? '';
  const { app } = record;
  const found = await revisionMetadata(revision, {
    name: app.metadata.name,
    namespace: app.metadata.namespace,
    repoURL: app.spec.source.repoURL,
    path: app.spec.source.path ?? '',
  });
  if (!found) {
    // The repo-server's git error surfaces as an Unknown gRPC status.
    throw new ApiError(
      GrpcCode.Unknown,
      `rpc error: code = Unknown desc = unable to resolve '${revision}' to a commit SHA in ${app.spec.source.repoURL}`,
    );
  }
  const out: Record<string, unknown> = { author: found.author, date: found.date, message: found.message };
  if (found.tags && found.tags.length > 0) out.tags = [...found.tags];
  return out;
};

export const getManagedResources: Handler = ({ world, canI }, ctx) => {
  const record = getAppEnforceRbac(world, canI, 'get', queryScope(ctx, 'applicationName'));
  return { items: buildManagedResources(record, resourceFilter(ctx.query)) };
};

export const getResourceTree: Handler = ({ world, canI, rollouts }, ctx) => {
  const record = getAppEnforceRbac(world, canI, 'get', queryScope(ctx, 'applicationName'));
  const filter = resourceFilter(ctx.query);
  const nodes = [
    ...buildResourceTree(record, filter),
    ...(rollouts?.treeNodes(record) ?? []).filter((n) => matchesFilter(filter, n)),
  ];
  return nodes.length > 0 ? { nodes } : {};
};

function windowJson(w: SyncWindow) {
  return { kind: w.kind, schedule: w.schedule, duration: w.duration, manualSync: w.manualSync === true };
}

export const getSyncWindows: Handler = ({ world, canI }, ctx) => {
  const record = getAppEnforceRbac(world, canI, 'get', queryScope(ctx, 'name'));
  const state = evaluateWindows(record.windows, world.clock());
  const out: Record<string, unknown> = {};
  if (state.assigned.length > 0) out.assignedWindows = state.assigned.map(windowJson);
  if (state.active.length > 0) out.activeWindows = state.active.map(windowJson);
  out.canSync = state.canManualSync;
  return out;
};

export const canIHandler: Handler = ({ canI }, { params }) => ({
  value: canI(params.resource ?? '', params.action ?? '', params.subresource ?? '') ? 'yes' : 'no',
});

export const getUserInfo: Handler = (_deps, { username }) => ({ loggedIn: true, username, iss: 'argocd' });
