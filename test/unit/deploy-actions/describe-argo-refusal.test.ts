import { describe, expect, it } from 'vitest';
import { ArgoCdError, GRPC } from '../../../src/clients/argocd/argocd-error.js';
import { describeArgoRefusal } from '../../../src/deploy-actions/describe-argo-refusal.js';

const apiError = (status: number, grpc: number, message: string) =>
  new ArgoCdError('argocd_api_error', message, status, grpc);

describe('describeArgoRefusal', () => {
  it('says an operation is running when Argo CD shows one, quoting Argo CD', () => {
    const error = apiError(400, GRPC.failedPrecondition, 'another operation is already in progress');
    expect(describeArgoRefusal(error, { operationRunning: true })).toBe(
      'Argo CD is already running another operation on this app ("another operation is already in progress"); wait for it to finish, then Retry.',
    );
    expect(describeArgoRefusal(error, { operationRunning: false })).toBe(
      'Argo CD refused: "another operation is already in progress".',
    );
  });

  it('tells a sync window from missing RBAC by what Argo CD reports, not by its text', () => {
    const error = apiError(403, GRPC.permissionDenied, 'cannot sync: blocked by sync window');
    expect(describeArgoRefusal(error, { blockingWindow: 'deny 0 22 * * * for 1h' })).toMatch(
      /^An Argo CD sync window blocks manual syncs right now \(deny 0 22 \* \* \* for 1h\); Argo CD said "cannot sync: blocked by sync window"\./,
    );
    const rbac = apiError(403, GRPC.permissionDenied, 'permission denied');
    expect(describeArgoRefusal(rbac, { blockingWindow: null })).toContain("must grant it in Argo CD's RBAC");
    // Unknown (the window lookup failed): both causes are named.
    expect(describeArgoRefusal(rbac)).toContain('lacks the right, or a sync window blocks it');
  });

  it('covers the transport failures and other codes', () => {
    expect(describeArgoRefusal(new ArgoCdError('argocd_timeout', 'timeout'))).toMatch(
      /did not answer in time/,
    );
    expect(describeArgoRefusal(new ArgoCdError('argocd_unreachable', 'ECONNREFUSED'))).toMatch(/unreachable/);
    expect(describeArgoRefusal(apiError(401, GRPC.unauthenticated, 'invalid session'))).toMatch(
      /ARGOCD_TOKEN/,
    );
    expect(describeArgoRefusal(apiError(404, GRPC.notFound, 'app not found'))).toMatch(/does not know/);
    expect(describeArgoRefusal(apiError(500, 13, 'boom'))).toBe('Argo CD failed (HTTP 500): "boom".');
    expect(describeArgoRefusal(new Error('socket hang up'))).toBe(
      'deploybot hit an unexpected error (socket hang up)',
    );
  });
});
