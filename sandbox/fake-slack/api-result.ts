import type { JsonObject } from './types.js';

/** What a Web API method answers; Slack reports failures as HTTP 200 `{ok:false}` except rate limits. */
export interface ApiResult {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
  missingTextFallback?: boolean;
}

export function ok(fields: JsonObject = {}): ApiResult {
  return { status: 200, body: { ok: true, ...fields } };
}

export function fail(error: string, extra: JsonObject = {}): ApiResult {
  return { status: 200, body: { ok: false, error, ...extra } };
}

/** Slack explains argument errors in `response_metadata.messages`, each prefixed with `[ERROR]`. */
export function invalidArguments(problems: string[]): ApiResult {
  return fail('invalid_arguments', { response_metadata: { messages: problems.map((m) => `[ERROR] ${m}`) } });
}

export function invalidBlocks(problems: string[]): ApiResult {
  return fail('invalid_blocks', {
    errors: problems,
    response_metadata: { messages: problems.map((m) => `[ERROR] ${m}`) },
  });
}

export function rateLimited(retryAfterSec: number): ApiResult {
  return {
    status: 429,
    body: { ok: false, error: 'ratelimited' },
    headers: { 'retry-after': String(retryAfterSec) },
  };
}
