import { createHmac, timingSafeEqual } from 'node:crypto';
import { busyResult, createBodyBudget } from '../http/body-budget.js';
import { declaredLength, declaredTooLarge, readBody, unreadableBodyResult } from '../http/read-body.js';
import type { Route, RouteResult } from '../http/route.js';
import type { Logger } from '../logging/create-logger.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';
import type { Dispatcher } from './dispatcher.js';
import { githubEventSchemas, isAllowedGitHubEvent } from './github-event-schemas.js';

const DEDUP_TTL_MS = 3 * 24 * 60 * 60 * 1000;
// GitHub payloads can be large (push with many commits); 25 MB is GitHub's own cap, we take a tighter one.
export const GITHUB_BODY_LIMIT = 5 * 1024 * 1024;
/** Unverified GitHub bodies held at once: three of the largest, or hundreds of usual (10-100 KiB) ones. */
export const GITHUB_UNVERIFIED_BUDGET = 16 * 1024 * 1024;
/** GitHub gives up on a delivery after 10 s; a forged body may hold its share of the budget no longer. */
const GITHUB_BODY_DEADLINE_MS = 10_000;
const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/;

interface Deps {
  secret: string | undefined;
  store: Store;
  dispatcher: Dispatcher;
  logger: Logger;
}

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * HMAC over the raw bytes as received (GitHub signs bytes, and decoding first would let two byte
 * sequences share one signature), in constant time. @octokit/webhooks' verify throws on an empty
 * body, which turned a signed empty request into a 500.
 */
function isSignedByGitHub(raw: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature || !SIGNATURE_FORMAT.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(signature.slice(7), 'hex'));
}

/**
 * POST /github/events: verify raw bytes → allow-list → parse used fields → hand off → mark delivery
 * seen → 202. Before a byte is read: the signature header must be well-formed, the declared size
 * within the limit, and the body must fit the budget of bodies whose HMAC is not yet checked.
 */
export function githubEventsRoute({ secret, store, dispatcher, logger }: Deps): Route {
  const budget = createBodyBudget(GITHUB_UNVERIFIED_BUDGET);
  return {
    method: 'POST',
    path: '/github/events',
    name: 'github_events',
    async handle(req, res): Promise<RouteResult> {
      if (!secret) {
        return {
          status: 404,
          outcome: 'disabled',
          body: { error: 'GitHub webhooks are not enabled (GITHUB_WEBHOOK_SECRET is unset)' },
        };
      }
      const signature = header(req.headers['x-hub-signature-256']);
      if (!signature || !SIGNATURE_FORMAT.test(signature)) {
        return {
          status: 401,
          outcome: 'unauthorized',
          body: { error: 'X-Hub-Signature-256 is missing or not sha256=<64 lower-case hex>' },
        };
      }
      const tooLarge = declaredTooLarge(req, GITHUB_BODY_LIMIT);
      if (tooLarge) return tooLarge;
      const release = budget.tryReserve(declaredLength(req) ?? GITHUB_BODY_LIMIT);
      if (!release) {
        logger.warn({ inUse: budget.inUse }, 'refused a GitHub delivery: unverified-body budget is full');
        return busyResult();
      }
      let raw: Buffer;
      let signed: boolean;
      try {
        raw = await readBody(req, { limit: GITHUB_BODY_LIMIT, res, deadlineMs: GITHUB_BODY_DEADLINE_MS });
        signed = isSignedByGitHub(raw, signature, secret);
      } catch (error) {
        return unreadableBodyResult(error);
      } finally {
        release();
      }
      if (!signed) {
        return {
          status: 401,
          outcome: 'unauthorized',
          body: { error: 'X-Hub-Signature-256 does not match the body' },
        };
      }
      const name = header(req.headers['x-github-event']);
      const deliveryId = header(req.headers['x-github-delivery']);
      const payloadText = raw.toString('utf8');
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
      let json: unknown;
      try {
        json = JSON.parse(payloadText);
      } catch {
        return { status: 400, outcome: 'invalid', body: { error: 'body is not valid JSON' } };
      }
      const parsed = githubEventSchemas[name].safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return {
          status: 400,
          outcome: 'invalid',
          body: { error: `${issue.path.join('.') || 'body'}: ${issue.message}`, path: issue.path.join('.') },
        };
      }
      let first: boolean;
      try {
        first = await store.markSeen(storeKeys.githubDelivery(deliveryId), DEDUP_TTL_MS);
      } catch {
        log.warn('store unavailable; GitHub delivery refused so it can be redelivered');
        return {
          status: 503,
          outcome: 'store_unavailable',
          body: { error: 'state store unavailable, redeliver later' },
        };
      }
      if (!first) return { status: 202, outcome: 'duplicate', body: { status: 'duplicate' } };
      try {
        dispatcher.dispatch({ type: 'github.event', name, deliveryId, payload: parsed.data }, log);
      } catch (error) {
        // Not handed off: forget the delivery so a manual redelivery is processed.
        await store.unmarkSeen(storeKeys.githubDelivery(deliveryId)).catch(() => {});
        throw error;
      }
      return { status: 202, outcome: 'accepted', body: { status: 'accepted' } };
    },
  };
}
