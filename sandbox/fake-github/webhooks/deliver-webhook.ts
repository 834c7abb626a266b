import { randomUUID } from 'node:crypto';
import type { FakeState } from '../fake-state.js';
import type { FakeWebhookTarget, WebhookDelivery, WebhookDeliveryResult } from '../types.js';
import { signGitHubPayload, signGitHubPayloadSha1 } from './sign-payload.js';

function targetId(rawBody: string): string | undefined {
  try {
    const id = (JSON.parse(rawBody) as { repository?: { id?: unknown } }).repository?.id;
    return typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined;
  }
}

/** Posts webhook deliveries the way GitHub's Hookshot does, and remembers them for redelivery. */
export class WebhookSender {
  /** Background deliveries go out one after another, in the order the API writes happened. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: FakeState,
    private readonly target: FakeWebhookTarget | undefined,
  ) {}

  send(event: string, payload: unknown, deliveryId: string = randomUUID()): Promise<WebhookDeliveryResult> {
    return this.post(event, JSON.stringify(payload), deliveryId, false);
  }

  async redeliver(deliveryId: string): Promise<WebhookDeliveryResult> {
    const original = this.state.deliveries.find((delivery) => delivery.deliveryId === deliveryId);
    if (!original) throw new Error(`no webhook delivery ${deliveryId} to redeliver`);
    return this.post(original.event, original.rawBody, deliveryId, true);
  }

  /**
   * Sends without the caller waiting (events GitHub emits after an API write). A failure to build or
   * deliver is recorded as a delivery with status 0 and never fails the API call that caused it.
   */
  sendInBackground(event: string, buildPayload: () => unknown): void {
    // Built now, so it shows the state right after the write; marked handled until the queue reaches it.
    const payload = Promise.resolve().then(buildPayload);
    payload.catch(() => undefined);
    this.queue = this.queue
      .then(async () => {
        await this.send(event, await payload);
      })
      .catch((error: unknown) => {
        this.state.deliveries.push({
          event,
          deliveryId: 'failed',
          status: 0,
          body: error instanceof Error ? error.message : String(error),
          rawBody: '',
          redelivery: false,
        });
      });
  }

  drain(): Promise<void> {
    return this.queue;
  }

  private async post(event: string, rawBody: string, deliveryId: string, redelivery: boolean) {
    const target = this.target;
    if (!target) throw new Error('startFakeGitHub was not given a webhook { url, secret }');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/fake-github',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-github-hook-id': String(target.hookId ?? 1),
      'x-github-hook-installation-target-type': 'repository',
      'x-hub-signature': signGitHubPayloadSha1(target.secret, rawBody),
      'x-hub-signature-256': signGitHubPayload(target.secret, rawBody),
    };
    const repositoryId = targetId(rawBody);
    if (repositoryId) headers['x-github-hook-installation-target-id'] = repositoryId;
    const response = await fetch(target.url, { method: 'POST', headers, body: rawBody });
    const result = { deliveryId, status: response.status, body: await response.text() };
    const delivery: WebhookDelivery = { ...result, event, rawBody, redelivery };
    this.state.deliveries.push(delivery);
    return result;
  }
}
