/**
 * Shared Block Kit checks. Each problem is reported the way Slack words it in `errors` /
 * `response_metadata.messages`: `<rule> [json-pointer:/blocks/0/text/text]`.
 */
import type { JsonObject } from './types.js';

export class Problems {
  readonly list: string[] = [];

  add(pointer: string, rule: string): void {
    this.list.push(`${rule} [json-pointer:${pointer}]`);
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface StringRule {
  max: number;
  min?: number;
  required?: boolean;
}

/** Checks an optional (or required) string field; returns whether it was present. */
export function checkString(
  p: Problems,
  parent: JsonObject,
  key: string,
  pointer: string,
  rule: StringRule,
): boolean {
  const value = parent[key];
  const at = `${pointer}/${key}`;
  if (value === undefined || value === null) {
    if (rule.required) p.add(pointer, `missing required field: ${key}`);
    return false;
  }
  if (typeof value !== 'string') {
    p.add(at, 'must be a string');
    return true;
  }
  if (value.length < (rule.min ?? 0)) p.add(at, `must be more than ${(rule.min ?? 0) - 1} characters`);
  if (value.length > rule.max) p.add(at, `must be less than ${rule.max + 1} characters`);
  return true;
}

interface TextRule {
  max: number;
  plainOnly?: boolean;
  required?: boolean;
}

/** A composition text object `{ type: 'plain_text' | 'mrkdwn', text }`; `text` may not be empty. */
export function checkTextObject(
  p: Problems,
  parent: JsonObject,
  key: string,
  pointer: string,
  rule: TextRule,
): void {
  const value = parent[key];
  const at = `${pointer}/${key}`;
  if (value === undefined || value === null) {
    if (rule.required) p.add(pointer, `missing required field: ${key}`);
    return;
  }
  checkTextValue(p, value, at, rule);
}

export function checkTextValue(p: Problems, value: unknown, at: string, rule: TextRule): void {
  if (!isObject(value)) {
    p.add(at, 'must be a text object');
    return;
  }
  const allowed = rule.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
    p.add(`${at}/type`, `must be one of ${allowed.join(', ')}`);
  }
  checkString(p, value, 'text', at, { max: rule.max, min: 1, required: true });
}

function checkStyle(p: Problems, parent: JsonObject, pointer: string): void {
  const style = parent.style;
  if (style !== undefined && style !== 'primary' && style !== 'danger') {
    p.add(`${pointer}/style`, 'must be one of primary, danger');
  }
}

/** Slack's confirmation dialog object; all four texts are required by the docs. */
function checkConfirm(p: Problems, parent: JsonObject, pointer: string): void {
  const confirm = parent.confirm;
  if (confirm === undefined) return;
  const at = `${pointer}/confirm`;
  if (!isObject(confirm)) {
    p.add(at, 'must be a confirmation dialog object');
    return;
  }
  checkTextObject(p, confirm, 'title', at, { max: 100, plainOnly: true, required: true });
  checkTextObject(p, confirm, 'text', at, { max: 300, required: true });
  checkTextObject(p, confirm, 'confirm', at, { max: 30, plainOnly: true, required: true });
  checkTextObject(p, confirm, 'deny', at, { max: 30, plainOnly: true, required: true });
  checkStyle(p, confirm, at);
}

function checkButton(p: Problems, button: JsonObject, pointer: string): void {
  checkTextObject(p, button, 'text', pointer, { max: 75, plainOnly: true, required: true });
  checkString(p, button, 'action_id', pointer, { max: 255 });
  checkString(p, button, 'value', pointer, { max: 2000 });
  checkString(p, button, 'url', pointer, { max: 3000 });
  checkString(p, button, 'accessibility_label', pointer, { max: 75 });
  checkStyle(p, button, pointer);
  checkConfirm(p, button, pointer);
}

const SELECT_ELEMENTS = new Set([
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

const CHOICE_ELEMENTS = new Set([
  'checkboxes',
  'radio_buttons',
  'overflow',
  'datepicker',
  'timepicker',
  'datetimepicker',
]);

const TEXT_INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'rich_text_input',
  'file_input',
]);

export const ACTIONS_ELEMENTS = new Set([
  'button',
  'workflow_button',
  ...SELECT_ELEMENTS,
  ...CHOICE_ELEMENTS,
]);
export const ACCESSORY_ELEMENTS = new Set([...ACTIONS_ELEMENTS, 'image']);
export const INPUT_ELEMENTS = new Set([...SELECT_ELEMENTS, ...CHOICE_ELEMENTS, ...TEXT_INPUT_ELEMENTS]);

/** An element of an actions block, a section accessory or an input block. */
export function checkElement(p: Problems, element: unknown, pointer: string, allowed: Set<string>): void {
  if (!isObject(element)) {
    p.add(pointer, 'must be an element object');
    return;
  }
  const type = element.type;
  if (typeof type !== 'string' || !allowed.has(type)) {
    p.add(`${pointer}/type`, `unsupported element type: ${String(type)}`);
    return;
  }
  if (type === 'button') {
    checkButton(p, element, pointer);
    return;
  }
  if (type === 'image') {
    checkImageElement(p, element, pointer);
    return;
  }
  checkString(p, element, 'action_id', pointer, { max: 255 });
  checkTextObject(p, element, 'placeholder', pointer, { max: 150, plainOnly: true });
  checkConfirm(p, element, pointer);
  if (type === 'plain_text_input') {
    for (const key of ['max_length', 'min_length']) {
      const n = element[key];
      if (n !== undefined && (typeof n !== 'number' || n < 0 || n > 3000)) {
        p.add(`${pointer}/${key}`, 'must be a number from 0 to 3000');
      }
    }
  }
}

export function checkImageElement(p: Problems, image: JsonObject, pointer: string): void {
  if (image.image_url === undefined && image.slack_file === undefined) {
    p.add(pointer, 'missing required field: image_url');
  }
  checkString(p, image, 'image_url', pointer, { max: 3000 });
  checkString(p, image, 'alt_text', pointer, { max: 2000, required: true });
}
