import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeState } from '../fake-state.js';
import type { RecordedAuth, RecordedRequest } from '../types.js';
import { ApiError, notFound } from './api-error.js';
import { bearerOf, looksLikeJwt } from './app-auth.js';
import { readBody } from './read-body.js';
import type { RouteMatch, RouteResponse } from './router.js';

type MatchRoute = (method: string, path: string) => RouteMatch | undefined;

function recordHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === 'authorization' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function takeFailure(
  state: FakeState,
  method: string,
  path: string,
): { error: ApiError; afterHandling: boolean } | undefined {
  const index = state.failures.findIndex(
    (rule) =>
      (rule.method === undefined || rule.method.toUpperCase() === method) &&
      (rule.pathPrefix === undefined || path.startsWith(rule.pathPrefix)),
  );
  const rule = state.failures[index];
  if (!rule) return undefined;
  rule.remaining -= 1;
  if (rule.remaining <= 0) state.failures.splice(index, 1);
  const error = new ApiError(rule.status, rule.message ?? STATUS_CODES[rule.status] ?? 'Error');
  return { error, afterHandling: rule.afterHandling === true };
}

const TOKEN_EXCHANGE = /^\/app\/installations\/[^/]+\/access_tokens$/;

function describeAuth(state: FakeState, authorization: string | undefined): RecordedAuth {
  const credential = bearerOf(authorization);
  if (state.appAuth) return state.appAuth.describe(credential);
  if (!credential) return { kind: 'none' };
  return { kind: looksLikeJwt(credential) ? 'jwt' : 'token' };
}

/** App mode: the token exchange takes the app JWT, everything else a live installation token. */
function checkAuth(
  state: FakeState,
  record: RecordedRequest,
  authorization: string | undefined,
): ApiError | undefined {
  const app = state.appAuth;
  if (app) {
    if (record.method !== 'POST' || !TOKEN_EXCHANGE.test(record.path)) return app.checkApiCall(record.auth);
    try {
      app.verifyJwt(bearerOf(authorization));
      return undefined;
    } catch (error) {
      if (error instanceof ApiError) return error;
      throw error;
    }
  }
  if (state.token === undefined) return undefined;
  if (!authorization) return new ApiError(401, 'Requires authentication');
  return bearerOf(authorization) === state.token ? undefined : new ApiError(401, 'Bad credentials');
}

type ParsedBody = { ok: true; value: unknown } | { ok: false; text: string };

function parseJson(raw: Buffer): ParsedBody {
  if (raw.length === 0) return { ok: true, value: undefined };
  const text = raw.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, text };
  }
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function errorResponse(error: ApiError): RouteResponse {
  return { status: error.status, body: error.toBody() };
}

/** Runs the request; an armed `afterHandling` failure then replaces the answer (the write stays done). */
async function answer(
  state: FakeState,
  matchRoute: MatchRoute,
  request: IncomingMessage,
  record: RecordedRequest,
  url: URL,
  parsed: ParsedBody,
): Promise<RouteResponse> {
  if (state.latencyMs > 0) await sleep(state.latencyMs);
  if (state.down) return errorResponse(new ApiError(503, 'Service Unavailable'));
  const failure = takeFailure(state, record.method, record.path);
  if (failure && !failure.afterHandling) return errorResponse(failure.error);
  const result = handle(state, matchRoute, request, record, url, parsed);
  return failure ? errorResponse(failure.error) : result;
}

function handle(
  state: FakeState,
  matchRoute: MatchRoute,
  request: IncomingMessage,
  record: RecordedRequest,
  url: URL,
  parsed: ParsedBody,
): RouteResponse {
  const denied = checkAuth(state, record, request.headers.authorization);
  if (denied) return errorResponse(denied);
  if (!parsed.ok) return errorResponse(new ApiError(400, 'Problems parsing JSON'));
  const match = matchRoute(record.method, url.pathname);
  if (!match) {
    record.unknownRoute = true;
    return errorResponse(notFound());
  }
  try {
    return match.handler({ state, params: match.params, query: record.query, body: parsed.value, url });
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    const message = error instanceof Error ? error.message : String(error);
    return errorResponse(new ApiError(500, `fake-github failed: ${message}`));
  }
}

function writeResponse(state: FakeState, response: ServerResponse, result: RouteResponse): void {
  const used = state.requests.length;
  const headers: Record<string, string> = {
    'x-github-request-id': randomUUID().toUpperCase(),
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(Math.max(0, 5000 - used)),
    'x-ratelimit-used': String(used),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...result.headers,
  };
  if (result.status === 204 || result.body === undefined) {
    response.writeHead(result.status, headers).end();
    return;
  }
  if (typeof result.body === 'string' && headers['content-type']) {
    response.writeHead(result.status, headers).end(result.body);
    return;
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  response.writeHead(result.status, headers).end(JSON.stringify(result.body));
}

/** Every API call: record it, then latency → down → injected failure → auth → route. */
export function createRequestHandler(state: FakeState, matchRoute: MatchRoute) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const parsed = parseJson(await readBody(request));
    const url = new URL(request.url ?? '/', state.baseUrl);
    const record: RecordedRequest = {
      method: (request.method ?? 'GET').toUpperCase(),
      path: decodePath(url.pathname),
      query: Object.fromEntries(url.searchParams),
      body: parsed.ok ? parsed.value : parsed.text,
      headers: recordHeaders(request),
      auth: describeAuth(state, request.headers.authorization),
      status: 0,
      unknownRoute: false,
    };
    state.requests.push(record);
    const result = await answer(state, matchRoute, request, record, url, parsed);
    record.status = result.status;
    writeResponse(state, response, result);
  };
}
