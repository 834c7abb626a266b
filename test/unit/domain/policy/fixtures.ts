import { type EnvironmentPolicy, parsePolicy } from '../../../../src/config/policy-schema.js';
import type { Card } from '../../../../src/domain/card.js';
import type { Actor, GroupMembers, PolicyAction, PolicyInput } from '../../../../src/domain/policy/index.js';

// Environments come through the real schema, so defaults (rollback = approvers...) are the shipped ones.
const POLICY = parsePolicy(`
environments:
  prod:
    approvers:
      users: [U0ALICE, U0BOB]
      groups: [S0ONCALL]
    requiredApprovals: 1
    allowSelfApproval: false
    requireGreenChecks: true
    rollback:
      users: [U0ALICE]
      groups: [S0SRE]
    approvalTimeout: 24h
    breakGlass:
      users: [U0BOB, U0GRACE]
  dev:
    approvers: { users: ["*"] }
    requiredApprovals: 0
    allowSelfApproval: true
  locked: {}
apps:
  - match: "*"
    environment: dev
`);

export function environmentNamed(name: 'prod' | 'dev' | 'locked'): EnvironmentPolicy {
  const environment = POLICY.environments[name];
  if (!environment) throw new Error(`fixture environment ${name} missing`);
  return environment;
}

export function withEnvironment(
  name: 'prod' | 'dev' | 'locked',
  changes: Partial<EnvironmentPolicy>,
): EnvironmentPolicy {
  return { ...environmentNamed(name), ...changes };
}

const GROUP_MEMBERS: GroupMembers = {
  S0ONCALL: ['U0CAROL'],
  S0SRE: ['U0DAVE'],
  S0OTHER: ['U0FRANK'],
};

/** Alice, Bob: prod approvers by id; Carol: via S0ONCALL; Dave: prod rollback via S0SRE; Eve, Frank: nobody. */
export const ACTORS = {
  alice: { id: 'U0ALICE', githubLogin: 'alice', email: 'alice@example.com' },
  bob: { id: 'U0BOB', githubLogin: 'bob', email: 'bob@example.com' },
  carol: { id: 'U0CAROL', githubLogin: 'carol', email: 'carol@example.com' },
  dave: { id: 'U0DAVE', githubLogin: 'dave', email: 'dave@example.com' },
  eve: { id: 'U0EVE', githubLogin: 'eve', email: 'eve@example.com' },
  frank: { id: 'U0FRANK', githubLogin: 'frank', email: 'frank@example.com' },
  /** Grace: a prod break-glass principal who is no approver. */
  grace: { id: 'U0GRACE', githubLogin: 'grace', email: 'grace@example.com' },
} as const satisfies Record<string, Actor>;

export type ActorName = keyof typeof ACTORS;

export const CREATED_AT = Date.parse('2026-06-01T10:00:00Z');
export const NOW = CREATED_AT + 60 * 60_000;

export function buildCard(changes: Partial<Card> = {}): Card {
  return {
    id: 'card-1',
    kind: 'approval',
    state: 'pending',
    app: { instance: 'default', name: 'event-ingestion-prod', namespace: 'argocd', project: 'gamemetrics' },
    environment: 'prod',
    channel: 'C0DEPLOYS',
    revision: 'b'.repeat(40),
    to: { sha: 'b'.repeat(40), subject: 'Bump ingestion' },
    from: { sha: 'a'.repeat(40) },
    previousHistoryId: 7,
    destination: { server: 'https://kubernetes.default.svc', namespace: 'ingestion' },
    source: { repoURL: 'https://github.com/acme/deploy.git', path: 'apps/ingestion', targetRevision: 'main' },
    repo: { owner: 'acme', name: 'deploy' },
    autoSync: false,
    changelog: {
      available: true,
      commits: [
        {
          sha: 'b'.repeat(40),
          subject: 'Bump ingestion',
          authorLogin: 'zed',
          authorEmail: 'zed@example.com',
          pulls: [41],
        },
      ],
      totalCommits: 1,
      pulls: [
        {
          number: 41,
          title: 'Bump ingestion',
          url: 'https://github.com/acme/deploy/pull/41',
          authorLogin: 'zed',
        },
      ],
      authorLogins: ['zed'],
      authorEmails: ['zed@example.com'],
    },
    images: [],
    checks: { state: 'success', total: 3, failing: [], pendingNames: [] },
    approvals: [],
    requiredApprovals: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...changes,
  };
}

/** A card in the state each action expects when everything is in order. */
function buildCardFor(action: PolicyAction, changes: Partial<Card> = {}): Card {
  const state = {
    approve: 'pending',
    reject: 'pending',
    rollback: 'succeeded',
    'revert-in-git': 'succeeded',
    abort: 'syncing',
    retry: 'failed',
    'break-glass': 'pending',
    'release-hold': 'rolled-back',
    'promote-rollout': 'succeeded',
    'promote-full-rollout': 'succeeded',
    'abort-rollout': 'succeeded',
    'retry-rollout': 'degraded',
  } as const satisfies Record<PolicyAction, Card['state']>;
  return buildCard({ state: state[action], ...changes });
}

export function buildInput(
  changes: Partial<PolicyInput> & { action: PolicyAction },
  cardChanges: Partial<Card> = {},
): PolicyInput {
  return {
    card: buildCardFor(changes.action, cardChanges),
    environment: environmentNamed('prod'),
    actor: ACTORS.alice,
    groupMembers: GROUP_MEMBERS,
    now: NOW,
    isCurrentTarget: true,
    ...changes,
  };
}
