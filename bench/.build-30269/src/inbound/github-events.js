import { createHmac, timingSafeEqual } from 'node:crypto';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import { githubEventSchemas, isAllowedGitHubEvent } from './github-event-schemas.js';
const DEDUP_TTL_MS = 3 * 24 * 60 * 60 * 1000;
// GitHub payloads can be large (push with many commits); 25 MB is GitHub's own cap, we take a tighter one.
const GITHUB_BODY_LIMIT = 5 * 1024 * 1024;
const header = (value) => Array.isArray(value) ? value[0] : value;
/**
 * HMAC over the raw bytes as received (GitHub signs bytes, and decoding first would let two byte
 * sequences share one signature), in constant time. @octokit/webhooks' verify throws on an empty
 * body, which turned a signed empty request into a 500.
 */
function isSignedByGitHub(raw, signature, secret) {
    if (!signature || !/^sha256=[0-9a-f]{64}$/.test(signature))
        return false;
    const expected = createHmac('sha256', secret).update(raw).digest();
    return timingSafeEqual(expected, Buffer.from(signature.slice(7), 'hex'));
}
/** POST /github/events: verify raw bytes → allow-list → parse used fields → hand off → mark delivery seen → 202. */
export function githubEventsRoute({ secret, store, dispatcher, logger }) {
    return {
        method: 'POST',
        path: '/github/events',
        name: 'github_events',
        async handle(req) {
            if (!secret) {
                req.resume();
                return {
                    status: 404,
                    outcome: 'disabled',
                    body: { error: 'GitHub webhooks are not enabled (GITHUB_WEBHOOK_SECRET is unset)' },
                };
            }
            let raw;
            try {
                raw = await readBody(req, GITHUB_BODY_LIMIT);
            }
            catch (error) {
                if (error instanceof BodyTooLargeError)
                    return { status: 413, outcome: 'too_large', body: { error: error.message } };
                return { status: 400, outcome: 'invalid', body: { error: 'could not read the request body' } };
            }
            const signature = header(req.headers['x-hub-signature-256']);
            const name = header(req.headers['x-github-event']);
            const deliveryId = header(req.headers['x-github-delivery']);
            const payloadText = raw.toString('utf8');
            if (!isSignedByGitHub(raw, signature, secret)) {
                return {
                    status: 401,
                    outcome: 'unauthorized',
                    body: { error: 'X-Hub-Signature-256 does not match the body' },
                };
            }
            if (!name || !deliveryId) {
                return {
                    status: 400,
                    outcome: 'invalid',
                    body: { error: 'X-GitHub-Event and X-GitHub-Delivery headers are required' },
                };
            }
            const log = logger.child({ deliveryId, githubEvent: name });
            if (!isAllowedGitHubEvent(name))
                return {
                    status: 202,
                    outcome: 'ignored',
                    body: { status: 'ignored', reason: `event ${name} is not used` },
                };
            let json;
            try {
                json = JSON.parse(payloadText);
            }
            catch {
                return { status: 400, outcome: 'invalid', body: { error: 'body is not valid JSON' } };
            }
            const parsed = githubEventSchemas[name].safeParse(json);
            if (!parsed.success) {
                const issue = parsed.error.issues[0];
                return {
                    status: 400,
                    outcome: 'invalid',
                    body: { error: `${issue.path.join('.') || 'body'}: ${issue.message}`, path: issue.path.join('.') },
                };
            }
            let first;
            try {
                first = await store.markSeen(`github:${deliveryId}`, DEDUP_TTL_MS);
            }
            catch {
                log.warn('store unavailable; GitHub delivery refused so it can be redelivered');
                return {
                    status: 503,
                    outcome: 'store_unavailable',
                    body: { error: 'state store unavailable, redeliver later' },
                };
            }
            if (!first)
                return { status: 202, outcome: 'duplicate', body: { status: 'duplicate' } };
            try {
                dispatcher.dispatch({ type: 'github.event', name, deliveryId, payload: parsed.data }, log);
            }
            catch (error) {
                // Not handed off: forget the delivery so a manual redelivery is processed.
                await store.unmarkSeen(`github:${deliveryId}`).catch(() => { });
                throw error;
            }
            return { status: 202, outcome: 'accepted', body: { status: 'accepted' } };
        },
    };
}
