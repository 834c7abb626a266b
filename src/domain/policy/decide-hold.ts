import { checkSuperseded } from './check-card.js';
import { approverRole, checkPeople } from './check-people.js';
import type { Decision, PolicyInput } from './types.js';

/**
 * Release hold is for the approvers: it makes a rolled-back revision approvable again (which is what
 * an approval then decides, with every rule). A rolled-back card that a newer target replaced stays
 * held: the newer card is the one to approve.
 */
export function decideReleaseHold(input: PolicyInput): Decision {
  const { card } = input;
  if (!card.hold) {
    return {
      allowed: false,
      rule: 'not-held',
      reason: `This deploy of ${card.app.name} is not held; there is nothing to release.`,
    };
  }
  if (card.state === 'rolled-back') {
    const superseded = checkSuperseded(input);
    if (superseded) return superseded;
  }
  return checkPeople(input, approverRole(input.environment, 'release this hold')) ?? { allowed: true };
}
