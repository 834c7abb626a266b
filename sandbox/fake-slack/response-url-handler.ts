import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject } from './block-kit-rules.js';
import type { FakeSlackConfig } from './config.js';
import { readBody, sendJson } from './http-io.js';
import { checkMessageContent } from './message-content.js';
import type { MessageContent, MessageStore } from './message-store.js';
import type { ResponseUrlContext, ResponseUrlStore } from './response-url-store.js';
import type { JsonObject } from './types.js';

export interface ResponseUrlDeps {
  config: FakeSlackConfig;
  messages: MessageStore;
  responseUrls: ResponseUrlStore;
  nextTs: () => string;
}

interface Answer {
  status: number;
  body: JsonObject;
}

const OK: Answer = { status: 200, body: { ok: true } };
const failWith = (status: number, error: string): Answer => ({ status, body: { ok: false, error } });

function parseBody(contentType: string, raw: string): JsonObject | undefined {
  try {
    const text = contentType.startsWith('application/x-www-form-urlencoded')
      ? (new URLSearchParams(raw).get('payload') ?? '')
      : raw;
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function deleteOriginal(context: ResponseUrlContext, deps: ResponseUrlDeps): Answer {
  const { channel, user, messageTs } = context;
  if (messageTs === undefined) return failWith(404, 'message_not_found');
  if (context.ephemeral) {
    if (!deps.messages.findEphemeral(channel, user, messageTs)) return failWith(404, 'message_not_found');
    deps.messages.deleteEphemeral(channel, user, messageTs);
    return OK;
  }
  if (!deps.messages.find(channel, messageTs)) return failWith(404, 'message_not_found');
  deps.messages.delete(channel, messageTs);
  return OK;
}

/** Like chat.update, the new content replaces all of it: text without blocks drops the buttons. */
function replaceOriginal(
  context: ResponseUrlContext,
  content: MessageContent,
  deps: ResponseUrlDeps,
): Answer {
  const { channel, user } = context;
  const targetTs = context.messageTs ?? context.lastEphemeralTs;
  const ephemeral = context.messageTs === undefined || context.ephemeral === true;
  if (targetTs === undefined) return postNew(context, content, undefined, false, deps);
  if (ephemeral) {
    if (!deps.messages.findEphemeral(channel, user, targetTs)) return failWith(404, 'message_not_found');
    deps.messages.replaceEphemeral(channel, user, targetTs, content);
    return OK;
  }
  if (!deps.messages.find(channel, targetTs)) return failWith(404, 'message_not_found');
  deps.messages.update(channel, targetTs, content);
  return OK;
}

function postNew(
  context: ResponseUrlContext,
  content: MessageContent,
  threadTs: string | undefined,
  inChannel: boolean,
  deps: ResponseUrlDeps,
): Answer {
  const { config, messages } = deps;
  if (threadTs !== undefined && !messages.threadParent(context.channel, threadTs)) {
    return failWith(404, 'thread_not_found');
  }
  if (inChannel) {
    const author = { user: config.botUserId, botId: config.botId, appId: config.appId, team: config.teamId };
    messages.post(context.channel, deps.nextTs(), content, author, threadTs);
    return OK;
  }
  const stored = messages.postEphemeral(
    { channel: context.channel, user: context.user, ts: deps.nextTs(), ...content, thread_ts: threadTs },
    'response_url',
  );
  if (context.messageTs === undefined) context.lastEphemeralTs = stored.ts;
  return OK;
}

function respond(context: ResponseUrlContext, body: JsonObject, deps: ResponseUrlDeps): Answer {
  if (body.delete_original === true) return deleteOriginal(context, deps);
  const checked = checkMessageContent(body);
  if (!checked.ok) return { status: 400, body: checked.result.body };
  if (body.replace_original === true) return replaceOriginal(context, checked.content, deps);
  const threadTs = typeof body.thread_ts === 'string' && body.thread_ts !== '' ? body.thread_ts : undefined;
  return postNew(context, checked.content, threadTs, body.response_type === 'in_channel', deps);
}

export async function handleResponseUrl(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  deps: ResponseUrlDeps,
): Promise<void> {
  const raw = await readBody(req);
  const context = deps.responseUrls.get(id);
  if (!context) return sendJson(res, 404, { ok: false, error: 'no_service' });
  const usability = deps.responseUrls.usability(context);
  if (usability !== 'ok') return sendJson(res, 404, { ok: false, error: usability });
  const body = parseBody(req.headers['content-type'] ?? '', raw);
  if (!body) return sendJson(res, 400, { ok: false, error: 'invalid_payload' });
  context.uses += 1;
  const answer = respond(context, body, deps);
  sendJson(res, answer.status, answer.body);
}
