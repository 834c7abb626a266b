/** `/deploy-status audit <app>`: the app's last audit entries, newest first, packed into sections. */
import { shortSha } from '../domain/card.js';
import { buildMessage, context, header, section } from './block-kit.js';
import { LIMITS, truncate } from './limits.js';
import { code, escapeMrkdwn, mentionUser, oneLine, slackDate } from './mrkdwn.js';
const OUTCOME_EMOJI = {
    allowed: '✅',
    started: '🔄',
    denied: '⛔',
    refused: '⚠️',
    expired: '⌛',
    failed: '❌',
};
function esc(text, max) {
    return escapeMrkdwn(truncate(oneLine(text), max));
}
/** Users may be a comma-separated list (several approvers of one sync). */
function formatUsers(users) {
    return users
        .split(',')
        .filter(Boolean)
        .slice(0, 5)
        .map((u) => mentionUser(u.trim()))
        .join(', ');
}
export function formatAuditEntry(entry) {
    const parts = [
        slackDate(entry.at),
        `${OUTCOME_EMOJI[entry.outcome] ?? '•'} *${esc(entry.action, 60)}* ${esc(entry.outcome, 40)}`,
    ];
    if (entry.user)
        parts.push(formatUsers(entry.user));
    if (entry.revision)
        parts.push(code(shortSha(entry.revision)));
    if (entry.rule)
        parts.push(`rule ${code(truncate(entry.rule, 60))}`);
    if (entry.detail)
        parts.push(esc(entry.detail, 300));
    return parts.join(' · ');
}
/** Lines are packed into as few sections as fit; 20 entries of the longest kind need at most 4. */
function packSections(lines) {
    const sections = [];
    let current = '';
    for (const line of lines) {
        const next = current ? `${current}\n${line}` : line;
        if (next.length > LIMITS.sectionText && current) {
            sections.push(current);
            current = line;
        }
        else
            current = next;
    }
    if (current)
        sections.push(current);
    return sections;
}
export function renderStatusAudit(input) {
    const app = esc(input.app, 120);
    const title = `Audit: ${truncate(input.app, 120)}`;
    const blocks = [header('audit_header', title)];
    if (input.entries.length === 0) {
        const text = `No audit entries for *${app}* (deploybot records approvals, rejections, syncs, rollbacks and refusals).`;
        blocks.push(section('audit_empty', text));
        return buildMessage(text, blocks);
    }
    packSections(input.entries.map(formatAuditEntry)).forEach((text, i) => {
        blocks.push(section(`audit_entries_${i}`, text));
    });
    blocks.push(context('audit_footer', [`Last ${input.entries.length} entries (at most ${input.limit}), newest first.`]));
    const latest = input.entries[0];
    const summary = latest ? `; latest: ${esc(latest.action, 60)} ${esc(latest.outcome, 40)}` : '';
    return buildMessage(`Audit of ${app}: ${input.entries.length} entries${summary}`, blocks);
}
