import { type ApiResult, fail, invalidBlocks } from './api-result.js';
import { isObject } from './block-kit-rules.js';
import type { MessageContent } from './message-store.js';
import { normalizeBlocks } from './normalize-blocks.js';
import type { JsonObject } from './types.js';
import { validateMessageBlocks } from './validate-blocks.js';

const MAX_TEXT_LENGTH = 40_000;

/** Slack does not answer one for blocks without text; the fake does, so the mistake shows in logs and tests. */
export const MISSING_TEXT_WARNING = 'missing_text_fallback';

export type ContentCheck =
  | { ok: true; content: MessageContent; missingTextFallback: boolean }
  | { ok: false; result: ApiResult };

/**
 * The text/blocks/attachments of chat.postMessage, chat.update, chat.postEphemeral and response_url
 * bodies. Whatever is omitted is absent from the result: on an update that is what removes the blocks.
 */
export function checkMessageContent(args: JsonObject): ContentCheck {
  const text = args.text === undefined || args.text === null ? '' : String(args.text);
  const rawBlocks = args.blocks;
  if (rawBlocks !== undefined && rawBlocks !== null && !Array.isArray(rawBlocks)) {
    return { ok: false, result: fail('invalid_blocks_format') };
  }
  const attachments = args.attachments;
  if (attachments !== undefined && (!Array.isArray(attachments) || !attachments.every(isObject))) {
    return { ok: false, result: fail('invalid_attachments') };
  }
  const blocks = Array.isArray(rawBlocks) && rawBlocks.length > 0 ? rawBlocks : undefined;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (text === '' && !blocks && !hasAttachments) return { ok: false, result: fail('no_text') };
  if (text.length > MAX_TEXT_LENGTH) return { ok: false, result: fail('msg_too_long') };
  if (blocks) {
    const problems = validateMessageBlocks(blocks);
    if (problems.length > 0) return { ok: false, result: invalidBlocks(problems) };
  }
  return {
    ok: true,
    content: {
      text,
      blocks: blocks ? normalizeBlocks(blocks as JsonObject[]) : undefined,
      attachments: hasAttachments ? structuredClone(attachments as JsonObject[]) : undefined,
    },
    missingTextFallback: blocks !== undefined && text === '',
  };
}

/** Adds the warning the way Slack adds its own (`warning` plus `response_metadata.warnings`). */
export function withMissingTextWarning(result: ApiResult): ApiResult {
  return {
    ...result,
    missingTextFallback: true,
    body: {
      ...result.body,
      warning: MISSING_TEXT_WARNING,
      response_metadata: { warnings: [MISSING_TEXT_WARNING] },
    },
  };
}

/** Slack's event_type: a short name of letters, digits, `_` and `.` (docs.slack.dev/messaging/message-metadata). */
const EVENT_TYPE = /^[A-Za-z0-9_.]{1,255}$/;
/** Slack refuses metadata whose JSON is over about 8 KB (`metadata_too_large`). */
const MAX_METADATA_BYTES = 8 * 1024;

export type MetadataCheck = { ok: true; metadata?: JsonObject } | { ok: false; result: ApiResult };

/**
 * `metadata` of chat.postMessage and chat.update: absent, or `{ event_type, event_payload }` with a
 * name-like event_type and an object payload; anything else is `invalid_metadata_format`, as Slack answers.
 */
export function checkMetadata(args: JsonObject): MetadataCheck {
  const metadata = args.metadata;
  if (metadata === undefined) return { ok: true };
  if (!isObject(metadata)) return { ok: false, result: fail('invalid_metadata_format') };
  const { event_type: type, event_payload: payload, ...rest } = metadata;
  if (
    typeof type !== 'string' ||
    !EVENT_TYPE.test(type) ||
    !isObject(payload) ||
    Object.keys(rest).length > 0
  )
    return { ok: false, result: fail('invalid_metadata_format') };
  if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES)
    return { ok: false, result: fail('metadata_too_large') };
  return { ok: true, metadata: structuredClone(metadata) };
}
