/** The deploy card: everything deploybot knows about one (application, target revision). Pure data. */
import type { RolloutAction, RolloutView } from './rollout-view.js';

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

/**
 * The Argo CD instance an app lives in, while deploybot talks to one: its name is `default`. The
 * instance is chosen by configuration (the webhook secret that matched), never by a request body.
 */
export const DEFAULT_INSTANCE = 'default';

/** One Argo CD application: which instance, the namespace its Application lives in, its name and project. */
export interface AppRef {
  instance: string;
  name: string;
  namespace: string;
  project: string;
}

export interface CommitInfo {
  sha: string;
  subject: string;
  /** The GitHub account GitHub links to the author e-mail; absent when it links none (`author: null`). */
  authorLogin?: string;
  authorName?: string;
  authorEmail?: string;
  /**
   * The committer, kept only where it differs from the author (compact): GitHub's web-flow when a change
   * was merged or edited in the browser, the person who rebased or cherry-picked it otherwise.
   */
  committerLogin?: string;
  committerEmail?: string;
  date?: string;
  url?: string;
  /**
   * Numbers of the pull requests GitHub associates with the commit ([] = looked up, none). Absent when
   * they were not looked up: the commit's authorship is then unknown, since whoever opened one counts.
   */
  pulls?: number[];
}

export interface PullInfo {
  number: number;
  title: string;
  url: string;
  authorLogin?: string;
  /**
   * Who merged it, as far as the merge commit tells (the commits-to-pulls lookup carries no merged_by):
   * the merge commit's committer, or its author when GitHub's web-flow committed it.
   */
  mergedBy?: string;
  mergedAt?: string;
}

export interface Changelog {
  available: boolean;
  /** Not read yet: the card was posted before its enrichment (GitHub) came back. */
  pending?: boolean;
  /**
   * The change's commits, newest first, with what self-approval needs per commit (at most
   * CHANGELOG_MAX_COMMITS). Fewer than `totalCommits` when the change is longer: its authorship is then
   * unknown, since whoever wrote (or opened a pull request for) a commit not kept could be the approver.
   */
  commits: CommitInfo[];
  totalCommits: number;
  pulls: PullInfo[];
  /** Author identities over the whole change as far as compare was paged (for `/deploy-status mine`). */
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
  /**
   * Names of the check runs and status contexts that passed, so the policy can tell a required check
   * that is green from one that never reported. Absent on cards stored before it was recorded.
   */
  passing?: string[];
  url?: string;
}

interface Approval {
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

interface BreakGlassEntry {
  user: string;
  reason: string;
  at: number;
}

interface HoldInfo {
  user: string;
  at: number;
  via: 'rollback' | 'revert';
}

export interface RevisionInfo {
  sha: string;
  subject?: string;
  author?: string;
  date?: string;
}

/** One Rollout action deploybot ran from the card, and the step it was pressed for. */
interface RolloutActionEntry {
  rollout: string;
  action: RolloutAction;
  /** The step token the press was checked against (rollout-view.ts rolloutStepToken). */
  token: string;
  user: string;
  at: number;
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
  /**
   * What the card shows: the policy's number when the card was posted, refreshed on each approval.
   * Decisions take the environment's current `requiredApprovals` instead (see decide-approval).
   */
  requiredApprovals: number;
  rejection?: { user: string; reason: string; at: number };
  operation?: OperationInfo;
  /** When deploybot claimed the card for a sync it is about to request (approved → syncing). */
  syncRequestedAt?: number;
  /**
   * Fencing token of that claim (unique per claim). The claimant sends the sync only while the card still
   * carries it: a replica that was paused while its claim was given up (and perhaps retried) sends nothing.
   */
  syncClaimId?: string;
  /** The app's last operation when deploybot asked for a sync or rollback: older news, not this deploy's. */
  ignoreOperationStartedAt?: string;
  /** Why the last action could not run (Argo refusal, store outage...), shown on the card. */
  notice?: string;
  supersededBy?: { cardId: string; channel: string; ts?: string };
  rollback?: { user: string; at: number; historyId?: number; revision?: string };
  revertPr?: { url: string; number: number; user: string };
  /**
   * Who approved through a freeze (Break glass), with their reason: each counts as that user's approval
   * (it is in `approvals` too); the card, its thread, the release note and the GitHub Deployment name it.
   */
  breakGlass?: BreakGlassEntry[];
  /**
   * The card's revision was rolled back (Argo CD rollback) or reverted in Git: it offers no approval and
   * no later notification makes it approvable, until an approver presses Release hold.
   */
  hold?: HoldInfo;
  /** The running sync passed the environment's syncTimeout (counted from Argo CD's startedAt), once per operation. */
  stuck?: { at: number; startedAt: string };
  githubDeploymentId?: number;
  /**
   * The app's Argo Rollouts as last read from Argo CD (at most MAX_ROLLOUTS_SHOWN of them, `rolloutCount`
   * in all). Absent for apps without a Rollout.
   */
  rollouts?: RolloutView[];
  rolloutCount?: number;
  /** The Rollout actions run from this card, newest last (at most MAX_ROLLOUT_ACTIONS kept). */
  rolloutActions?: RolloutActionEntry[];
  announced?: boolean;
  reminderSentAt?: number;
  createdAt: number;
  updatedAt: number;
  enrichedAt?: number;
}

/** Every card state, once: the transition table and its test enumerate these. */
export const CARD_STATES: readonly CardState[] = [
  'pending',
  'approved',
  'syncing',
  'succeeded',
  'failed',
  'degraded',
  'rejected',
  'superseded',
  'expired',
  'rolling-back',
  'rolled-back',
];

/** History: the app's later life is not theirs, and nothing moves them on. */
export const TERMINAL_STATES: ReadonlySet<CardState> = new Set([
  'rejected',
  'superseded',
  'expired',
  'rolled-back',
]);

/** A sync or rollback deploybot asked for is under way. */
export const ACTIVE_OPERATION_STATES: ReadonlySet<CardState> = new Set(['syncing', 'rolling-back']);

/** Still waiting for a decision: may be approved, rejected, expired or superseded. */
export const AWAITING_DECISION_STATES: ReadonlySet<CardState> = new Set(['pending', 'approved']);

/** The card's revision was deployed (healthy or not): may be rolled back. */
export const DEPLOYED_STATES: ReadonlySet<CardState> = new Set(['succeeded', 'degraded']);

/** What a card knows of the change before GitHub has been asked (or when it cannot be). */
/** The changelog of a new card, until its enrichment reads it from GitHub. */
export function emptyChangelog(): Changelog {
  return {
    available: false,
    pending: true,
    commits: [],
    totalCommits: 0,
    pulls: [],
    authorLogins: [],
    authorEmails: [],
  };
}

/** Checks not read yet, or GitHub unreachable: requireGreenChecks treats this as not green. */
export function unknownChecks(): ChecksSummary {
  return { state: 'unknown', total: 0, failing: [], pendingNames: [] };
}

export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : 'unknown';
}

/** The card after its sync or rollback ended in failure with `message` (shown on it, Retry offered). */
export function failedCard(card: Card, message: string, now: number): Card {
  return {
    ...card,
    state: 'failed',
    notice: undefined,
    operation: { ...card.operation, phase: 'Failed', message, finishedAt: new Date(now).toISOString() },
  };
}
