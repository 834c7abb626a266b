import { z } from 'zod';

// What deploybot reads of an app's resource tree and of a live Argo Rollout. Lenient like
// application-schema.ts: the Rollout CRD grew fields over its versions (phase since v1.0, stableRS moved
// out of status.canary), and an older controller must still show on the card.

const resourceNodeSchema = z.object({
  group: z.string().nullish(),
  version: z.string().nullish(),
  kind: z.string().nullish(),
  namespace: z.string().nullish(),
  name: z.string().nullish(),
  uid: z.string().nullish(),
  health: z.object({ status: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

/** GET /api/v1/applications/{applicationName}/resource-tree (v1alpha1ApplicationTree). */
export const resourceTreeSchema = z.object({ nodes: z.array(resourceNodeSchema).nullish() });
export type ResourceTree = z.output<typeof resourceTreeSchema>;

/** GET /api/v1/applications/{name}/resource: the live object as a JSON string (applicationApplicationResourceResponse). */
export const resourceResponseSchema = z.object({ manifest: z.string().nullish() });

const analysisRunStatus = z
  .object({ name: z.string().nullish(), status: z.string().nullish(), message: z.string().nullish() })
  .nullish();

const canaryStep = z
  .object({
    setWeight: z.number().nullish(),
    pause: z.object({ duration: z.union([z.string(), z.number()]).nullish() }).nullish(),
    analysis: z.object({}).passthrough().nullish(),
  })
  .passthrough();

/** The Rollout fields the card shows and the actions check (argoproj.io/v1alpha1 Rollout). */
export const rolloutManifestSchema = z.object({
  apiVersion: z.string().nullish(),
  kind: z.literal('Rollout'),
  metadata: z.object({ name: z.string(), namespace: z.string().nullish(), generation: z.number().nullish() }),
  spec: z
    .object({
      paused: z.boolean().nullish(),
      strategy: z
        .object({
          canary: z
            .object({ steps: z.array(canaryStep).nullish() })
            .passthrough()
            .nullish(),
          blueGreen: z
            .object({
              activeService: z.string().nullish(),
              previewService: z.string().nullish(),
              autoPromotionEnabled: z.boolean().nullish(),
            })
            .passthrough()
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
  status: z
    .object({
      phase: z.string().nullish(),
      message: z.string().nullish(),
      abort: z.boolean().nullish(),
      promoteFull: z.boolean().nullish(),
      controllerPause: z.boolean().nullish(),
      currentPodHash: z.string().nullish(),
      stableRS: z.string().nullish(),
      // An integer in the CRD; int32, JSON number.
      currentStepIndex: z.number().int().nullish(),
      pauseConditions: z
        .array(z.object({ reason: z.string().nullish(), startTime: z.string().nullish() }))
        .nullish(),
      canary: z
        .object({
          stableRS: z.string().nullish(),
          weights: z
            .object({
              canary: z.object({ weight: z.number().nullish() }).nullish(),
              stable: z.object({ weight: z.number().nullish() }).nullish(),
            })
            .nullish(),
          currentStepAnalysisRunStatus: analysisRunStatus,
          currentBackgroundAnalysisRunStatus: analysisRunStatus,
        })
        .nullish(),
      blueGreen: z
        .object({
          activeSelector: z.string().nullish(),
          previewSelector: z.string().nullish(),
          prePromotionAnalysisRunStatus: analysisRunStatus,
          postPromotionAnalysisRunStatus: analysisRunStatus,
        })
        .nullish(),
    })
    .nullish(),
});
export type RolloutManifest = z.output<typeof rolloutManifestSchema>;
