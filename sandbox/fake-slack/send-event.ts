import { randomBytes } from 'node:crypto';
import { type InteractionDeps, parseAck } from './app-requests.js';
import { createSlackId } from './ids.js';
import { buildSignedHeaders } from './sign-request.js';
import type { JsonObject, SendEventInput, SendEventResult } from './types.js';

/** An Events API `event_callback` as Slack wraps every event (the shape of Slack's Events API docs). */
function buildEventCallback(deps: InteractionDeps, event: JsonObject, eventId: string): JsonObject {
  const { config } = deps;
  return {
    token: config.verificationToken,
    team_id: config.teamId,
    context_team_id: config.teamId,
    context_enterprise_id: null,
    api_app_id: config.appId,
    event: { ...event, event_ts: event.event_ts ?? deps.nextTs() },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(config.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: config.teamId,
        user_id: config.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('base64url')}`,
  };
}

/**
 * Delivers an event to the app: a signed JSON POST (retries carry `X-Slack-Retry-Num` and
 * `X-Slack-Retry-Reason`, as Slack's do) or an `events_api` envelope with `retry_attempt`.
 */
export async function sendEvent(deps: InteractionDeps, input: SendEventInput): Promise<SendEventResult> {
  const eventId = input.eventId ?? createSlackId('Ev');
  const body = input.body ?? buildEventCallback(deps, input.event ?? {}, eventId);
  const retryNum = input.retryNum ?? 0;
  if (deps.app.transport === 'socket') {
    const result = await deps.socket.deliver('events_api', body, {
      retryAttempt: retryNum,
      waitForConnectionMs: deps.socketWaitMs,
    });
    return { status: result.status, body: '', eventId, payload: body };
  }
  const { requestUrl, signingSecret } = deps.app;
  if (!requestUrl || !signingSecret) throw new Error('fake-slack: set appRequestUrl and signingSecret first');
  const rawBody = JSON.stringify(body);
  const headers: Record<string, string> = {
    ...buildSignedHeaders(signingSecret, rawBody),
    'content-type': 'application/json',
  };
  if (retryNum > 0) {
    headers['x-slack-retry-num'] = String(retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const response = await fetch(requestUrl, { method: 'POST', headers, body: rawBody });
  return { status: response.status, body: parseAck(await response.text()), eventId, payload: body };
}
