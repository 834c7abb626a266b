import { Octokit } from 'octokit';
import type { Logger } from '../../logging/create-logger.js';
import { createTokenExchange, InstallationTokens } from './installation-token.js';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

interface RequestHook {
  hook: {
    before(name: 'request', run: (options: { method: string; request?: object }) => void): void;
  };
}

/**
 * @octokit/plugin-retry repeats any request that failed with a 5xx or no answer, POSTs included: a
 * revert branch, a pull request, a deployment or a status would then be made twice when only the answer
 * was lost. Its `doNotRetry` knows status codes, not methods, so every write is sent with
 * `request.retries = 0`; reads keep their retries. Writes look for their effect before they are sent
 * again (see write-once.ts). Rate-limit answers (throttling plugin) mean "not done" and may still wait.
 */
function retryReadsOnly(octokit: RequestHook): void {
  octokit.hook.before('request', (options) => {
    if (!READ_METHODS.has(options.method.toUpperCase())) options.request = { ...options.request, retries: 0 };
  });
}

/** fetch with a deadline per attempt: octokit's own `request.timeout` is ignored since it moved to fetch. */
function fetchWithin(timeoutMs: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
}

interface AuthHooks {
  hook: {
    before(
      name: 'request',
      run: (options: { headers: Record<string, string | number | undefined> }) => Promise<void>,
    ): void;
    error(
      name: 'request',
      run: (error: Error & { status?: number }, options: { headers: Record<string, unknown> }) => unknown,
    ): void;
  };
}

/** Every request carries the current installation token; a 401 drops it so the next call renews. */
function useInstallationToken(octokit: AuthHooks, tokens: InstallationTokens): void {
  octokit.hook.before('request', async (options) => {
    options.headers.authorization = `token ${await tokens.get()}`;
  });
  octokit.hook.error('request', (error, options) => {
    const sent = String(options.headers.authorization ?? '').replace(/^token /, '');
    if (error.status === 401 && sent) tokens.invalidate(sent);
    throw error;
  });
}

export interface GitHubAuth {
  token?: string;
  app?: { appId: string; privateKey: string; installationId: string };
}

/** Token or GitHub App auth behind one constructor, so switching is a configuration change. */
export async function createOctokit({
  auth,
  baseUrl,
  logger,
  retries = 2,
  timeoutMs = 10_000,
  now = Date.now,
}: {
  auth: GitHubAuth;
  baseUrl: string;
  logger: Logger;
  /** Retries of reads (writes are never retried blindly). */
  retries?: number;
  timeoutMs?: number;
  now?: () => number;
}): Promise<Octokit> {
  const log = logger.child({ client: 'github' });
  const options = {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    retry: { retries, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
    throttle: {
      onRateLimit: (
        retryAfter: number,
        opts: { method: string; url: string },
        _o: unknown,
        retryCount: number,
      ) => {
        log.warn({ retryAfter, method: opts.method, url: opts.url }, 'GitHub rate limit hit');
        return retryCount < 1;
      },
      onSecondaryRateLimit: (retryAfter: number, opts: { method: string; url: string }) => {
        log.warn({ retryAfter, method: opts.method, url: opts.url }, 'GitHub secondary rate limit hit');
        return false;
      },
    },
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => log.warn(m),
      error: (m: string) => log.error(m),
    },
    request: { fetch: fetchWithin(timeoutMs) },
  };
  const Client = Octokit.plugin(retryReadsOnly);
  if (auth.app) {
    const tokens = new InstallationTokens({
      exchange: createTokenExchange({
        baseUrl: options.baseUrl,
        ...auth.app,
        fetch: fetchWithin(timeoutMs),
        now,
      }),
      now,
      log,
    });
    const octokit = new Client(options);
    useInstallationToken(octokit as unknown as AuthHooks, tokens);
    return octokit;
  }
  return new Client({ ...options, ...(auth.token ? { auth: auth.token } : {}) });
}
