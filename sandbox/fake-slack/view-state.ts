/**
 * Builds `view.state.values` the way Slack's client does on submit: one entry per input block,
 * `null` for what the user left empty, and no submit at all while a required input is empty
 * (Slack's UI refuses it, so the app never sees that request).
 */
import { isObject } from './block-kit-rules.js';
import type { JsonObject, SlackView, ViewInputValues } from './types.js';

type Given = string | string[] | JsonObject | undefined;

const TEXT_INPUTS = new Set(['plain_text_input', 'email_text_input', 'url_text_input', 'number_input']);

const SINGLE_PICKS: Record<string, string> = {
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
};

const MULTI_PICKS: Record<string, string> = {
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};

function listOptions(element: JsonObject): JsonObject[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((g) => (isObject(g) && Array.isArray(g.options) ? g.options : []))
    : [];
  return [...direct, ...grouped].filter(isObject);
}

function findOption(element: JsonObject, value: string, where: string): JsonObject {
  const option = listOptions(element).find((o) => o.value === value);
  if (!option) throw new Error(`${where}: no option with value ${JSON.stringify(value)}`);
  return option;
}

function asList(given: Given): string[] {
  if (given === undefined) return [];
  return Array.isArray(given) ? given : [String(given)];
}

function checkTextLength(element: JsonObject, value: string, where: string): void {
  const max = typeof element.max_length === 'number' ? element.max_length : 3000;
  const min = typeof element.min_length === 'number' ? element.min_length : 0;
  if (value.length > max) throw new Error(`${where}: ${value.length} characters, the input allows ${max}`);
  if (value.length < min) throw new Error(`${where}: ${value.length} characters, the input needs ${min}`);
}

function buildValue(element: JsonObject, given: Given, where: string): JsonObject {
  const type = String(element.type);
  if (isObject(given) && !Array.isArray(given)) return { type, ...given };
  const isEmpty = given === undefined || given === '' || (Array.isArray(given) && given.length === 0);
  if (TEXT_INPUTS.has(type)) {
    const value = isEmpty ? null : String(given);
    if (value !== null) checkTextLength(element, value, where);
    return { type, value };
  }
  if (type === 'static_select' || type === 'radio_buttons') {
    return { type, selected_option: isEmpty ? null : findOption(element, String(given), where) };
  }
  if (type === 'multi_static_select' || type === 'checkboxes') {
    return { type, selected_options: asList(given).map((v) => findOption(element, v, where)) };
  }
  const single = SINGLE_PICKS[type];
  if (single) return { type, [single]: isEmpty ? null : String(given) };
  const multi = MULTI_PICKS[type];
  if (multi) return { type, [multi]: asList(given) };
  throw new Error(`${where}: give a full state value object for a ${type} element`);
}

function isEmptyValue(value: JsonObject): boolean {
  return Object.entries(value).every(
    ([key, v]) => key === 'type' || v === null || v === '' || (Array.isArray(v) && v.length === 0),
  );
}

export function buildViewState(view: SlackView, values: ViewInputValues): SlackView['state'] {
  const state: SlackView['state'] = { values: {} };
  const seen = new Set<string>();
  for (const block of view.blocks) {
    if (block.type !== 'input' || !isObject(block.element)) continue;
    const blockId = String(block.block_id);
    const actionId = String(block.element.action_id);
    const where = `${blockId}/${actionId}`;
    const given = values[blockId]?.[actionId];
    if (given !== undefined) seen.add(where);
    const value = buildValue(block.element, given, where);
    if (block.optional !== true && isEmptyValue(value)) {
      throw new Error(`${where} is required: Slack does not let the user submit the view with it empty`);
    }
    state.values[blockId] = { [actionId]: value };
  }
  for (const [blockId, actions] of Object.entries(values)) {
    for (const actionId of Object.keys(actions)) {
      if (!seen.has(`${blockId}/${actionId}`))
        throw new Error(`the view has no input ${blockId}/${actionId}`);
    }
  }
  return state;
}
