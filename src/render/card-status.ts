/** The one-paragraph status of a card and its top-level fallback text, per state. */
import { type Card, shortSha } from '../domain/card.js';
import type { CardRenderContext } from './card-context.js';
import {
  formatApprovals,
  formatDeployTitle,
  formatInitiator,
  formatOperationDuration,
  formatRollbackTarget,
  formatShaLink,
  formatTimeout,
} from './card-format.js';
import { truncate } from './limits.js';
import { code, escapeMrkdwn, link, mentionUser, oneLine, slackDate } from './mrkdwn.js';

const MESSAGE_MAX = 600;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function quote(text: string | undefined): string {
  return text ? `\n> ${escapeMrkdwn(truncate(oneLine(text), MESSAGE_MAX))}` : '';
}

function supersededBy(ctx: CardRenderContext): string {
  const sha = ctx.supersededByRevision ? code(shortSha(ctx.supersededByRevision)) : 'a newer revision';
  const newer = ctx.supersededPermalink ? ` — ${link(ctx.supersededPermalink, 'see the newer card')}` : '';
  return `${sha}${newer}`;
}

function expiredAfter(card: Card, ctx: CardRenderContext): string {
  return ctx.expiresAt !== undefined ? ` after ${formatTimeout(ctx.expiresAt - card.createdAt)}` : '';
}

function healthText(card: Card): string {
  return card.health ? ` · health *${escapeMrkdwn(card.health)}*` : '';
}

function tookText(card: Card, now: number): string {
  const took = formatOperationDuration(card, now);
  return took ? ` · took ${took}` : '';
}

function stateLine(card: Card, ctx: CardRenderContext): string {
  const sha = formatShaLink(card, ctx, card.revision);
  const auto = card.kind === 'info';
  switch (card.state) {
    case 'pending':
      return `*Waiting for approval* to sync ${sha} · needs ${plural(Math.max(card.requiredApprovals, 1), 'approval')}`;
    case 'approved': {
      const missing = Math.max(card.requiredApprovals - card.approvals.length, 0);
      return `*Approved* ${formatApprovals(card)} · waiting for ${plural(missing, 'more approval')}`;
    }
    case 'syncing': {
      const running = formatOperationDuration(card, ctx.now);
      const by = auto ? 'auto-sync' : `started by ${formatInitiator(card)}`;
      return `*Syncing* ${sha} · ${by}${running ? ` · running for ${running}` : ''}${quote(card.operation?.message)}`;
    }
    case 'succeeded':
      return `*Deployed* ${sha}${healthText(card)}${tookText(card, ctx.now)} · by ${formatInitiator(card)}`;
    case 'failed':
      return `*Sync failed* for ${sha}${tookText(card, ctx.now)}${quote(card.operation?.message ?? 'Argo CD gave no message')}`;
    case 'degraded':
      return `*Deployed but degraded* ${sha}${healthText(card)} · by ${formatInitiator(card)}${quote(card.operation?.message)}`;
    case 'rejected': {
      const rejection = card.rejection;
      if (!rejection) return '*Rejected*';
      return `*Rejected* by ${mentionUser(rejection.user)} ${slackDate(rejection.at)}${quote(rejection.reason)}`;
    }
    case 'superseded':
      return `*Superseded* by ${supersededBy(ctx)}. Approve the newer card instead.`;
    case 'expired':
      return `*Expired*${expiredAfter(card, ctx)} without enough approvals (${formatApprovals(card)}).`;
    case 'rolling-back': {
      const by = card.rollback ? ` · started by ${mentionUser(card.rollback.user)}` : '';
      return `*Rolling back* to ${formatRollbackTarget(card, ctx)}${by}${quote(card.operation?.message)}`;
    }
    case 'rolled-back': {
      const by = card.rollback ? ` by ${mentionUser(card.rollback.user)}` : '';
      return `*Rolled back*${by} to ${formatRollbackTarget(card, ctx)}`;
    }
  }
}

/** "held — rolled back by @x at …": the revision offers no approval until Release hold. */
function holdLine(card: Card): string {
  if (!card.hold) return '';
  const deed = card.hold.via === 'rollback' ? 'rolled back' : 'reverted in Git';
  const next =
    card.state === 'rolled-back'
      ? 'no approval until an approver presses Release hold'
      : 'a later notification of this revision posts no approvable card';
  return `\n⏸️ *Held* — ${deed} by ${mentionUser(card.hold.user)} at ${slackDate(card.hold.at)}; ${next}.`;
}

/** Who approved through a freeze, and why (their words, escaped). */
function breakGlassLines(card: Card): string {
  return (card.breakGlass ?? [])
    .map((entry) => `\n🔨 *Glass broken* by ${mentionUser(entry.user)}${quote(entry.reason)}`)
    .join('');
}

function stuckLine(card: Card): string {
  if (card.state !== 'syncing' || !card.stuck) return '';
  const since = slackDate(Date.parse(card.stuck.startedAt));
  const abort = card.kind === 'approval' ? '; the approvers can Abort it' : '';
  return `\n⏱️ *Stuck:* the sync has run since ${since}, longer than the environment's syncTimeout${abort}.`;
}

/** The card's status paragraph, with the revert PR when one was opened. */
export function renderStatusText(card: Card, ctx: CardRenderContext): string {
  const revert = card.revertPr
    ? `\n↩️ Revert PR ${link(card.revertPr.url, `#${card.revertPr.number}`)} opened by ${mentionUser(card.revertPr.user)}`
    : '';
  return `${stateLine(card, ctx)}${stuckLine(card)}${breakGlassLines(card)}${revert}${holdLine(card)}`;
}

function fallbackPhrase(card: Card, ctx: CardRenderContext): string {
  switch (card.state) {
    case 'pending':
      return 'is waiting for approval';
    case 'approved':
      return `has ${card.approvals.length} of ${Math.max(card.requiredApprovals, 1)} approvals`;
    case 'syncing':
      return 'is syncing';
    case 'succeeded':
      return card.kind === 'info' ? 'was deployed by auto-sync' : 'was deployed';
    case 'failed':
      return `failed to sync${card.operation?.message ? `: ${escapeMrkdwn(truncate(oneLine(card.operation.message), 300))}` : ''}`;
    case 'degraded':
      return `is degraded${card.health ? ` (health ${escapeMrkdwn(card.health)})` : ''}`;
    case 'rejected':
      return card.rejection
        ? `was rejected by ${mentionUser(card.rejection.user)}: ${escapeMrkdwn(truncate(oneLine(card.rejection.reason), 300))}`
        : 'was rejected';
    case 'superseded':
      return `was superseded by ${ctx.supersededByRevision ? shortSha(ctx.supersededByRevision) : 'a newer revision'}`;
    case 'expired':
      return 'expired without approval';
    case 'rolling-back':
      return `is being rolled back${card.rollback ? ` by ${mentionUser(card.rollback.user)}` : ''}`;
    case 'rolled-back':
      return `was rolled back${card.rollback ? ` by ${mentionUser(card.rollback.user)}` : ''}${card.hold ? ' and is held' : ''}`;
  }
}

/** Top-level `text`: what notifications and screen readers get, e.g. "app a1b2c3d → prod is waiting for approval". */
export function renderFallbackText(card: Card, ctx: CardRenderContext): string {
  const notice = card.notice ? ` (${escapeMrkdwn(truncate(oneLine(card.notice), 300))})` : '';
  return `${formatDeployTitle(card)} ${fallbackPhrase(card, ctx)}${notice}`;
}
