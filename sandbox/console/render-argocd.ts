import type { ArgoCdAppRow } from './console-model.js';
import { escapeHtml } from './escape-html.js';

/** `eu/event-ingestion-prod` when the rows span several instances, the bare name with one (as the bot names them). */
function argoCdAppName(row: ArgoCdAppRow, multiInstance: boolean): string {
  return multiInstance ? `${row.instance}/${row.app}` : row.app;
}

/** The Argo CD panel: one line per application with its sync, health and operation. */
export function renderArgoCdApps(rows: readonly ArgoCdAppRow[]): string {
  if (rows.length === 0) return '<div class="empty">No applications.</div>';
  const multiInstance = new Set(rows.map((r) => r.instance)).size > 1;
  const items = rows
    .map((row) => {
      const name = argoCdAppName(row, multiInstance);
      const state = [row.sync, row.health, row.operation, row.revision?.slice(0, 7)]
        .filter(Boolean)
        .join(' · ');
      return `<li data-instance="${escapeHtml(row.instance)}" data-app="${escapeHtml(row.app)}"><span class="argocd-app">${escapeHtml(name)}</span><small>${escapeHtml(state)}</small></li>`;
    })
    .join('');
  return `<ul class="argocd-list">${items}</ul>`;
}
