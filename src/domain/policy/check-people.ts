import type { EnvironmentPolicy } from '../../config/policy-schema.js';
import { describeApprovers } from './describe-approvers.js';
import {
  findUnresolvedGroups,
  hasPrincipals,
  isPrincipal,
  isRefusedOnlyAsExternal,
  mergePrincipals,
  type PrincipalList,
} from './principals.js';
import type { Denied, PolicyInput } from './types.js';

export interface Role {
  principals: PrincipalList;
  /** "approvers", "rollback users" */
  title: string;
  /** "approve this deploy", "roll back this deploy" */
  deed: string;
  emptyRule:
    | 'no-approvers'
    | 'no-rollback-users'
    | 'no-break-glass'
    | 'no-freeze-principals'
    | 'no-promoters';
  outsiderRule:
    | 'not-approver'
    | 'not-rollback-user'
    | 'not-break-glass'
    | 'not-freeze-principal'
    | 'not-promoter';
}

/** What a people check reads: who acts, where, and the members of the groups the rule names. */
export type PeopleInput = Pick<PolicyInput, 'actor' | 'environment' | 'groupMembers'>;

/** Deny by default: an empty list admits nobody, and an unresolved group admits none of its members. */
export function checkPeople(
  { actor, environment, groupMembers }: PeopleInput,
  role: Role,
): Denied | undefined {
  if (!hasPrincipals(role.principals)) {
    return {
      allowed: false,
      rule: role.emptyRule,
      reason: `Nobody may ${role.deed}: ${environment.name} lists no ${role.title} in deploybot.yaml.`,
    };
  }
  if (isPrincipal(role.principals, actor.id, groupMembers, { external: actor.external })) return undefined;
  if (isRefusedOnlyAsExternal(role.principals, actor.external)) {
    return {
      allowed: false,
      rule: role.outsiderRule,
      reason: `You are not a member of this Slack workspace (Slack Connect), and "*" in the ${environment.name} ${role.title} admits members of this workspace only; you may not ${role.deed} unless deploybot.yaml lists you by user id or group.`,
    };
  }
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

export function approverRole(environment: EnvironmentPolicy, deed: string): Role {
  return {
    principals: environment.approvers,
    title: 'approvers',
    deed,
    emptyRule: 'no-approvers',
    outsiderRule: 'not-approver',
  };
}

/** The schema fills `rollback` with the approvers when the policy omits it. */
export function rollbackRole(environment: EnvironmentPolicy, deed: string): Role {
  return {
    principals: environment.rollback,
    title: 'rollback users',
    deed,
    emptyRule: 'no-rollback-users',
    outsiderRule: 'not-rollback-user',
  };
}

/** Who may approve through a freeze; a break-glass principal need not be an approver. */
export function breakGlassRole(environment: EnvironmentPolicy, deed: string): Role {
  return {
    principals: environment.breakGlass,
    title: 'break-glass principals',
    deed,
    emptyRule: 'no-break-glass',
    outsiderRule: 'not-break-glass',
  };
}

/** Who may declare or end a freeze from Slack: the approvers and the break-glass principals. */
export function freezeRole(environment: EnvironmentPolicy, deed: string): Role {
  return {
    principals: mergePrincipals(environment.approvers, environment.breakGlass),
    title: 'approvers and break-glass principals',
    deed,
    emptyRule: 'no-freeze-principals',
    outsiderRule: 'not-freeze-principal',
  };
}

/** Who may promote, abort or retry an Argo Rollout; the schema fills `promote` with the approvers. */
export function promoteRole(environment: EnvironmentPolicy, deed: string): Role {
  return {
    principals: environment.promote,
    title: 'promote principals',
    deed,
    emptyRule: 'no-promoters',
    outsiderRule: 'not-promoter',
  };
}
