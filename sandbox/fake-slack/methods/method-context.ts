import type { ApiResult } from '../api-result.js';
import type { FakeSlackConfig } from '../config.js';
import type { MessageStore } from '../message-store.js';
import type { JsonObject } from '../types.js';
import type { ViewStore } from '../view-store.js';

export interface MethodContext {
  config: FakeSlackConfig;
  messages: MessageStore;
  views: ViewStore;
  nextTs: () => string;
  now: () => number;
  /** `http://127.0.0.1:<port>`, known once the server listens. */
  baseUrl: () => string;
}

export type MethodHandler = (args: JsonObject, ctx: MethodContext) => ApiResult;

export function stringArg(args: JsonObject, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function booleanArg(args: JsonObject, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}
