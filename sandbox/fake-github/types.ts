import type {
  CheckRunConclusion,
  CheckRunStatus,
  CommitStatusState,
  DeploymentRecord,
  PullRecord,
} from './repo/records.js';
import type { CommitFilesInput } from './repo/repo-state.js';

export interface FakeActor {
  login: string;
  type: 'User' | 'Bot';
}

export interface FakeWebhookTarget {
  url: string;
  secret: string;
  /** Sent as X-GitHub-Hook-ID; default 1. */
  hookId?: number;
  /**
   * Deliver `deployment` / `deployment_status` events when the API creates them, as GitHub does
   * (the bot must recognise its own events). Default false.
   */
  emitOnApiWrites?: boolean;
}

/** GitHub App mode: the fake knows one app (its public key) installed once. */
export interface FakeGitHubAppOptions {
  /** `iss` of the app JWT must equal it (as a string or a number). */
  appId: string | number;
  /** PEM (SPKI or PKCS#1) public key of the app; JWTs must be RS256-signed with its private key. */
  publicKey: string;
  installationId: string | number;
  /** Lifetime of installation tokens; default one hour, as GitHub's. */
  tokenLifetimeMs?: number;
}

export interface IssuedInstallationToken {
  /** 1 for the first token issued, 2 for the next, … (what `RecordedRequest.auth.tokenIndex` names). */
  index: number;
  token: string;
  issuedAt: string;
  expiresAt: string;
}

/** The credential a request carried, recorded without the secret. */
export type RecordedAuth =
  | { kind: 'none' | 'jwt' | 'token' | 'unknown' }
  | { kind: 'installation'; tokenIndex: number; expired: boolean };

export interface FakeGitHubOptions {
  /** When set, every API call must send `Authorization: token <it>` or `Bearer <it>`. */
  token?: string;
  /**
   * GitHub App mode (replaces `token`): POST /app/installations/{id}/access_tokens takes an app JWT
   * and issues expiring installation tokens; every other call needs a live one (else 401).
   */
  app?: FakeGitHubAppOptions;
  host?: string;
  port?: number;
  /** Base of `html_url` links; default https://github.com. */
  htmlUrl?: string;
  /** The account API writes (deployments, statuses, refs, pulls) are attributed to. */
  actor?: FakeActor;
  webhook?: FakeWebhookTarget;
  /** Clock for commit dates and timestamps; default the system clock. */
  now?: () => Date;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  headers: Record<string, string>;
  /** Which credential was sent (in app mode: which installation token, and whether it had expired). */
  auth: RecordedAuth;
  status: number;
  unknownRoute: boolean;
}

export interface FailRule {
  method?: string;
  /** Matches the request path (no query) by prefix, e.g. `/repos/acme/app/deployments`. */
  pathPrefix?: string;
  status: number;
  /** How many matching requests fail; default 1. */
  times?: number;
  message?: string;
  /**
   * Carry the request out first, then answer with the failure: the write happened but its answer was
   * lost (a 502 from a proxy after GitHub had done it).
   */
  afterHandling?: boolean;
}

/**
 * `author.login` / `committer.login` link the e-mail to that account; leave the login out for an e-mail
 * that GitHub links to no account (the REST `author` is then null, like a commit under a personal
 * address that was never added to the account). `committer` defaults to the author; WEB_FLOW is
 * GitHub's committer for merges made in the browser.
 */
export type CommitInput = Omit<CommitFilesInput, 'author' | 'committer'> & {
  author: { login?: string | null; name: string; email: string };
  committer?: { login?: string | null; name: string; email: string };
};

export interface OpenPullInput {
  title: string;
  number?: number;
  /** Head branch name. */
  head: string;
  /** Base branch name. */
  base: string;
  author: string | { login: string };
  commits: string[];
  merged?: boolean;
  mergedAt?: Date | string;
  /** Default for a merged pull request: the last of `commits`. */
  mergeCommitSha?: string;
  body?: string;
  /** Default: closed when merged, else open. */
  state?: 'open' | 'closed';
}

export interface CheckRunInput {
  name: string;
  status: CheckRunStatus;
  conclusion?: CheckRunConclusion;
  detailsUrl?: string;
  /** Default github-actions. */
  appSlug?: string;
}

export interface StatusInput {
  context: string;
  state: CommitStatusState;
  description?: string;
  targetUrl?: string;
}

export interface FakeRepo {
  readonly fullName: string;
  readonly defaultBranch: string;
  /** Commits `files` on top of `branch` (default branch by default) and moves the branch; returns the sha. */
  commit(input: CommitInput): string;
  /** Records a pull request; returns its number. */
  openPull(input: OpenPullInput): number;
  /** Replaces the check runs of a commit. */
  setCheckRuns(sha: string, runs: CheckRunInput[]): void;
  /** Adds commit statuses (the latest per context wins in the combined status). */
  setStatuses(sha: string, statuses: StatusInput[]): void;
  headOf(branch: string): string | undefined;
  /** Creates or moves a branch. */
  setBranch(branch: string, sha: string): void;
  /** File content at a sha or ref, undefined when the path does not exist there. */
  fileAt(ref: string, path: string): string | undefined;
}

export interface WebhookDeliveryResult {
  deliveryId: string;
  status: number;
  body: string;
}

export interface WebhookDelivery extends WebhookDeliveryResult {
  event: string;
  /** Exactly the bytes that were signed and sent; a redelivery resends them. */
  rawBody: string;
  redelivery: boolean;
}

export type FakeWebhookEvent =
  | 'workflow_run'
  | 'check_suite'
  | 'check_run'
  | 'status'
  | 'push'
  | 'pull_request'
  | 'deployment'
  | 'deployment_status';

export interface BuildWebhookOptions {
  /** `owner/name`. */
  repo: string;
  /** Default: completed (workflow_run, check_suite, check_run), closed (pull_request), created (deployment*). */
  action?: string;
  /** Head sha; default the head of `branch` in the fake. */
  sha?: string;
  /** Default: the repository's default branch. */
  branch?: string;
  /** workflow_run / check_suite / check_run conclusion; default success. */
  conclusion?: Exclude<CheckRunConclusion, null>;
  /** status state or deployment_status state; default success. */
  state?: string;
  /** check_run name, workflow name or status context. */
  name?: string;
  /** push: the sha before the push; default the first parent of `sha`. */
  before?: string;
  /** pull_request: number, title, base branch and merged flag (default merged for `closed`). */
  number?: number;
  title?: string;
  baseBranch?: string;
  merged?: boolean;
  /** deployment / deployment_status: a deployment the fake recorded, or an environment name. */
  deploymentId?: number;
  environment?: string;
  sender?: FakeActor;
}

export type WebhookPayload = Record<string, unknown>;

export interface FakeGitHub {
  /** Base URL for `new Octokit({ baseUrl })` and GITHUB_API_URL. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  readonly deliveries: readonly WebhookDelivery[];
  /** The controls of a repository, created (empty, default branch `main`) on first use. */
  repo(fullName: string, options?: { defaultBranch?: string }): FakeRepo;
  deployments(fullName: string): DeploymentRecord[];
  pulls(fullName: string): PullRecord[];
  failNext(rule: FailRule): void;
  setLatency(ms: number): void;
  setDown(down: boolean): void;
  clearRequests(): void;
  sendWebhook(
    event: string,
    payload: unknown,
    options?: { deliveryId?: string },
  ): Promise<WebhookDeliveryResult>;
  /** Resends a delivery byte for byte with the same X-GitHub-Delivery, like "Redeliver" in GitHub. */
  redeliver(deliveryId: string): Promise<WebhookDeliveryResult>;
  buildWebhook(event: FakeWebhookEvent, options: BuildWebhookOptions): WebhookPayload;
  /** Waits for the webhooks that API writes set off (`emitOnApiWrites`) to be delivered. */
  drainWebhooks(): Promise<void>;
  /** App mode only: the installation tokens issued so far, and their lifetime from now on. */
  readonly app?: {
    readonly tokens: readonly IssuedInstallationToken[];
    setTokenLifetime(ms: number): void;
  };
  close(): Promise<void>;
}
