import { DEPLOYED_STATES, shortSha } from '../card.js';
import { checkSuperseded } from './check-card.js';
import { checkPeople, rollbackRole } from './check-people.js';
import { describeState } from './describe-state.js';
import type { Decision, Denied, PolicyInput } from './types.js';

// Freezes, checks and the approval timeout do not apply to going back: rolling back is how a bad
// deploy is stopped during a freeze, and a card deployed days ago must stay roll-back-able.
function checkDeployedCard(input: PolicyInput, deed: string): Denied | undefined {
  const { card } = input;
  const superseded = checkSuperseded(input);
  if (superseded) return superseded;
  if (DEPLOYED_STATES.has(card.state)) return undefined;
  return {
    allowed: false,
    rule: 'not-deployed',
    reason: `Only a deployed card can be ${deed}; this deploy of ${card.app.name} is ${describeState(card.state)}.`,
  };
}

export function decideRollback(input: PolicyInput): Decision {
  const { card } = input;
  const denied =
    checkDeployedCard(input, 'rolled back') ??
    checkPeople(input, rollbackRole(input.environment, `roll back ${card.app.name}`));
  if (denied) return denied;
  if (card.autoSync) {
    return {
      allowed: false,
      rule: 'auto-sync-rollback',
      reason: `${card.app.name} is auto-synced and Argo CD refuses to roll back an auto-synced app; use Revert in Git instead.`,
    };
  }
  if (card.previousHistoryId === undefined) {
    return {
      allowed: false,
      rule: 'no-previous-revision',
      reason: `Argo CD has no deployment of ${card.app.name} before ${shortSha(card.revision)} to roll back to.`,
    };
  }
  return { allowed: true };
}

/** Revert in Git is the way back for auto-synced apps, and open to manual-sync apps too. */
export function decideRevertInGit(input: PolicyInput): Decision {
  const { card } = input;
  const denied =
    checkDeployedCard(input, 'reverted') ??
    checkPeople(input, rollbackRole(input.environment, `revert ${card.app.name} in Git`));
  if (denied) return denied;
  if (card.revertPr) {
    return {
      allowed: false,
      rule: 'revert-pr-exists',
      reason: `A revert pull request for this deploy of ${card.app.name} is already open: <${card.revertPr.url}|#${card.revertPr.number}>.`,
    };
  }
  if (!card.from?.sha) {
    return {
      allowed: false,
      rule: 'no-previous-revision',
      reason: `There is no revision of ${card.app.name} deployed before ${shortSha(card.revision)} to revert to.`,
    };
  }
  return { allowed: true };
}
