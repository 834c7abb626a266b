import type { JsonObject } from '../fake-slack/index.js';
import { escapeHtml, safeUrl } from './escape-html.js';
import { type MrkdwnOptions, renderMrkdwn, renderPlainText } from './render-mrkdwn.js';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function textOf(value: unknown): string {
  return isObject(value) && typeof value.text === 'string' ? value.text : '';
}

/** A Block Kit text object: mrkdwn is parsed, plain_text is only escaped. */
export function renderTextObject(value: unknown, options: MrkdwnOptions): string {
  if (!isObject(value)) return '';
  const text = textOf(value);
  return value.type === 'mrkdwn' ? renderMrkdwn(text, options) : renderPlainText(text);
}

export function renderUnsupported(kind: string): string {
  return `<span class="unsupported" title="The console does not render this Block Kit element">[${escapeHtml(kind)}]</span>`;
}

/** The confirm object travels to the browser pre-rendered, so the client never builds HTML from data. */
function confirmAttribute(confirm: unknown, options: MrkdwnOptions): string {
  if (!isObject(confirm)) return '';
  const data = {
    title: textOf(confirm.title) || 'Are you sure?',
    textHtml: renderTextObject(confirm.text, options),
    confirm: textOf(confirm.confirm) || 'Yes',
    deny: textOf(confirm.deny) || 'Cancel',
    style: confirm.style === 'danger' ? 'danger' : confirm.style === 'primary' ? 'primary' : '',
  };
  return ` data-confirm="${escapeHtml(JSON.stringify(data))}"`;
}

function renderButton(element: JsonObject, blockId: string, options: MrkdwnOptions): string {
  const style = element.style === 'primary' || element.style === 'danger' ? ` btn-${element.style}` : '';
  const url = typeof element.url === 'string' ? safeUrl(element.url) : undefined;
  const attributes = [
    `data-action-id="${escapeHtml(String(element.action_id ?? ''))}"`,
    `data-block-id="${escapeHtml(blockId)}"`,
    url ? `data-url="${escapeHtml(url)}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const label = renderPlainText(textOf(element.text));
  const icon = url ? ' <span class="link-icon" aria-hidden="true">↗</span>' : '';
  return `<button type="button" class="btn${style}" ${attributes}${confirmAttribute(element.confirm, options)}>${label}${icon}</button>`;
}

export function renderImage(element: JsonObject, className: string): string {
  const url = typeof element.image_url === 'string' ? safeUrl(element.image_url) : undefined;
  const alt = escapeHtml(String(element.alt_text ?? ''));
  if (!url) return renderUnsupported('image');
  return `<img class="${className}" src="${escapeHtml(url)}" alt="${alt}" loading="lazy">`;
}

/** Interactive elements the console can show: buttons (clickable) and images; anything else is named. */
export function renderElement(element: unknown, blockId: string, options: MrkdwnOptions): string {
  if (!isObject(element)) return '';
  if (element.type === 'button') return renderButton(element, blockId, options);
  if (element.type === 'image') return renderImage(element, 'accessory-image');
  return renderUnsupported(String(element.type ?? 'element'));
}
