/**
 * Slack stores blocks with defaults filled in, and interaction payloads echo that stored form:
 * a random block_id/action_id when the app sent none, `emoji: true` on plain_text, `verbatim: false`
 * on mrkdwn, `optional`/`dispatch_action` on input blocks. Reproducing it keeps payloads identical to Slack's.
 */
import { isObject } from './block-kit-rules.js';
import { createBlockId } from './ids.js';
import type { JsonObject } from './types.js';

const INTERACTIVE_TYPES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'overflow',
  'radio_buttons',
  'timepicker',
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'rich_text_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
]);

function normalizeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) out[key] = normalizeValue(inner);
  if (out.type === 'plain_text' && typeof out.text === 'string' && out.emoji === undefined) out.emoji = true;
  if (out.type === 'mrkdwn' && typeof out.text === 'string' && out.verbatim === undefined)
    out.verbatim = false;
  if (typeof out.type === 'string' && INTERACTIVE_TYPES.has(out.type) && out.action_id === undefined) {
    out.action_id = createBlockId();
  }
  return out;
}

function normalizeInputBlock(block: JsonObject): JsonObject {
  const { type, block_id, label, optional, dispatch_action, element, ...rest } = block;
  return {
    type,
    block_id,
    label,
    optional: optional ?? false,
    dispatch_action: dispatch_action ?? false,
    element,
    ...rest,
  };
}

export function normalizeBlocks(blocks: JsonObject[]): JsonObject[] {
  return blocks.map((raw) => {
    const block = normalizeValue(raw) as JsonObject;
    if (block.block_id === undefined) {
      const { type, ...rest } = block;
      return normalizeBlockShape({ type, block_id: createBlockId(), ...rest });
    }
    return normalizeBlockShape(block);
  });
}

function normalizeBlockShape(block: JsonObject): JsonObject {
  return block.type === 'input' ? normalizeInputBlock(block) : block;
}

/** Normalizes a composition text object (a view's title/submit/close). */
export function normalizeTextObject(value: unknown): JsonObject | null {
  return isObject(value) ? (normalizeValue(value) as JsonObject) : null;
}
