import { checkFreeze, checkSuperseded } from './check-card.js';
import { checkPeople, promoteRole } from './check-people.js';
import { describeState } from './describe-state.js';
import type { Decision, PolicyInput } from './types.js';

/** The card's revision is deployed or being deployed: its Rollout is this deploy's. */
const ROLLING_OUT_STATES: ReadonlySet<string> = new Set(['syncing', 'succeeded', 'degraded']);

const DEEDS: Record<string, string> = {
  'promote-rollout': 'promote',
  'promote-full-rollout': 'fully promote',
  'abort-rollout': 'abort',
  'retry-rollout': 'retry',
};

/**
 * Promote, Promote fully, Abort and Retry of an Argo Rollout: the environment's promote principals
 * (default the approvers). A freeze holds a rollout where it is (no promotion, no retry) but never
 * stops an Abort: aborting is how a bad canary is stopped during a freeze. Whether the Rollout is in
 * the state the press was made for is checked against the live Rollout, not here.
 */
export function decideRolloutAction(input: PolicyInput): Decision {
  const { card, action } = input;
  const deed = `${DEEDS[action] ?? action} the rollout of ${card.app.name}`;
  const superseded = checkSuperseded(input);
  if (superseded) return superseded;
  if (!ROLLING_OUT_STATES.has(card.state)) {
    return {
      allowed: false,
      rule: 'not-rolling-out',
      reason: `Only a deployed or deploying card has a rollout to ${DEEDS[action] ?? action}; this deploy of ${card.app.name} is ${describeState(card.state)}.`,
    };
  }
  const people = checkPeople(input, promoteRole(input.environment, deed));
  if (people) return people;
  if (action !== 'abort-rollout') {
    const frozen = checkFreeze(input);
    if (frozen) return frozen;
  }
  return { allowed: true };
}
