import { z } from 'zod';

// The Application fields deploybot reads (names as in Argo CD's swagger, v1alpha1Application).
// Lenient on purpose: Argo adds fields between versions and we must not break on them.
const initiatedBy = z.object({ username: z.string().nullish(), automated: z.boolean().nullish() }).nullish();
const source = z
  .object({
    repoURL: z.string().nullish(),
    path: z.string().nullish(),
    targetRevision: z.string().nullish(),
    chart: z.string().nullish(),
  })
  .nullish();

// An operation as requested (the top-level `operation` while it is pending or runs, and its copy in operationState).
const operation = z
  .object({
    sync: z.object({ revision: z.string().nullish() }).nullish(),
    initiatedBy,
    info: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
  })
  .nullish();

const operationState = z
  .object({
    phase: z.enum(['Running', 'Terminating', 'Succeeded', 'Failed', 'Error']).nullish(),
    message: z.string().nullish(),
    startedAt: z.string().nullish(),
    finishedAt: z.string().nullish(),
    syncResult: z.object({ revision: z.string().nullish() }).nullish(),
    operation,
  })
  .nullish();

export const applicationSchema = z.object({
  metadata: z.object({
    name: z.string(),
    namespace: z.string().nullish(),
    annotations: z.record(z.string(), z.string()).nullish(),
    labels: z.record(z.string(), z.string()).nullish(),
  }),
  spec: z.object({
    project: z.string().nullish(),
    source,
    destination: z
      .object({ server: z.string().nullish(), namespace: z.string().nullish(), name: z.string().nullish() })
      .nullish(),
    syncPolicy: z
      .object({
        automated: z
          .object({
            enabled: z.boolean().nullish(),
            prune: z.boolean().nullish(),
            selfHeal: z.boolean().nullish(),
          })
          .nullish(),
      })
      .nullish(),
  }),
  status: z
    .object({
      sync: z.object({ status: z.string().nullish(), revision: z.string().nullish() }).nullish(),
      health: z.object({ status: z.string().nullish(), message: z.string().nullish() }).nullish(),
      operationState,
      history: z
        .array(
          z.object({
            id: z.number(),
            revision: z.string().nullish(),
            deployedAt: z.string().nullish(),
            deployStartedAt: z.string().nullish(),
            initiatedBy,
            source,
          }),
        )
        .nullish(),
      summary: z.object({ images: z.array(z.string()).nullish() }).nullish(),
      // The app's resources (group and kind are enough to tell that it deploys through an Argo Rollout).
      resources: z.array(z.object({ group: z.string().nullish(), kind: z.string().nullish() })).nullish(),
    })
    .nullish(),
  // Set from the moment an operation is requested until it ends (Argo CD refuses a second one meanwhile).
  operation,
});

export type Application = z.output<typeof applicationSchema>;

export const applicationListSchema = z.object({ items: z.array(applicationSchema).nullish() });

export const revisionMetadataSchema = z.object({
  author: z.string().nullish(),
  date: z.string().nullish(),
  message: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
});
export type RevisionMetadata = z.output<typeof revisionMetadataSchema>;

export const managedResourcesSchema = z.object({
  items: z
    .array(
      z.object({
        group: z.string().nullish(),
        kind: z.string().nullish(),
        namespace: z.string().nullish(),
        name: z.string().nullish(),
        modified: z.boolean().nullish(),
        liveState: z.string().nullish(),
        targetState: z.string().nullish(),
        normalizedLiveState: z.string().nullish(),
        predictedLiveState: z.string().nullish(),
      }),
    )
    .nullish(),
});
export type ManagedResources = z.output<typeof managedResourcesSchema>;

const syncWindowSchema = z.object({
  kind: z.string().nullish(),
  schedule: z.string().nullish(),
  duration: z.string().nullish(),
  manualSync: z.boolean().nullish(),
});

export const syncWindowsSchema = z.object({
  assignedWindows: z.array(syncWindowSchema).nullish(),
  activeWindows: z.array(syncWindowSchema).nullish(),
  canSync: z.boolean().nullish(),
});
export type SyncWindows = z.output<typeof syncWindowsSchema>;

export function isAutoSync(app: Application): boolean {
  const automated = app.spec.syncPolicy?.automated;
  return Boolean(automated) && automated?.enabled !== false;
}

export function runningOperation(app: Application): boolean {
  return app.operation !== undefined && app.operation !== null;
}
