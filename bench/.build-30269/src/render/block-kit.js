/**
 * The Block Kit subset deploybot sends, as plain data. It is structurally assignable to `@slack/types`'
 * `KnownBlock` (checked in the tests), but small enough for a test to walk every field.
 * Every builder here cuts its text to the Slack limit, so no caller can produce a message Slack refuses.
 */
import { LIMITS, truncate, truncateMrkdwn } from './limits.js';
/** Slack refuses empty text objects; a lone dash keeps a block valid when data is missing. */
function nonEmpty(text) {
    return text.trim().length > 0 ? text : '-';
}
export function plainText(text, max) {
    return { type: 'plain_text', text: truncate(nonEmpty(text), max), emoji: true };
}
export function mrkdwn(text, max) {
    return { type: 'mrkdwn', text: truncateMrkdwn(nonEmpty(text), max) };
}
export function header(blockId, text) {
    return { type: 'header', block_id: blockId, text: plainText(text, LIMITS.headerText) };
}
export function section(blockId, text) {
    return { type: 'section', block_id: blockId, text: mrkdwn(text, LIMITS.sectionText) };
}
export function fieldsSection(blockId, fields) {
    return {
        type: 'section',
        block_id: blockId,
        fields: fields.slice(0, LIMITS.sectionFields).map((f) => mrkdwn(f, LIMITS.fieldText)),
    };
}
export function context(blockId, texts) {
    return {
        type: 'context',
        block_id: blockId,
        elements: texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(t, LIMITS.contextText)),
    };
}
export function actions(blockId, buttons) {
    return { type: 'actions', block_id: blockId, elements: buttons.slice(0, LIMITS.actionsElements) };
}
export function confirmDialog(input) {
    const dialog = {
        title: plainText(input.title, LIMITS.confirmTitle),
        text: plainText(input.text, LIMITS.confirmText),
        confirm: plainText(input.confirm, LIMITS.confirmButton),
        deny: plainText(input.deny, LIMITS.confirmButton),
    };
    if (input.style)
        dialog.style = input.style;
    return dialog;
}
export function button(input) {
    const element = {
        type: 'button',
        action_id: truncate(input.actionId, LIMITS.id),
        text: plainText(input.text, LIMITS.buttonText),
    };
    if (input.value !== undefined)
        element.value = input.value;
    if (input.url !== undefined)
        element.url = input.url;
    if (input.style)
        element.style = input.style;
    if (input.confirm)
        element.confirm = input.confirm;
    return element;
}
/** Keeps block ids unique (Slack refuses duplicates) by suffixing repeats. */
function dedupeBlockIds(blocks) {
    const seen = new Set();
    return blocks.map((block) => {
        if (block.block_id === undefined)
            return block;
        let id = truncate(block.block_id, LIMITS.id - 4);
        for (let n = 2; seen.has(id); n += 1)
            id = `${truncate(block.block_id, LIMITS.id - 4)}_${n}`;
        seen.add(id);
        return id === block.block_id ? block : { ...block, block_id: id };
    });
}
/** Drops the lowest blocks that are not actions until the message fits: buttons matter more than details. */
function capBlocks(blocks, max) {
    if (blocks.length <= max)
        return blocks;
    const result = [...blocks];
    for (let i = result.length - 1; i >= 0 && result.length > max; i -= 1) {
        if (result[i]?.type !== 'actions' && i > 0)
            result.splice(i, 1);
    }
    return result.slice(0, max);
}
/** The single exit of every renderer: fallback text within its limit, block count capped, block ids unique. */
export function buildMessage(text, blocks) {
    return {
        text: truncateMrkdwn(nonEmpty(text), LIMITS.messageText),
        blocks: dedupeBlockIds(capBlocks(blocks, LIMITS.messageBlocks)),
    };
}
export function finalizeModalBlocks(blocks) {
    return dedupeBlockIds(blocks.slice(0, LIMITS.modalBlocks));
}
