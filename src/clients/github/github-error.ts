/**
 * A GitHub API failure, classified by HTTP status and GitHub's rate-limit headers (never by its text).
 * Octokit throws a RequestError with `status` and `response.headers`; a network failure has no status.
 */
export class GitHubError extends Error {
  readonly code:
    | 'github_unauthorized'
    | 'github_forbidden'
    | 'github_rate_limited'
    | 'github_not_found'
    | 'github_conflict'
    | 'github_unavailable'
    | 'github_error';
  constructor(
    code: GitHubError['code'],
    message: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown; retryAfterSec?: number },
  ) {
    super(message, { cause: options?.cause });
    this.code = code;
    this.retryAfterSec = options?.retryAfterSec;
  }

  readonly retryAfterSec?: number;

  get retryable(): boolean {
    return this.code === 'github_rate_limited' || this.code === 'github_unavailable';
  }
}

interface OctokitLikeError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** Turns whatever octokit threw into a GitHubError (kept as the cause); other errors pass through. */
export function toGitHubError(error: unknown): Error {
  if (error instanceof GitHubError) return error;
  const e = (error ?? {}) as OctokitLikeError;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const message = e.message || 'GitHub failed';
  const headers = e.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  const reset = Number(headers['x-ratelimit-reset']);
  const retryAfterSec = Number.isFinite(retryAfter)
    ? retryAfter
    : Number.isFinite(reset)
      ? Math.max(0, Math.ceil(reset - Date.now() / 1000))
      : undefined;
  const code = ((): GitHubError['code'] => {
    if (status === undefined) return 'github_unavailable';
    if (status === 401) return 'github_unauthorized';
    // GitHub answers a spent rate limit with 403 or 429 and x-ratelimit-remaining: 0 (or retry-after).
    if (
      status === 429 ||
      (status === 403 &&
        (String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined))
    )
      return 'github_rate_limited';
    if (status === 403) return 'github_forbidden';
    if (status === 404) return 'github_not_found';
    if (status === 409 || status === 422) return 'github_conflict';
    if (status >= 500) return 'github_unavailable';
    return 'github_error';
  })();
  if (status === undefined && !(error instanceof Error)) return new GitHubError(code, message);
  return new GitHubError(code, message, status, {
    cause: error,
    retryAfterSec: code === 'github_rate_limited' ? retryAfterSec : undefined,
  });
}
