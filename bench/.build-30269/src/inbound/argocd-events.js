import { BodyTooLargeError, readBody } from '../http/read-body.js';
import { argocdNotificationSchema, isKnownArgoEvent, notificationDedupKey, } from './argocd-notification-schema.js';
import { checkBearer } from './check-bearer.js';
const DEDUP_TTL_MS = 24 * 60 * 60 * 1000;
function invalid(message, path) {
    return {
        status: 400,
        outcome: 'invalid',
        body: { error: message, ...(path ? { path: path.join('.') } : {}) },
    };
}
/** POST /argocd/events: auth → size → JSON → schema → dedup → hand off → 202. */
export function argocdEventsRoute({ secret, store, dispatcher, logger }) {
    return {
        method: 'POST',
        path: '/argocd/events',
        name: 'argocd_events',
        async handle(req) {
            if (!checkBearer(req.headers.authorization, secret)) {
                req.resume();
                return { status: 401, outcome: 'unauthorized', body: { error: 'missing or wrong Bearer secret' } };
            }
            let raw;
            try {
                raw = await readBody(req);
            }
            catch (error) {
                if (error instanceof BodyTooLargeError)
                    return { status: 413, outcome: 'too_large', body: { error: error.message } };
                return invalid('could not read the request body');
            }
            let json;
            try {
                json = JSON.parse(raw.toString('utf8'));
            }
            catch {
                return invalid('body is not valid JSON');
            }
            const parsed = argocdNotificationSchema.safeParse(json);
            if (!parsed.success) {
                const issue = parsed.error.issues[0];
                return invalid(`${issue.path.join('.') || 'body'}: ${issue.message}`, issue.path);
            }
            const notification = parsed.data;
            const log = logger.child({ app: notification.app, argoEvent: notification.event });
            if (!isKnownArgoEvent(notification.event)) {
                log.info('ignoring unknown Argo CD event');
                return { status: 202, outcome: 'ignored', body: { status: 'ignored', reason: 'unknown event' } };
            }
            const deliveryKey = notificationDedupKey(notification);
            let first;
            try {
                first = await store.markSeen(deliveryKey, DEDUP_TTL_MS);
            }
            catch {
                // Without the store we cannot promise exactly-once; a 503 makes argocd-notifications send it again later.
                log.warn('store unavailable; asking Argo CD to retry');
                return {
                    status: 503,
                    outcome: 'store_unavailable',
                    body: { error: 'state store unavailable, retry later' },
                };
            }
            if (!first)
                return { status: 202, outcome: 'duplicate', body: { status: 'duplicate' } };
            dispatcher.dispatch({ type: 'argocd.notification', notification, deliveryKey }, log);
            return { status: 202, outcome: 'accepted', body: { status: 'accepted' } };
        },
    };
}
