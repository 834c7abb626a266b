/** The facts of a deploy card: where it goes, what changes (revisions, images) and whether CI is green. */

import { appLabel } from '../domain/app-label.js';
import type { Card, CardState, ChecksSummary, ImageChange, RevisionInfo } from '../domain/card.js';
import { fieldsSection, type SectionBlock, section } from './block-kit.js';
import type { CardRenderContext } from './card-context.js';
import { formatApprovals, formatShaLink } from './card-format.js';
import { joinCapped, LIMITS, truncate, truncateMrkdwn } from './limits.js';
import { buildArgoAppUrl, buildCompareUrl } from './links.js';
import { code, escapeMrkdwn, firstLine, link, mentionUser, slackDate } from './mrkdwn.js';

const NAME_MAX = 200;
const SUBJECT_MAX = 200;
const IMAGES_SHOWN = 10;
const CHECK_NAMES_SHOWN = 5;
/** States in which someone may still press Approve or Retry, which a freeze refuses. */
const FREEZE_RELEVANT: ReadonlySet<CardState> = new Set(['pending', 'approved', 'failed']);

function esc(text: string, max = NAME_MAX): string {
  return escapeMrkdwn(truncate(text, max));
}

function formatDestination(destination: Card['destination']): string {
  const cluster = destination.name ?? destination.server;
  const parts = [cluster ? code(truncate(cluster, 300)) : 'in-cluster'];
  if (destination.namespace) parts.push(code(truncate(destination.namespace, NAME_MAX)));
  return parts.join(' / ');
}

function formatNames(names: readonly string[]): string {
  const shown = names.slice(0, CHECK_NAMES_SHOWN).map((n) => esc(n, 100));
  const more = names.length > shown.length ? ` and ${names.length - shown.length} more` : '';
  return `${shown.join(', ')}${more}`;
}

/** ✅/❌/⏳/❔ with the failing (or pending) check names. */
export function formatChecks(checks: ChecksSummary): string {
  let text: string;
  switch (checks.state) {
    case 'success':
      text = `✅ ${checks.total} passed`;
      break;
    case 'failure':
      text = `❌ failing: ${checks.failing.length > 0 ? formatNames(checks.failing) : 'see GitHub'}`;
      break;
    case 'pending':
      text = `⏳ pending${checks.pendingNames.length > 0 ? `: ${formatNames(checks.pendingNames)}` : ''}`;
      break;
    case 'unknown':
      text = '❔ unknown';
      break;
  }
  return checks.url ? `${text} (${link(checks.url, 'details')})` : text;
}

export function renderFactsSection(card: Card, ctx: CardRenderContext): SectionBlock {
  const appLink = link(buildArgoAppUrl(ctx.argoUiUrl, card.app), esc(appLabel(card.app)));
  const fields = [
    `*App*\n${appLink}`,
    `*Environment*\n${esc(card.environment)}`,
    `*Project*\n${esc(card.app.project)}`,
    `*Destination*\n${formatDestination(card.destination)}`,
    `*Checks*\n${formatChecks(card.checks)}`,
  ];
  if (card.kind === 'approval') {
    const waiting = card.state === 'pending' || card.state === 'approved';
    const who = waiting ? `\nmay approve: ${truncateMrkdwn(ctx.approvers, 1500)}` : '';
    fields.push(`*Approvals*\n${formatApprovals(card)}${who}`);
  }
  return fieldsSection('card_facts', fields);
}

function formatRevisionLine(
  label: string,
  card: Card,
  ctx: CardRenderContext,
  revision: RevisionInfo,
): string {
  const subject = revision.subject ? ` ${esc(firstLine(revision.subject), SUBJECT_MAX)}` : '';
  const author = revision.author ? ` — ${esc(revision.author, 100)}` : '';
  return `*${label}* ${formatShaLink(card, ctx, revision.sha)}${subject}${author}`;
}

/** from-revision → to-revision, each with subject and author, plus a compare link. */
export function renderRevisionSection(card: Card, ctx: CardRenderContext): SectionBlock {
  const to: RevisionInfo = { ...card.to, sha: card.revision };
  const lines = [formatRevisionLine('To', card, ctx, to)];
  if (card.from) lines.push(formatRevisionLine('From', card, ctx, card.from));
  else lines.push('*From* nothing deployed yet');
  const compare = buildCompareUrl(ctx.githubWebUrl, card.repo, card.from?.sha, card.revision);
  if (compare) lines.push(link(compare, 'Compare on GitHub'));
  return section('card_revision', lines.join('\n'));
}

function formatImage(image: ImageChange): string {
  const from = image.from ? code(truncate(image.from, 150)) : '_new_';
  const to = image.to ? code(truncate(image.to, 150)) : '_removed_';
  return `• ${code(truncate(image.name, 200))}: ${from} → ${to}`;
}

export function renderImagesSection(images: readonly ImageChange[]): SectionBlock | undefined {
  if (images.length === 0) return undefined;
  const title = `*Images* (${images.length})`;
  const body = joinCapped(images.map(formatImage), {
    maxChars: LIMITS.sectionText - title.length - 1,
    maxItems: IMAGES_SHOWN,
  });
  return section('card_images', `${title}\n${body}`);
}

/** Freeze and sync-window notices; approvals are refused while either blocks. */
export function formatWindowNotices(card: Card, ctx: CardRenderContext): string[] {
  const notices: string[] = [];
  if (ctx.frozen && card.kind === 'approval' && FREEZE_RELEVANT.has(card.state)) {
    const until = slackDate(ctx.frozen.endsAt);
    const by = ctx.frozen.by ? ` (frozen by ${mentionUser(ctx.frozen.by)})` : '';
    const glass = ctx.breakGlass ? '; break-glass principals may Break glass' : '';
    notices.push(
      `🧊 *Deploy freeze:* ${esc(ctx.frozen.reason, 300)}${by} — approvals are refused until ${until}${glass}`,
    );
  }
  if (card.syncWindow) {
    const description = esc(card.syncWindow.description, 500);
    notices.push(
      card.syncWindow.blocked ? `🚧 *Sync window closed:* ${description}` : `🪟 Sync window: ${description}`,
    );
  }
  return notices;
}
