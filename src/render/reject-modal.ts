/** The modal that Reject opens to ask for a reason, and the context it carries to the submission handler. */

import { finalizeModalBlocks, type ModalView, plainText, section } from './block-kit.js';
import { REJECT_REASON_BLOCK, REJECT_REASON_INPUT, VIEW_IDS } from './ids.js';
import { LIMITS, truncate } from './limits.js';
import { code, escapeMrkdwn } from './mrkdwn.js';

export const REJECT_REASON_MAX = 500;

export interface RejectModalInput {
  cardId: string;
  app: string;
  environment: string;
  shortSha: string;
  /** Channel id and ts of the card, so the submission can chat.update it (respond() is unavailable there). */
  channel: string;
  messageTs: string;
}

/** What `private_metadata` holds; the handler reloads the card by id and re-checks the policy. */
export interface RejectModalMetadata {
  cardId: string;
  channel: string;
  messageTs: string;
}

export function renderRejectModal(input: RejectModalInput): ModalView {
  const metadata: RejectModalMetadata = {
    cardId: input.cardId,
    channel: input.channel,
    messageTs: input.messageTs,
  };
  const privateMetadata = JSON.stringify(metadata);
  if (privateMetadata.length > LIMITS.privateMetadata) {
    throw new RangeError(
      `reject modal metadata is ${privateMetadata.length} chars, over Slack's ${LIMITS.privateMetadata}`,
    );
  }
  const what = `${code(truncate(input.app, 200))} ${code(truncate(input.shortSha, 40))} → ${escapeMrkdwn(truncate(input.environment, 100))}`;
  return {
    type: 'modal',
    callback_id: VIEW_IDS.rejectReason,
    title: plainText('Reject deploy', LIMITS.modalTitle),
    submit: plainText('Reject', LIMITS.modalTitle),
    close: plainText('Cancel', LIMITS.modalTitle),
    private_metadata: privateMetadata,
    blocks: finalizeModalBlocks([
      section('reject_summary', `Reject ${what}? The reason goes on the card and into its thread.`),
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK,
        label: plainText('Reason', LIMITS.inputLabel),
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_INPUT,
          multiline: true,
          min_length: 1,
          max_length: REJECT_REASON_MAX,
          placeholder: plainText('Why should this revision not be deployed?', 150),
        },
        optional: false,
      },
    ]),
  };
}

/** Reads back `private_metadata`; undefined when it is not what renderRejectModal wrote. */
export function parseRejectModalMetadata(privateMetadata: string): RejectModalMetadata | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(privateMetadata);
  } catch {
    // Not ours (forged or from another app version): the handler refuses it rather than guessing.
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { cardId, channel, messageTs } = parsed as Record<string, unknown>;
  if (typeof cardId !== 'string' || typeof channel !== 'string' || typeof messageTs !== 'string')
    return undefined;
  if (!cardId || !channel || !messageTs) return undefined;
  return { cardId, channel, messageTs };
}
