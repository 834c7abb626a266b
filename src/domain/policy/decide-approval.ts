import type { EnvironmentPolicy } from '../../config/policy-schema.js';
import { AWAITING_DECISION_STATES } from '../card.js';
import { checkExpired, checkFreeze, checkGreenChecks, checkSuperseded, freezeInForce } from './check-card.js';
import { approverRole, breakGlassRole, checkPeople, type Role } from './check-people.js';
import { describeState } from './describe-state.js';
import { type AuthorshipLink, findAuthorship, type UnknownChange } from './find-authorship.js';
import { escapeMrkdwn, formatInstant } from './format-text.js';
import type { Decision, Denied, PolicyInput } from './types.js';

function distinctApprovers(input: PolicyInput): Set<string> {
  return new Set(input.card.approvals.map((approval) => approval.user));
}

/**
 * How many distinct approvals a deploy needs now: the environment's current `requiredApprovals`, not
 * the number stored on the card when it was posted, so a tightened policy reaches open cards too.
 * A card asking for 0 approvals still needs the click that approves it.
 */
export function approvalsRequired(environment: Pick<EnvironmentPolicy, 'requiredApprovals'>): number {
  return Math.max(1, environment.requiredApprovals);
}

function approvalsNeeded(input: PolicyInput): number {
  return approvalsRequired(input.environment);
}

/** Card-level rules shared by approve and reject: the card must still be an open approval request. */
function checkOpenRequest(input: PolicyInput, verb: string): Denied | undefined {
  const { card } = input;
  if (card.kind !== 'approval') {
    return {
      allowed: false,
      rule: 'not-approval-card',
      reason: `This card reports an auto-sync of ${card.app.name}; there is nothing to ${verb}.`,
    };
  }
  const superseded = checkSuperseded(input);
  if (superseded) return superseded;
  if (card.hold) return describeHold(input);
  if (card.state === 'expired') return checkExpired(input);
  if (!AWAITING_DECISION_STATES.has(card.state)) {
    return {
      allowed: false,
      rule: 'not-pending',
      reason: `This deploy of ${card.app.name} is ${describeState(card.state)}, so it can no longer be ${verb === 'approve' ? 'approved' : 'rejected'}.`,
    };
  }
  return checkExpired(input);
}

/** A held revision: rolled back (or reverted) on purpose, so approving it would undo the undo. */
function describeHold({ card }: PolicyInput): Denied {
  const hold = card.hold!;
  const deed = hold.via === 'rollback' ? 'rolled back' : 'reverted in Git';
  return {
    allowed: false,
    rule: 'held',
    reason: `${card.app.name} ${card.revision.slice(0, 7)} is held: ${deed} by <@${hold.user}> ${formatInstant(hold.at)}. An approver must press Release hold before it can be approved again.`,
  };
}

function describeLink(link: AuthorshipLink): string {
  const identity = escapeMrkdwn(link.identity);
  switch (link.via) {
    case 'login':
      return `You authored or committed commit ${link.commit} of this change (GitHub login ${identity})`;
    case 'email':
      return `You authored or committed commit ${link.commit} of this change (GitHub e-mail ${identity})`;
    case 'opened-pull':
      return `You opened pull request #${link.pull} (GitHub login ${identity}), which holds commit ${link.commit} of this change`;
    case 'merged-pull':
      return `You merged pull request #${link.pull} (GitHub login ${identity}), which holds commit ${link.commit} of this change`;
  }
}

function describeUnknownChange(unknown: UnknownChange): string {
  switch (unknown.why) {
    case 'unavailable':
      return 'The commits of this change could not be verified (changelog unavailable)';
    case 'not-read-yet':
      return 'The commits of this change are still being read from GitHub';
    case 'too-long':
      return `This change has ${unknown.total} commits and deploybot verifies the authors of at most ${unknown.read}, so who wrote it could not be verified`;
    case 'no-account':
      return `Commit ${unknown.commit} has an e-mail GitHub links to no account and is in no pull request, so who wrote it could not be verified`;
    case 'pulls-unread':
      return `The pull requests of commit ${unknown.commit} could not be read, so who wrote it could not be verified`;
  }
}

function untilWhat(why: UnknownChange['why']): string {
  if (why === 'not-read-yet') return '; press again in a moment';
  return why === 'unavailable' || why === 'pulls-unread' ? ' until GitHub can be read' : '';
}

function checkSelfApproval(input: PolicyInput): Denied | undefined {
  const { environment, actor, card } = input;
  if (environment.allowSelfApproval) return undefined;
  const authorship = findAuthorship(actor, card.changelog);
  const rule = `${environment.name} does not allow self-approval`;
  switch (authorship.kind) {
    case 'not-author':
      return undefined;
    case 'author':
      return {
        allowed: false,
        rule: 'self-approval',
        reason: `${describeLink(authorship)} and ${rule}; ask another approver.`,
      };
    case 'unknown-change':
      return {
        allowed: false,
        rule: 'self-approval',
        reason: `${describeUnknownChange(authorship)} and ${rule}, so approval is refused${untilWhat(authorship.why)}.`,
      };
    case 'unknown-actor':
      return {
        allowed: false,
        rule: 'self-approval',
        reason:
          authorship.why === 'no-login'
            ? `Your GitHub identity is unknown (no \`people\` entry in deploybot.yaml gives your GitHub login) and ${rule}, so it could not be verified that you wrote none of this change.`
            : `Your Slack profile e-mail could not be read just now and ${rule}, so it could not be verified that you wrote none of this change; try again in a moment.`,
      };
  }
}

/**
 * Approve and Break glass share every rule but two: who may (the approvers, or the break-glass
 * principals) and the freeze (which break glass goes through, and needs).
 */
function decideApproval(input: PolicyInput, role: Role, throughFreeze: boolean): Decision {
  const { card, actor } = input;
  const denied = checkOpenRequest(input, 'approve') ?? checkPeople(input, role);
  if (denied) return denied;
  if (throughFreeze && !freezeInForce(input)) {
    return {
      allowed: false,
      rule: 'not-frozen',
      reason: `No freeze covers ${input.environment.name} now, so there is no glass to break: press Approve & Sync instead.`,
    };
  }
  const approvers = distinctApprovers(input);
  const needed = approvalsNeeded(input);
  if (approvers.has(actor.id)) {
    return {
      allowed: false,
      rule: 'already-approved',
      reason:
        needed === 1
          ? `You already approved this deploy of ${card.app.name}.`
          : `You already approved this deploy of ${card.app.name}; it needs ${needed} approvals from different people (${approvers.size} so far).`,
    };
  }
  if (approvers.size >= needed) {
    return {
      allowed: false,
      rule: 'not-pending',
      reason: `This deploy of ${card.app.name} already has the ${needed === 1 ? 'approval it needs' : `${needed} approvals it needs`} and is about to sync.`,
    };
  }
  const gated =
    checkSelfApproval(input) ?? checkGreenChecks(input) ?? (throughFreeze ? undefined : checkFreeze(input));
  if (gated) return gated;
  const approvalsAfter = approvers.size + 1;
  return { allowed: true, approvalsAfter, thresholdReached: approvalsAfter >= needed };
}

export function decideApprove(input: PolicyInput): Decision {
  return decideApproval(input, approverRole(input.environment, 'approve this deploy'), false);
}

/**
 * Break glass: an approval through the freeze that covers the card, for the break-glass principals
 * only. Everything else still applies (approval count, self-approval, checks, expiry, holds).
 */
export function decideBreakGlass(input: PolicyInput): Decision {
  return decideApproval(
    input,
    breakGlassRole(input.environment, 'approve this deploy through the freeze (break glass)'),
    true,
  );
}

/** Reject is for the approvers; self-approval, checks and freezes do not apply (refusing is always safe). */
export function decideReject(input: PolicyInput): Decision {
  return (
    checkOpenRequest(input, 'reject') ??
    checkPeople(input, approverRole(input.environment, 'reject this deploy')) ?? { allowed: true }
  );
}
