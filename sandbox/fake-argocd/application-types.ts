/**
 * The part of v1alpha1Application the fake keeps, with the swagger's field names. Optional fields are left out of the
 * JSON when unset, as Go's `omitempty` does, so `undefined` here means "absent on the wire", never `null`.
 */
interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface ApplicationSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  chart?: string;
}

interface ApplicationDestination {
  server?: string;
  namespace?: string;
  name?: string;
}

interface SyncPolicyAutomated {
  enabled?: boolean;
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
}

interface RetryStrategy {
  limit?: number;
  refresh?: boolean;
  backoff?: { duration?: string; factor?: number; maxDuration?: string };
}

interface SyncPolicy {
  automated?: SyncPolicyAutomated;
  syncOptions?: string[];
  retry?: RetryStrategy;
}

interface ApplicationSpec {
  project: string;
  source: ApplicationSource;
  destination: ApplicationDestination;
  syncPolicy?: SyncPolicy;
  revisionHistoryLimit?: number;
}

interface InfoEntry {
  name: string;
  value: string;
}

interface OperationInitiator {
  username?: string;
  automated?: boolean;
}

export interface SyncOperationResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface SyncStrategy {
  apply?: { force?: boolean };
  hook?: { force?: boolean };
}

interface SyncOperation {
  revision: string;
  prune?: boolean;
  dryRun?: boolean;
  syncOptions?: string[];
  resources?: SyncOperationResource[];
  syncStrategy?: SyncStrategy;
  source?: ApplicationSource;
}

export interface Operation {
  sync: SyncOperation;
  initiatedBy: OperationInitiator;
  info?: InfoEntry[];
  retry?: RetryStrategy;
}

export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: string;
  message: string;
  syncPhase: string;
  images?: string[];
}

type OperationPhase = 'Running' | 'Terminating' | 'Succeeded' | 'Failed' | 'Error';

export interface OperationState {
  operation: Operation;
  phase: OperationPhase;
  message?: string;
  syncResult?: { revision: string; source?: ApplicationSource; resources?: ResourceResult[] };
  startedAt: string;
  finishedAt?: string;
}

export interface RevisionHistory {
  id: number;
  revision: string;
  deployStartedAt?: string;
  deployedAt: string;
  source: ApplicationSource;
  initiatedBy?: OperationInitiator;
}

export type HealthStatusCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';

export interface ResourceStatus {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: SyncStatusCode;
  health?: { status: HealthStatusCode; message?: string };
}

interface ApplicationCondition {
  type: string;
  message: string;
  lastTransitionTime?: string;
}

interface ApplicationStatus {
  sync: {
    status: SyncStatusCode;
    revision?: string;
    comparedTo?: { source: ApplicationSource; destination: ApplicationDestination };
  };
  health: { status: HealthStatusCode; message?: string; lastTransitionTime?: string };
  operationState?: OperationState;
  history?: RevisionHistory[];
  summary: { images?: string[] };
  resources?: ResourceStatus[];
  conditions?: ApplicationCondition[];
  reconciledAt?: string;
  sourceType?: string;
  controllerNamespace?: string;
}

export interface Application {
  metadata: ObjectMeta;
  spec: ApplicationSpec;
  status: ApplicationStatus;
  operation?: Operation;
}
