import { createHmac } from 'node:crypto';

/**
 * Slack's request signing, written here from the published algorithm rather than taken from the fake,
 * so the tests do not check the bot against the same code that drives it.
 */
export function signSlackBody(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The form body Slack sends for interactivity: one `payload` field holding compact JSON. */
export function encodeInteraction(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SlackPost {
  body: string;
  timestamp?: string;
  signature?: string;
  contentType?: string;
}

export async function postToSlackRoute(
  botUrl: string,
  { body, timestamp, signature, contentType = 'application/x-www-form-urlencoded' }: SlackPost,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (timestamp !== undefined) headers['x-slack-request-timestamp'] = timestamp;
  if (signature !== undefined) headers['x-slack-signature'] = signature;
  return fetch(`${botUrl}/slack/events`, { method: 'POST', body, headers });
}

/** Signs `body` now (or at `timestamp`) with `secret` and posts it, as Slack would. */
export function postSignedToSlackRoute(
  botUrl: string,
  secret: string,
  body: string,
  timestamp: number = nowSeconds(),
): Promise<Response> {
  return postToSlackRoute(botUrl, {
    body,
    timestamp: String(timestamp),
    signature: signSlackBody(secret, timestamp, body),
  });
}
