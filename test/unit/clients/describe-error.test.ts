import { describe, expect, it } from 'vitest';
import { ArgoCdError, GRPC } from '../../../src/clients/argocd/argocd-error.js';
import { describeError } from '../../../src/clients/describe-error.js';
import { GitHubError, toGitHubError } from '../../../src/clients/github/github-error.js';
import { SlackApiError, SlackRateLimitedError } from '../../../src/clients/slack/slack-client.js';
import { StoreUnavailableError } from '../../../src/store/store.js';

/** What octokit throws: a RequestError with status and the response headers. */
const octokitError = (status: number, headers: Record<string, string> = {}, message = 'Boom') =>
  Object.assign(new Error(message), { status, response: { headers } });

describe('toGitHubError', () => {
  it.each([
    [401, {}, 'github_unauthorized'],
    [403, {}, 'github_forbidden'],
    [403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' }, 'github_rate_limited'],
    [403, { 'retry-after': '30' }, 'github_rate_limited'],
    [429, { 'retry-after': '5' }, 'github_rate_limited'],
    [404, {}, 'github_not_found'],
    [409, {}, 'github_conflict'],
    [422, {}, 'github_conflict'],
    [502, {}, 'github_unavailable'],
    [418, {}, 'github_error'],
  ] as const)('HTTP %i %j → %s', (status, headers, code) => {
    const error = toGitHubError(octokitError(status, headers));
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).code).toBe(code);
    expect((error as GitHubError).httpStatus).toBe(status);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('takes a network failure (no status) as GitHub unavailable, retryable', () => {
    const error = toGitHubError(new Error('connect ECONNREFUSED')) as GitHubError;
    expect(error.code).toBe('github_unavailable');
    expect(error.retryable).toBe(true);
  });

  it('keeps the reset time of a spent rate limit', () => {
    const error = toGitHubError(octokitError(429, { 'retry-after': '42' })) as GitHubError;
    expect(error.retryAfterSec).toBe(42);
    expect(describeError(error)).toContain('resets in 42 s');
  });
});

describe('describeError: one text per kind of failure', () => {
  it.each([
    [
      new StoreUnavailableError(new Error('ECONNREFUSED')),
      /state store \(Redis\) is unreachable; nothing was changed/,
    ],
    [new SlackRateLimitedError(7), /rate limiting deploybot; try again in 7 s/],
    [new SlackApiError('channel_not_found'), /Slack refused deploybot's call \(channel_not_found\)/],
    [toGitHubError(octokitError(401)), /renew GITHUB_TOKEN or the GitHub App key/],
    [
      toGitHubError(octokitError(403, {}, 'Resource not accessible by integration')),
      /"Resource not accessible by integration".*contents and pull requests: write/,
    ],
    [toGitHubError(octokitError(404)), /does not know this repository/],
    [
      new ArgoCdError('argocd_api_error', 'permission denied', 403, GRPC.permissionDenied),
      /Argo CD refused: "permission denied"/,
    ],
    [new ArgoCdError('argocd_unreachable', 'ECONNREFUSED'), /Argo CD is unreachable/],
    [new Error('what'), /unexpected error \(what\)/],
  ])('%s', (error, text) => {
    expect(describeError(error)).toMatch(text);
  });
});

describe('describeError: a rejected Argo CD token names the variable of its instance', () => {
  const unauthenticated = (instance?: string, grpc: number | undefined = GRPC.unauthenticated) =>
    new ArgoCdError('argocd_api_error', 'invalid session: token is expired', 401, grpc, { instance });

  it.each([
    [undefined, 'ARGOCD_TOKEN'],
    ['default', 'ARGOCD_TOKEN'],
    ['eu', 'ARGOCD_EU_TOKEN'],
    ['eu-west', 'ARGOCD_EU_WEST_TOKEN'],
  ])('instance %s → renew %s', (instance, variable) => {
    const text = describeError(unauthenticated(instance));
    expect(text).toContain(`An operator must renew ${variable}.`);
    expect(text).toContain('"invalid session: token is expired"');
  });

  it('says which instance refused it outside `default`, and never names another instance', () => {
    expect(describeError(unauthenticated('eu-west'))).toMatch(/^Argo CD \(instance eu-west\) rejected/);
    expect(describeError(unauthenticated('eu-west'))).not.toMatch(/ARGOCD_TOKEN|ARGOCD_US/);
    expect(describeError(unauthenticated('default'))).toMatch(/^Argo CD rejected deploybot's token/);
  });

  it('takes a 401 without a gRPC code (a proxy in front of Argo CD) as the same refusal', () => {
    expect(describeError(unauthenticated('us', undefined))).toContain('renew ARGOCD_US_TOKEN');
  });
});
