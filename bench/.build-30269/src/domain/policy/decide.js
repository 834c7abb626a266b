import { decideApprove, decideReject } from './decide-approval.js';
import { decideAbort, decideRetry } from './decide-operation.js';
import { decideRevertInGit, decideRollback } from './decide-rollback.js';
/**
 * Whether `input.actor` may perform `input.action` on the stored card, with the rule that refused.
 * Pure: identities, group members and the clock arrive as data, so the caller resolves them first.
 */
export function decide(input) {
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
        default: {
            const unknown = input.action;
            // A value from an untyped source (an old stored job) must not be allowed by falling through.
            return {
                allowed: false,
                rule: 'not-pending',
                reason: `Unknown action "${String(unknown)}" was refused.`,
            };
        }
    }
}
