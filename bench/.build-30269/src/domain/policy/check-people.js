import { describeApprovers } from './describe-approvers.js';
import { findUnresolvedGroups, hasPrincipals, isPrincipal } from './principals.js';
/** Deny by default: an empty list admits nobody, and an unresolved group admits none of its members. */
export function checkPeople({ actor, environment, groupMembers }, role) {
    if (!hasPrincipals(role.principals)) {
        return {
            allowed: false,
            rule: role.emptyRule,
            reason: `Nobody may ${role.deed}: ${environment.name} lists no ${role.title} in deploybot.yaml.`,
        };
    }
    if (isPrincipal(role.principals, actor.id, groupMembers))
        return undefined;
    const unresolved = findUnresolvedGroups(role.principals, groupMembers);
    const note = unresolved.length
        ? ` (the members of ${unresolved.map((g) => `<!subteam^${g}>`).join(', ')} could not be read just now)`
        : '';
    return {
        allowed: false,
        rule: role.outsiderRule,
        reason: `Only the ${environment.name} ${role.title} (${describeApprovers(role.principals)}) may ${role.deed}${note}.`,
    };
}
export function approverRole(environment, deed) {
    return {
        principals: environment.approvers,
        title: 'approvers',
        deed,
        emptyRule: 'no-approvers',
        outsiderRule: 'not-approver',
    };
}
/** The schema fills `rollback` with the approvers when the policy omits it. */
export function rollbackRole(environment, deed) {
    return {
        principals: environment.rollback,
        title: 'rollback users',
        deed,
        emptyRule: 'no-rollback-users',
        outsiderRule: 'not-rollback-user',
    };
}
