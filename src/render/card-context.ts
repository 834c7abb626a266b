/** What a deploy card needs besides the card itself; resolved by the caller (policy, config, the store). */
export interface CardRenderContext {
  /** Base of the Argo CD UI; the card links `${argoUiUrl}/applications/${namespace}/${name}`. */
  argoUiUrl: string;
  /** GitHub web base (e.g. https://github.com) for commit, compare and PR links; no links without it. */
  githubWebUrl?: string;
  /** Trusted mrkdwn from the policy, e.g. "<@U0ALICE> or <!subteam^S0ONCALL>". */
  approvers: string;
  /** Trusted mrkdwn naming who may roll back; omitted means the approvers. */
  rollbackers?: string;
  /** Epoch ms; the renderer never reads the clock. */
  now: number;
  /** Epoch ms when a pending card expires (createdAt + approvalTimeout). */
  expiresAt?: number;
  /**
   * The freeze in force (a policy window or one declared from Slack by `by`): approvals are refused
   * until `endsAt` (epoch ms).
   */
  frozen?: { reason: string; endsAt: number; by?: string };
  /** The environment lists break-glass principals: a frozen pending card offers Break glass. */
  breakGlass?: boolean;
  /** Full or short SHA of the card that superseded this one. */
  supersededByRevision?: string;
  /** chat.getPermalink of the card that superseded this one. */
  supersededPermalink?: string;
}
