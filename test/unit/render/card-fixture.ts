import {
  CARD_STATES,
  type Card,
  type CardKind,
  type CardState,
  type CommitInfo,
} from '../../../src/domain/card.js';
import type { CardRenderContext } from '../../../src/render/card-context.js';

export const NOW = Date.parse('2026-03-02T10:00:00Z');
export const TO_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const FROM_SHA = '0f9e8d7c6b5a49382716051423344556677889aa';
export const NEWER_SHA = 'bbbbbbb1111111122222223333333444444455555';

export const ALL_STATES: readonly CardState[] = CARD_STATES;

export function makeCommit(n: number, overrides: Partial<CommitInfo> = {}): CommitInfo {
  const sha = `${n.toString(16)}${'c'.repeat(40)}`.slice(0, 40);
  return { sha, subject: `Change number ${n}`, authorLogin: n % 2 ? 'alice' : 'carol', ...overrides };
}

export function makeCard(overrides: Partial<Card> = {}): Card {
  return {
    id: 'card_event-ingestion-prod_a1b2c3d',
    kind: 'approval',
    state: 'pending',
    app: { instance: 'default', name: 'event-ingestion-prod', namespace: 'argocd', project: 'gamemetrics' },
    environment: 'prod',
    channel: 'C0PRODDEPLOYS',
    ts: '1700000000.000100',
    revision: TO_SHA,
    to: { sha: TO_SHA, subject: 'Bump event-ingestion to v1.4.2', author: 'alice' },
    from: { sha: FROM_SHA, subject: 'Bump event-ingestion to v1.4.1', author: 'bob' },
    previousHistoryId: 11,
    destination: { server: 'https://kubernetes.default.svc', namespace: 'gamemetrics' },
    source: {
      repoURL: 'https://github.com/sheeffii/RealtimeGaming.git',
      path: 'k8s/services/event-ingestion',
      targetRevision: 'main',
    },
    repo: { owner: 'sheeffii', name: 'RealtimeGaming' },
    autoSync: false,
    changelog: {
      available: true,
      commits: [makeCommit(1), makeCommit(2)],
      totalCommits: 2,
      pulls: [
        {
          number: 42,
          title: 'Add Kafka retries',
          url: 'https://github.com/sheeffii/RealtimeGaming/pull/42',
          authorLogin: 'alice',
        },
      ],
      authorLogins: ['alice', 'carol'],
      authorEmails: [],
    },
    images: [{ name: 'ghcr.io/sheeffii/event-ingestion', from: 'v1.4.1', to: 'v1.4.2' }],
    checks: { state: 'success', total: 12, failing: [], pendingNames: [] },
    approvals: [],
    requiredApprovals: 1,
    createdAt: NOW - 3_600_000,
    updatedAt: NOW,
    ...overrides,
  };
}

const RUNNING = {
  phase: 'Running',
  startedAt: '2026-03-02T09:59:00Z',
  message: 'waiting for healthy state',
} as const;

/** A card as it would look in `state`, with the data that state carries. */
export function makeCardIn(state: CardState, kind: CardKind = 'approval'): Card {
  const base = makeCard({
    kind,
    state,
    autoSync: kind === 'info',
    requiredApprovals: kind === 'info' ? 0 : 1,
  });
  const approvals = kind === 'approval' ? [{ user: 'U0ALICE', at: NOW - 60_000 }] : [];
  switch (state) {
    case 'approved':
      return { ...base, requiredApprovals: 2, approvals };
    case 'syncing':
      return { ...base, approvals, operation: { ...RUNNING } };
    case 'succeeded':
      return {
        ...base,
        approvals,
        health: 'Healthy',
        operation: {
          phase: 'Succeeded',
          startedAt: '2026-03-02T09:58:00Z',
          finishedAt: '2026-03-02T09:59:05Z',
        },
      };
    case 'failed':
      return {
        ...base,
        approvals,
        operation: {
          phase: 'Failed',
          message: 'one or more objects failed to apply: Deployment.apps "x" is invalid',
        },
      };
    case 'degraded':
      return {
        ...base,
        approvals,
        health: 'Degraded',
        operation: { phase: 'Succeeded', message: 'Back-off pulling image' },
      };
    case 'rejected':
      return { ...base, rejection: { user: 'U0BOB', reason: 'Kafka is being upgraded', at: NOW - 1000 } };
    case 'superseded':
      return {
        ...base,
        supersededBy: { cardId: 'card_newer', channel: 'C0PRODDEPLOYS', ts: '1700000001.000200' },
      };
    case 'expired':
      return base;
    case 'rolling-back':
      return {
        ...base,
        approvals,
        rollback: { user: 'U0ALICE', at: NOW, historyId: 11, revision: FROM_SHA },
      };
    case 'rolled-back':
      return {
        ...base,
        approvals,
        rollback: { user: 'U0ALICE', at: NOW, historyId: 11, revision: FROM_SHA },
      };
    default:
      return base;
  }
}

export function makeContext(overrides: Partial<CardRenderContext> = {}): CardRenderContext {
  return {
    argoUiUrl: 'https://argocd.example.com/',
    githubWebUrl: 'https://github.com',
    approvers: '<@U0ALICE> or <!subteam^S0ONCALL>',
    rollbackers: '<@U0ALICE>',
    now: NOW,
    expiresAt: NOW - 3_600_000 + 86_400_000,
    ...overrides,
  };
}
