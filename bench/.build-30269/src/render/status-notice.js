import { formatDuration } from '../config/duration.js';
import { buildMessage, section } from './block-kit.js';
import { truncate } from './limits.js';
import { escapeMrkdwn, oneLine } from './mrkdwn.js';
export function renderStatusRateLimited(retryAfterMs, limit) {
    const wait = formatDuration(Math.max(1000, Math.ceil(retryAfterMs / 1000) * 1000));
    const text = `⏱️ That is more than ${limit} status questions in a minute. Please try again in ${wait}; a narrower query such as \`/deploy-status prod pending\` also answers faster.`;
    return buildMessage(text, [section('status_rate_limited', text)]);
}
export function renderStatusUnavailable(reason) {
    const text = `⚠️ deploybot could not read the deploy status right now (${escapeMrkdwn(truncate(oneLine(reason), 300))}). Nothing is wrong with your query; please try again in a minute.`;
    return buildMessage(text, [section('status_unavailable', text)]);
}
