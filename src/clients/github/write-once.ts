/** The HTTP status octokit put on a failure (RequestError), or GitHubError kept, if any. */
export function statusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; httpStatus?: unknown } | undefined;
  const status = e?.status ?? e?.httpStatus;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A failure that may hide a success: a 5xx, or no answer at all (octokit reports a network error or a
 * timeout as 500). GitHub may have carried the write out; only a look tells.
 */
function isAmbiguousFailure(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500;
}

const LOOK_DELAY_MS = 500;

/**
 * A non-idempotent GitHub write (a branch, a pull request, a deployment, a status), never repeated
 * blindly: after an ambiguous failure, `look` searches for what the write would have made (a moment
 * later, as GitHub's listings lag a little) and returns it; only when it finds nothing is the write sent
 * again, up to `attempts` in all. When the look itself fails, the original failure is thrown: nothing
 * is known, so nothing is sent again.
 */
export async function writeOnce<T>(
  write: () => Promise<T>,
  look: () => Promise<T | undefined>,
  { attempts = 2, lookDelayMs = LOOK_DELAY_MS }: { attempts?: number; lookDelayMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isAmbiguousFailure(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, lookDelayMs));
      let found: T | undefined;
      try {
        found = await look();
      } catch {
        throw error;
      }
      if (found !== undefined) return found;
      if (attempt >= attempts) throw error;
    }
  }
}
