/**
 * Who may press what on a fleet card (pure): the group's environment decides, as it does for an app
 * card. Approvals are counted once for the card; freezes refuse approvals; with self-approval off, the
 * author of the revision (its commit e-mail, from Argo CD) may not approve it.
 */
import { formatDuration } from '../config/duration.js';
import type { EnvironmentPolicy } from '../config/policy-schema.js';
import { type Card, type ChecksSummary, unknownChecks } from './card.js';
import type { FleetCard } from './fleet-card.js';
import { findFreezeInForce, type SlackFreeze } from './freeze-window.js';
import { checkGreenChecks } from './policy/check-card.js';
import { approverRole, checkPeople, rollbackRole } from './policy/check-people.js';
import { escapeMrkdwn, formatInstant } from './policy/format-text.js';
import type { Actor, Denied, GroupMembers, PolicyInput } from './policy/types.js';

export type FleetAction = 'approve' | 'reject' | 'abort' | 'retry' | 'rollback';

export interface FleetPolicyInput {
  action: FleetAction;
  card: FleetCard;
  environment: EnvironmentPolicy;
  actor: Actor;
  groupMembers: GroupMembers;
  now: number;
  slackFreezes?: readonly SlackFreeze[];
  /** The revision's GitHub checks as read for this press (unknown when unread: the gate fails closed). */
  checks?: ChecksSummary;
}

export type FleetDecision = { allowed: true } | Denied;

const DEEDS: Record<FleetAction, string> = {
  approve: 'approve this fleet deploy',
  reject: 'reject this fleet deploy',
  abort: 'abort this fleet sync',
  retry: 'retry this fleet sync',
  rollback: 'roll back this fleet deploy',
};

function checkSelfApproval({ environment, actor, card }: FleetPolicyInput): Denied | undefined {
  if (environment.allowSelfApproval) return undefined;
  const author = card.to.authorEmail?.toLowerCase();
  const rule = `${environment.name} does not allow self-approval`;
  if (!author)
    return {
      allowed: false,
      rule: 'self-approval',
      reason: `The author of ${card.revision.slice(0, 7)} could not be read yet and ${rule}; press again in a moment.`,
    };
  const mine = [actor.email, ...(actor.emails ?? [])].some((e) => e?.toLowerCase() === author);
  if (!mine && !actor.emailUnknown) return undefined;
  return {
    allowed: false,
    rule: 'self-approval',
    reason: mine
      ? `You authored ${card.revision.slice(0, 7)} (commit e-mail of this revision) and ${rule}; ask another approver.`
      : `Your Slack profile e-mail could not be read just now and ${rule}; try again in a moment.`,
  };
}

function checkFreeze({ environment, now, slackFreezes }: FleetPolicyInput): Denied | undefined {
  const active = findFreezeInForce(environment.freezes, slackFreezes ?? [], now);
  if (!active) return undefined;
  return {
    allowed: false,
    rule: 'freeze',
    reason: `Deploys to ${environment.name} are frozen (${escapeMrkdwn(active.reason)}); approvals are refused until it ends.`,
  };
}

/**
 * The app cards' checks gate, word for word: it reads only the environment, the checks and the revision,
 * so the fleet card lends it those (the rest of an app card has no meaning for a fleet).
 */
function checkChecks({ environment, card, checks }: FleetPolicyInput): Denied | undefined {
  const shown = { revision: card.revision, checks: checks ?? unknownChecks() } as Pick<
    Card,
    'revision' | 'checks'
  >;
  return checkGreenChecks({ environment, card: shown } as unknown as PolicyInput);
}

/** The people rule of the action, then the gates of an approval. State refusals come from the transition. */
export function decideFleet(input: FleetPolicyInput): FleetDecision {
  const deed = DEEDS[input.action];
  const role =
    input.action === 'rollback'
      ? rollbackRole(input.environment, deed)
      : approverRole(input.environment, deed);
  const denied = checkPeople(input, role);
  if (denied) return denied;
  const expiresAt = input.card.createdAt + input.environment.approvalTimeout;
  if ((input.action === 'approve' || input.action === 'reject') && input.now > expiresAt)
    return {
      allowed: false,
      rule: 'expired',
      reason: `This fleet card expired ${formatInstant(expiresAt)}: ${input.environment.name} approvals close ${formatDuration(input.environment.approvalTimeout)} after the card is posted.`,
    };
  if (input.action === 'approve' || input.action === 'retry') {
    if (input.action === 'approve' && input.card.approvals.some((a) => a.user === input.actor.id))
      return { allowed: false, rule: 'already-approved', reason: 'You already approved this fleet deploy.' };
    const gated =
      (input.action === 'approve' ? (checkSelfApproval(input) ?? checkChecks(input)) : undefined) ??
      checkFreeze(input);
    if (gated) return gated;
  }
  return { allowed: true };
}
