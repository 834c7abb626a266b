import { type Application, isAutoSync, runningOperation } from '../clients/argocd/application-schema.js';
import type { AppSnapshot } from '../domain/app-snapshot.js';
import type { AppRef } from '../domain/card.js';

const orUndefined = <T>(v: T | null | undefined): T | undefined => v ?? undefined;

/**
 * `from`: the instance the app was read from (the Application itself does not say), and the namespace
 * and project to assume where it does not say them. `observedAt`: when the read that returned `app`
 * started (orders reads that finish out of order).
 */
export function toAppSnapshot(
  app: Application,
  from: Pick<AppRef, 'instance' | 'namespace' | 'project'>,
  observedAt?: number,
): AppSnapshot {
  const op = app.status?.operationState;
  return {
    app: {
      instance: from.instance,
      name: app.metadata.name,
      namespace: app.metadata.namespace ?? from.namespace,
      project: app.spec.project ?? from.project,
    },
    autoSync: isAutoSync(app),
    syncStatus: orUndefined(app.status?.sync?.status),
    targetRevision: orUndefined(app.status?.sync?.revision),
    health: orUndefined(app.status?.health?.status),
    healthMessage: orUndefined(app.status?.health?.message),
    operationRunning: runningOperation(app),
    operation: op?.phase
      ? {
          phase: op.phase,
          message: orUndefined(op.message),
          startedAt: orUndefined(op.startedAt),
          finishedAt: orUndefined(op.finishedAt),
          initiatedBy: orUndefined(op.operation?.initiatedBy?.username),
          automated: orUndefined(op.operation?.initiatedBy?.automated),
          revision: orUndefined(op.syncResult?.revision) ?? orUndefined(op.operation?.sync?.revision),
        }
      : undefined,
    history: (app.status?.history ?? []).map((h) => ({
      id: h.id,
      revision: orUndefined(h.revision),
      deployedAt: orUndefined(h.deployedAt),
      deployStartedAt: orUndefined(h.deployStartedAt),
    })),
    images: app.status?.summary?.images ?? [],
    ...(app.status?.resources?.some((r) => r.group === 'argoproj.io' && r.kind === 'Rollout')
      ? { hasRollouts: true }
      : {}),
    source: {
      repoURL: orUndefined(app.spec.source?.repoURL),
      path: orUndefined(app.spec.source?.path),
      targetRevision: orUndefined(app.spec.source?.targetRevision),
    },
    destination: {
      server: orUndefined(app.spec.destination?.server),
      namespace: orUndefined(app.spec.destination?.namespace),
      name: orUndefined(app.spec.destination?.name),
    },
    observedAt,
  };
}
