import type { JsonObject } from '../fake-slack/index.js';
import { escapeHtml } from './escape-html.js';
import {
  isObject,
  renderElement,
  renderImage,
  renderTextObject,
  renderUnsupported,
  textOf,
} from './render-elements.js';
import type { MrkdwnOptions } from './render-mrkdwn.js';

/** What an input block shows besides its definition: the value typed and the app's error for it. */
export interface InputState {
  values?: Record<string, Record<string, string>>;
  errors?: Record<string, string>;
}

function blockIdOf(block: JsonObject): string {
  return typeof block.block_id === 'string' ? block.block_id : '';
}

function renderSection(block: JsonObject, options: MrkdwnOptions): string {
  const text = block.text ? `<div class="section-text">${renderTextObject(block.text, options)}</div>` : '';
  const fields = Array.isArray(block.fields)
    ? `<div class="section-fields">${block.fields
        .map((f) => `<div class="section-field">${renderTextObject(f, options)}</div>`)
        .join('')}</div>`
    : '';
  const accessory = block.accessory
    ? `<div class="section-accessory">${renderElement(block.accessory, blockIdOf(block), options)}</div>`
    : '';
  return `<div class="block block-section"><div class="section-body">${text}${fields}</div>${accessory}</div>`;
}

function renderContext(block: JsonObject, options: MrkdwnOptions): string {
  const elements = Array.isArray(block.elements) ? block.elements : [];
  const parts = elements.map((e) => {
    if (isObject(e) && e.type === 'image') return renderImage(e, 'context-image');
    return `<span class="context-item">${renderTextObject(e, options)}</span>`;
  });
  return `<div class="block block-context">${parts.join('')}</div>`;
}

function renderActions(block: JsonObject, options: MrkdwnOptions): string {
  const elements = Array.isArray(block.elements) ? block.elements : [];
  const buttons = elements.map((e) => renderElement(e, blockIdOf(block), options)).join('');
  return `<div class="block block-actions">${buttons}</div>`;
}

function renderInput(block: JsonObject, options: MrkdwnOptions, state: InputState): string {
  const blockId = blockIdOf(block);
  const element = isObject(block.element) ? block.element : {};
  const actionId = String(element.action_id ?? '');
  const optional = block.optional === true ? ' <span class="optional">(optional)</span>' : '';
  const label = `<label class="input-label" for="in-${escapeHtml(blockId)}">${escapeHtml(textOf(block.label))}${optional}</label>`;
  const hint = block.hint ? `<div class="input-hint">${renderTextObject(block.hint, options)}</div>` : '';
  const error = state.errors?.[blockId];
  const errorHtml = error ? `<div class="input-error" role="alert">${escapeHtml(error)}</div>` : '';
  if (element.type !== 'plain_text_input') {
    return `<div class="block block-input">${label}${renderUnsupported(String(element.type ?? 'input'))}${hint}${errorHtml}</div>`;
  }
  const value =
    state.values?.[blockId]?.[actionId] ??
    (typeof element.initial_value === 'string' ? element.initial_value : '');
  const attributes = [
    `id="in-${escapeHtml(blockId)}"`,
    `data-block-id="${escapeHtml(blockId)}"`,
    `data-input-action-id="${escapeHtml(actionId)}"`,
    element.placeholder ? `placeholder="${escapeHtml(textOf(element.placeholder))}"` : '',
    typeof element.max_length === 'number' ? `maxlength="${element.max_length}"` : '',
    error ? 'aria-invalid="true"' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const field =
    element.multiline === true
      ? `<textarea class="input-field" rows="4" ${attributes}>${escapeHtml(value)}</textarea>`
      : `<input class="input-field" type="text" ${attributes} value="${escapeHtml(value)}">`;
  return `<div class="block block-input${error ? ' has-error' : ''}">${label}${field}${hint}${errorHtml}</div>`;
}

function renderBlock(block: unknown, options: MrkdwnOptions, state: InputState = {}): string {
  if (!isObject(block)) return '';
  switch (block.type) {
    case 'header':
      return `<div class="block block-header">${renderTextObject(block.text, options)}</div>`;
    case 'section':
      return renderSection(block, options);
    case 'context':
      return renderContext(block, options);
    case 'divider':
      return '<hr class="block block-divider">';
    case 'actions':
      return renderActions(block, options);
    case 'image':
      return `<div class="block block-image">${renderImage(block, 'block-image-img')}</div>`;
    case 'input':
      return renderInput(block, options, state);
    default:
      return `<div class="block">${renderUnsupported(`${String(block.type ?? 'unknown')} block`)}</div>`;
  }
}

export function renderBlocks(blocks: unknown[], options: MrkdwnOptions, state: InputState = {}): string {
  return blocks.map((b) => renderBlock(b, options, state)).join('');
}
