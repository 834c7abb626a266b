import { AppAuth } from './http/app-auth.js';
import { RepoState } from './repo/repo-state.js';

export type DeploymentWriteListener = (
  repo: RepoState,
  event: 'deployment' | 'deployment_status',
  deploymentId: number,
) => void;

import type { FailRule, FakeActor, FakeGitHubOptions, RecordedRequest, WebhookDelivery } from './types.js';

/** GitHub's account for commits it writes on a person's behalf in the browser. */
export const WEB_FLOW = { login: 'web-flow', name: 'GitHub', email: 'noreply@github.com' } as const;

// "12345+alice@users.noreply.github.com" or the older "alice@users.noreply.github.com".
const NOREPLY = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/;

type IdKind = 'repo' | 'pull' | 'checkRun' | 'checkSuite' | 'status' | 'deployment' | 'deploymentStatus';

// Distinct starting points keep ids of different kinds from looking interchangeable in assertions.
const ID_BASES: Record<IdKind, number> = {
  repo: 100_000,
  pull: 200_000,
  checkRun: 300_000,
  checkSuite: 400_000,
  status: 500_000,
  deployment: 600_000,
  deploymentStatus: 700_000,
};

export interface PendingFailure extends FailRule {
  remaining: number;
}

/** Everything the fake knows; routes and controls read and change it. */
export class FakeState {
  readonly repos = new Map<string, RepoState>();
  readonly requests: RecordedRequest[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  readonly failures: PendingFailure[] = [];
  readonly actor: FakeActor;
  readonly htmlUrl: string;
  readonly token: string | undefined;
  /** Set in GitHub App mode. */
  readonly appAuth: AppAuth | undefined;
  readonly now: () => Date;
  /**
   * Verified e-mails of accounts (lower-cased) → GitHub login, as GitHub links a commit's author and
   * committer to an account: an e-mail of no account gives `author: null`. GitHub's own web-flow
   * account owns noreply@github.com (the committer of merges and edits made in the browser).
   */
  readonly loginsByEmail = new Map<string, string>([[WEB_FLOW.email, WEB_FLOW.login]]);
  baseUrl = '';
  /** Set when webhooks should follow API writes, as GitHub sends them for deployments. */
  onDeploymentWrite: DeploymentWriteListener | undefined;
  latencyMs = 0;
  down = false;
  private readonly counters = new Map<IdKind, number>();

  constructor(options: FakeGitHubOptions) {
    this.actor = options.actor ?? { login: 'deploybot[bot]', type: 'Bot' };
    this.htmlUrl = (options.htmlUrl ?? 'https://github.com').replace(/\/$/, '');
    this.token = options.token;
    this.now = options.now ?? (() => new Date());
    this.appAuth = options.app ? new AppAuth(options.app, this.now) : undefined;
  }

  nextId(kind: IdKind): number {
    const next = (this.counters.get(kind) ?? ID_BASES[kind]) + 1;
    this.counters.set(kind, next);
    return next;
  }

  /** The noreply identity GitHub gives the acting account on commits it writes. */
  actorIdentity(): { name: string; email: string; login: string } {
    const login = this.actor.login;
    return { name: login, email: `${login}@users.noreply.github.com`, login };
  }

  /** Records that `email` is a verified e-mail of `login` (a commit made with both says so). */
  linkEmail(email: string, login: string): void {
    this.loginsByEmail.set(email.toLowerCase(), login);
  }

  /** The account GitHub links an e-mail to: a verified e-mail, or a private noreply address; else null. */
  loginForEmail(email: string): string | null {
    const known = this.loginsByEmail.get(email.toLowerCase());
    if (known) return known;
    return NOREPLY.exec(email.toLowerCase())?.[1] ?? null;
  }

  timestamp(): string {
    return `${this.now().toISOString().slice(0, 19)}Z`;
  }

  findRepo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  ensureRepo(fullName: string, defaultBranch = 'main'): RepoState {
    const [owner, name, ...rest] = fullName.split('/');
    if (!owner || !name || rest.length > 0) {
      throw new Error(`repository must be "owner/name", got "${fullName}"`);
    }
    const existing = this.findRepo(owner, name);
    if (existing) return existing;
    const repo = new RepoState(owner, name, this.nextId('repo'), defaultBranch, this.timestamp());
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  requireRepo(fullName: string): RepoState {
    const [owner = '', name = ''] = fullName.split('/');
    const repo = this.findRepo(owner, name);
    if (!repo) throw new Error(`the fake has no repository ${fullName}`);
    return repo;
  }
}
