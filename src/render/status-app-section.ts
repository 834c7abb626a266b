/** One application in a `/deploy-status` answer: a single mrkdwn section, every part cut to fit. */

import { appLabel } from '../domain/app-label.js';
import { shortSha } from '../domain/card.js';
import type { AppProblem, OpenCardRef, StatusRowDetail } from '../domain/status-row.js';
import { joinCapped, truncate } from './limits.js';
import { buildArgoAppUrl, buildCommitUrl } from './links.js';
import { code, escapeMrkdwn, link, mentionUsers, oneLine, slackDate } from './mrkdwn.js';

export interface StatusAppContext {
  argoUiUrl: string;
  githubWebUrl?: string;
  /** The environment's active freeze, shown on apps that need approvals. */
  frozen?: { reason: string; endsAt: number };
}

export const PROBLEM_LABEL: Record<AppProblem, { emoji: string; label: string }> = {
  degraded: { emoji: '🔴', label: 'degraded' },
  failed: { emoji: '❌', label: 'sync failed' },
  expired: { emoji: '⌛', label: 'approval expired' },
  waiting: { emoji: '🟡', label: 'waiting for approval' },
  'out-of-sync': { emoji: '🟠', label: 'out of sync' },
  progressing: { emoji: '🔄', label: 'in progress' },
  unknown: { emoji: '❔', label: 'unknown' },
};

const OPEN_LABEL: Record<string, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved, sync starting',
  syncing: 'Syncing',
  failed: 'Sync failed',
  expired: 'Expired without approval',
  degraded: 'Degraded after deploy',
  'rolling-back': 'Rolling back',
};

const IMAGES_SHOWN = 4;

function esc(text: string, max: number): string {
  return escapeMrkdwn(truncate(oneLine(text), max));
}

function shaLink(ctx: StatusAppContext, repo: StatusRowDetail['repo'], sha: string): string {
  const url = buildCommitUrl(ctx.githubWebUrl, repo, sha);
  return url ? link(url, shortSha(sha)) : code(shortSha(sha));
}

/** `registry/org/image:tag` → `image:tag`: the tag is what people look for. */
function shortImage(image: string): string {
  const last = image.split('/').pop() ?? image;
  return code(truncate(last, 120));
}

function formatHeadline(row: StatusRowDetail, ctx: StatusAppContext): string {
  const marker = row.problem ? PROBLEM_LABEL[row.problem] : { emoji: '✅', label: '' };
  const name = `*${link(buildArgoAppUrl(ctx.argoUiUrl, row.app), esc(appLabel(row.app), 150))}*`;
  const parts = [
    `${marker.emoji} ${name}`,
    esc(row.environment, 60),
    esc(row.syncStatus ?? 'sync unknown', 40),
    esc(row.health ?? 'health unknown', 40),
  ];
  if (row.autoSync) parts.push('auto-sync');
  const problem = marker.label ? ` — _${marker.label}_` : '';
  return `${parts.join(' · ')}${problem}`;
}

function formatDeployed(row: StatusRowDetail, ctx: StatusAppContext): string {
  if (!row.deployed) return 'Deployed: _no deploy recorded by Argo CD_';
  const parts = [`Deployed ${shaLink(ctx, row.repo, row.deployed.sha)}`];
  if (row.subject) parts[0] += ` ${esc(row.subject, 120)}`;
  if (row.deployed.at !== undefined) parts.push(slackDate(row.deployed.at));
  if (row.deployedBy.length > 0) parts.push(`by ${mentionUsers(row.deployedBy.slice(0, 5))}`);
  else if (row.deployedVia) parts.push(`by ${esc(row.deployedVia, 80)}`);
  return parts.join(' · ');
}

function formatOpen(open: OpenCardRef, row: StatusRowDetail, ctx: StatusAppContext): string {
  const label = OPEN_LABEL[open.state] ?? open.state;
  const title = row.openPermalink ? link(row.openPermalink, label) : label;
  const parts = [`⏳ ${title}: ${shaLink(ctx, row.repo, open.revision)}`];
  if (open.subject) parts[0] += ` ${esc(open.subject, 120)}`;
  if (open.state === 'pending' || open.state === 'approved')
    parts.push(`${open.approvals.length} of ${Math.max(open.requiredApprovals, 1)} approvals`);
  parts.push(`since ${slackDate(open.createdAt)}`);
  return parts.join(' · ');
}

export function formatStatusApp(row: StatusRowDetail, ctx: StatusAppContext): string {
  const lines = [formatHeadline(row, ctx)];
  if (row.problem === 'degraded' && row.healthMessage) lines.push(`> ${esc(row.healthMessage, 200)}`);
  if (row.problem === 'failed' && row.operation?.message)
    lines.push(`> Last sync: ${esc(row.operation.message, 200)}`);
  lines.push(formatDeployed(row, ctx));
  if (row.images.length > 0) {
    const images = joinCapped(row.images.map(shortImage), {
      maxChars: 600,
      maxItems: IMAGES_SHOWN,
      moreLabel: (n) => `and ${n} more`,
    });
    lines.push(`Images: ${images.split('\n').join(', ')}`);
  }
  if (row.open) lines.push(formatOpen(row.open, row, ctx));
  if (ctx.frozen && !row.autoSync)
    lines.push(`🧊 Freeze: ${esc(ctx.frozen.reason, 150)} until ${slackDate(ctx.frozen.endsAt)}`);
  if (row.syncWindow)
    lines.push(
      row.syncWindow.blocked
        ? `🚧 Sync window closed: ${esc(row.syncWindow.description, 300)}`
        : `🪟 Sync window: ${esc(row.syncWindow.description, 300)}`,
    );
  return lines.join('\n');
}
