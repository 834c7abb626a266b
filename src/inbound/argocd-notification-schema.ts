import { z } from 'zod';
import { storeKeys } from '../store/keys.js';

export const KNOWN_ARGOCD_EVENTS = [
  'on-out-of-sync',
  'on-sync-running',
  'on-sync-succeeded',
  'on-deployed',
  'on-sync-failed',
  'on-health-degraded',
  'on-sync-status-unknown',
] as const;
export type KnownArgoEvent = (typeof KNOWN_ARGOCD_EVENTS)[number];

// Kubernetes object names: what Argo CD accepts as an Application name.
const k8sName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name');

/**
 * The body our recommended templates send (INTERFACE.md). Only what we use is checked; the embedded
 * `application` is a hint — the bot reads the application from the Argo CD API before deciding anything.
 */
export const argocdNotificationSchema = z.object({
  event: z.string().min(1).max(100),
  app: k8sName,
  // A namespace is a DNS label: no "/" can make two apps (or two instances' apps) share a store key.
  appNamespace: z
    .union([
      z.literal(''),
      z
        .string()
        .max(63)
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name'),
    ])
    .default(''),
  project: z.string().max(253).default('default'),
  syncStatus: z.string().max(50).default(''),
  healthStatus: z.string().max(50).default(''),
  revision: z.string().max(256).default(''),
  operationPhase: z.string().max(50).default(''),
  deliveredAt: z.string().max(64).optional(),
  argocdUrl: z.string().max(2048).optional(),
  application: z
    .object({
      status: z
        .object({
          operationState: z
            .object({ startedAt: z.string().nullish(), phase: z.string().nullish() })
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

export type ArgoNotification = z.output<typeof argocdNotificationSchema>;

export function isKnownArgoEvent(event: string): event is KnownArgoEvent {
  return (KNOWN_ARGOCD_EVENTS as readonly string[]).includes(event);
}

/**
 * Argo's retries and oncePer re-sends carry the same (event, app, revision, operation start).
 * `instance`: the Argo CD instance whose webhook secret the request carried (never from the body).
 */
export function notificationDedupKey(n: ArgoNotification, instance: string): string {
  const startedAt = n.application?.status?.operationState?.startedAt ?? '';
  return storeKeys.argocdNotification(
    { instance, namespace: n.appNamespace, name: n.app },
    { event: n.event, revision: n.revision, startedAt, phase: n.operationPhase, health: n.healthStatus },
  );
}
