import { createHmac } from 'node:crypto';

/** `v0=` + HMAC-SHA256(secret, `v0:<timestamp>:<raw body>`), as Slack signs every request to the app. */
export function signSlackRequest(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Headers of a signed Slack request. The content type is exactly `application/x-www-form-urlencoded`:
 * Bolt compares it literally and answers 400 to `;charset=UTF-8`.
 */
export function buildSignedHeaders(
  secret: string,
  rawBody: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackRequest(secret, timestamp, rawBody),
  };
}
