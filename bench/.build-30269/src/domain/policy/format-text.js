/** Escapes the three characters Slack mrkdwn treats as markup, for text that came from config or GitHub. */
export function escapeMrkdwn(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
const fallbackFormatters = new Map();
function fallbackFormatter(timeZone) {
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
 * A Slack date token: each reader sees the instant in their own time zone (an on-call engineer
 * abroad must not convert). The fallback, for clients that cannot render it, uses `timeZone`.
 */
export function formatInstant(instant, timeZone = 'UTC') {
    // Outside the Date range Intl throws; a denial must still be given.
    if (Number.isNaN(new Date(instant).getTime()))
        return 'further notice';
    const seconds = Math.floor(instant / 1000);
    const fallback = fallbackFormatter(timeZone).format(instant).replace(/,/g, '');
    return `<!date^${seconds}^{date_short_pretty} at {time}|${fallback}>`;
}
