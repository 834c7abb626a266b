/**
 * An independent check of Block Kit limits (docs.slack.dev "Blocks" and the `@slack/types` doc comments),
 * written against plain JSON so it does not trust the renderer's own types or constants.
 */

type Json = Record<string, unknown>;

const MAX = {
  messageBlocks: 50,
  modalBlocks: 100,
  text: 3000,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  id: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  plainTextInputMax: 3000,
};

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkText(
  path: string,
  value: unknown,
  max: number,
  type: 'plain_text' | 'mrkdwn' | 'any',
  out: string[],
) {
  if (!isObject(value)) {
    out.push(`${path}: missing text object`);
    return;
  }
  if (type !== 'any' && value.type !== type) out.push(`${path}: must be ${type}, got ${String(value.type)}`);
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn')
    out.push(`${path}: unknown text type ${String(value.type)}`);
  const text = value.text;
  if (typeof text !== 'string' || text.length === 0) out.push(`${path}: empty text`);
  else if (text.length > max) out.push(`${path}: ${text.length} chars > ${max}`);
}

function checkConfirm(path: string, confirm: unknown, out: string[]) {
  if (!isObject(confirm)) {
    out.push(`${path}: confirm is not an object`);
    return;
  }
  checkText(`${path}.title`, confirm.title, MAX.confirmTitle, 'plain_text', out);
  checkText(`${path}.text`, confirm.text, MAX.confirmText, 'plain_text', out);
  checkText(`${path}.confirm`, confirm.confirm, MAX.confirmButton, 'plain_text', out);
  checkText(`${path}.deny`, confirm.deny, MAX.confirmButton, 'plain_text', out);
}

function checkButton(path: string, el: Json, actionIds: Set<string>, out: string[]) {
  checkText(`${path}.text`, el.text, MAX.buttonText, 'plain_text', out);
  const actionId = el.action_id;
  if (typeof actionId !== 'string' || actionId.length === 0) out.push(`${path}: missing action_id`);
  else {
    if (actionId.length > MAX.id) out.push(`${path}: action_id longer than ${MAX.id}`);
    if (actionIds.has(actionId)) out.push(`${path}: duplicate action_id ${actionId}`);
    actionIds.add(actionId);
  }
  if (typeof el.value === 'string' && el.value.length > MAX.buttonValue)
    out.push(`${path}: value > ${MAX.buttonValue}`);
  if (el.url !== undefined && (typeof el.url !== 'string' || el.url.length > MAX.buttonUrl)) {
    out.push(`${path}: bad url`);
  }
  if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
    out.push(`${path}: bad style`);
  if (el.confirm !== undefined) checkConfirm(`${path}.confirm`, el.confirm, out);
}

function checkBlock(path: string, block: Json, actionIds: Set<string>, out: string[]) {
  switch (block.type) {
    case 'header':
      checkText(`${path}.text`, block.text, MAX.header, 'plain_text', out);
      break;
    case 'section': {
      if (block.text === undefined && block.fields === undefined)
        out.push(`${path}: section without text or fields`);
      if (block.text !== undefined) checkText(`${path}.text`, block.text, MAX.sectionText, 'any', out);
      if (block.fields !== undefined) {
        const fields = block.fields as unknown[];
        if (fields.length === 0 || fields.length > MAX.fields) out.push(`${path}: ${fields.length} fields`);
        for (const [i, f] of fields.entries())
          checkText(`${path}.fields[${i}]`, f, MAX.fieldText, 'any', out);
      }
      break;
    }
    case 'context': {
      const elements = block.elements as unknown[];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > MAX.contextElements) {
        out.push(`${path}: context needs 1..${MAX.contextElements} elements`);
      } else {
        for (const [i, e] of elements.entries())
          checkText(`${path}.elements[${i}]`, e, MAX.contextText, 'any', out);
      }
      break;
    }
    case 'actions': {
      const elements = block.elements as unknown[];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > MAX.actionsElements) {
        out.push(`${path}: actions needs 1..${MAX.actionsElements} elements`);
        break;
      }
      const primaries = elements.filter((e) => isObject(e) && e.style === 'primary').length;
      if (primaries > 1) out.push(`${path}: ${primaries} primary buttons`);
      elements.forEach((e, i) => {
        if (isObject(e) && e.type === 'button') checkButton(`${path}.elements[${i}]`, e, actionIds, out);
        else out.push(`${path}.elements[${i}]: not a button`);
      });
      break;
    }
    case 'input': {
      checkText(`${path}.label`, block.label, MAX.inputLabel, 'plain_text', out);
      const el = block.element;
      if (!isObject(el) || typeof el.action_id !== 'string' || el.action_id.length > MAX.id) {
        out.push(`${path}: bad input element`);
      } else if (typeof el.max_length === 'number' && el.max_length > MAX.plainTextInputMax) {
        out.push(`${path}: max_length > ${MAX.plainTextInputMax}`);
      }
      break;
    }
    case 'divider':
      break;
    default:
      out.push(`${path}: unexpected block type ${String(block.type)}`);
  }
}

function checkBlocks(blocks: unknown, maxBlocks: number, out: string[]) {
  if (!Array.isArray(blocks)) {
    out.push('blocks: not an array');
    return;
  }
  if (blocks.length > maxBlocks) out.push(`blocks: ${blocks.length} > ${maxBlocks}`);
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  blocks.forEach((block, i) => {
    const path = `blocks[${i}]`;
    if (!isObject(block)) {
      out.push(`${path}: not an object`);
      return;
    }
    if (block.block_id !== undefined) {
      const id = block.block_id;
      if (typeof id !== 'string' || id.length === 0 || id.length > MAX.id) out.push(`${path}: bad block_id`);
      else if (blockIds.has(id)) out.push(`${path}: duplicate block_id ${id}`);
      else blockIds.add(id);
    }
    checkBlock(path, block, actionIds, out);
  });
}

/** Every limit a message (chat.postMessage / chat.update / respond) must meet; [] when it fits. */
export function checkBlockKitLimits(message: { text?: unknown; blocks?: unknown }): string[] {
  const out: string[] = [];
  if (typeof message.text !== 'string' || message.text.trim().length === 0)
    out.push('text: missing fallback text');
  else if (message.text.length > MAX.text) out.push(`text: ${message.text.length} chars > ${MAX.text}`);
  checkBlocks(message.blocks, MAX.messageBlocks, out);
  return out;
}

/** Every limit a modal view must meet; [] when it fits. */
export function checkModalLimits(view: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (view.type !== 'modal') out.push('type: not a modal');
  checkText('title', view.title, MAX.modalTitle, 'plain_text', out);
  if (view.submit !== undefined) checkText('submit', view.submit, MAX.modalTitle, 'plain_text', out);
  if (view.close !== undefined) checkText('close', view.close, MAX.modalTitle, 'plain_text', out);
  if (typeof view.callback_id !== 'string' || view.callback_id.length > MAX.id) out.push('callback_id: bad');
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > MAX.privateMetadata) {
    out.push('private_metadata: too long');
  }
  checkBlocks(view.blocks, MAX.modalBlocks, out);
  return out;
}
