/**
 * The one producer of Slack date tokens. Slack shows `<!date^…>` in each reader's own time zone,
 * so an on-call engineer abroad never converts a time by hand; the fallback is for clients that
 * cannot render the token (and for the sandbox console, which shows it).
 *
 * It lives in domain/ rather than render/ because policy denials (domain/policy) name instants
 * too, and domain/ may not import render/ (`.dependency-cruiser.cjs`, `domain-not-render`);
 * render/ re-exports it from `mrkdwn.ts`.
 */
const SLACK_DATE_FORMAT = '{date_short_pretty} at {time}';

const fallbackFormatters = new Map<string, Intl.DateTimeFormat>();

function fallbackFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = fallbackFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    fallbackFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * `<!date^SECONDS^{date_short_pretty} at {time}|Thu 1 Jan 2026 00:00 UTC>`; the fallback is written in
 * `timeZone` (a policy freeze window's own zone, UTC otherwise). An instant outside the Date range
 * (Intl would throw) gives `invalid` instead, so a message is still sent.
 */
export function slackDate(instant: number, { timeZone = 'UTC', invalid = 'an unknown time' } = {}): string {
  if (!Number.isFinite(instant) || Number.isNaN(new Date(instant).getTime())) return invalid;
  const seconds = Math.floor(instant / 1000);
  const fallback = fallbackFormatter(timeZone)
    .format(seconds * 1000)
    .replace(/,/g, '');
  return `<!date^${seconds}^${SLACK_DATE_FORMAT}|${fallback}>`;
}
