import { invalidRequest } from './api-error.js';

export type JsonObject = Record<string, unknown>;

export function readObjectBody(body: unknown): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('Body should be a JSON object');
  }
  return body as JsonObject;
}

function wrongType(field: string, value: unknown, expected: string): Error {
  return invalidRequest(`For 'properties/${field}', ${JSON.stringify(value)} is not ${expected}.`);
}

export function requireString(body: JsonObject, field: string): string {
  const value = body[field];
  if (value === undefined) throw invalidRequest(`"${field}" wasn't supplied.`);
  if (typeof value !== 'string') throw wrongType(field, value, 'a string');
  return value;
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(field, value, 'a string');
  return value;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw wrongType(field, value, 'a boolean');
  return value;
}

export function optionalStringArray(body: JsonObject, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw wrongType(field, value, 'an array of strings');
  }
  return value as string[];
}

export function requireArray(body: JsonObject, field: string): unknown[] {
  const value = body[field];
  if (value === undefined) throw invalidRequest(`"${field}" wasn't supplied.`);
  if (!Array.isArray(value)) throw wrongType(field, value, 'an array');
  return value;
}
