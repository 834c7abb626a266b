/**
 * The buttons a card offers in each state. Every interactive button carries the card id and nothing
 * else as `value`: handlers reload the card and decide from the store and the policy, never from the payload.
 */

import { appLabel } from '../domain/app-label.js';
import { type Card, shortSha, TERMINAL_STATES } from '../domain/card.js';
import { type ButtonElement, button, confirmDialog } from './block-kit.js';
import type { CardRenderContext } from './card-context.js';
import { ACTION_IDS } from './ids.js';
import { LIMITS, truncate } from './limits.js';
import { buildArgoAppUrl } from './links.js';
import { firstLine } from './mrkdwn.js';

/** Names in confirm dialogs are cut so that app, environment and SHA always fit the 300-char text. */
function names(card: Card): { app: string; env: string; sha: string } {
  return {
    app: truncate(appLabel(card.app), 80),
    env: truncate(card.environment, 40),
    sha: shortSha(card.revision),
  };
}

function approveButton(card: Card): ButtonElement {
  const { app, env, sha } = names(card);
  const subject = card.to.subject ? ` (${firstLine(card.to.subject)})` : '';
  const head = `Sync ${app} in ${env} to ${sha}`;
  const tail = '? Argo CD deploys exactly this revision.';
  const text = `${head}${truncate(subject, LIMITS.confirmText - head.length - tail.length)}${tail}`;
  return button({
    actionId: ACTION_IDS.approve,
    text: 'Approve & Sync',
    value: card.id,
    style: 'primary',
    confirm: confirmDialog({
      title: 'Approve and sync?',
      text,
      confirm: 'Approve & Sync',
      deny: 'Cancel',
      style: 'primary',
    }),
  });
}

function rejectButton(card: Card): ButtonElement {
  // No confirm: Reject opens a modal that asks for the reason, which is its own confirmation.
  return button({ actionId: ACTION_IDS.reject, text: 'Reject', value: card.id });
}

function abortButton(card: Card): ButtonElement {
  const { app, env, sha } = names(card);
  return button({
    actionId: ACTION_IDS.abort,
    text: 'Abort',
    value: card.id,
    style: 'danger',
    confirm: confirmDialog({
      title: 'Abort the sync?',
      text: `Terminate the running Argo CD operation for ${app} in ${env} (${sha})? Resources already applied stay as they are.`,
      confirm: 'Abort sync',
      deny: 'Keep syncing',
      style: 'danger',
    }),
  });
}

function rollbackTarget(card: Card): string {
  const sha = card.from?.sha ? shortSha(card.from.sha) : undefined;
  const history =
    card.previousHistoryId !== undefined ? `history entry ${card.previousHistoryId}` : undefined;
  if (sha && history) return `${sha} (${history})`;
  return sha ?? history ?? 'the previous deployment';
}

function rollbackButton(card: Card): ButtonElement {
  const { app, env, sha } = names(card);
  return button({
    actionId: ACTION_IDS.rollback,
    text: 'Rollback',
    value: card.id,
    style: 'danger',
    confirm: confirmDialog({
      title: 'Roll back?',
      text: `Roll ${app} in ${env} back from ${sha} to ${rollbackTarget(card)}? Argo CD re-applies that history entry.`,
      confirm: 'Roll back',
      deny: 'Cancel',
      style: 'danger',
    }),
  });
}

function revertButton(card: Card): ButtonElement {
  const { app, sha } = names(card);
  const path = card.source.path ? ` ${truncate(card.source.path, 80)}` : '';
  const previous = card.from?.sha ? shortSha(card.from.sha) : 'the previous deployed revision';
  return button({
    actionId: ACTION_IDS.revertInGit,
    text: 'Revert in Git',
    value: card.id,
    confirm: confirmDialog({
      title: 'Revert in Git?',
      text: `Open a pull request that restores${path} for ${app} to ${previous}, undoing ${sha}? Auto-sync deploys it once merged.`,
      confirm: 'Open revert PR',
      deny: 'Cancel',
    }),
  });
}

function retryButton(card: Card): ButtonElement {
  const { app, env, sha } = names(card);
  return button({
    actionId: ACTION_IDS.retry,
    text: 'Retry',
    value: card.id,
    style: 'primary',
    confirm: confirmDialog({
      title: 'Retry the sync?',
      text: `Sync ${app} in ${env} to ${sha} again?`,
      confirm: 'Retry sync',
      deny: 'Cancel',
      style: 'primary',
    }),
  });
}

function breakGlassButton(card: Card): ButtonElement {
  const { app, env, sha } = names(card);
  return button({
    actionId: ACTION_IDS.breakGlass,
    text: 'Break glass',
    value: card.id,
    style: 'danger',
    confirm: confirmDialog({
      title: 'Break glass?',
      text: `Approve ${app} ${sha} for ${env} through the freeze? You will be asked why; the card, its thread, the releases channel and the audit log will name you.`,
      confirm: 'Give a reason',
      deny: 'Cancel',
      style: 'danger',
    }),
  });
}

function releaseHoldButton(card: Card): ButtonElement {
  const { app, env, sha } = names(card);
  const then = card.state === 'rolled-back' ? ' The card can then be approved again, with every rule.' : '';
  return button({
    actionId: ACTION_IDS.releaseHold,
    text: 'Release hold',
    value: card.id,
    confirm: confirmDialog({
      title: 'Release the hold?',
      text: `${sha} of ${app} in ${env} was rolled back on purpose. Release the hold?${then}`,
      confirm: 'Release hold',
      deny: 'Keep it held',
    }),
  });
}

function linkButton(actionId: string, text: string, url: string): ButtonElement | undefined {
  return url.length <= LIMITS.buttonUrl ? button({ actionId, text, url }) : undefined;
}

/** Argo CD refuses rollback while auto-sync is on, so those apps revert in Git instead. */
function undoButtons(card: Card): ButtonElement[] {
  if (card.autoSync) {
    const pr = card.revertPr;
    const open = pr && linkButton(ACTION_IDS.openPullRequest, `Open revert PR #${pr.number}`, pr.url);
    return pr ? (open ? [open] : []) : [revertButton(card)];
  }
  return [rollbackButton(card)];
}

/** Break glass only while a freeze covers the card and the environment names break-glass principals. */
function awaitingButtons(card: Card, ctx: CardRenderContext): ButtonElement[] {
  const buttons = [approveButton(card), rejectButton(card)];
  return ctx.frozen && ctx.breakGlass ? [...buttons, breakGlassButton(card)] : buttons;
}

function stateButtons(card: Card, ctx: CardRenderContext): ButtonElement[] {
  const approval = card.kind === 'approval';
  switch (card.state) {
    case 'pending':
    case 'approved':
      return approval ? awaitingButtons(card, ctx) : [];
    case 'syncing':
      return approval ? [abortButton(card)] : [];
    case 'succeeded':
    case 'degraded':
      return card.hold ? [...undoButtons(card), releaseHoldButton(card)] : undoButtons(card);
    case 'failed':
      return approval ? [retryButton(card)] : [];
    default:
      return [];
  }
}

/** Terminal cards get no buttons at all (their Argo CD link stays in the App field). */
export function renderCardButtons(card: Card, ctx: CardRenderContext): ButtonElement[] {
  // A held rolled-back card is history too, but the hold can be released from it.
  if (card.state === 'rolled-back' && card.hold) return [releaseHoldButton(card)];
  if (TERMINAL_STATES.has(card.state)) return [];
  const argo = linkButton(ACTION_IDS.openInArgo, 'Open in Argo CD', buildArgoAppUrl(ctx.argoUiUrl, card.app));
  const buttons = stateButtons(card, ctx);
  return argo ? [...buttons, argo] : buttons;
}
