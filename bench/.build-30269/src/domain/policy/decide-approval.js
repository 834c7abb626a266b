import { checkExpired, checkFreeze, checkGreenChecks, checkSuperseded } from './check-card.js';
import { approverRole, checkPeople } from './check-people.js';
import { describeState } from './describe-state.js';
import { findAuthorship } from './find-authorship.js';
import { escapeMrkdwn } from './format-text.js';
const OPEN_STATES = new Set(['pending', 'approved']);
function distinctApprovers(input) {
    return new Set(input.card.approvals.map((approval) => approval.user));
}
// A card asking for 0 approvals still needs the click that approves it.
function approvalsNeeded(input) {
    return Math.max(1, input.card.requiredApprovals);
}
/** Card-level rules shared by approve and reject: the card must still be an open approval request. */
function checkOpenRequest(input, verb) {
    const { card } = input;
    if (card.kind !== 'approval') {
        return {
            allowed: false,
            rule: 'not-approval-card',
            reason: `This card reports an auto-sync of ${card.app.name}; there is nothing to ${verb}.`,
        };
    }
    const superseded = checkSuperseded(input);
    if (superseded)
        return superseded;
    if (card.state === 'expired')
        return checkExpired(input);
    if (!OPEN_STATES.has(card.state)) {
        return {
            allowed: false,
            rule: 'not-pending',
            reason: `This deploy of ${card.app.name} is ${describeState(card.state)}, so it can no longer be ${verb === 'approve' ? 'approved' : 'rejected'}.`,
        };
    }
    return checkExpired(input);
}
function checkSelfApproval(input) {
    const { environment, actor, card } = input;
    if (environment.allowSelfApproval)
        return undefined;
    const authorship = findAuthorship(actor, card.changelog);
    const rule = `${environment.name} does not allow self-approval`;
    switch (authorship.kind) {
        case 'not-author':
            return undefined;
        case 'author':
            return {
                allowed: false,
                rule: 'self-approval',
                reason: `You authored a commit in this change (GitHub ${authorship.via === 'login' ? 'login' : 'e-mail'} ${escapeMrkdwn(authorship.identity)}) and ${rule}; ask another approver.`,
            };
        case 'unknown-change':
            return {
                allowed: false,
                rule: 'self-approval',
                reason: `The commits of this change could not be verified (changelog unavailable) and ${rule}, so approval is refused until the changelog loads.`,
            };
        case 'unknown-actor':
            return {
                allowed: false,
                rule: 'self-approval',
                reason: `Your GitHub identity is unknown (no \`people\` entry in deploybot.yaml and no matching e-mail on your Slack profile) and ${rule}, so it could not be verified that you wrote none of this change.`,
            };
    }
}
export function decideApprove(input) {
    const { card, actor } = input;
    const denied = checkOpenRequest(input, 'approve') ??
        checkPeople(input, approverRole(input.environment, 'approve this deploy'));
    if (denied)
        return denied;
    const approvers = distinctApprovers(input);
    const needed = approvalsNeeded(input);
    if (approvers.has(actor.id)) {
        return {
            allowed: false,
            rule: 'already-approved',
            reason: needed === 1
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
    const gated = checkSelfApproval(input) ?? checkGreenChecks(input) ?? checkFreeze(input);
    if (gated)
        return gated;
    const approvalsAfter = approvers.size + 1;
    return { allowed: true, approvalsAfter, thresholdReached: approvalsAfter >= needed };
}
/** Reject is for the approvers; self-approval, checks and freezes do not apply (refusing is always safe). */
export function decideReject(input) {
    return (checkOpenRequest(input, 'reject') ??
        checkPeople(input, approverRole(input.environment, 'reject this deploy')) ?? { allowed: true });
}
