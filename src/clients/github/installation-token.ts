import { z } from 'zod';
import type { Logger } from '../../logging/create-logger.js';
import { createAppJwt } from './app-jwt.js';

export interface InstallationTokenGrant {
  token: string;
  expiresAtMs: number;
}

export interface InstallationTokenDeps {
  /** Buys a fresh installation token (POST /app/installations/{id}/access_tokens). */
  exchange: () => Promise<InstallationTokenGrant>;
  now: () => number;
  log: Logger;
  /** Renew this long before `expires_at` (at most half the token's lifetime); default 5 minutes. */
  renewBeforeMs?: number;
  /** After a failed renewal, the next attempt waits this long; default 10 s. */
  retryAfterMs?: number;
}

const RENEW_BEFORE_MS = 5 * 60_000;
const RETRY_AFTER_MS = 10_000;

interface Held {
  token: string;
  expiresAtMs: number;
  renewAtMs: number;
}

/**
 * The installation token every GitHub call carries, renewed from its own `expires_at` (octokit's App
 * caches tokens for a fixed 59 minutes whatever GitHub says). One renewal runs at a time; while it runs,
 * or after it failed, a token that has not expired yet is still used; an expired one never is.
 */
export class InstallationTokens {
  private held: Held | undefined;
  private renewal: Promise<string> | undefined;
  private nextAttemptMs = 0;
  private lastError: Error | undefined;

  constructor(private readonly deps: InstallationTokenDeps) {}

  async get(): Promise<string> {
    const now = this.deps.now();
    const held = this.held;
    if (held && now < held.renewAtMs) return held.token;
    const live = held && now < held.expiresAtMs ? held : undefined;
    if (now < this.nextAttemptMs) {
      if (live) return live.token;
      if (this.lastError) throw this.lastError;
    }
    this.renewal ??= this.renew().finally(() => {
      this.renewal = undefined;
    });
    if (!live) return this.renewal;
    return this.renewal.catch((error: unknown) => {
      if (this.deps.now() < live.expiresAtMs) return live.token;
      throw error;
    });
  }

  /** GitHub refused `token` (revoked, or the installation changed): the next call renews. */
  invalidate(token: string): void {
    if (this.held?.token === token) this.held = undefined;
  }

  private async renew(): Promise<string> {
    try {
      const grant = await this.deps.exchange();
      const now = this.deps.now();
      const lifetime = Math.max(0, grant.expiresAtMs - now);
      const margin = Math.min(this.deps.renewBeforeMs ?? RENEW_BEFORE_MS, lifetime / 2);
      this.held = {
        token: grant.token,
        expiresAtMs: grant.expiresAtMs,
        renewAtMs: grant.expiresAtMs - margin,
      };
      this.lastError = undefined;
      this.nextAttemptMs = 0;
      return grant.token;
    } catch (error) {
      const retryAfterMs = this.deps.retryAfterMs ?? RETRY_AFTER_MS;
      this.lastError = error instanceof Error ? error : new Error(String(error));
      this.nextAttemptMs = this.deps.now() + retryAfterMs;
      this.deps.log.error(
        { reason: this.lastError.message, retryInMs: retryAfterMs },
        'GitHub App installation token renewal failed: check GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID (the app must be installed on the repositories); retrying',
      );
      throw this.lastError;
    }
  }
}

const grantSchema = z.object({ token: z.string().min(1), expires_at: z.iso.datetime({ offset: true }) });
const errorSchema = z.object({ message: z.string() }).partial();

export interface TokenExchangeOptions {
  baseUrl: string;
  appId: string;
  privateKey: string;
  installationId: string;
  fetch: typeof fetch;
  now: () => number;
}

/** The one call that carries the app JWT. */
export function createTokenExchange(options: TokenExchangeOptions): () => Promise<InstallationTokenGrant> {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/app/installations/${encodeURIComponent(options.installationId)}/access_tokens`;
  return async () => {
    const jwt = createAppJwt(options.appId, options.privateKey, options.now());
    const response = await options.fetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${jwt}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'deploybot',
      },
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status !== 201) {
      const message = errorSchema.safeParse(body).data?.message ?? 'no message';
      throw new Error(`GitHub answered ${response.status} to the installation token request: ${message}`);
    }
    const grant = grantSchema.safeParse(body);
    if (!grant.success)
      throw new Error('GitHub answered the installation token request without token and expires_at');
    return { token: grant.data.token, expiresAtMs: Date.parse(grant.data.expires_at) };
  };
}
