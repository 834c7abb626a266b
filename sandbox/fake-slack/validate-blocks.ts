import {
  ACCESSORY_ELEMENTS,
  ACTIONS_ELEMENTS,
  checkElement,
  checkImageElement,
  checkString,
  checkTextObject,
  checkTextValue,
  INPUT_ELEMENTS,
  isObject,
  Problems,
} from './block-kit-rules.js';
import type { JsonObject } from './types.js';

const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;

const PASS_THROUGH_BLOCKS = new Set([
  'divider',
  'rich_text',
  'video',
  'file',
  'table',
  'call',
  'context_actions',
]);

function checkSection(p: Problems, block: JsonObject, at: string): void {
  if (block.text === undefined && block.fields === undefined) {
    p.add(at, 'must provide text or fields');
  }
  checkTextObject(p, block, 'text', at, { max: 3000 });
  const fields = block.fields;
  if (fields !== undefined) {
    if (!Array.isArray(fields) || fields.length === 0) {
      p.add(`${at}/fields`, 'must be a non-empty array');
    } else {
      if (fields.length > 10) p.add(`${at}/fields`, 'no more than 10 items allowed');
      fields.forEach((field, i) => {
        checkTextValue(p, field, `${at}/fields/${i}`, { max: 2000 });
      });
    }
  }
  if (block.accessory !== undefined) checkElement(p, block.accessory, `${at}/accessory`, ACCESSORY_ELEMENTS);
}

function checkActions(p: Problems, block: JsonObject, at: string): void {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0) {
    p.add(`${at}/elements`, 'must be a non-empty array');
    return;
  }
  if (elements.length > 25) p.add(`${at}/elements`, 'no more than 25 items allowed');
  const actionIds = new Set<string>();
  elements.forEach((element, i) => {
    checkElement(p, element, `${at}/elements/${i}`, ACTIONS_ELEMENTS);
    const actionId = isObject(element) ? element.action_id : undefined;
    if (typeof actionId === 'string') {
      if (actionIds.has(actionId)) p.add(`${at}/elements/${i}/action_id`, `duplicate action_id: ${actionId}`);
      actionIds.add(actionId);
    }
  });
}

function checkContext(p: Problems, block: JsonObject, at: string): void {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0) {
    p.add(`${at}/elements`, 'must be a non-empty array');
    return;
  }
  if (elements.length > 10) p.add(`${at}/elements`, 'no more than 10 items allowed');
  elements.forEach((element, i) => {
    const elementAt = `${at}/elements/${i}`;
    if (isObject(element) && element.type === 'image') checkImageElement(p, element, elementAt);
    else checkTextValue(p, element, elementAt, { max: 3000 });
  });
}

function checkInput(p: Problems, block: JsonObject, at: string): void {
  checkTextObject(p, block, 'label', at, { max: 2000, plainOnly: true, required: true });
  checkTextObject(p, block, 'hint', at, { max: 2000, plainOnly: true });
  if (block.element === undefined) p.add(at, 'missing required field: element');
  else checkElement(p, block.element, `${at}/element`, INPUT_ELEMENTS);
}

const BLOCK_CHECKS: Record<string, (p: Problems, block: JsonObject, at: string) => void> = {
  section: checkSection,
  header: (p, block, at) =>
    checkTextObject(p, block, 'text', at, { max: 150, plainOnly: true, required: true }),
  actions: checkActions,
  context: checkContext,
  input: checkInput,
  image: (p, block, at) => {
    checkImageElement(p, block, at);
    checkTextObject(p, block, 'title', at, { max: 2000, plainOnly: true });
  },
  markdown: (p, block, at) => {
    checkString(p, block, 'text', at, { max: 12000, min: 1, required: true });
  },
};

function checkBlock(p: Problems, block: JsonObject, at: string): void {
  const type = typeof block.type === 'string' ? block.type : '';
  const check = BLOCK_CHECKS[type];
  if (check) check(p, block, at);
  else if (!PASS_THROUGH_BLOCKS.has(type))
    p.add(`${at}/type`, `unsupported block type: ${String(block.type)}`);
}

/** Validates a list of blocks (a message's or a view's) into `p`. */
export function checkBlockList(p: Problems, blocks: unknown, pointer: string, maxBlocks: number): void {
  if (!Array.isArray(blocks)) {
    p.add(pointer, 'must be an array');
    return;
  }
  if (blocks.length > maxBlocks) p.add(pointer, `no more than ${maxBlocks} items allowed`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(block)) {
      p.add(at, 'must be a block object');
      return;
    }
    if (checkString(p, block, 'block_id', at, { max: 255 }) && typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) p.add(`${at}/block_id`, `duplicate block_id: ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    checkBlock(p, block, at);
  });
}

/** Slack's `invalid_blocks` rules for a message; returns the problems, empty when the blocks are valid. */
export function validateMessageBlocks(blocks: unknown, pointer = '/blocks'): string[] {
  const p = new Problems();
  checkBlockList(p, blocks, pointer, MAX_MESSAGE_BLOCKS);
  return p.list;
}
