/** `/deploy-status audit <app>`: the app's last audit entries, newest first, packed into sections. */

import type { StoredAuditEntry, StoredDenialEntry } from '../domain/audit-entry.js';
import { shortSha } from '../domain/card.js';
import { type Block, buildMessage, context, header, type SlackMessage, section } from './block-kit.js';
import { LIMITS, truncate, truncateMrkdwn } from './limits.js';
import { code, escapeMrkdwn, mentionUser, oneLine, slackDate } from './mrkdwn.js';

const OUTCOME_EMOJI: Record<string, string> = {
  allowed: '✅',
  started: '🔄',
  denied: '⛔',
  refused: '⚠️',
  expired: '⌛',
  failed: '❌',
};

function esc(text: string, max: number): string {
  return escapeMrkdwn(truncate(oneLine(text), max));
}

/** An instant as stored in an entry's detail (`until 2026-12-03T15:00:00.000Z: …`), in UTC. */
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z\b/g;

/**
 * The detail escaped, then each stored instant shown as a Slack date token: the entry keeps a plain UTC
 * time (for export), each reader sees it in their own time zone. Escaping first is safe: an instant holds
 * no `&`, `<` or `>`, and the token's own `<…>` must not be escaped.
 */
function formatDetail(detail: string): string {
  return esc(detail, 300).replace(ISO_INSTANT, (instant) => {
    const at = Date.parse(instant);
    return Number.isFinite(at) ? slackDate(at) : instant;
  });
}

/** Users may be a comma-separated list (several approvers of one sync). */
function formatUsers(users: string): string {
  return users
    .split(',')
    .filter(Boolean)
    .slice(0, 5)
    .map((u) => mentionUser(u.trim()))
    .join(', ');
}

function formatAuditEntry(entry: StoredAuditEntry): string {
  const parts = [
    slackDate(entry.at),
    `${OUTCOME_EMOJI[entry.outcome] ?? '•'} *${esc(entry.action, 60)}* ${esc(entry.outcome, 40)}`,
  ];
  if (entry.user) parts.push(formatUsers(entry.user));
  if (entry.revision) parts.push(code(shortSha(entry.revision)));
  if (entry.rule) parts.push(`rule ${code(truncate(entry.rule, 60))}`);
  if (entry.detail) parts.push(formatDetail(entry.detail));
  return parts.join(' · ');
}

/**
 * One line per refused (card, user, action, rule), however often it was clicked: "⛔ *approve* refused
 * ×25 · <@U0DAVE> · `abc1234` · rule `not-approver` · first …, last …". The reason is left out: the rule
 * says it, and the ephemeral the user got had it in full. (An ephemeral: the mention pings nobody.)
 */
function formatDenialEntry(entry: StoredDenialEntry): string {
  const times = entry.count > 1 ? ` ×${entry.count}` : '';
  const parts = [`${OUTCOME_EMOJI.denied} *${esc(entry.action, 60)}* refused${times}`];
  if (entry.user) parts.push(formatUsers(entry.user));
  if (entry.revision) parts.push(code(shortSha(entry.revision)));
  if (entry.rule) parts.push(`rule ${code(truncate(entry.rule, 60))}`);
  parts.push(
    entry.count > 1 ? `first ${slackDate(entry.at)}, last ${slackDate(entry.lastAt)}` : slackDate(entry.at),
  );
  return parts.join(' · ');
}

/** Lines are packed into as few sections as fit; 20 entries of the longest kind need at most 4. */
function packSections(lines: readonly string[]): string[] {
  const sections: string[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > LIMITS.sectionText && current) {
      sections.push(current);
      current = line;
    } else current = next;
  }
  if (current) sections.push(current);
  return sections;
}

export interface StatusAuditInput {
  app: string;
  /** Decisions (approvals, rejections, syncs, rollbacks...), newest first, from the decision log. */
  entries: readonly StoredAuditEntry[];
  /** Refusals, newest first, from the refusal log: shown apart, each collapsed with its count. */
  denials?: readonly StoredDenialEntry[];
  limit: number;
}

export function renderStatusAudit(input: StatusAuditInput): SlackMessage {
  const app = esc(input.app, 120);
  const denials = input.denials ?? [];
  const title = `Audit: ${truncate(input.app, 120)}`;
  const blocks: Block[] = [header('audit_header', title)];
  if (input.entries.length === 0 && denials.length === 0) {
    const text = `No audit entries for *${app}* (deploybot records approvals, rejections, syncs, rollbacks and refusals).`;
    blocks.push(section('audit_empty', text));
    return buildMessage(text, blocks);
  }
  if (input.entries.length === 0)
    blocks.push(section('audit_entries_none', `No decisions recorded for *${app}*.`));
  packSections(input.entries.map(formatAuditEntry)).forEach((text, i) => {
    blocks.push(section(`audit_entries_${i}`, text));
  });
  const footer = [`Last ${input.entries.length} decisions (at most ${input.limit}), newest first.`];
  if (denials.length > 0) {
    blocks.push(context('audit_denials_title', ['*Refused*, one line per person, card, action and rule:']));
    packSections(denials.map(formatDenialEntry)).forEach((text, i) => {
      blocks.push(section(`audit_denials_${i}`, text));
    });
    footer.push('Refusals are kept apart: however many there are, they never push a decision out.');
  }
  blocks.push(context('audit_footer', footer));
  const latest = input.entries[0];
  const summary = latest ? `; latest: ${esc(latest.action, 60)} ${esc(latest.outcome, 40)}` : '';
  const refused = denials.length > 0 ? `; ${denials.reduce((n, d) => n + d.count, 0)} refused clicks` : '';
  return buildMessage(`Audit of ${app}: ${input.entries.length} entries${summary}${refused}`, blocks);
}

/** `/deploy-status audit` for someone the policy's `audit` key does not list. `reason` is trusted mrkdwn. */
export function renderStatusAuditDenied(app: string, reason: string): SlackMessage {
  const text = `⛔ You may not read the audit log of *${esc(app, 120)}*: ${truncateMrkdwn(oneLine(reason), 1500)} \`/deploy-status\` without \`audit\` still shows the deploy status (\`/deploy-status help\` for more).`;
  return buildMessage(text, [section('audit_denied', text)]);
}
