/** The deploy card: one Slack message per (app, target revision), re-rendered in place on every change. */
import { formatDuration } from '../config/duration.js';
import { appLabel } from '../domain/app-label.js';
import { type Card, TERMINAL_STATES } from '../domain/card.js';
import {
  actions,
  type Block,
  buildMessage,
  context,
  header,
  type SlackMessage,
  section,
} from './block-kit.js';
import { renderCardButtons } from './card-actions.js';
import { renderChangelogSections } from './card-changelog.js';
import type { CardRenderContext } from './card-context.js';
import {
  formatWindowNotices,
  renderFactsSection,
  renderImagesSection,
  renderRevisionSection,
} from './card-details.js';
import { STATE_EMOJI } from './card-format.js';
import { renderRolloutBlocks } from './card-rollouts.js';
import { renderFallbackText, renderStatusText } from './card-status.js';
import { truncate, truncateMrkdwn } from './limits.js';
import { escapeMrkdwn, oneLine, slackDate } from './mrkdwn.js';

export type { CardRenderContext } from './card-context.js';

const WAITING_STATES = new Set(['pending', 'approved']);

function renderHeader(card: Card): Block {
  const label = card.kind === 'info' ? ' (auto-sync)' : '';
  return header(
    'card_header',
    `${STATE_EMOJI[card.state]} ${appLabel(card.app)} → ${card.environment}${label}`,
  );
}

function renderFooter(card: Card, ctx: CardRenderContext): string[] {
  const lines: string[] = [];
  if (WAITING_STATES.has(card.state) && ctx.expiresAt !== undefined) {
    const left = ctx.expiresAt - ctx.now;
    lines.push(`⌛ Expires ${slackDate(ctx.expiresAt)}${left > 0 ? ` (in ${formatDuration(left)})` : ''}`);
  }
  if (card.kind === 'approval' && card.state === 'failed')
    lines.push(`Retry: ${truncateMrkdwn(ctx.approvers, 1000)}`);
  if (card.state === 'succeeded' || card.state === 'degraded') {
    if (!card.autoSync) lines.push(`Rollback: ${truncateMrkdwn(ctx.rollbackers ?? ctx.approvers, 1000)}`);
  }
  return lines;
}

/** Renders a card in any state; pure, so the same card always renders the same message. */
export function renderDeployCard(card: Card, ctx: CardRenderContext): SlackMessage {
  const blocks: Block[] = [renderHeader(card)];
  if (card.notice) {
    blocks.push(context('card_notice', [`⚠️ ${escapeMrkdwn(truncate(oneLine(card.notice), 1000))}`]));
  }
  blocks.push(section('card_status', renderStatusText(card, ctx)));
  blocks.push(renderFactsSection(card, ctx));
  if (!TERMINAL_STATES.has(card.state)) {
    const notices = formatWindowNotices(card, ctx);
    if (notices.length > 0) blocks.push(context('card_windows', notices));
  }
  blocks.push(renderRevisionSection(card, ctx));
  blocks.push(...renderRolloutBlocks(card));
  const images = renderImagesSection(card.images);
  if (images) blocks.push(images);
  blocks.push(...renderChangelogSections(card, ctx));
  const footer = renderFooter(card, ctx);
  if (footer.length > 0) blocks.push(context('card_footer', footer));
  const buttons = renderCardButtons(card, ctx);
  if (buttons.length > 0) blocks.push(actions('card_actions', buttons));
  return buildMessage(renderFallbackText(card, ctx), blocks);
}
