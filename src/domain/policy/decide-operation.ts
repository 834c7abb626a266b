import { ACTIVE_OPERATION_STATES } from '../card.js';
import { checkExpired, checkFreeze, checkGreenChecks, checkSuperseded } from './check-card.js';
import { approverRole, checkPeople, rollbackRole } from './check-people.js';
import { describeState } from './describe-state.js';
import { mergePrincipals } from './principals.js';
import type { Decision, PolicyInput } from './types.js';

/**
 * Abort is for the approvers; a running rollback may also be aborted by those allowed to start
 * one, or a rollback user who is not an approver could not stop their own rollback.
 */
export function decideAbort(input: PolicyInput): Decision {
  const { card, environment } = input;
  if (!ACTIVE_OPERATION_STATES.has(card.state)) {
    return {
      allowed: false,
      rule: 'no-operation',
      reason: `There is no sync or rollback of ${card.app.name} running to abort; it is ${describeState(card.state)}.`,
    };
  }
  const role =
    card.state === 'rolling-back'
      ? {
          ...rollbackRole(environment, 'abort this rollback'),
          principals: mergePrincipals(environment.approvers, environment.rollback),
          title: 'approvers and rollback users',
        }
      : approverRole(environment, 'abort this sync');
  return checkPeople(input, role) ?? { allowed: true };
}

/**
 * Retry re-runs an approved sync that failed, so the gates of a deploy apply again (freeze, expiry,
 * supersession, checks) but not approval counting or self-approval: the approvals were given.
 */
export function decideRetry(input: PolicyInput): Decision {
  const { card } = input;
  const superseded = checkSuperseded(input);
  if (superseded) return superseded;
  if (card.state !== 'failed') {
    return {
      allowed: false,
      rule: 'not-failed',
      reason: `Only a failed sync can be retried; this deploy of ${card.app.name} is ${describeState(card.state)}.`,
    };
  }
  return (
    checkExpired(input) ??
    checkPeople(input, approverRole(input.environment, 'retry this deploy')) ??
    checkGreenChecks(input) ??
    // The glass broken for this card covers its retries: the freeze was already gone through once.
    (card.breakGlass?.length ? undefined : checkFreeze(input)) ?? { allowed: true }
  );
}
