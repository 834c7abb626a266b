import { PROJECT } from '../../sandbox/world/seed.js';
import { httpPost } from './http-post.js';

export interface NotificationInput {
  app: string;
  revision: string;
  event?: string;
  syncStatus?: string;
  healthStatus?: string;
  /** Part of the bot's dedup key: a distinct value makes an otherwise equal notification new. */
  operationStartedAt?: string;
}

/** The body our recommended Argo CD template sends (INTERFACE.md), as JSON text. */
export function notificationBody(input: NotificationInput): string {
  return JSON.stringify({
    event: input.event ?? 'on-out-of-sync',
    app: input.app,
    appNamespace: 'argocd',
    project: PROJECT,
    syncStatus: input.syncStatus ?? 'OutOfSync',
    healthStatus: input.healthStatus ?? 'Healthy',
    revision: input.revision,
    operationPhase: '',
    deliveredAt: new Date().toISOString(),
    application: input.operationStartedAt
      ? { status: { operationState: { startedAt: input.operationStartedAt, phase: 'Succeeded' } } }
      : null,
  });
}

/** POSTs a notification as argocd-notifications does; resolves to the HTTP status (0 on a network error). */
export function postNotification(url: string, secret: string, body: string): Promise<number> {
  return httpPost(url, { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body);
}
