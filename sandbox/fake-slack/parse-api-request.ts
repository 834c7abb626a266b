import type { IncomingMessage } from 'node:http';
import { type ApiResult, fail, invalidArguments } from './api-result.js';
import { isObject } from './block-kit-rules.js';
import type { JsonObject } from './types.js';

export interface ParsedApiRequest {
  args: JsonObject;
  token: string | undefined;
}

/** Arguments @slack/web-api sends as JSON strings inside the form; each has Slack's own parse error. */
const JSON_STRING_ARGS: Record<string, (name: string) => ApiResult> = {
  blocks: () => fail('invalid_blocks_format'),
  attachments: () => fail('invalid_attachments'),
  view: (name) => invalidArguments([`invalid JSON [json-pointer:/${name}]`]),
  metadata: () => fail('invalid_metadata_format'),
};

function readBearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

type BodyArgs = { args: JsonObject } | { error: ApiResult };

function parseBodyArgs(contentType: string, raw: string): BodyArgs {
  if (raw.trim() === '') return { args: {} };
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isObject(parsed) ? { args: parsed } : { error: fail('json_not_object') };
    } catch {
      return { error: fail('invalid_json') };
    }
  }
  if (type === 'application/x-www-form-urlencoded')
    return { args: Object.fromEntries(new URLSearchParams(raw)) };
  return { error: fail('invalid_form_data') };
}

/** Query arguments (the spec's GET form) and body arguments, with JSON-string objects parsed. */
export function parseApiRequest(req: IncomingMessage, url: URL, raw: string): ParsedApiRequest | ApiResult {
  const body = parseBodyArgs(req.headers['content-type'] ?? '', raw);
  if ('error' in body) return body.error;
  const args: JsonObject = { ...Object.fromEntries(url.searchParams), ...body.args };
  for (const [name, onError] of Object.entries(JSON_STRING_ARGS)) {
    const value = args[name];
    if (typeof value !== 'string') continue;
    try {
      args[name] = JSON.parse(value);
    } catch {
      return onError(name);
    }
  }
  const formToken = typeof args.token === 'string' ? args.token : undefined;
  return { args, token: readBearer(req) ?? formToken };
}

export function isApiResult(value: ParsedApiRequest | ApiResult): value is ApiResult {
  return !('args' in value);
}
