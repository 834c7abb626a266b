import { formatDuration } from '../../config/duration.js';
import { shortSha } from '../card.js';
import { isFrozen } from '../freeze-window.js';
import { escapeMrkdwn, formatInstant } from './format-text.js';
// Checks shared by several actions. Each returns the denial, or undefined when the rule passes.
export function checkSuperseded({ card, isCurrentTarget }) {
    if (isCurrentTarget && card.state !== 'superseded')
        return undefined;
    return {
        allowed: false,
        rule: 'superseded',
        reason: `This card of ${card.app.name} is superseded: a newer revision replaced ${shortSha(card.revision)}, act on the newest card instead.`,
    };
}
/** `approvalTimeout` counts from the card's creation; the instant itself is still inside it. */
export function checkExpired({ card, environment, now }) {
    const expiresAt = card.createdAt + environment.approvalTimeout;
    if (card.state !== 'expired' && now <= expiresAt)
        return undefined;
    return {
        allowed: false,
        rule: 'expired',
        reason: `This card of ${card.app.name} expired ${formatInstant(expiresAt)}: ${environment.name} approvals close ${formatDuration(environment.approvalTimeout)} after the card is posted.`,
    };
}
export function checkGreenChecks({ card, environment }) {
    if (!environment.requireGreenChecks)
        return undefined;
    const { checks } = card;
    const sha = shortSha(card.revision);
    const requirement = `and ${environment.name} requires green checks`;
    switch (checks.state) {
        case 'success':
            return undefined;
        case 'failure': {
            const failing = checks.failing.length ? ` (${escapeMrkdwn(checks.failing.join(', '))})` : '';
            return {
                allowed: false,
                rule: 'checks-not-green',
                reason: `GitHub checks failed on ${sha}${failing}, ${requirement}.`,
            };
        }
        case 'pending': {
            const running = checks.pendingNames.length ? ` (${escapeMrkdwn(checks.pendingNames.join(', '))})` : '';
            return {
                allowed: false,
                rule: 'checks-not-green',
                reason: `GitHub checks are still running on ${sha}${running}, ${requirement}; try again when they pass.`,
            };
        }
        default:
            return {
                allowed: false,
                rule: 'checks-unknown',
                reason: `The GitHub checks of ${sha} could not be read, ${requirement}, so this is refused until they can be verified.`,
            };
    }
}
export function checkFreeze({ environment, now }) {
    const active = isFrozen(environment.freezes, now);
    if (!active)
        return undefined;
    const zone = active.freeze.kind === 'weekly' ? active.freeze.timezone : 'UTC';
    return {
        allowed: false,
        rule: 'freeze',
        reason: `Deploys to ${environment.name} are frozen (${escapeMrkdwn(active.freeze.reason)}) until ${formatInstant(active.endsAt, zone)}.`,
    };
}
