import { DEFAULT_INSTANCE } from '../domain/card.js';
import { declaredTooLarge, MAX_BODY_BYTES, readBody, unreadableBodyResult } from '../http/read-body.js';
import type { Route, RouteResult } from '../http/route.js';
import type { Logger } from '../logging/create-logger.js';
import type { Store } from '../store/store.js';
import {
  argocdNotificationSchema,
  isKnownArgoEvent,
  notificationDedupKey,
} from './argocd-notification-schema.js';
import { checkBearer } from './check-bearer.js';
import type { Dispatcher } from './dispatcher.js';

const DEDUP_TTL_MS = 24 * 60 * 60 * 1000;

interface Deps {
  secret: string;
  /** The Argo CD instance this secret belongs to: every notification it authenticates is that instance's. */
  instance?: string;
  store: Store;
  dispatcher: Dispatcher;
  logger: Logger;
}

function invalid(message: string, path?: (string | number)[]): RouteResult {
  return {
    status: 400,
    outcome: 'invalid',
    body: { error: message, ...(path ? { path: path.join('.') } : {}) },
  };
}

/**
 * POST /argocd/events: auth → size → JSON → schema → dedup → hand off → 202. The Bearer secret and
 * the declared size are checked from the headers alone, before a byte of the body is read.
 */
export function argocdEventsRoute({
  secret,
  instance = DEFAULT_INSTANCE,
  store,
  dispatcher,
  logger,
}: Deps): Route {
  return {
    method: 'POST',
    path: '/argocd/events',
    name: 'argocd_events',
    async handle(req, res) {
      if (!checkBearer(req.headers.authorization, secret))
        return { status: 401, outcome: 'unauthorized', body: { error: 'missing or wrong Bearer secret' } };
      const tooLarge = declaredTooLarge(req, MAX_BODY_BYTES);
      if (tooLarge) return tooLarge;
      // The body is authenticated by the secret above, so it needs no share of an unverified-body budget.
      let raw: Buffer;
      try {
        raw = await readBody(req, { limit: MAX_BODY_BYTES, res });
      } catch (error) {
        return unreadableBodyResult(error);
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return invalid('body is not valid JSON');
      }
      const parsed = argocdNotificationSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return invalid(
          `${issue.path.join('.') || 'body'}: ${issue.message}`,
          issue.path as (string | number)[],
        );
      }
      const notification = parsed.data;
      const log = logger.child({ app: notification.app, argoEvent: notification.event });
      if (!isKnownArgoEvent(notification.event)) {
        log.info('ignoring unknown Argo CD event');
        return { status: 202, outcome: 'ignored', body: { status: 'ignored', reason: 'unknown event' } };
      }
      const deliveryKey = notificationDedupKey(notification, instance);
      let first: boolean;
      try {
        first = await store.markSeen(deliveryKey, DEDUP_TTL_MS);
      } catch {
        // Without the store we cannot promise exactly-once; a 503 makes argocd-notifications send it again later.
        log.warn('store unavailable; asking Argo CD to retry');
        return {
          status: 503,
          outcome: 'store_unavailable',
          body: { error: 'state store unavailable, retry later' },
        };
      }
      if (!first) return { status: 202, outcome: 'duplicate', body: { status: 'duplicate' } };
      dispatcher.dispatch({ type: 'argocd.notification', notification, instance, deliveryKey }, log);
      return { status: 202, outcome: 'accepted', body: { status: 'accepted' } };
    },
  };
}
