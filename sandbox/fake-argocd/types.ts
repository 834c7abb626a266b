import type { Application, HealthStatusCode } from './application-types.js';
import type { RolloutSeed } from './rollouts.js';

/** One Application to put into the fake; everything but `name` has a default. */
export interface AppSeed {
  name: string;
  /** The Application's own namespace (where Argo CD keeps it), default `argocd`. */
  namespace?: string;
  project?: string;
  repoURL?: string;
  /** default `apps/<name>` */
  path?: string;
  /** default `main` */
  targetRevision?: string;
  /** default `{ server: 'https://kubernetes.default.svc', namespace: <name> }` */
  destination?: { server?: string; namespace?: string; name?: string };
  /** `spec.syncPolicy.automated` present (and enabled) when true. */
  autoSync?: boolean;
  /** The deployed commit, which is also the tip of `targetRevision` at start; default a generated sha. */
  revision?: string;
  /** Earlier deployments, oldest first; history ids start at 0 with the first of these, `revision` comes last. */
  previousRevisions?: string[];
  /** Images running at `revision` (and the target images until `pushRevision` says otherwise). */
  images?: string[];
  health?: HealthStatusCode;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** default `['CreateNamespace=true']` */
  syncOptions?: string[];
  revisionHistoryLimit?: number;
  /** Argo Rollouts the app deploys through (resource tree nodes of group argoproj.io, kind Rollout). */
  rollouts?: RolloutSeed[];
}

export interface SyncWindow {
  kind: 'allow' | 'deny';
  /** Standard 5-field cron, evaluated in UTC. */
  schedule: string;
  /** Go duration such as `1h` or `30m`. */
  duration: string;
  manualSync?: boolean;
}

export interface RevisionMetadata {
  author: string;
  date: string;
  message: string;
  tags?: string[];
}

export type RevisionMetadataSource = (
  sha: string,
  app: { name: string; namespace: string; repoURL: string; path: string },
) => RevisionMetadata | undefined | Promise<RevisionMetadata | undefined>;

export interface NotificationOptions {
  /** Base URL of the receiver; the fake POSTs to `${url}/argocd/events`. */
  url: string;
  secret: string;
  /** Retries after the first attempt on network errors, 429 and 5xx (not 501); default 3 like retryablehttp. */
  retryMax?: number;
  /** Wait between attempts, default 50 ms (the real default is 1 s to 5 s). */
  retryWaitMs?: number;
  /** Per-attempt timeout, default 5000 ms. */
  timeoutMs?: number;
  /** `context.argocdUrl` in the templates; default the fake's own URL. */
  argocdUrl?: string;
  /** Send every notification twice. */
  duplicate?: boolean;
  /**
   * Re-send a notification whose delivery still failed after the retries, after this many ms. Off by default:
   * notifications-engine keeps the oncePer key of a failed send, so with our oncePer triggers it is not re-sent.
   */
  resendFailedAfterMs?: number;
}

export interface FakeArgoCdOptions {
  port?: number;
  host?: string;
  /** Accepted bearer tokens and the username each stands for; default `{ [DEFAULT_ARGOCD_TOKEN]: 'deploybot' }`. */
  tokens?: Record<string, string>;
  apps?: AppSeed[];
  /** Operation speed: Running lasts `syncMs`, then Progressing lasts `healthMs`; defaults 300 ms each, 0 allowed. */
  timing?: { syncMs?: number; healthMs?: number; terminateMs?: number };
  revisionMetadata?: RevisionMetadataSource;
  /** RBAC as `argocd account can-i` sees it; also enforced on get/sync/rollback/terminate. Default: allow all. */
  canI?: (resource: string, action: string, subresource: string) => boolean;
  notifications?: NotificationOptions;
  /** Clock for every timestamp the fake writes; timers still use real time. */
  now?: () => Date;
}

export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: { authorization?: string; contentType?: string; cookie?: string; userAgent?: string };
  /** Parsed JSON when the body was JSON, the raw text otherwise, undefined when empty. */
  body: unknown;
  status: number;
  /** True when the path/method is not an operation the fake serves from Argo CD's swagger. */
  unknownRoute: boolean;
  /** Set when the request broke the swagger contract in a way the real server would silently ignore. */
  contractViolation?: string;
  /** Set when `failNext` answered instead of the fake. */
  injectedFault?: boolean;
}

export interface FaultSpec {
  method?: string;
  pathPrefix?: string;
  /** HTTP status to answer with; ignored with `dropConnection`. */
  status?: number;
  /** JSON body (string bodies are sent as text); default a grpc-gateway error for the status. */
  body?: unknown;
  /** How many matching requests fail, default 1. */
  times?: number;
  delayMs?: number;
  /** Destroy the socket instead of answering (a network error for the client). */
  dropConnection?: boolean;
  /**
   * Answer with the fault, but carry the request out anyway this many ms later: a request that a proxy
   * gave up on (502, timeout, reset) while the API server still processed it.
   */
  applyAfterMs?: number;
}

/** The JSON our recommended templates render (see test/contracts/argocd/notifications/example-*.json). */
export interface NotificationBody {
  event: string;
  app: string;
  appNamespace: string;
  project: string;
  syncStatus: string;
  healthStatus: string;
  revision: string;
  operationPhase: string;
  deliveredAt: string;
  argocdUrl: string;
  application: Record<string, unknown>;
}

export interface SentNotification {
  at: string;
  event: string;
  trigger: string;
  app: string;
  body: NotificationBody;
  /** 1 for the first try, then one entry per retry; 0 for a notification lost while paused. */
  attempt: number;
  /** HTTP status, or null for a network error, a timeout or a lost notification. */
  status: number | null;
  error?: string;
  lost?: boolean;
}

export interface FakeArgoCd {
  readonly url: string;
  readonly port: number;
  /** The first configured token, handy for clients. */
  readonly token: string;
  readonly requests: readonly RecordedRequest[];
  readonly sentNotifications: readonly SentNotification[];
  /** Adds an Application and returns it; its current state counts as already notified. */
  addApp(seed: AppSeed): Application;
  /** Deep copy of the Application (`name` or `namespace/name`). Throws when unknown. */
  app(name: string): Application;
  apps(): Application[];
  /** Git moved: a manual app turns OutOfSync, an auto-sync app syncs itself. */
  pushRevision(name: string, sha: string, options?: { images?: string[] }): void;
  /**
   * Someone starts a sync outside deploybot (the Argo CD UI or CLI): `revision` (default Git's tip) as
   * `username` (default `admin`), with no deploybot info. Throws when an operation already runs.
   */
  startOperation(name: string, options?: { revision?: string; username?: string }): void;
  /** The next sync (or rollback) of the app fails with `one or more objects failed to apply, reason: <message>`. */
  failNextSync(name: string, message?: string): void;
  /** The next sync (or rollback) of the app stays Running until it is terminated, as a stuck hook would leave it. */
  hangNextSync(name: string): void;
  degrade(name: string, message?: string): void;
  setHealth(name: string, status: HealthStatusCode, message?: string): void;
  setSyncWindows(name: string, windows: SyncWindow[]): void;
  /** Delay every response by this many ms. */
  setLatency(ms: number): void;
  failNext(fault: FaultSpec): void;
  syncRequests(): RecordedRequest[];
  clearRequests(): void;
  resendLast(name?: string): Promise<void>;
  sendNotification(event: string, name: string): Promise<void>;
  duplicateNotifications(on: boolean): void;
  pauseNotifications(): void;
  resumeNotifications(): void;
  whenNotificationsIdle(): Promise<void>;
  close(): Promise<void>;
  /** The app deploys through these Argo Rollouts from now on (its current revision counts as rolled out). */
  addRollouts(app: string, rollouts: RolloutSeed[]): void;
  /** The live Rollout as GET …/resource serves it (the app's first Rollout unless named). */
  rollout(app: string, name?: string): Record<string, unknown>;
  /** The Rollout's running analysis fails now (aborting it), or the next one when none runs. */
  failAnalysis(app: string, rollout?: string): void;
  /** POST …/resource/actions/v2 requests, in order. */
  actionRequests(): RecordedRequest[];
}
