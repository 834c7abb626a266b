import type { EnvironmentPolicy } from '../../config/policy-schema.js';
import type { Card } from '../card.js';
import type { SlackFreeze } from '../freeze-window.js';
import type { DenyRule } from './deny-rules.js';

export type PolicyAction =
  | 'approve'
  | 'reject'
  | 'rollback'
  | 'revert-in-git'
  | 'abort'
  | 'retry'
  | 'break-glass'
  | 'release-hold'
  /** Argo Rollouts resource actions on the card's app (resume, promote-full, abort, retry). */
  | 'promote-rollout'
  | 'promote-full-rollout'
  | 'abort-rollout'
  | 'retry-rollout';

/** The Slack user who clicked, with identities the caller resolved (people mapping, users.info e-mail). */
export interface Actor {
  id: string;
  /**
   * From another Slack workspace (Slack Connect, a shared channel), as the signed payload tells:
   * `"*"` admits members of the installing workspace only; explicit ids and groups still do.
   */
  external?: boolean;
  githubLogin?: string;
  email?: string;
  /**
   * Every e-mail known to be theirs: the `people` entry's `email` and `emails`, and the Slack profile
   * e-mail. `email` alone (older callers) counts too.
   */
  emails?: readonly string[];
  /**
   * The Slack profile e-mail was needed (self-approval) but could not be read: not knowing it, the
   * policy cannot rule out that they wrote the change, so approval fails closed.
   */
  emailUnknown?: boolean;
}

/** Slack user group id -> member user ids. A group missing here counts as having no members. */
export type GroupMembers = Readonly<Record<string, readonly string[]>>;

export interface PolicyInput {
  action: PolicyAction;
  /** The card as stored, not as the clicked message shows it (the message may be stale). */
  card: Card;
  environment: EnvironmentPolicy;
  actor: Actor;
  groupMembers: GroupMembers;
  now: number;
  /**
   * False when a newer revision replaced this card: for a pending card, a newer target; for a
   * deployed card, a newer revision deployed (or deploying) since, so rolling back from here
   * would undo more than this card shows.
   */
  isCurrentTarget: boolean;
  /**
   * Freezes of the card's environment declared from Slack (`/deploy-freeze`), as stored now; merged
   * with the policy's windows wherever a freeze is decided. Absent = none.
   */
  slackFreezes?: readonly SlackFreeze[];
}

interface Allowed {
  allowed: true;
  /** approve only: distinct approvals including this one. */
  approvalsAfter?: number;
  /** approve only: this approval completes the card's required number. */
  thresholdReached?: boolean;
}

export interface Denied {
  allowed: false;
  rule: DenyRule;
  /** One sentence in Slack mrkdwn for the person who clicked. */
  reason: string;
}

export type Decision = Allowed | Denied;
