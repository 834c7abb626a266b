/**
 * Who may read `/deploy-status audit <app>`: the policy's top-level `audit: { users, groups }`. Without
 * the key every member may, as before it existed. The audit names who approved, rejected and was
 * refused, which a workspace may not want every guest to read.
 */
import type { Policy } from '../config/policy-schema.js';
import { describeApprovers } from '../domain/policy/describe-approvers.js';
import { findUnresolvedGroups, hasPrincipals, isPrincipal } from '../domain/policy/principals.js';
import type { GroupMembers } from '../domain/policy/types.js';
import type { Logger } from '../logging/create-logger.js';

export type AuditAccess = { allowed: true } | { allowed: false; reason: string };

export interface AuditAccessDeps {
  policy: Pick<Policy, 'audit'>;
  groupMembers(groupId: string): Promise<string[]>;
  logger: Logger;
}

export async function checkAuditAccess(deps: AuditAccessDeps, user: string): Promise<AuditAccess> {
  const readers = deps.policy.audit;
  if (!readers) return { allowed: true };
  // Deny by default, as everywhere in the policy: an empty list admits nobody.
  if (!hasPrincipals(readers))
    return {
      allowed: false,
      reason: '`audit` in deploybot.yaml lists no users or groups, so nobody may read the audit log.',
    };
  // Listed by id (or "*"): no group lookup, so the answer does not wait on Slack.
  if (isPrincipal(readers, user, {})) return { allowed: true };
  const groupMembers = await listGroups(deps, readers.groups);
  if (isPrincipal(readers, user, groupMembers)) return { allowed: true };
  const unresolved = findUnresolvedGroups(readers, groupMembers);
  const note = unresolved.length
    ? ` (the members of ${unresolved.map((g) => `<!subteam^${g}>`).join(', ')} could not be read just now; try again in a minute)`
    : '';
  return {
    allowed: false,
    reason: `deploybot.yaml lets only ${describeApprovers(readers)} read the audit log${note}.`,
  };
}

/** A group Slack will not list counts as having no members (deny), and the answer says so. */
async function listGroups(deps: AuditAccessDeps, groups: readonly string[]): Promise<GroupMembers> {
  const entries = await Promise.all(
    groups.map(async (group) => {
      try {
        return [group, await deps.groupMembers(group)] as const;
      } catch (error) {
        deps.logger.warn({ err: error, group }, 'could not list audit reader group; treating it as empty');
        return undefined;
      }
    }),
  );
  return Object.fromEntries(entries.filter((e) => e !== undefined));
}
