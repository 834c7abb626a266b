import { createPublicKey, createVerify, type KeyObject, randomBytes } from 'node:crypto';
import type { FakeGitHubAppOptions, IssuedInstallationToken, RecordedAuth } from '../types.js';
import { ApiError } from './api-error.js';

/**
 * GitHub App authentication as GitHub does it (docs: "Generating a JSON Web Token (JWT) for a GitHub
 * App", "Create an installation access token for an app"): an RS256 JWT signed with the app's private
 * key buys an installation token at POST /app/installations/{id}/access_tokens; every other call must
 * carry a live installation token. The 401 messages are GitHub's own words.
 */
const NOT_DECODED = 'A JSON web token could not be decoded';
const BAD_IAT =
  "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
const BAD_EXP =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
/** GitHub tolerates this much clock drift on `iat` (its docs recommend backdating iat by 60 s). */
const DRIFT_S = 60;
/** A JWT may live at most 10 minutes. */
const MAX_JWT_LIFETIME_S = 600;
const DEFAULT_TOKEN_LIFETIME_MS = 3600_000;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const unauthorized = (message: string) => new ApiError(401, message);

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function bearerOf(authorization: string | undefined): string | undefined {
  return /^(?:token|bearer)\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
}

export function looksLikeJwt(credential: string | undefined): boolean {
  return credential !== undefined && JWT_SHAPE.test(credential);
}

export class AppAuth {
  readonly appId: string;
  readonly installationId: string;
  readonly issued: IssuedInstallationToken[] = [];
  tokenLifetimeMs: number;
  private readonly publicKey: KeyObject;

  constructor(
    options: FakeGitHubAppOptions,
    private readonly now: () => Date,
  ) {
    this.appId = String(options.appId);
    this.installationId = String(options.installationId);
    this.publicKey = createPublicKey(options.publicKey);
    this.tokenLifetimeMs = options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS;
  }

  /** Throws GitHub's 401 unless `credential` is a valid app JWT right now. */
  verifyJwt(credential: string | undefined): void {
    if (!credential || !looksLikeJwt(credential)) throw unauthorized(NOT_DECODED);
    const [headerPart, payloadPart, signature] = credential.split('.') as [string, string, string];
    const header = decodeJson(headerPart);
    const claims = decodeJson(payloadPart);
    if (!header || !claims || header.alg !== 'RS256') throw unauthorized(NOT_DECODED);
    // The issuer picks the public key: another app id has no key here, so the token cannot be decoded.
    if (
      (typeof claims.iss !== 'string' && typeof claims.iss !== 'number') ||
      String(claims.iss) !== this.appId
    )
      throw unauthorized(NOT_DECODED);
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${headerPart}.${payloadPart}`);
    if (!verifier.verify(this.publicKey, Buffer.from(signature, 'base64url')))
      throw unauthorized(NOT_DECODED);
    const nowS = Math.floor(this.now().getTime() / 1000);
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > nowS + DRIFT_S)
      throw unauthorized(BAD_IAT);
    if (typeof exp !== 'number' || exp <= nowS) throw unauthorized(BAD_EXP);
    if (exp - iat > MAX_JWT_LIFETIME_S || exp > nowS + MAX_JWT_LIFETIME_S + DRIFT_S)
      throw unauthorized(EXP_TOO_FAR);
  }

  issue(installationId: string): IssuedInstallationToken {
    if (installationId !== this.installationId) throw new ApiError(404, 'Not Found');
    const issuedAt = this.now();
    const token: IssuedInstallationToken = {
      index: this.issued.length + 1,
      token: `ghs_${randomBytes(18).toString('hex')}`,
      issuedAt: issuedAt.toISOString(),
      // GitHub writes whole seconds ("2016-07-11T22:14:10Z"); the token expires at exactly that time.
      expiresAt: new Date(issuedAt.getTime() + this.tokenLifetimeMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    this.issued.push(token);
    return token;
  }

  /** Who a request is, for the record, without keeping the secret itself. */
  describe(credential: string | undefined): RecordedAuth {
    if (!credential) return { kind: 'none' };
    if (looksLikeJwt(credential)) return { kind: 'jwt' };
    const issued = this.issued.find((entry) => entry.token === credential);
    if (!issued) return { kind: 'unknown' };
    return {
      kind: 'installation',
      tokenIndex: issued.index,
      expired: Date.parse(issued.expiresAt) <= this.now().getTime(),
    };
  }

  /** API routes: only a live installation token of this app passes. */
  checkApiCall(auth: RecordedAuth): ApiError | undefined {
    if (auth.kind === 'none') return unauthorized('Requires authentication');
    if (auth.kind === 'installation' && !auth.expired) return undefined;
    return unauthorized('Bad credentials');
  }
}
