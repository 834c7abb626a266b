/** The deploy card: everything deploybot knows about one (application, target revision). Pure data. */

export type CardState =
  | 'pending'
  | 'approved'
  | 'syncing'
  | 'succeeded'
  | 'failed'
  | 'degraded'
  | 'rejected'
  | 'superseded'
  | 'expired'
  | 'rolling-back'
  | 'rolled-back';

/** `approval` cards gate a manual sync; `info` cards report what an auto-sync app did. */
export type CardKind = 'approval' | 'info';

export interface AppRef {
  name: string;
  namespace: string;
  project: string;
}

export interface CommitInfo {
  sha: string;
  subject: string;
  authorLogin?: string;
  authorName?: string;
  authorEmail?: string;
  date?: string;
  url?: string;
}

export interface PullInfo {
  number: number;
  title: string;
  url: string;
  authorLogin?: string;
  mergedAt?: string;
}

export interface Changelog {
  available: boolean;
  commits: CommitInfo[];
  totalCommits: number;
  pulls: PullInfo[];
  /** Author identities of every commit in the change (not only those shown), for self-approval. */
  authorLogins: string[];
  authorEmails: string[];
  /** Slack user per commit author (lower-case GitHub login or e-mail), from `people`, else users.lookupByEmail. */
  authorSlackIds?: Record<string, string>;
}

export interface ImageChange {
  name: string;
  from?: string;
  to?: string;
}

export type ChecksState = 'success' | 'failure' | 'pending' | 'unknown';

export interface ChecksSummary {
  state: ChecksState;
  total: number;
  failing: string[];
  pendingNames: string[];
  url?: string;
}

export interface Approval {
  user: string;
  at: number;
}

export interface OperationInfo {
  phase: 'Running' | 'Terminating' | 'Succeeded' | 'Failed' | 'Error';
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  initiatedBy?: string;
  automated?: boolean;
  revision?: string;
}

export interface RevisionInfo {
  sha: string;
  subject?: string;
  author?: string;
  date?: string;
}

export interface Card {
  id: string;
  kind: CardKind;
  state: CardState;
  app: AppRef;
  environment: string;
  channel: string;
  ts?: string;
  /** Full SHA that this card deploys; the sync request pins exactly this. */
  revision: string;
  to: RevisionInfo;
  from?: RevisionInfo;
  /** Argo CD history id of the deployment before this one (rollback target). */
  previousHistoryId?: number;
  destination: { server?: string; namespace?: string; name?: string };
  source: { repoURL?: string; path?: string; targetRevision?: string };
  repo?: { owner: string; name: string };
  autoSync: boolean;
  changelog: Changelog;
  images: ImageChange[];
  checks: ChecksSummary;
  syncWindow?: { blocked: boolean; description: string };
  health?: string;
  syncStatus?: string;
  approvals: Approval[];
  requiredApprovals: number;
  rejection?: { user: string; reason: string; at: number };
  operation?: OperationInfo;
  /** When deploybot claimed the card for a sync it is about to request (approved → syncing). */
  syncRequestedAt?: number;
  /** The app's last operation when deploybot asked for a sync or rollback: older news, not this deploy's. */
  ignoreOperationStartedAt?: string;
  /** Why the last action could not run (Argo refusal, store outage...), shown on the card. */
  notice?: string;
  supersededBy?: { cardId: string; channel: string; ts?: string };
  rollback?: { user: string; at: number; historyId?: number; revision?: string };
  revertPr?: { url: string; number: number; user: string };
  githubDeploymentId?: number;
  announced?: boolean;
  reminderSentAt?: number;
  createdAt: number;
  updatedAt: number;
  enrichedAt?: number;
}

export const TERMINAL_STATES: ReadonlySet<CardState> = new Set([
  'rejected',
  'superseded',
  'expired',
  'rolled-back',
]);

export const ACTIVE_OPERATION_STATES: ReadonlySet<CardState> = new Set(['syncing', 'rolling-back']);

/** What a card knows of the change before GitHub has been asked (or when it cannot be). */
export function emptyChangelog(): Changelog {
  return { available: false, commits: [], totalCommits: 0, pulls: [], authorLogins: [], authorEmails: [] };
}

/** Checks not read yet, or GitHub unreachable: requireGreenChecks treats this as not green. */
export function unknownChecks(): ChecksSummary {
  return { state: 'unknown', total: 0, failing: [], pendingNames: [] };
}

export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : 'unknown';
}
