/**
 * Every rule that can refuse an action, with what it means. The set is closed: the audit log,
 * metrics and tests key on these names, so add a rule here before any code returns it.
 */
export const DENY_RULES = {
  'not-approval-card': 'the card reports what an auto-sync app did; it has no approval to give or refuse',
  'no-approvers':
    'the environment lists no approvers (users or groups), so nobody may approve, reject, retry or abort',
  'not-approver': 'the clicker is not among the environment approvers, by user id, "*" or group membership',
  'no-rollback-users':
    'the environment lists nobody who may roll back (rollback principals, or approvers by default)',
  'not-rollback-user': 'the clicker is not among the environment rollback principals',
  'already-approved': 'the clicker already approved this card; approvals count distinct people',
  'self-approval':
    "self-approval is off and the clicker authored or committed a commit in the change or opened or merged a pull request holding one, or that could not be verified (changelog unavailable, a commit linked to no account and in no pull request, more commits than read, or the clicker's identity unknown)",
  'checks-not-green':
    'green checks are required (requireGreenChecks or requiredChecks) and the target revision has a failing check, one still running, or a required one that has not reported',
  'checks-unknown': 'green checks are required and the checks of the target revision could not be read',
  freeze: 'a freeze window of the environment is in force',
  expired: 'the approval timeout has passed since the card was posted',
  superseded: 'a newer target revision replaced this card',
  'not-pending':
    'the card no longer waits for approval (syncing, deployed, rejected, or all approvals given)',
  'not-deployed': 'rollback and revert need a deployed card (succeeded or degraded)',
  'no-previous-revision': 'there is no earlier deployment to go back to',
  'auto-sync-rollback': 'Argo CD refuses to roll back an auto-synced app; Revert in Git is the way back',
  'revert-pr-exists': 'a revert pull request was already opened for this card',
  'no-operation': 'abort needs a sync or rollback in progress',
  'not-failed': 'retry needs a failed sync',
  held: 'the revision was rolled back or reverted in Git and is held until an approver presses Release hold',
  'not-held': 'release hold needs a held card',
  'not-frozen': 'break glass is for approving through a freeze, and no freeze covers the card now',
  'no-break-glass': 'the environment lists nobody under breakGlass, so nobody may approve through a freeze',
  'not-break-glass': 'the clicker is not among the environment breakGlass principals',
  'no-freeze-principals':
    'the environment lists no approvers and no breakGlass principals, so nobody may freeze it from Slack',
  'not-freeze-principal':
    'only the environment approvers and breakGlass principals may freeze it or end a freeze',
  'no-promoters':
    'the environment lists nobody who may promote, abort or retry a Rollout (promote principals, or approvers by default)',
  'not-promoter': 'the clicker is not among the environment promote principals',
  'not-rolling-out': 'Rollout actions need a card whose revision is deployed or deploying',
} as const satisfies Record<string, string>;

export type DenyRule = keyof typeof DENY_RULES;
