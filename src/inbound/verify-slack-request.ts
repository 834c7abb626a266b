import { createHmac, timingSafeEqual } from 'node:crypto';

export type SlackVerification = { ok: true } | { ok: false; reason: string };

/**
 * What can be checked before the body is read: both headers well-formed and the timestamp inside a
 * symmetric 5-minute window. Bolt accepts timestamps from the future, which would let a captured
 * request be replayed later; we refuse both directions.
 */
export function checkSlackHeaders({
  timestamp,
  signature,
  nowMs,
}: {
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): SlackVerification {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'missing or malformed X-Slack-Request-Timestamp' };
  if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature))
    return { ok: false, reason: 'missing or malformed X-Slack-Signature' };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > 300)
    return { ok: false, reason: 'timestamp outside the 5-minute window' };
  return { ok: true };
}

/** Slack's signing check: the header checks above, then the HMAC over the raw body in constant time. */
export function verifySlackRequest({
  signingSecret,
  rawBody,
  timestamp,
  signature,
  nowMs,
}: {
  signingSecret: string;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): SlackVerification {
  const headers = checkSlackHeaders({ timestamp, signature, nowMs });
  if (!headers.ok) return headers;
  const expected = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature as string)))
    return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
