import { createHmac, timingSafeEqual } from 'node:crypto';
/**
 * Slack's signing check with a symmetric 5-minute window: Bolt accepts timestamps from the future,
 * which would let a captured request be replayed later; we refuse both directions.
 */
export function verifySlackRequest({ signingSecret, rawBody, timestamp, signature, nowMs, }) {
    if (!timestamp || !/^\d{1,12}$/.test(timestamp))
        return { ok: false, reason: 'missing or malformed X-Slack-Request-Timestamp' };
    if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature))
        return { ok: false, reason: 'missing or malformed X-Slack-Signature' };
    if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > 300)
        return { ok: false, reason: 'timestamp outside the 5-minute window' };
    const expected = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature)))
        return { ok: false, reason: 'signature mismatch' };
    return { ok: true };
}
