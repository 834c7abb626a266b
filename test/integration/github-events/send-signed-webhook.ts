import { randomUUID } from 'node:crypto';
import { signGitHubPayload } from '../../../sandbox/fake-github/index.js';

/**
 * Delivers a webhook to the bot as GitHub's Hookshot does (X-Hub-Signature-256 over the exact bytes).
 * The sandbox world's fake GitHub has no webhook target configured, so tests sign and post themselves.
 */
export async function sendSignedWebhook(
  botUrl: string,
  secret: string,
  event: string,
  payload: unknown,
  deliveryId: string = randomUUID(),
): Promise<{ status: number; body: unknown; deliveryId: string }> {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const response = await fetch(`${botUrl}/github/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/test',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': signGitHubPayload(secret, raw),
    },
    body: raw,
  });
  return { status: response.status, body: await response.json(), deliveryId };
}
