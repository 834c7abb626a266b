import { slackDate } from '../slack-date.js';

/** Escapes the three characters Slack mrkdwn treats as markup, for text that came from config or GitHub. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A policy instant as a Slack date token (see `../slack-date.ts`, the one producer); "further notice" if out of range. */
export function formatInstant(instant: number, timeZone = 'UTC'): string {
  return slackDate(instant, { timeZone, invalid: 'further notice' });
}
