/**
 * The fleet card as Block Kit (pure): the group, the revision, counts per state, one row per app
 * (instance, app, sync, health, operation, deployed revision) and the buttons of its state. Rows past
 * what fits are summarised by their counts; a failed app is always shown.
 */
import { shortSha } from '../domain/card.js';
import {
  type FleetCard,
  type FleetMember,
  memberCounts,
  memberLabel,
  notStarted,
} from '../domain/fleet-card.js';
import {
  actions,
  type Block,
  type ButtonElement,
  buildMessage,
  button,
  confirmDialog,
  context,
  header,
  type SlackMessage,
  section,
} from './block-kit.js';
import { ACTION_IDS } from './ids.js';
import { LIMITS, truncate } from './limits.js';
import { code, escapeMrkdwn, firstLine, mentionUser, oneLine } from './mrkdwn.js';

/** Rows shown at most; the rest are counted. Keeps the card readable and well under 50 blocks. */
const MAX_FLEET_ROWS = 100;
/** Row sections at most (each ≤ 3000 characters). */
const MAX_ROW_SECTIONS = 30;
/** Names listed in "not started" before the rest are counted. */
const MAX_NAMES = 15;
const SECTION_BUDGET = LIMITS.sectionText - 100;

const STATE_LINE: Record<FleetCard['state'], string> = {
  pending: ':hourglass_flowing_sand: *Waiting for approval*',
  syncing: ':arrows_counterclockwise: *Syncing in waves*',
  succeeded: ':white_check_mark: *Deployed*',
  failed: ':x: *Failed*',
  rejected: ':no_entry: *Rejected*',
  superseded: ':fast_forward: *Superseded*',
  aborted: ':octagonal_sign: *Aborted*',
  'rolling-back': ':rewind: *Rolling back*',
  'rolled-back': ':rewind: *Rolled back*',
};

function appName(m: FleetMember): string {
  return `${m.app.instance}/${m.app.name}`;
}

function row(card: FleetCard, m: FleetMember): string {
  const op = m.operation ? ` · op ${escapeMrkdwn(m.operation.phase)}` : '';
  const deployed = m.deployedRevision ? ` · deployed ${code(shortSha(m.deployedRevision))}` : '';
  const wave = card.waveCount > 1 ? `w${m.wave + 1} ` : '';
  const failure =
    m.sync?.state === 'failed' && m.sync.message
      ? `\n      > ${escapeMrkdwn(truncate(oneLine(m.sync.message), 200))}`
      : '';
  return `${wave}${code(truncate(appName(m), 120))} · ${escapeMrkdwn(m.syncStatus ?? '?')} · ${escapeMrkdwn(m.health ?? '?')}${op}${deployed} · *${memberLabel(card, m)}*${failure}`;
}

/** Failed first, then running, then the rest in wave order: what needs eyes is never summarised away. */
function rank(card: FleetCard, m: FleetMember): number {
  const label = memberLabel(card, m);
  if (label === 'failed' || label === 'rollback failed') return 0;
  if (label === 'syncing' || label === 'rolling back') return 1;
  return 2;
}

function rowSections(card: FleetCard): { blocks: Block[]; hidden: FleetMember[] } {
  const ordered = card.members
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank(card, a.m) - rank(card, b.m) || a.i - b.i)
    .map(({ m }) => m);
  const blocks: Block[] = [];
  let lines: string[] = [];
  let length = 0;
  let shown = 0;
  for (const m of ordered) {
    if (shown >= MAX_FLEET_ROWS) break;
    const line = row(card, m);
    if (length + line.length + 1 > SECTION_BUDGET) {
      if (blocks.length + 1 >= MAX_ROW_SECTIONS) break;
      blocks.push(section(`fleet_rows_${blocks.length}`, lines.join('\n')));
      lines = [];
      length = 0;
    }
    lines.push(line);
    length += line.length + 1;
    shown += 1;
  }
  if (lines.length) blocks.push(section(`fleet_rows_${blocks.length}`, lines.join('\n')));
  return { blocks, hidden: ordered.slice(shown) };
}

function countsLine(card: FleetCard): string {
  const counts = Object.entries(memberCounts(card))
    .map(([label, n]) => `${n} ${label}`)
    .join(' · ');
  const waves = card.waveCount > 1 ? ` · wave ${card.wave + 1} of ${card.waveCount}` : '';
  return `${card.members.length} app${card.members.length === 1 ? '' : 's'}${counts ? `: ${counts}` : ''}${waves}`;
}

function listNames(members: FleetMember[]): string {
  const names = members.slice(0, MAX_NAMES).map((m) => code(truncate(appName(m), 80)));
  const more = members.length > MAX_NAMES ? ` and ${members.length - MAX_NAMES} more` : '';
  return `${names.join(', ')}${more}`;
}

function outcomeLines(card: FleetCard): string[] {
  const lines: string[] = [];
  const failed = card.members.find((m) => m.key === card.failedKey);
  if (card.state === 'failed' && failed)
    lines.push(`:x: ${code(appName(failed))} failed; later waves were stopped.`);
  if (card.state === 'failed' || card.state === 'aborted' || card.state === 'superseded') {
    const never = notStarted(card);
    if (never.length && card.state !== 'superseded') lines.push(`Not started: ${listNames(never)}`);
    if (never.length && card.state === 'superseded')
      lines.push(`Superseded by a newer revision; not started: ${listNames(never)}`);
  }
  if (card.approvals.length)
    lines.push(
      `Approved by ${card.approvals.map((a) => mentionUser(a.user)).join(', ')} (${card.approvals.length} of ${card.requiredApprovals})`,
    );
  if (card.rejection)
    lines.push(
      `Rejected by ${mentionUser(card.rejection.user)}: ${escapeMrkdwn(truncate(oneLine(card.rejection.reason), 500))}`,
    );
  if (card.abort) lines.push(`Aborted by ${mentionUser(card.abort.user)}`);
  if (card.rollback) lines.push(`Rollback by ${mentionUser(card.rollback.user)}`);
  if (card.notice) lines.push(`:warning: ${escapeMrkdwn(truncate(oneLine(card.notice), 500))}`);
  return lines;
}

function buttonsFor(card: FleetCard): ButtonElement[] {
  const sha = shortSha(card.revision);
  const group = truncate(card.group, 80);
  switch (card.state) {
    case 'pending':
      return [
        button({
          actionId: ACTION_IDS.fleetApprove,
          text: 'Approve & Sync',
          value: card.id,
          style: 'primary',
          confirm: confirmDialog({
            title: 'Approve and sync the fleet?',
            text: `Sync every app of ${group} (${card.members.length}) to ${sha}, wave by wave? Argo CD deploys exactly this revision.`,
            confirm: 'Approve & Sync',
            deny: 'Cancel',
            style: 'primary',
          }),
        }),
        button({ actionId: ACTION_IDS.fleetReject, text: 'Reject', value: card.id }),
      ];
    case 'syncing':
      return [
        button({
          actionId: ACTION_IDS.fleetAbort,
          text: 'Abort',
          value: card.id,
          style: 'danger',
          confirm: confirmDialog({
            title: 'Abort the fleet sync?',
            text: `Stop the waves of ${group} that have not started and terminate the running operations? Resources already applied stay as they are.`,
            confirm: 'Abort',
            deny: 'Keep syncing',
            style: 'danger',
          }),
        }),
      ];
    case 'failed':
      return [
        button({ actionId: ACTION_IDS.fleetRetry, text: 'Retry', value: card.id }),
        rollbackButton(card),
      ];
    case 'succeeded':
      return [rollbackButton(card)];
    default:
      return [];
  }
}

function rollbackButton(card: FleetCard): ButtonElement {
  return button({
    actionId: ACTION_IDS.fleetRollback,
    text: 'Rollback',
    value: card.id,
    style: 'danger',
    confirm: confirmDialog({
      title: 'Roll back the fleet?',
      text: `Roll back every app this card synced to ${shortSha(card.revision)} to the deployment before it?`,
      confirm: 'Rollback',
      deny: 'Cancel',
      style: 'danger',
    }),
  });
}

/** The fallback text starts with the group and short sha (how people and tests find the card). */
export function renderFleetCard(card: FleetCard): SlackMessage {
  const sha = shortSha(card.revision);
  const subject = card.to.subject ? ` ${escapeMrkdwn(truncate(firstLine(card.to.subject), 200))}` : '';
  const author = card.to.author ? ` · ${escapeMrkdwn(truncate(card.to.author, 100))}` : '';
  const blocks: Block[] = [
    header('fleet_header', `Fleet ${card.group} → ${sha}`),
    section(
      'fleet_summary',
      `${STATE_LINE[card.state]} · *${escapeMrkdwn(card.group)}* in *${escapeMrkdwn(card.environment)}*\nRevision ${code(sha)}${subject}${author}`,
    ),
    context('fleet_counts', [countsLine(card)]),
  ];
  const { blocks: rows, hidden } = rowSections(card);
  blocks.push(...rows);
  if (hidden.length) {
    const counts: Record<string, number> = {};
    for (const m of hidden) counts[memberLabel(card, m)] = (counts[memberLabel(card, m)] ?? 0) + 1;
    const summary = Object.entries(counts)
      .map(([label, n]) => `${n} ${label}`)
      .join(' · ');
    blocks.push(context('fleet_more', [`…and ${hidden.length} more apps (${summary})`]));
  }
  const outcome = outcomeLines(card);
  if (outcome.length) blocks.push(section('fleet_outcome', outcome.join('\n')));
  const buttons = buttonsFor(card);
  if (buttons.length) blocks.push(actions('fleet_actions', buttons));
  return buildMessage(`fleet ${card.group} ${sha} ${card.state}: ${countsLine(card)}`, blocks);
}
