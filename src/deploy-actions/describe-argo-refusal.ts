import type { AppContext } from '../app/context.js';
import { toAppSnapshot } from '../cards/to-app-snapshot.js';
import { ArgoCdError, GRPC } from '../clients/argocd/argocd-error.js';
import type { AppRef } from '../domain/card.js';

/** What deploybot looked up after a refusal, to say which of Argo CD's possible reasons applies. */
export interface RefusalFacts {
  /** The sync window blocking manual syncs now; null when Argo CD lists none; undefined when unknown. */
  blockingWindow?: string | null;
  /** Argo CD shows an operation in progress on the app. */
  operationRunning?: boolean;
}

/**
 * Argo CD's refusal in words an on-call engineer can act on. The kind is decided by gRPC code and by
 * facts read back from Argo CD, never by matching its text; Argo's own text is always quoted.
 */
export function describeArgoRefusal(error: unknown, facts: RefusalFacts = {}): string {
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
      return `Argo CD rejected deploybot's token: ${quoted}. An operator must renew ARGOCD_TOKEN.`;
    case GRPC.notFound:
      return `Argo CD does not know this application any more: ${quoted}.`;
    case GRPC.invalidArgument:
      return `Argo CD refused the request: ${quoted}.`;
    default:
      return `Argo CD failed (HTTP ${error.httpStatus ?? '?'}): ${quoted}.`;
  }
}

async function readFacts(ctx: AppContext, app: AppRef, error: ArgoCdError): Promise<RefusalFacts> {
  if (error.grpcCode === GRPC.permissionDenied) {
    try {
      const windows = await ctx.argocd.syncWindows(app);
      if (windows.canSync !== false) return { blockingWindow: null };
      const active = (windows.activeWindows ?? [])
        .map((w) => `${w.kind ?? 'deny'} ${w.schedule ?? ''} for ${w.duration ?? '?'}`.trim())
        .join('; ');
      return { blockingWindow: active || 'a window is active' };
    } catch {
      return {};
    }
  }
  if (error.grpcCode === GRPC.failedPrecondition) {
    try {
      return { operationRunning: toAppSnapshot(await ctx.argocd.getApplication(app), app).operationRunning };
    } catch {
      return {};
    }
  }
  return {};
}

/** describeArgoRefusal after looking up which of Argo CD's reasons applies (sync windows, a running operation). */
export async function explainArgoRefusal(ctx: AppContext, app: AppRef, error: unknown): Promise<string> {
  const facts = error instanceof ArgoCdError ? await readFacts(ctx, app, error) : {};
  return describeArgoRefusal(error, facts);
}
