import { decideApprove, decideBreakGlass, decideReject } from './decide-approval.js';
import { decideReleaseHold } from './decide-hold.js';
import { decideAbort, decideRetry } from './decide-operation.js';
import { decideRevertInGit, decideRollback } from './decide-rollback.js';
import { decideRolloutAction } from './decide-rollout.js';
import type { Decision, PolicyInput } from './types.js';

/**
 * Whether `input.actor` may perform `input.action` on the stored card, with the rule that refused.
 * Pure: identities, group members and the clock arrive as data, so the caller resolves them first.
 */
export function decide(input: PolicyInput): Decision {
  switch (input.action) {
    case 'approve':
      return decideApprove(input);
    case 'reject':
      return decideReject(input);
    case 'rollback':
      return decideRollback(input);
    case 'revert-in-git':
      return decideRevertInGit(input);
    case 'abort':
      return decideAbort(input);
    case 'retry':
      return decideRetry(input);
    case 'break-glass':
      return decideBreakGlass(input);
    case 'release-hold':
      return decideReleaseHold(input);
    case 'promote-rollout':
    case 'promote-full-rollout':
    case 'abort-rollout':
    case 'retry-rollout':
      return decideRolloutAction(input);
    default: {
      const unknown: never = input.action;
      // A value from an untyped source (an old stored job) must not be allowed by falling through.
      return {
        allowed: false,
        rule: 'not-pending',
        reason: `Unknown action "${String(unknown)}" was refused.`,
      };
    }
  }
}
