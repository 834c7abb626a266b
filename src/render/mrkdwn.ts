/** Helpers for mrkdwn built from untrusted data (commit subjects, PR titles, Argo CD messages). */

/** Slack's own escaping rule: without it a subject such as `<!channel>` would ping the whole channel. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** First line of `text`, whitespace collapsed: a commit subject from a full message. */
export function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.replace(/\s+/g, ' ').trim();
}

/** All of `text` on one line, for Argo CD messages that carry newlines. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Inline code; a backtick inside would close the span early, so it is swapped for a look-alike. */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, 'ˋ'))}\``;
}

function isSafeUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>|]+$/.test(url);
}

/** `<url|label>` when the url can be embedded safely; otherwise the label alone. `label` is mrkdwn already escaped. */
export function link(url: string | undefined, label: string): string {
  return url && isSafeUrl(url) ? `<${url}|${label}>` : label;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** A user mention, only for something shaped like a Slack user id; anything else is shown as text. */
export function mentionUser(userId: string): string {
  return SLACK_USER_ID.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

export function mentionUsers(userIds: readonly string[]): string {
  return userIds.map(mentionUser).join(', ');
}

/** Every time shown to people is a Slack date token from this one helper (each reader sees their own zone). */
export { slackDate } from '../domain/slack-date.js';
