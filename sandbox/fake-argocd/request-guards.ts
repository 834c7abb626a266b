import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, GrpcCode } from './api-error.js';

/**
 * argocd-server's `enforceContentTypes`: any non-GET request under /api/ must carry one of `--api-content-types`
 * (default only `application/json`). It lower-cases the whole header and compares it as one string, so
 * `application/json; charset=utf-8` is refused. It wraps the gateway, so it runs before routing and auth.
 */
export function isContentTypeAccepted(method: string, contentType: string | undefined): boolean {
  if (method === 'GET') return true;
  return (contentType ?? '').toLowerCase() === 'application/json';
}

function readCookieToken(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'argocd.token' && rest.length > 0) return rest.join('=');
  }
  return undefined;
}

/** The session check of argocd-server: Bearer header first, then the `argocd.token` cookie. */
export function authenticate(headers: IncomingHttpHeaders, tokens: Record<string, string>): string {
  const authorization = headers.authorization ?? '';
  const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
  const token = bearer ?? readCookieToken(headers.cookie);
  if (!token) throw new ApiError(GrpcCode.Unauthenticated, 'no session information');
  const username = tokens[token];
  if (username !== undefined) return username;
  // The texts golang-jwt gives for a string that is not a JWT and for a JWT signed with another key.
  const detail =
    token.split('.').length === 3
      ? 'token signature is invalid: signature is invalid'
      : 'token is malformed: token contains an invalid number of segments';
  throw new ApiError(GrpcCode.Unauthenticated, `invalid session: ${detail}`);
}
