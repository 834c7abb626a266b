/** Every action_id and callback_id deploybot uses, in one place (Slack routes on these strings). */
export const ACTION_IDS = {
  approve: 'deploy_approve_sync',
  reject: 'deploy_reject',
  rollback: 'deploy_rollback',
  revertInGit: 'deploy_revert_git',
  abort: 'deploy_abort',
  retry: 'deploy_retry',
  breakGlass: 'deploy_break_glass',
  releaseHold: 'deploy_release_hold',
  openInArgo: 'deploy_open_argocd',
  openPullRequest: 'deploy_open_pr',
  statusNextPage: 'status_next_page',
  rolloutPromote: 'rollout_promote',
  rolloutPromoteFull: 'rollout_promote_full',
  rolloutAbort: 'rollout_abort',
  rolloutRetry: 'rollout_retry',
  // Fleet cards (one card per group and revision): their own ids, so each handler knows the card kind.
  fleetApprove: 'fleet_approve_sync',
  fleetReject: 'fleet_reject',
  fleetRetry: 'fleet_retry',
  fleetRollback: 'fleet_rollback',
  fleetAbort: 'fleet_abort',
} as const;

export const VIEW_IDS = {
  rejectReason: 'deploy_reason_modal',
  breakGlassReason: 'deploy_break_glass_modal',
  fleetRejectReason: 'fleet_reason_modal',
} as const;

export const REJECT_REASON_BLOCK = 'reason_block';
export const REJECT_REASON_INPUT = 'reason_input';
export const BREAK_GLASS_REASON_BLOCK = 'break_glass_reason_block';
export const BREAK_GLASS_REASON_INPUT = 'break_glass_reason_input';
