/**
 * The identity fields of a signed interaction payload (block_actions, view_submission) that say where
 * the user comes from. Slack puts the installing workspace in `team` (and, for modals, in
 * `view.app_installed_team_id`), the user's own workspace in `user.team_id`; on Enterprise Grid
 * `user.team_id` is the organization's id (E…), which `enterprise.id` / `team.enterprise_id` carry.
 */
export interface PayloadIdentity {
  user?: { team_id?: string; enterprise_id?: string } | null;
  team?: { id?: string; enterprise_id?: string } | null;
  enterprise?: { id?: string } | null;
  view?: { app_installed_team_id?: string | null } | null;
}

const present = (value: string | null | undefined): value is string =>
  typeof value === 'string' && value !== '';

/**
 * True when the user is not a member of the installing workspace or its Grid organization: a Slack
 * Connect user clicking in a shared channel. Such a user must not count for `users: ["*"]`. A payload
 * that names no workspace to compare with, or no workspace of the user, counts as external (fail closed:
 * only "*" is affected, explicit ids and groups still admit).
 */
export function isExternalUser(body: PayloadIdentity): boolean {
  const home = [
    body.team?.id,
    body.team?.enterprise_id,
    body.enterprise?.id,
    body.view?.app_installed_team_id,
  ];
  const homes = new Set(home.filter(present));
  const userTeams = [body.user?.team_id, body.user?.enterprise_id].filter(present);
  if (homes.size === 0 || userTeams.length === 0) return true;
  // Another workspace of the same Grid organization is one of ours: same-enterprise counts as internal.
  return !userTeams.some((team) => homes.has(team));
}
