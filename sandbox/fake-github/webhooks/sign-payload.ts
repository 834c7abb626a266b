import { createHmac } from 'node:crypto';

/** `X-Hub-Signature-256` for a body: HMAC-SHA256 of the exact bytes sent, hex, `sha256=` prefix. */
export function signGitHubPayload(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The legacy `X-Hub-Signature` GitHub still sends alongside. */
export function signGitHubPayloadSha1(secret: string, body: string | Buffer): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
}
