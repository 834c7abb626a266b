import { instanceEnvPrefix } from '../config/argocd-instances.js';
import { DEFAULT_INSTANCE } from '../domain/card.js';
import { StoreUnavailableError } from '../store/store.js';
import { ArgoCdError, GRPC } from './argocd/argocd-error.js';
import { GitHubError } from './github/github-error.js';
import { SlackApiError, SlackRateLimitedError } from './slack/slack-client.js';

/** What deploybot looked up after an Argo CD refusal, to say which of its possible reasons applies. */
export interface RefusalFacts {
  /** The sync window blocking manual syncs now; null when Argo CD lists none; undefined when unknown. */
  blockingWindow?: string | null;
  /** Argo CD shows an operation in progress on the app. */
  operationRunning?: boolean;
}

/**
 * The one mapper from a typed error to what a Slack user reads: each kind is decided by its code (and,
 * for Argo CD, by facts read back), never by matching text; the service's own words are quoted.
 */
export function describeError(error: unknown, facts: RefusalFacts = {}): string {
  if (error instanceof ArgoCdError) return describeArgoCd(error, facts);
  if (error instanceof GitHubError) return describeGitHub(error);
  if (error instanceof StoreUnavailableError)
    return "deploybot's state store (Redis) is unreachable; nothing was changed. Try again in a moment.";
  if (error instanceof SlackRateLimitedError)
    return `Slack is rate limiting deploybot; try again in ${error.retryAfterSec} s.`;
  if (error instanceof SlackApiError) return `Slack refused deploybot's call (${error.slackError}).`;
  return `deploybot hit an unexpected error (${(error as Error)?.message || 'unknown'})`;
}

/** An error of one of the services deploybot talks to (its text is worth telling the user). */
export function isServiceError(error: unknown): boolean {
  return (
    error instanceof ArgoCdError ||
    error instanceof GitHubError ||
    error instanceof StoreUnavailableError ||
    error instanceof SlackApiError ||
    error instanceof SlackRateLimitedError
  );
}

function describeGitHub(error: GitHubError): string {
  const quoted = `"${error.message}"`;
  switch (error.code) {
    case 'github_unauthorized':
      return `GitHub rejected deploybot's credentials (${quoted}); an operator must renew GITHUB_TOKEN or the GitHub App key.`;
    case 'github_forbidden':
      return `GitHub refused: ${quoted}. deploybot's token lacks the permission (contents and pull requests: write).`;
    case 'github_rate_limited':
      return `GitHub's rate limit is spent${error.retryAfterSec !== undefined ? `; it resets in ${error.retryAfterSec} s` : ''}. Try again then.`;
    case 'github_not_found':
      return `GitHub does not know this repository, branch or commit, or deploybot may not see it: ${quoted}.`;
    case 'github_conflict':
      return `GitHub refused the change: ${quoted}.`;
    case 'github_unavailable':
      return `GitHub is unreachable or failing (${quoted}); try again in a moment.`;
    default:
      return `GitHub failed (HTTP ${error.httpStatus ?? '?'}): ${quoted}.`;
  }
}

/**
 * The variable that holds the token of the instance that refused it: ARGOCD_TOKEN for the one `default`
 * instance (as before instances), ARGOCD_<NAME>_TOKEN for a named one, so the operator renews the right one.
 */
function argoTokenVariable(instance: string | undefined): string {
  return instance === undefined || instance === DEFAULT_INSTANCE
    ? 'ARGOCD_TOKEN'
    : `${instanceEnvPrefix(instance)}_TOKEN`;
}

function describeArgoCd(error: ArgoCdError, facts: RefusalFacts): string {
  const quoted = `"${error.message}"`;
  switch (error.code) {
    case 'argocd_timeout':
      return 'Argo CD did not answer in time; nothing is known to have started. Check Argo CD, then Retry.';
    case 'argocd_unreachable':
      return 'Argo CD is unreachable from deploybot; nothing was started. Retry once it is back.';
    case 'argocd_bad_response':
      return `Argo CD answered in an unexpected shape (${error.message}).`;
    case 'argocd_unknown_instance':
      return `${error.message}; nothing was sent to any Argo CD. An operator must add it to ARGOCD_INSTANCES.`;
    default:
      break;
  }
  // A 401 without a gRPC body (a proxy in front of Argo CD) is the same refusal of the token.
  switch (error.grpcCode ?? (error.httpStatus === 401 ? GRPC.unauthenticated : undefined)) {
    case GRPC.failedPrecondition:
      return facts.operationRunning
        ? `Argo CD is already running another operation on this app (${quoted}); wait for it to finish, then Retry.`
        : `Argo CD refused: ${quoted}.`;
    case GRPC.permissionDenied:
      if (facts.blockingWindow)
        return `An Argo CD sync window blocks manual syncs right now (${facts.blockingWindow}); Argo CD said ${quoted}. Retry once the window allows syncs.`;
      if (facts.blockingWindow === null)
        return `Argo CD refused: ${quoted}. deploybot's Argo CD account lacks the permission; an operator must grant it in Argo CD's RBAC.`;
      return `Argo CD refused: ${quoted} (deploybot's Argo CD account lacks the right, or a sync window blocks it).`;
    case GRPC.unauthenticated:
      return `Argo CD${error.instance && error.instance !== DEFAULT_INSTANCE ? ` (instance ${error.instance})` : ''} rejected deploybot's token: ${quoted}. An operator must renew ${argoTokenVariable(error.instance)}.`;
    case GRPC.notFound:
      return `Argo CD does not know this application any more: ${quoted}.`;
    case GRPC.invalidArgument:
      return `Argo CD refused the request: ${quoted}.`;
    default:
      return `Argo CD failed (HTTP ${error.httpStatus ?? '?'}): ${quoted}.`;
  }
}
