import type { GroupMembers } from './types.js';

/** Who may do something: Slack user ids ("*" = any member) and Slack user group ids. */
export interface PrincipalList {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

export const ANYONE = '*';

export function hasPrincipals(principals: PrincipalList): boolean {
  return principals.users.length > 0 || principals.groups.length > 0;
}

export function isPrincipal(principals: PrincipalList, userId: string, groupMembers: GroupMembers): boolean {
  if (principals.users.includes(ANYONE) || principals.users.includes(userId)) return true;
  return principals.groups.some((group) => groupMembers[group]?.includes(userId) === true);
}

/** Listed groups whose members the caller could not supply: the denial says so instead of hiding it. */
export function findUnresolvedGroups(principals: PrincipalList, groupMembers: GroupMembers): string[] {
  return principals.groups.filter((group) => groupMembers[group] === undefined);
}

export function mergePrincipals(a: PrincipalList, b: PrincipalList): PrincipalList {
  return { users: [...new Set([...a.users, ...b.users])], groups: [...new Set([...a.groups, ...b.groups])] };
}
