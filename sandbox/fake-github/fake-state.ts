import { RepoState } from './repo/repo-state.js';

export type DeploymentWriteListener = (
  repo: RepoState,
  event: 'deployment' | 'deployment_status',
  deploymentId: number,
) => void;

import type { FailRule, FakeActor, FakeGitHubOptions, RecordedRequest, WebhookDelivery } from './types.js';

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
  readonly now: () => Date;
  /** Emails seen on commits → GitHub login, so API-created commits by a known person get an author account. */
  readonly loginsByEmail = new Map<string, string>();
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
