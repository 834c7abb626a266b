export const ANYONE = '*';
export function hasPrincipals(principals) {
    return principals.users.length > 0 || principals.groups.length > 0;
}
export function isPrincipal(principals, userId, groupMembers) {
    if (principals.users.includes(ANYONE) || principals.users.includes(userId))
        return true;
    return principals.groups.some((group) => groupMembers[group]?.includes(userId) === true);
}
/** Listed groups whose members the caller could not supply: the denial says so instead of hiding it. */
export function findUnresolvedGroups(principals, groupMembers) {
    return principals.groups.filter((group) => groupMembers[group] === undefined);
}
export function mergePrincipals(a, b) {
    return { users: [...new Set([...a.users, ...b.users])], groups: [...new Set([...a.groups, ...b.groups])] };
}
