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
  /** True when the last operation was a rollback (operation.info or a revision different from the sync target). */
  history: { id: number; revision?: string; deployedAt?: string }[];
  images: string[];
  source: { repoURL?: string; path?: string; targetRevision?: string };
  destination: { server?: string; namespace?: string; name?: string };
}
