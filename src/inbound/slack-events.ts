import type { IncomingMessage, RequestListener } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import type { Route } from '../http/route.js';
import type { Logger } from '../logging/create-logger.js';
import type { Store } from '../store/store.js';
import { verifySlackRequest } from './verify-slack-request.js';

interface Deps {
  signingSecret: string;
  boltListener: RequestListener;
  store: Store;
  logger: Logger;
  teamId?: string;
  appId?: string;
  now?: () => number;
}

const REPLAY_TTL_MS = 10 * 60 * 1000;

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

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Workspace and app of a command (form fields), an interaction (payload) or an Events API body (JSON). */
function identity(body: SlackBody): { teamId?: string; appId?: string } {
  const team = isObject(body.team) ? text(body.team.id) : undefined;
  const userTeam = isObject(body.user) ? text(body.user.team_id) : undefined;
  return { teamId: team ?? text(body.team_id) ?? userTeam, appId: text(body.api_app_id) };
}

/**
 * POST /slack/events: our own checks in front of Bolt's receiver (which verifies the signature again):
 * a symmetric timestamp window, the expected workspace and app, and one use per signed request.
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
  return {
    method: 'POST',
    path: '/slack/events',
    name: 'slack_events',
    async handle(req, res) {
      let raw: Buffer;
      try {
        raw = await readBody(req);
      } catch (error) {
        if (error instanceof BodyTooLargeError)
          return { status: 413, outcome: 'too_large', body: { error: error.message } };
        return { status: 400, outcome: 'invalid', body: { error: 'could not read the request body' } };
      }
      const rawBody = raw.toString('utf8');
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const signature = header('x-slack-signature');
      const verdict = verifySlackRequest({
        signingSecret,
        rawBody,
        timestamp: header('x-slack-request-timestamp'),
        signature,
        nowMs: now(),
      });
      if (!verdict.ok) {
        logger.warn({ reason: verdict.reason }, 'refused a Slack request');
        return { status: 401, outcome: 'unauthorized' };
      }
      const body = parseLikeBolt(rawBody, header('content-type'));
      if (!body) {
        logger.warn('refused a signed Slack request whose body is not an object');
        return { status: 400, outcome: 'invalid', body: { error: 'body is not a Slack request' } };
      }
      const who = identity(body);
      if ((teamId && who.teamId && who.teamId !== teamId) || (appId && who.appId && who.appId !== appId)) {
        logger.warn(
          { teamId: who.teamId, appId: who.appId },
          'refused a Slack request for another workspace or app',
        );
        return { status: 401, outcome: 'wrong_workspace' };
      }
      try {
        if (!(await store.markSeen(`slack-sig:${signature}`, REPLAY_TTL_MS))) {
          logger.warn('refused a replayed Slack request');
          return { status: 401, outcome: 'replayed' };
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
