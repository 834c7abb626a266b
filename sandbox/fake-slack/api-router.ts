import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiResult, fail, invalidArguments, rateLimited } from './api-result.js';
import type { CallLog } from './call-log.js';
import { readBody, sendJson } from './http-io.js';
import { checkArgumentsAgainstSpec, isSpecMethod } from './method-contract.js';
import { chatMethods } from './methods/chat-methods.js';
import { conversationMethods } from './methods/conversation-methods.js';
import { directoryMethods } from './methods/directory-methods.js';
import type { MethodContext, MethodHandler } from './methods/method-context.js';
import { viewMethods } from './methods/view-methods.js';
import { isApiResult, parseApiRequest } from './parse-api-request.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SocketModeServer } from './socket-mode-server.js';
import type { JsonObject } from './types.js';

const HANDLERS: Record<string, MethodHandler> = {
  ...chatMethods,
  ...viewMethods,
  ...directoryMethods,
  ...conversationMethods,
};

export const SERVED_METHODS = Object.keys(HANDLERS).sort();

export interface ApiRouterDeps {
  context: MethodContext;
  limiter: RateLimiter;
  calls: CallLog;
  /** Errors queued by `failNext`, consumed one per call. */
  failures: Map<string, string[]>;
  /** Milliseconds every call of a method waits before it is answered (`delay`), to play a slow Slack. */
  delays?: Map<string, number>;
  /** Answers apps.connections.open (app-level token, not the bot token). */
  socket?: SocketModeServer;
}

/** Socket Mode (2021) postdates the 2020 spec the other methods are checked against; its only argument is the token. */
const SOCKET_METHOD = 'apps.connections.open';

function takeFailure(failures: Map<string, string[]>, method: string): string | undefined {
  const queue = failures.get(method);
  const error = queue?.shift();
  if (queue && queue.length === 0) failures.delete(method);
  return error;
}

/** Slack's order: method, auth, arguments, rate limit; then the method itself. */
function answer(method: string, args: JsonObject, token: string | undefined, deps: ApiRouterDeps): ApiResult {
  if (method === SOCKET_METHOD && deps.socket) return deps.socket.openConnection(token);
  const handler = HANDLERS[method];
  if (!handler || !isSpecMethod(method)) return fail('unknown_method');
  if (token === undefined || token === '') return fail('not_authed');
  if (token !== deps.context.config.botToken) return fail('invalid_auth');
  const problems = checkArgumentsAgainstSpec(method, args);
  if (problems.length > 0) return invalidArguments(problems);
  const forced = deps.limiter.takeForced(method);
  if (forced !== undefined) return rateLimited(forced);
  const failure = takeFailure(deps.failures, method);
  if (failure !== undefined) return fail(failure);
  const channel = typeof args.channel === 'string' ? args.channel : undefined;
  const retryAfter = deps.limiter.check(method, channel);
  if (retryAfter !== undefined) return rateLimited(retryAfter);
  return handler(args, deps.context);
}

export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
  deps: ApiRouterDeps,
): Promise<void> {
  const raw = await readBody(req);
  const wait = deps.delays?.get(method) ?? 0;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const parsed = parseApiRequest(req, url, raw);
  const result = isApiResult(parsed) ? parsed : answer(method, parsed.args, parsed.token, deps);
  const args = isApiResult(parsed) ? {} : parsed.args;
  deps.calls.record(method, args, result.status, result.body, result.missingTextFallback === true);
  sendJson(res, result.status, result.body, result.headers);
}
