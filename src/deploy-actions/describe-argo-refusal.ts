import { toAppSnapshot } from '../cards/to-app-snapshot.js';
import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import { ArgoCdError, GRPC } from '../clients/argocd/argocd-error.js';
import { describeError, type RefusalFacts } from '../clients/describe-error.js';
import type { AppRef } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface RefusalFactsDeps {
  argocd: ArgoCdClient;
  logger?: Logger;
}

/** Argo CD's refusal in words an on-call engineer can act on (the one mapper: clients/describe-error.ts). */
export const describeArgoRefusal = describeError;

async function readFacts(ctx: RefusalFactsDeps, app: AppRef, error: ArgoCdError): Promise<RefusalFacts> {
  if (error.grpcCode === GRPC.permissionDenied) {
    try {
      const windows = await ctx.argocd.syncWindows(app);
      if (windows.canSync !== false) return { blockingWindow: null };
      const active = (windows.activeWindows ?? [])
        .map((w) => `${w.kind ?? 'deny'} ${w.schedule ?? ''} for ${w.duration ?? '?'}`.trim())
        .join('; ');
      return { blockingWindow: active || 'a window is active' };
    } catch (lookup) {
      // The refusal is still told, only without naming the window.
      ctx.logger?.warn({ err: lookup, app: app.name }, 'could not read the sync windows after a refusal');
      return {};
    }
  }
  if (error.grpcCode === GRPC.failedPrecondition) {
    try {
      return { operationRunning: toAppSnapshot(await ctx.argocd.getApplication(app), app).operationRunning };
    } catch (lookup) {
      ctx.logger?.warn({ err: lookup, app: app.name }, 'could not re-read the app after a refusal');
      return {};
    }
  }
  return {};
}

/** describeArgoRefusal after looking up which of Argo CD's reasons applies (sync windows, a running operation). */
export async function explainArgoRefusal(
  ctx: RefusalFactsDeps,
  app: AppRef,
  error: unknown,
): Promise<string> {
  const facts = error instanceof ArgoCdError ? await readFacts(ctx, app, error) : {};
  return describeArgoRefusal(error, facts);
}
