import { ApiError, GrpcCode } from './api-error.js';
import { enforceAction, getAppEnforceRbac, rbacName } from './app-access.js';
import { isAutoSyncEnabled } from './app-record.js';
import { snapshot } from './app-world.js';
import type { Operation, SyncOperationResource, SyncStrategy } from './application-types.js';
import {
  ContractViolation,
  firstValue,
  type Handler,
  type RequestContext,
  stringField,
} from './handler-context.js';
import { parseLabelSelector } from './label-selector.js';
import { evaluateWindows } from './sync-windows.js';

/** getProjectsFromApplicationQuery: the legacy `project` wins over `projects` when present. */
function projectsOf(query: Record<string, string[]>): string[] {
  return query.project ?? query.projects ?? [];
}

function normalizeRepo(url: string): string {
  return url
    .toLowerCase()
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
}

export const listApplications: Handler = ({ world, canI }, { query }) => {
  const projects = projectsOf(query);
  const name = firstValue(query, 'name');
  const namespace = firstValue(query, 'appNamespace');
  const repo = firstValue(query, 'repo');
  const selector = parseLabelSelector(firstValue(query, 'selector') ?? '');
  const items = world
    .list()
    .map((r) => r.app)
    .filter((app) => !namespace || app.metadata.namespace === namespace)
    .filter((app) => !name || app.metadata.name === name)
    .filter((app) => projects.length === 0 || projects.includes(app.spec.project))
    .filter((app) => !repo || normalizeRepo(app.spec.source.repoURL) === normalizeRepo(repo))
    .filter((app) => selector(app.metadata.labels ?? {}))
    // Apps the token may not get are left out silently, never a 403.
    .filter((app) =>
      canI('applications', 'get', rbacName(app.spec.project, app.metadata.namespace, app.metadata.name)),
    )
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .map(snapshot);
  return { metadata: { resourceVersion: world.currentResourceVersion() }, items };
};

export const getApplication: Handler = ({ world, canI }, { params, query }) => {
  const projects = projectsOf(query);
  if (projects.length > 1) {
    throw new ApiError(
      GrpcCode.InvalidArgument,
      'multiple projects specified - the get endpoint accepts either zero or one project',
    );
  }
  const record = getAppEnforceRbac(world, canI, 'get', {
    name: params.name ?? '',
    appNamespace: firstValue(query, 'appNamespace'),
    project: projects[0],
  });
  return snapshot(record.app);
};

function optionalTrue(value: unknown): true | undefined {
  return value === true ? true : undefined;
}

export const syncApplication: Handler = (deps, ctx: RequestContext) => {
  const { world, canI, runner } = deps;
  const { body, params, username } = ctx;
  const record = getAppEnforceRbac(world, canI, 'get', {
    name: params.name ?? '',
    appNamespace: stringField(body, 'appNamespace'),
    project: stringField(body, 'project'),
  });
  if (!evaluateWindows(record.windows, world.clock()).canManualSync) {
    throw new ApiError(GrpcCode.PermissionDenied, 'cannot sync: blocked by sync window');
  }
  enforceAction(canI, record, 'sync', username, deps.issuedAt);
  if (Array.isArray(body.manifests) && body.manifests.length > 0) {
    throw new ContractViolation(
      '`manifests` (local sync) needs the override privilege and is never used by the bot',
    );
  }
  const { app } = record;
  const requested = stringField(body, 'revision');
  const targetRevision = app.spec.source.targetRevision || 'HEAD';
  const dryRun = body.dryRun === true;
  if (requested && requested !== targetRevision && isAutoSyncEnabled(app) && !dryRun) {
    throw new ApiError(
      GrpcCode.FailedPrecondition,
      `Cannot sync to ${requested}: auto-sync currently set to ${app.spec.source.targetRevision ?? ''}`,
    );
  }
  const resolved =
    !requested || requested === targetRevision || requested === 'HEAD' ? record.gitRevision : requested;
  const syncOptions = (body.syncOptions as { items?: string[] } | undefined)?.items;
  const operation: Operation = {
    sync: {
      revision: resolved,
      prune: optionalTrue(body.prune),
      dryRun: optionalTrue(body.dryRun),
      syncStrategy: body.strategy as SyncStrategy | undefined,
      resources: body.resources as SyncOperationResource[] | undefined,
      syncOptions: syncOptions ?? app.spec.syncPolicy?.syncOptions,
    },
    initiatedBy: { username },
    info: body.infos as Operation['info'],
    retry: (body.retryStrategy as Operation['retry']) ?? app.spec.syncPolicy?.retry,
  };
  runner.start(record, operation);
  return snapshot(record.app);
};

export const rollbackApplication: Handler = ({ world, canI, runner }, { body, params, username }) => {
  const record = getAppEnforceRbac(world, canI, 'sync', {
    name: params.name ?? '',
    appNamespace: stringField(body, 'appNamespace'),
    project: stringField(body, 'project'),
  });
  const { app } = record;
  if (isAutoSyncEnabled(app)) {
    throw new ApiError(GrpcCode.FailedPrecondition, 'rollback cannot be initiated when auto-sync is enabled');
  }
  // `id` is *int64 with omitempty: absent means 0.
  const id = typeof body.id === 'number' ? body.id : 0;
  const entry = app.status.history?.find((h) => h.id === id);
  if (!entry) {
    throw new ApiError(
      GrpcCode.InvalidArgument,
      `application ${app.metadata.namespace}/${app.metadata.name} does not have deployment with id ${id}`,
    );
  }
  runner.start(record, {
    sync: {
      revision: entry.revision,
      dryRun: optionalTrue(body.dryRun),
      prune: optionalTrue(body.prune),
      // Rollback forces the apply strategy, so hooks do not run.
      syncStrategy: { apply: {} },
      source: { ...entry.source },
      syncOptions: app.spec.syncPolicy?.syncOptions,
    },
    initiatedBy: { username },
  });
  return snapshot(record.app);
};

export const terminateOperation: Handler = ({ world, canI, runner }, { params, query }) => {
  const record = getAppEnforceRbac(world, canI, 'sync', {
    name: params.name ?? '',
    appNamespace: firstValue(query, 'appNamespace'),
    project: firstValue(query, 'project'),
  });
  runner.terminate(record);
  return {};
};
