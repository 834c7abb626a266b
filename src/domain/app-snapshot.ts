import type { AppRef, OperationInfo } from './card.js';

/** What deploybot knows about an Argo CD application at one moment, free of the API's shapes. */
export interface AppSnapshot {
  app: AppRef;
  autoSync: boolean;
  syncStatus?: string;
  /** The resolved SHA the app should run (status.sync.revision). */
  targetRevision?: string;
  health?: string;
  healthMessage?: string;
  /** True while an operation is in progress (the top-level `operation` field). */
  operationRunning: boolean;
  /** The last operation (status.operationState), which may be long finished. */
  operation?: OperationInfo;
  /** Successful deployments, oldest first (status.history). */
  history: { id: number; revision?: string; deployedAt?: string; deployStartedAt?: string }[];
  images: string[];
  source: { repoURL?: string; path?: string; targetRevision?: string };
  destination: { server?: string; namespace?: string; name?: string };
  /**
   * When deploybot started reading this state (epoch ms). Reads of one app can finish out of order
   * (replicas, the reconciler's list); the later read is the truth about which revision is newest.
   */
  observedAt?: number;
  /** The app has an Argo Rollout among its resources (status.resources); absent when it has none. */
  hasRollouts?: boolean;
}

/**
 * The revision running in the cluster: the last successful deployment (history only grows on
 * successful, complete syncs, rollbacks included), else the target when the app is Synced.
 */
export function liveRevision(snap: AppSnapshot): string | undefined {
  const last = snap.history.at(-1)?.revision;
  if (last) return last;
  return snap.syncStatus === 'Synced' ? snap.targetRevision : undefined;
}
