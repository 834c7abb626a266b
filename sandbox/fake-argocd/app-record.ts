import { createHash } from 'node:crypto';
import type {
  Application,
  HealthStatusCode,
  OperationState,
  ResourceStatus,
  RevisionHistory,
} from './application-types.js';
import type { CompiledWindow } from './sync-windows.js';
import type { AppSeed } from './types.js';

/** An Application plus what the fake's "cluster" and "Git" know about it. */
export interface AppRecord {
  app: Application;
  /** Tip of spec.source.targetRevision in Git. */
  gitRevision: string;
  /** The commit running in the cluster. */
  deployedRevision: string;
  imagesByRevision: Map<string, string[]>;
  windows: CompiledWindow[];
  failNextSync?: string;
  /** The next operation stays Running until it is terminated (a stuck sync). */
  hangNextSync?: boolean;
  opTimer?: NodeJS.Timeout;
  healthTimer?: NodeJS.Timeout;
  healthBeforeOp?: { status: HealthStatusCode; lastTransitionTime?: string };
  /** Health set by a scenario while an operation runs; the operation ends there instead of Healthy. */
  pinnedHealth?: { status: HealthStatusCode; message?: string };
}

export const DEFAULT_HISTORY_LIMIT = 10;
const DAY_MS = 86_400_000;

export function generateSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export function appKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** `ghcr.io/acme/payments-api:1.42.0` -> `payments-api`: the Deployment the fake pretends runs that image. */
export function workloadName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSegment = withoutDigest.split('/').pop() ?? withoutDigest;
  return lastSegment.split(':')[0] ?? lastSegment;
}

export function isAutoSyncEnabled(app: Application): boolean {
  const automated = app.spec.syncPolicy?.automated;
  return automated !== undefined && automated.enabled !== false;
}

export function imagesAt(record: AppRecord, revision: string): string[] {
  return [
    ...(record.imagesByRevision.get(revision) ?? record.imagesByRevision.get(record.deployedRevision) ?? []),
  ];
}

export function toIso(date: Date): string {
  // v1Time marshals with second precision.
  return `${date.toISOString().slice(0, 19)}Z`;
}

function buildResourceStatuses(record: AppRecord): ResourceStatus[] {
  const live = new Map(imagesAt(record, record.deployedRevision).map((i) => [workloadName(i), i]));
  const target = new Map(imagesAt(record, record.gitRevision).map((i) => [workloadName(i), i]));
  const names = [...new Set([...live.keys(), ...target.keys()])].sort();
  const namespace = record.app.spec.destination.namespace ?? record.app.metadata.name;
  return names.map((name) => ({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    namespace,
    name,
    status: live.get(name) === target.get(name) ? 'Synced' : 'OutOfSync',
    health: live.has(name) ? { status: record.app.status.health.status } : { status: 'Missing' },
  }));
}

/** What the controller's comparison writes after every change: sync status against Git, images, resources. */
export function refreshComparison(record: AppRecord): void {
  const { app } = record;
  app.status.sync = {
    status: record.deployedRevision === record.gitRevision ? 'Synced' : 'OutOfSync',
    revision: record.gitRevision,
    comparedTo: { source: { ...app.spec.source }, destination: { ...app.spec.destination } },
  };
  app.status.summary = { images: imagesAt(record, record.deployedRevision) };
  app.status.resources = buildResourceStatuses(record);
}

function seedHistory(seed: AppSeed, revision: string, source: Application['spec']['source'], now: Date) {
  const revisions = [...(seed.previousRevisions ?? []), revision];
  const limit = seed.revisionHistoryLimit ?? DEFAULT_HISTORY_LIMIT;
  const history: RevisionHistory[] = revisions.map((rev, id) => {
    const deployedAt = new Date(now.getTime() - (revisions.length - id) * DAY_MS);
    return {
      id,
      revision: rev,
      deployStartedAt: toIso(new Date(deployedAt.getTime() - 90_000)),
      deployedAt: toIso(deployedAt),
      source: { ...source },
      initiatedBy: { username: 'admin' },
    };
  });
  return history.slice(Math.max(0, history.length - limit));
}

function seedOperationState(
  last: RevisionHistory | undefined,
  revision: string,
  app: Application,
): OperationState {
  return {
    operation: { sync: { revision }, initiatedBy: { username: 'admin' } },
    phase: 'Succeeded',
    message: 'successfully synced (all tasks run)',
    syncResult: { revision, source: { ...app.spec.source } },
    startedAt: last?.deployStartedAt ?? app.metadata.creationTimestamp,
    finishedAt: last?.deployedAt ?? app.metadata.creationTimestamp,
  };
}

export function createRecord(seed: AppSeed, now: Date, resourceVersion: string): AppRecord {
  const namespace = seed.namespace ?? 'argocd';
  const revision = seed.revision ?? generateSha(`${namespace}/${seed.name}`);
  const createdAt = toIso(new Date(now.getTime() - 30 * DAY_MS));
  const app: Application = {
    metadata: {
      name: seed.name,
      namespace,
      uid: generateSha(`uid:${namespace}/${seed.name}`)
        .slice(0, 32)
        .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
      resourceVersion,
      generation: 1,
      creationTimestamp: createdAt,
      labels: seed.labels ? { ...seed.labels } : undefined,
      annotations: seed.annotations ? { ...seed.annotations } : undefined,
    },
    spec: {
      project: seed.project ?? 'default',
      source: {
        repoURL: seed.repoURL ?? 'https://github.com/acme/deploy-manifests.git',
        path: seed.path ?? `apps/${seed.name}`,
        targetRevision: seed.targetRevision ?? 'main',
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: seed.name,
        ...seed.destination,
      },
      syncPolicy: {
        automated: seed.autoSync ? { prune: true, selfHeal: true } : undefined,
        syncOptions: [...(seed.syncOptions ?? ['CreateNamespace=true'])],
      },
      revisionHistoryLimit: seed.revisionHistoryLimit,
    },
    status: {
      sync: { status: 'Synced', revision },
      health: { status: seed.health ?? 'Healthy', lastTransitionTime: createdAt },
      summary: {},
      reconciledAt: toIso(now),
      sourceType: 'Kustomize',
      controllerNamespace: 'argocd',
    },
  };
  app.status.history = seedHistory(seed, revision, app.spec.source, now);
  app.status.operationState = seedOperationState(app.status.history.at(-1), revision, app);
  const record: AppRecord = {
    app,
    gitRevision: revision,
    deployedRevision: revision,
    imagesByRevision: new Map([[revision, [...(seed.images ?? [])]]]),
    windows: [],
  };
  refreshComparison(record);
  return record;
}
