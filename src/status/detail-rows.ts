/** Fills in the rows of one page: who deployed, the commit subject, the open card's permalink, sync windows. */

import type { CardRepository } from '../cards/card-repository.js';
import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import type { Card } from '../domain/card.js';
import type { StatusRow, StatusRowDetail } from '../domain/status-row.js';
import { mapBounded, withDeadline } from '../runtime/map-bounded.js';
import type { PermalinkCache } from './permalink-cache.js';
import { describeSyncWindows } from './sync-window-notice.js';

export interface DetailDeps {
  argocd: Pick<ArgoCdClient, 'revisionMetadata' | 'syncWindows'>;
  repo: Pick<CardRepository, 'findByRevision'>;
  permalinks: PermalinkCache;
  concurrency: number;
  /** Per Argo CD call on a small page; a slow API leaves the detail out rather than the answer late. */
  deadlineMs: number;
}

/**
 * `perAppCalls` allows the per-application Argo CD endpoints (commit subject, sync windows). Callers allow
 * them for small answers only: with 2,000 apps they would be 2,000 requests.
 */
export async function detailRows(
  deps: DetailDeps,
  rows: readonly StatusRow[],
  perAppCalls: boolean,
): Promise<StatusRowDetail[]> {
  return mapBounded(rows, deps.concurrency, async (row) => {
    const deployedCard: Card | undefined = row.deployed
      ? await deps.repo.findByRevision(row.app, row.deployed.sha).catch(() => undefined)
      : undefined;
    const deployedBy = deployedCard?.approvals.map((a) => a.user) ?? [];
    let deployedVia: string | undefined;
    if (deployedBy.length === 0 && row.deployed) {
      const automated =
        deployedCard?.kind === 'info' || row.deployed.automated || deployedCard?.operation?.automated;
      deployedVia = automated
        ? 'auto-sync'
        : (deployedCard?.operation?.initiatedBy ?? row.deployed.initiatedBy);
    }
    let subject = deployedCard?.to.subject;
    let syncWindow = row.open?.syncWindow;
    const openPermalink = row.open?.ts ? await deps.permalinks.get(row.open.channel, row.open.ts) : undefined;
    if (perAppCalls) {
      const [meta, windows] = await Promise.all([
        !subject && row.deployed
          ? withDeadline(deps.argocd.revisionMetadata(row.app, row.deployed.sha), deps.deadlineMs, undefined)
          : undefined,
        withDeadline(deps.argocd.syncWindows(row.app), deps.deadlineMs, undefined),
      ]);
      subject = subject ?? meta?.message?.split('\n')[0] ?? undefined;
      if (windows) syncWindow = describeSyncWindows(windows) ?? syncWindow;
    }
    return { ...row, subject, deployedBy, deployedVia, openPermalink, syncWindow };
  });
}
