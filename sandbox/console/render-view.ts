import type { StoredView } from '../fake-slack/index.js';
import type { ViewFormState } from './console-state.js';
import { escapeHtml } from './escape-html.js';
import { renderBlocks } from './render-blocks.js';
import { textOf } from './render-elements.js';
import type { MrkdwnOptions } from './render-mrkdwn.js';

/** A modal opened with views.open, as Slack draws it: title, blocks, errors under their inputs, Cancel/Submit. */
export function renderView(
  stored: StoredView,
  form: ViewFormState | undefined,
  options: MrkdwnOptions,
): string {
  const { view } = stored;
  const id = escapeHtml(stored.id);
  const inputIds = new Set(view.blocks.filter((b) => b.type === 'input').map((b) => String(b.block_id)));
  const stray = Object.entries(form?.errors ?? {}).filter(([blockId]) => !inputIds.has(blockId));
  const strayHtml = stray.length
    ? `<div class="input-error" role="alert">${stray.map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(v)}`).join('<br>')}</div>`
    : '';
  const close = textOf(view.close) || 'Cancel';
  const submit = view.submit
    ? `<button type="submit" class="btn btn-primary" data-submit-view>${escapeHtml(textOf(view.submit))}</button>`
    : '';
  return `<div class="modal-backdrop">
<form class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title-${id}" data-view-id="${id}">
<header class="modal-head"><h2 id="modal-title-${id}">${escapeHtml(textOf(view.title))}</h2><button type="button" class="modal-x" data-close-view aria-label="Close">×</button></header>
<div class="modal-body">${renderBlocks(view.blocks, options, form ?? {})}${strayHtml}</div>
<footer class="modal-foot"><button type="button" class="btn" data-close-view>${escapeHtml(close)}</button>${submit}</footer>
</form></div>`;
}
