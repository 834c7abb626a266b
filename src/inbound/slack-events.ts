import type { IncomingMessage, RequestListener } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { z } from 'zod';
import { busyResult, createBodyBudget } from '../http/body-budget.js';
import {
  declaredLength,
  declaredTooLarge,
  MAX_BODY_BYTES,
  readBody,
  unreadableBodyResult,
} from '../http/read-body.js';
import type { Route } from '../http/route.js';
import type { Logger } from '../logging/create-logger.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';
import { isForeignRequest, requestIdentity } from './slack-identity.js';
import { checkSlackHeaders, verifySlackRequest } from './verify-slack-request.js';

interface Deps {
  signingSecret: string;
  boltListener: RequestListener;
  store: Store;
  logger: Logger;
  /** SLACK_TEAM_ID: a workspace (T…) or an Enterprise Grid organisation (E…). */
  teamId?: string;
  appId?: string;
  now?: () => number;
}

const REPLAY_TTL_MS = 10 * 60 * 1000;
/** Slack retries an event three times within about an hour; the event_id is remembered longer. */
const EVENT_DEDUP_TTL_MS = 2 * 60 * 60 * 1000;
/** Unverified Slack bodies held at once: Slack's are a few KiB, so thousands of real ones fit. */
export const SLACK_UNVERIFIED_BUDGET = 8 * 1024 * 1024;
/** Slack waits 3 s for the answer: a body not here by then cannot be acked in time, so it may not hold budget. */
export const SLACK_BODY_DEADLINE_MS = 3000;

type SlackBody = Record<string, unknown>;

const isObject = (value: unknown): value is SlackBody =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses the body exactly as Bolt will (form only for that exact content type, else JSON; an
 * interaction's `payload` field is JSON). Undefined when Bolt would not get an object: Bolt reads
 * fields of the parsed body outside its own try/catch, so `null` there is an unhandled rejection.
 */
function parseLikeBolt(rawBody: string, contentType: string | undefined): SlackBody | undefined {
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = parseQuery(rawBody);
      if (typeof form.payload !== 'string') return { ...form };
      const payload: unknown = JSON.parse(form.payload);
      return isObject(payload) ? payload : undefined;
    }
    const json: unknown = JSON.parse(rawBody);
    return isObject(json) ? json : undefined;
  } catch {
    return undefined;
  }
}

const anyObject = z.looseObject({});
const withId = z.looseObject({ id: z.string().optional() });
const optionalText = z.string().optional();

/**
 * The fields Bolt reads without checking them (`body.team.id`, `body.user.team_id`, `'channel' in
 * event`, `body.view.app_installed_team_id`...), with the types Slack sends. A signed body that breaks
 * one made Bolt answer 500 or reject an unhandled promise; it gets a 400 here instead. Everything
 * else passes untouched.
 */
const boltReadableBody = z.looseObject({
  type: z.unknown().optional(),
  token: optionalText,
  team: withId.nullish(),
  user: z.looseObject({ id: z.string(), team_id: optionalText }).optional(),
  enterprise: withId.nullish(),
  channel: withId.optional(),
  container: anyObject.optional(),
  message: anyObject.optional(),
  actions: z.array(anyObject).min(1).optional(),
  view: z
    .looseObject({
      callback_id: optionalText,
      private_metadata: optionalText,
      app_installed_team_id: z.string().nullish(),
      // Slack's input values: `value` is text (or null) for every element that has one.
      state: z
        .looseObject({
          values: z.record(z.string(), z.record(z.string(), z.looseObject({ value: z.string().nullish() }))),
        })
        .optional(),
    })
    .optional(),
  event: z
    .looseObject({
      channel: z.union([z.string(), withId]).optional(),
      channel_id: optionalText,
      item: anyObject.optional(),
      user: z.union([z.string(), withId]).optional(),
      subteam: anyObject.optional(),
    })
    .optional(),
  authorizations: z
    .array(z.looseObject({ team_id: z.string().nullish(), enterprise_id: z.string().nullish() }))
    .optional(),
  command: optionalText,
  team_id: optionalText,
  enterprise_id: optionalText,
  channel_id: optionalText,
  user_id: optionalText,
  api_app_id: optionalText,
  response_url: optionalText,
  trigger_id: optionalText,
});

/**
 * Bolt sorts a body as an event, a command, or an interaction (options, action, shortcut, view) in
 * this order; it reads `user.id` of every interaction (and `user.team_id` when `team` is null), and
 * the view of a view payload.
 */
function isReadableByBolt(body: SlackBody): boolean {
  const parsed = boltReadableBody.safeParse(body);
  if (!parsed.success) return false;
  const b = parsed.data;
  if (b.event !== undefined || b.command !== undefined) return true;
  const isView = b.type === 'view_submission' || b.type === 'view_closed';
  const interactive =
    b.name !== undefined ||
    b.actions !== undefined ||
    isView ||
    ['block_suggestion', 'dialog_submission', 'shortcut', 'message_action'].includes(String(b.type));
  if (!interactive) return true;
  if (isView && b.view === undefined) return false;
  // A submission always carries the state of its inputs; listeners read it before they can answer.
  if (b.type === 'view_submission' && b.view?.state === undefined) return false;
  return b.user !== undefined;
}

/**
 * POST /slack/events: our own checks in front of Bolt's receiver (which verifies the signature again):
 * well-formed signature headers, a symmetric timestamp window and the declared size before a byte of
 * the body is read (and a budget for bodies being read unverified), then the HMAC, the expected
 * workspace and app, and one use per signed request.
 */
export function slackEventsRoute({
  signingSecret,
  boltListener,
  store,
  logger,
  teamId,
  appId,
  now = Date.now,
}: Deps): Route {
  const budget = createBodyBudget(SLACK_UNVERIFIED_BUDGET);
  return {
    method: 'POST',
    path: '/slack/events',
    name: 'slack_events',
    async handle(req, res) {
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const signature = header('x-slack-signature');
      const timestamp = header('x-slack-request-timestamp');
      const refuse = (reason: string) => {
        logger.warn({ reason }, 'refused a Slack request');
        return { status: 401, outcome: 'unauthorized' };
      };
      const headers = checkSlackHeaders({ timestamp, signature, nowMs: now() });
      if (!headers.ok) return refuse(headers.reason);
      const tooLarge = declaredTooLarge(req, MAX_BODY_BYTES);
      if (tooLarge) return tooLarge;
      const release = budget.tryReserve(declaredLength(req) ?? MAX_BODY_BYTES);
      if (!release) {
        logger.warn({ inUse: budget.inUse }, 'refused a Slack request: unverified-body budget is full');
        return busyResult();
      }
      let raw: Buffer;
      let rawBody: string;
      let verdict: ReturnType<typeof verifySlackRequest>;
      try {
        raw = await readBody(req, { limit: MAX_BODY_BYTES, res, deadlineMs: SLACK_BODY_DEADLINE_MS });
        rawBody = raw.toString('utf8');
        verdict = verifySlackRequest({ signingSecret, rawBody, timestamp, signature, nowMs: now() });
      } catch (error) {
        return unreadableBodyResult(error);
      } finally {
        release();
      }
      if (!verdict.ok) return refuse(verdict.reason);
      const body = parseLikeBolt(rawBody, header('content-type'));
      if (!body || !isReadableByBolt(body)) {
        logger.warn('refused a signed Slack request whose body is not a Slack request');
        return { status: 400, outcome: 'invalid', body: { error: 'body is not a Slack request' } };
      }
      const who = requestIdentity(body);
      if (isForeignRequest(who, { teamId, appId })) {
        logger.warn(
          { teamId: who.teamId, enterpriseIds: who.enterpriseIds, appId: who.appId },
          'refused a Slack request for another workspace or app',
        );
        return { status: 401, outcome: 'wrong_workspace' };
      }
      try {
        if (!(await store.markSeen(storeKeys.slackSignature(String(signature)), REPLAY_TTL_MS))) {
          logger.warn('refused a replayed Slack request');
          return { status: 401, outcome: 'replayed' };
        }
        // Slack retries an event it thinks we missed (X-Slack-Retry-Num) with a new signature but the same
        // event_id: the first delivery had its effect, so a retry is answered 200 and goes no further.
        const eventId = body.type === 'event_callback' ? body.event_id : undefined;
        if (
          typeof eventId === 'string' &&
          !(await store.markSeen(storeKeys.slackEvent(eventId), EVENT_DEDUP_TTL_MS))
        ) {
          logger.info({ eventId, retryNum: header('x-slack-retry-num') }, 'ignored a repeated Slack event');
          return { status: 200, outcome: 'duplicate', body: {} };
        }
      } catch {
        // The store is down: let the listener run so the user is told to try again (it fails closed there).
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
      boltListener(req, res);
      return undefined;
    },
  };
}
