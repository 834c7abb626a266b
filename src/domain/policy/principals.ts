import type { GroupMembers } from './types.js';

/** Who may do something: Slack user ids ("*" = any member of this workspace) and Slack user group ids. */
export interface PrincipalList {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

export const ANYONE = '*';

export function hasPrincipals(principals: PrincipalList): boolean {
  return principals.users.length > 0 || principals.groups.length > 0;
}

export interface PrincipalOptions {
  /** The user is from another workspace (Slack Connect): only an explicit id or a group admits them. */
  external?: boolean;
}

/**
 * "*" means the members of the installing workspace, not everyone who can see the channel: a shared
 * (Slack Connect) channel shows the card to another company's people too.
 */
export function isPrincipal(
  principals: PrincipalList,
  userId: string,
  groupMembers: GroupMembers,
  { external = false }: PrincipalOptions = {},
): boolean {
  if (principals.users.includes(userId)) return true;
  if (!external && principals.users.includes(ANYONE)) return true;
  return principals.groups.some((group) => groupMembers[group]?.includes(userId) === true);
}

/** An external user whom only "*" would have admitted: the denial says why instead of "only anyone may". */
export function isRefusedOnlyAsExternal(principals: PrincipalList, external: boolean | undefined): boolean {
  return external === true && principals.users.includes(ANYONE);
}

/** Listed groups whose members the caller could not supply: the denial says so instead of hiding it. */
export function findUnresolvedGroups(principals: PrincipalList, groupMembers: GroupMembers): string[] {
  return principals.groups.filter((group) => groupMembers[group] === undefined);
}

export function mergePrincipals(a: PrincipalList, b: PrincipalList): PrincipalList {
  return { users: [...new Set([...a.users, ...b.users])], groups: [...new Set([...a.groups, ...b.groups])] };
}
