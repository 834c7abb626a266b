/** One-line replies in a card's thread: the audit trail of everything that happened to the deploy. */
import { formatDuration } from '../config/duration.js';
import { type ChecksSummary, shortSha } from '../domain/card.js';
import { buildMessage, type SlackMessage, section } from './block-kit.js';
import { formatChecks } from './card-details.js';
import { formatTimeout } from './card-format.js';
import { truncate, truncateMrkdwn } from './limits.js';
import { code, escapeMrkdwn, link, mentionUser, mentionUsers, oneLine, slackDate } from './mrkdwn.js';

/** An unparsable time reads "an unknown time" (slackDate's fallback for an invalid instant). */
const slackDateOf = (iso: string) => slackDate(Date.parse(iso));

interface PullRequestRef {
  url: string;
  number: number;
}

export type ThreadEvent =
  | { type: 'approved'; user: string; approvals: number; required: number }
  /** `approvers` empty means Argo CD started it (auto-sync). */
  | { type: 'sync-started'; revision: string; approvers: string[]; retry?: boolean }
  | { type: 'progress'; message: string; phase?: string }
  | { type: 'succeeded'; revision: string; health?: string; durationMs?: number }
  | { type: 'failed'; revision: string; message?: string }
  | { type: 'degraded'; health?: string; message?: string }
  | { type: 'rejected'; user: string; reason: string }
  | { type: 'aborted'; user: string }
  | { type: 'rollback-started'; user: string; revision?: string; historyId?: number }
  | { type: 'rollback-finished'; succeeded: boolean; revision?: string; message?: string }
  | { type: 'revert-started'; user: string }
  | { type: 'revert-finished'; user: string; pr?: PullRequestRef; error?: string }
  /**
   * A user was not allowed to act; `reason` names the rule that refused. It is trusted mrkdwn from the
   * policy engine, which escapes what it quotes; its mentions are defused here (see withoutLiveMentions).
   */
  | { type: 'denied'; user: string; action: string; reason: string }
  /** Argo CD (or the store) refused an action that was allowed, e.g. "another operation is already in progress". */
  | { type: 'refused'; action: string; message: string }
  | { type: 'expired'; afterMs: number }
  /** `approvers` is trusted mrkdwn from the policy, e.g. "<@U0ALICE> or <!subteam^S0ONCALL>". */
  | { type: 'reminder'; approvers: string; waitingMs: number }
  | { type: 'superseded'; revision: string; permalink?: string }
  | { type: 'checks-changed'; checks: ChecksSummary }
  | { type: 'push'; ref: string; headSha: string; commits: number; pusher?: string; compareUrl?: string }
  /** Someone approved through a freeze; `reason` is their own words (escaped here). */
  | { type: 'break-glass'; user: string; reason: string; approvals: number; required: number }
  | { type: 'held'; user: string; via: 'rollback' | 'revert' }
  | { type: 'hold-released'; user: string }
  /** `approvers` is trusted mrkdwn from the policy (live mentions: they are paged on purpose). */
  | { type: 'stuck'; approvers: string; startedAt: string; timeoutMs: number }
  /**
   * An Argo Rollout moved on: `user` ran `action` on it, or it got to a new step or state by itself.
   * `detail` is plain text from Argo CD (escaped here).
   */
  | { type: 'rollout'; rollout: string; detail: string; user?: string; action?: RolloutActionName };

type RolloutActionName = 'resume' | 'promote-full' | 'abort' | 'retry';

const ROLLOUT_DEEDS: Record<RolloutActionName, string> = {
  resume: 'promoted',
  'promote-full': 'fully promoted',
  abort: 'aborted',
  retry: 'retried',
};

const MESSAGE_MAX = 500;

/**
 * Names people without pinging them: `<@U0ALICE>` → `U0ALICE`, `<!subteam^S0ONCALL|@oncall>` →
 * `@oncall`, `<!here>` → `@here` (as inline code). A refusal is noted in the card's thread, where a live
 * mention would page the approvers or the on-call group every time someone clicks a button they may not.
 * Links and dates stay; untrusted text was escaped before, so every `<` left here is ours.
 */
export function withoutLiveMentions(mrkdwn: string): string {
  return mrkdwn
    .replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => code(id))
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => code(label || id))
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, (_, word: string) => code(`@${word}`));
}

function msg(text: string): string {
  return escapeMrkdwn(truncate(oneLine(text), MESSAGE_MAX));
}

function formatTarget(revision: string | undefined, historyId: number | undefined): string {
  if (revision && historyId !== undefined) return `${code(shortSha(revision))} (history ${historyId})`;
  if (revision) return code(shortSha(revision));
  return historyId !== undefined ? `history entry ${historyId}` : 'the previous deployment';
}

function formatRevert(event: Extract<ThreadEvent, { type: 'revert-finished' }>): string {
  if (event.pr) {
    return `↩️ Revert PR ${link(event.pr.url, `#${event.pr.number}`)} opened for ${mentionUser(event.user)}; merge it to deploy the revert`;
  }
  return `❌ Revert in Git failed: ${msg(event.error ?? 'unknown error')}`;
}

function formatNote(event: ThreadEvent): string {
  switch (event.type) {
    case 'approved':
      return `👍 ${mentionUser(event.user)} approved (${event.approvals} of ${Math.max(event.required, 1)})`;
    case 'sync-started': {
      const by = event.approvers.length > 0 ? `approved by ${mentionUsers(event.approvers)}` : 'by auto-sync';
      return `🔄 ${event.retry ? 'Retry: sync' : 'Sync'} of ${code(shortSha(event.revision))} started, ${by}`;
    }
    case 'progress':
      return `⏳ ${event.phase ? `${msg(event.phase)}: ` : ''}${msg(event.message)}`;
    case 'succeeded': {
      const health = event.health ? `, health ${msg(event.health)}` : '';
      const took = event.durationMs !== undefined ? ` in ${formatDuration(event.durationMs)}` : '';
      return `✅ ${code(shortSha(event.revision))} deployed${took}${health}`;
    }
    case 'failed':
      return `❌ Sync of ${code(shortSha(event.revision))} failed: ${msg(event.message ?? 'Argo CD gave no message')}`;
    case 'degraded':
      return `⚠️ Health ${msg(event.health ?? 'Degraded')}${event.message ? `: ${msg(event.message)}` : ''}`;
    case 'rejected':
      return `🚫 Rejected by ${mentionUser(event.user)}: ${msg(event.reason)}`;
    case 'aborted':
      return `🛑 ${mentionUser(event.user)} aborted the sync`;
    case 'rollout': {
      const who =
        event.user && event.action ? `${mentionUser(event.user)} ${ROLLOUT_DEEDS[event.action]} ` : '';
      return `🐤 ${who}${code(truncate(event.rollout, 80))}: ${msg(event.detail)}`;
    }
    case 'rollback-started':
      return `⏪ ${mentionUser(event.user)} started a rollback to ${formatTarget(event.revision, event.historyId)}`;
    case 'rollback-finished':
      return event.succeeded
        ? `↩️ Rolled back to ${formatTarget(event.revision, undefined)}`
        : `❌ Rollback failed: ${msg(event.message ?? 'Argo CD gave no message')}`;
    case 'revert-started':
      return `↩️ ${mentionUser(event.user)} asked for a revert in Git; opening a pull request`;
    case 'revert-finished':
      return formatRevert(event);
    case 'denied':
      return `⛔ ${code(event.user)} was refused (${msg(event.action)}): ${truncateMrkdwn(withoutLiveMentions(oneLine(event.reason)), MESSAGE_MAX)}`;
    case 'refused':
      return `⚠️ ${msg(event.action)} could not run: ${msg(event.message)}`;
    case 'expired':
      return `⌛ Expired after ${formatTimeout(event.afterMs)} without enough approvals`;
    case 'reminder':
      return `🔔 ${truncateMrkdwn(event.approvers, 1500)} this deploy has been waiting ${formatDuration(event.waitingMs)}`;
    case 'superseded': {
      const newer = event.permalink ? ` (${link(event.permalink, 'newer card')})` : '';
      return `⏭️ Superseded by ${code(shortSha(event.revision))}${newer}`;
    }
    case 'checks-changed':
      return `🧪 Checks: ${formatChecks(event.checks)}`;
    case 'break-glass':
      return `🔨 ${mentionUser(event.user)} broke the glass and approved through the freeze (${event.approvals} of ${Math.max(event.required, 1)}): ${msg(event.reason)}`;
    case 'held':
      return `⏸️ Held: ${event.via === 'rollback' ? 'rolled back' : 'reverted in Git'} by ${mentionUser(event.user)}. No approval is offered for this revision until an approver presses Release hold.`;
    case 'hold-released':
      return `▶️ ${mentionUser(event.user)} released the hold; this revision can be approved again`;
    case 'stuck':
      return `⏱️ ${truncateMrkdwn(event.approvers, 1500)} the sync has been running since ${slackDateOf(event.startedAt)}, longer than the syncTimeout of ${formatDuration(event.timeoutMs)}: it looks stuck. Abort it from the card if it does not move.`;
    case 'push': {
      const who = event.pusher ? `${msg(event.pusher)} pushed` : 'Push:';
      const count = `${event.commits} commit${event.commits === 1 ? '' : 's'}`;
      const head = event.compareUrl
        ? link(event.compareUrl, shortSha(event.headSha))
        : code(shortSha(event.headSha));
      return `📥 ${who} ${count} to ${code(truncate(event.ref.replace(/^refs\/heads\//, ''), 200))} (${head})`;
    }
  }
}

export function renderThreadNote(event: ThreadEvent): SlackMessage {
  const text = formatNote(event);
  return buildMessage(text, [section('note', text)]);
}
