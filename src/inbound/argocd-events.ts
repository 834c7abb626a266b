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

/** One instance's notification secret: a request bearing it is that instance's notification. */
interface InstanceSecret {
  instance: string;
  secret: string;
}

interface Deps {
  /** One secret (the `default` instance's) or one per instance; the one that matches names the instance. */
  secret?: string;
  /** The instance `secret` belongs to (default `default`). */
  instance?: string;
  secrets?: readonly InstanceSecret[];
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
  instance: secretInstance = DEFAULT_INSTANCE,
  secrets,
  store,
  dispatcher,
  logger,
}: Deps): Route {
  const known: readonly InstanceSecret[] = secrets ?? (secret ? [{ instance: secretInstance, secret }] : []);
  if (known.length === 0) throw new Error('argocdEventsRoute needs at least one webhook secret');
  return {
    method: 'POST',
    path: '/argocd/events',
    name: 'argocd_events',
    async handle(req, res) {
      const instance = matchingInstance(req.headers.authorization, known);
      if (instance === undefined)
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

/**
 * The instance whose secret the header bears. Every secret is compared (constant time each, no early
 * exit), so the answer's timing does not say which instance's secret a guess came close to.
 */
function matchingInstance(header: string | undefined, known: readonly InstanceSecret[]): string | undefined {
  let match: string | undefined;
  for (const { instance, secret } of known)
    if (checkBearer(header, secret) && match === undefined) match = instance;
  return match;
}
