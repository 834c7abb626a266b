import type { Application } from './application-types.js';
import type { NotificationBody } from './types.js';

/**
 * Renders what the templates of recommended-argocd-notifications-cm.yaml produce. They read the Application as
 * unstructured JSON, so a missing field prints `null` through `toJson`, and `default`/`coalesce` treat "" as missing.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** sprig toJson of a value from an unstructured map: Go marshals maps with sorted keys; missing becomes null. */
function toJson(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, toJson(v)]));
  }
  return value as Json;
}

/** sprig `default`/`coalesce` emptiness: nil, "", 0, false and empty collections. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value as object).length === 0;
}

function coalesceString(...values: unknown[]): string {
  const found = values.find((v) => !isEmpty(v));
  return found === undefined ? '' : String(found);
}

type RevisionRule = 'sync-revision' | 'operation-revision';

/** on-out-of-sync names Git's target revision; every other template names the operation's revision first. */
function revisionRuleFor(event: string): RevisionRule {
  return event === 'on-out-of-sync' ? 'sync-revision' : 'operation-revision';
}

function renderApplication(app: Application): Record<string, Json> {
  const { metadata, spec, status } = app;
  const os = status.operationState;
  return {
    metadata: { name: toJson(metadata.name), namespace: toJson(metadata.namespace) },
    spec: {
      project: toJson(spec.project),
      source: spec.source
        ? {
            repoURL: toJson(spec.source.repoURL),
            targetRevision: toJson(spec.source.targetRevision),
            path: toJson(spec.source.path),
            chart: toJson(spec.source.chart),
          }
        : null,
      destination: toJson(spec.destination),
      syncPolicy: toJson(spec.syncPolicy),
    },
    status: {
      sync: { status: toJson(status.sync?.status), revision: toJson(status.sync?.revision) },
      health: { status: toJson(status.health?.status) },
      operationState: os
        ? {
            phase: toJson(os.phase),
            message: toJson(os.message),
            startedAt: toJson(os.startedAt),
            finishedAt: toJson(os.finishedAt),
            syncResult: { revision: toJson(os.syncResult?.revision) },
            operation: {
              initiatedBy: toJson(os.operation?.initiatedBy),
              sync: { revision: toJson(os.operation?.sync?.revision) },
            },
          }
        : null,
      summary: { images: toJson(status.summary?.images) },
      history: (status.history ?? []).map((h) => ({
        id: toJson(h.id),
        revision: toJson(h.revision),
        deployStartedAt: toJson(h.deployStartedAt),
        deployedAt: toJson(h.deployedAt),
        initiatedBy: toJson(h.initiatedBy),
        source: {
          repoURL: toJson(h.source?.repoURL),
          targetRevision: toJson(h.source?.targetRevision),
          path: toJson(h.source?.path),
        },
      })),
    },
  };
}

/** `app` must be the wire form (a snapshot), as the notifications controller reads it. */
export function renderNotificationBody(
  event: string,
  app: Application,
  argocdUrl: string,
  deliveredAt: string,
): NotificationBody {
  const os = app.status.operationState;
  const revision =
    revisionRuleFor(event) === 'sync-revision'
      ? coalesceString(app.status.sync?.revision)
      : coalesceString(os?.syncResult?.revision, os?.operation?.sync?.revision, app.status.sync?.revision);
  return {
    event,
    app: app.metadata.name,
    appNamespace: app.metadata.namespace,
    project: coalesceString(app.spec.project, 'default'),
    syncStatus: coalesceString(app.status.sync?.status),
    healthStatus: coalesceString(app.status.health?.status),
    revision,
    operationPhase: coalesceString(os?.phase),
    deliveredAt,
    argocdUrl: coalesceString(argocdUrl),
    application: renderApplication(app),
  };
}
