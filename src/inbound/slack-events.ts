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

function identity(rawBody: string): { teamId?: string; appId?: string } {
  const form = parseQuery(rawBody);
  if (typeof form.payload === 'string') {
    try {
      const payload = JSON.parse(form.payload) as { team?: { id?: string }; api_app_id?: string };
      return { teamId: payload.team?.id, appId: payload.api_app_id };
    } catch {
      return {};
    }
  }
  return {
    teamId: typeof form.team_id === 'string' ? form.team_id : undefined,
    appId: typeof form.api_app_id === 'string' ? form.api_app_id : undefined,
  };
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
      const who = identity(rawBody);
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
