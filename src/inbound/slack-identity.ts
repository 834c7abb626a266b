/** Who a Slack request says it comes from: the same checks over HTTP and over Socket Mode. */

type SlackBody = Record<string, unknown>;

const isObject = (value: unknown): value is SlackBody =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export interface RequestIdentity {
  teamId?: string;
  appId?: string;
  enterpriseIds: string[];
}

/** Workspace and app of a command (form fields), an interaction (payload) or an Events API body (JSON). */
export function requestIdentity(body: SlackBody): RequestIdentity {
  const team = isObject(body.team) ? text(body.team.id) : undefined;
  const userTeam = isObject(body.user) ? text(body.user.team_id) : undefined;
  // Enterprise Grid: interactions and views carry `enterprise.id` (and `team.enterprise_id`), commands
  // and Events API bodies `enterprise_id`, Events API bodies also `authorizations[].enterprise_id`.
  // A form field given twice arrives as an array: every value counts, none is skipped.
  const enterpriseIds = [
    isObject(body.enterprise) ? body.enterprise.id : undefined,
    isObject(body.team) ? body.team.enterprise_id : undefined,
    body.enterprise_id,
    ...(Array.isArray(body.authorizations)
      ? body.authorizations.map((a: unknown) => (isObject(a) ? a.enterprise_id : undefined))
      : []),
  ]
    .flat()
    .filter((id): id is string => typeof id === 'string' && id !== '');
  return { teamId: team ?? text(body.team_id) ?? userTeam, appId: text(body.api_app_id), enterpriseIds };
}

/**
 * SLACK_TEAM_ID pins one workspace (T…) or one Enterprise Grid organisation (E…). An E… id accepts any
 * workspace of that organisation: every enterprise id the body names must be it, and a body that
 * names a workspace but no enterprise comes from outside the organisation. A body naming neither
 * (ssl_check, url_verification) is only signed, as it is with a T… id.
 */
function isOtherWorkspace(who: RequestIdentity, pinned: string | undefined): boolean {
  if (!pinned) return false;
  if (pinned.startsWith('E')) {
    if (who.enterpriseIds.length > 0) return who.enterpriseIds.some((id) => id !== pinned);
    return who.teamId !== undefined;
  }
  return who.teamId !== undefined && who.teamId !== pinned;
}

/** SLACK_TEAM_ID (see isOtherWorkspace) and SLACK_APP_ID, each when set. */
export function isForeignRequest(who: RequestIdentity, pinned: { teamId?: string; appId?: string }): boolean {
  return (
    isOtherWorkspace(who, pinned.teamId) ||
    (pinned.appId !== undefined && who.appId !== undefined && who.appId !== pinned.appId)
  );
}
