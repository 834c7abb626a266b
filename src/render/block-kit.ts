/**
 * The Block Kit subset deploybot sends, as plain data. It is structurally assignable to `@slack/types`'
 * `KnownBlock` (checked in the tests), but small enough for a test to walk every field.
 * Every builder here cuts its text to the Slack limit, so no caller can produce a message Slack refuses.
 */
import { LIMITS, truncate, truncateMrkdwn } from './limits.js';

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}

export type ButtonStyle = 'primary' | 'danger';

export interface ConfirmDialog {
  title: PlainText;
  text: PlainText;
  confirm: PlainText;
  deny: PlainText;
  style?: ButtonStyle;
}

export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: PlainText;
  value?: string;
  url?: string;
  style?: ButtonStyle;
  confirm?: ConfirmDialog;
}

export interface HeaderBlock {
  type: 'header';
  block_id?: string;
  text: PlainText;
}

export interface SectionBlock {
  type: 'section';
  block_id?: string;
  text?: Mrkdwn;
  fields?: Mrkdwn[];
}

export interface ContextBlock {
  type: 'context';
  block_id?: string;
  elements: Mrkdwn[];
}

export interface ActionsBlock {
  type: 'actions';
  block_id?: string;
  elements: ButtonElement[];
}

interface DividerBlock {
  type: 'divider';
  block_id?: string;
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | DividerBlock;

interface PlainTextInputElement {
  type: 'plain_text_input';
  action_id: string;
  multiline?: boolean;
  min_length?: number;
  max_length?: number;
  placeholder?: PlainText;
}

interface InputBlock {
  type: 'input';
  block_id: string;
  label: PlainText;
  element: PlainTextInputElement;
  optional?: boolean;
  hint?: PlainText;
}

export type ModalBlock = Block | InputBlock;

/** A message for chat.postMessage / chat.update / respond: always both `text` and `blocks` (see the Slack notes). */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export interface ModalView {
  type: 'modal';
  callback_id: string;
  title: PlainText;
  submit: PlainText;
  close: PlainText;
  private_metadata: string;
  blocks: ModalBlock[];
}

/** Slack refuses empty text objects; a lone dash keeps a block valid when data is missing. */
function nonEmpty(text: string): string {
  return text.trim().length > 0 ? text : '-';
}

export function plainText(text: string, max: number): PlainText {
  return { type: 'plain_text', text: truncate(nonEmpty(text), max), emoji: true };
}

function mrkdwn(text: string, max: number): Mrkdwn {
  return { type: 'mrkdwn', text: truncateMrkdwn(nonEmpty(text), max) };
}

export function header(blockId: string, text: string): HeaderBlock {
  return { type: 'header', block_id: blockId, text: plainText(text, LIMITS.headerText) };
}

export function section(blockId: string, text: string): SectionBlock {
  return { type: 'section', block_id: blockId, text: mrkdwn(text, LIMITS.sectionText) };
}

export function fieldsSection(blockId: string, fields: readonly string[]): SectionBlock {
  return {
    type: 'section',
    block_id: blockId,
    fields: fields.slice(0, LIMITS.sectionFields).map((f) => mrkdwn(f, LIMITS.fieldText)),
  };
}

export function context(blockId: string, texts: readonly string[]): ContextBlock {
  return {
    type: 'context',
    block_id: blockId,
    elements: texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(t, LIMITS.contextText)),
  };
}

export function actions(blockId: string, buttons: readonly ButtonElement[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: buttons.slice(0, LIMITS.actionsElements) };
}

export function confirmDialog(input: {
  title: string;
  text: string;
  confirm: string;
  deny: string;
  style?: ButtonStyle;
}): ConfirmDialog {
  const dialog: ConfirmDialog = {
    title: plainText(input.title, LIMITS.confirmTitle),
    text: plainText(input.text, LIMITS.confirmText),
    confirm: plainText(input.confirm, LIMITS.confirmButton),
    deny: plainText(input.deny, LIMITS.confirmButton),
  };
  if (input.style) dialog.style = input.style;
  return dialog;
}

export function button(input: {
  actionId: string;
  text: string;
  value?: string;
  url?: string;
  style?: ButtonStyle;
  confirm?: ConfirmDialog;
}): ButtonElement {
  const element: ButtonElement = {
    type: 'button',
    action_id: truncate(input.actionId, LIMITS.id),
    text: plainText(input.text, LIMITS.buttonText),
  };
  if (input.value !== undefined) element.value = input.value;
  if (input.url !== undefined) element.url = input.url;
  if (input.style) element.style = input.style;
  if (input.confirm) element.confirm = input.confirm;
  return element;
}

/** Keeps block ids unique (Slack refuses duplicates) by suffixing repeats. */
function dedupeBlockIds<T extends { block_id?: string }>(blocks: T[]): T[] {
  const seen = new Set<string>();
  return blocks.map((block) => {
    if (block.block_id === undefined) return block;
    let id = truncate(block.block_id, LIMITS.id - 4);
    for (let n = 2; seen.has(id); n += 1) id = `${truncate(block.block_id, LIMITS.id - 4)}_${n}`;
    seen.add(id);
    return id === block.block_id ? block : { ...block, block_id: id };
  });
}

/** Drops the lowest blocks that are not actions until the message fits: buttons matter more than details. */
function capBlocks(blocks: Block[], max: number): Block[] {
  if (blocks.length <= max) return blocks;
  const result = [...blocks];
  for (let i = result.length - 1; i >= 0 && result.length > max; i -= 1) {
    if (result[i]?.type !== 'actions' && i > 0) result.splice(i, 1);
  }
  return result.slice(0, max);
}

/** The single exit of every renderer: fallback text within its limit, block count capped, block ids unique. */
export function buildMessage(text: string, blocks: Block[]): SlackMessage {
  return {
    text: truncateMrkdwn(nonEmpty(text), LIMITS.messageText),
    blocks: dedupeBlockIds(capBlocks(blocks, LIMITS.messageBlocks)),
  };
}

export function finalizeModalBlocks(blocks: ModalBlock[]): ModalBlock[] {
  return dedupeBlockIds(blocks.slice(0, LIMITS.modalBlocks));
}
