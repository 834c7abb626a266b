import { ArgoCdError, GRPC } from '../clients/argocd/argocd-error.js';

/** Argo CD's refusal in words an on-call engineer can act on; decided by gRPC code, Argo's own text quoted. */
export function describeArgoRefusal(error: unknown): string {
  if (!(error instanceof ArgoCdError))
    return `deploybot hit an unexpected error (${(error as Error)?.message ?? 'unknown'})`;
  const quoted = `"${error.message}"`;
  switch (error.code) {
    case 'argocd_timeout':
      return 'Argo CD did not answer in time; nothing is known to have started. Check Argo CD, then Retry.';
    case 'argocd_unreachable':
      return 'Argo CD is unreachable from deploybot; nothing was started. Retry once it is back.';
    case 'argocd_bad_response':
      return `Argo CD answered in an unexpected shape (${error.message}).`;
    default:
      break;
  }
  switch (error.grpcCode) {
    case GRPC.failedPrecondition:
      return `Argo CD refused: ${quoted}.`;
    case GRPC.permissionDenied:
      return `Argo CD refused: ${quoted} (deploybot's Argo CD account lacks the right, or a sync window blocks it).`;
    case GRPC.unauthenticated:
      return `Argo CD rejected deploybot's token: ${quoted}. An operator must renew ARGOCD_TOKEN.`;
    case GRPC.notFound:
      return `Argo CD does not know this application any more: ${quoted}.`;
    case GRPC.invalidArgument:
      return `Argo CD refused the request: ${quoted}.`;
    default:
      return `Argo CD failed (HTTP ${error.httpStatus ?? '?'}): ${quoted}.`;
  }
}
