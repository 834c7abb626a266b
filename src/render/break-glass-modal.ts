/** The modal that Break glass opens: the reason is required (it goes to the card, thread, releases and audit). */
import { finalizeModalBlocks, type ModalView, plainText, section } from './block-kit.js';
import { BREAK_GLASS_REASON_BLOCK, BREAK_GLASS_REASON_INPUT, VIEW_IDS } from './ids.js';
import { LIMITS, truncate } from './limits.js';
import { code, escapeMrkdwn } from './mrkdwn.js';
import type { RejectModalInput } from './reject-modal.js';

export const BREAK_GLASS_REASON_MIN = 10;
export const BREAK_GLASS_REASON_MAX = 500;

/** Same context as the reject modal: the card id and where its message is; the submission re-checks all. */
export function renderBreakGlassModal(input: RejectModalInput): ModalView {
  const privateMetadata = JSON.stringify({
    cardId: input.cardId,
    channel: input.channel,
    messageTs: input.messageTs,
  });
  if (privateMetadata.length > LIMITS.privateMetadata)
    throw new RangeError(`break-glass modal metadata is ${privateMetadata.length} chars`);
  const what = `${code(truncate(input.app, 200))} ${code(truncate(input.shortSha, 40))} → ${escapeMrkdwn(truncate(input.environment, 100))}`;
  return {
    type: 'modal',
    callback_id: VIEW_IDS.breakGlassReason,
    title: plainText('Break glass', LIMITS.modalTitle),
    submit: plainText('Break glass', LIMITS.modalTitle),
    close: plainText('Cancel', LIMITS.modalTitle),
    private_metadata: privateMetadata,
    blocks: finalizeModalBlocks([
      section(
        'break_glass_summary',
        `🔨 Approve ${what} *through the freeze*? It counts as your approval; every other rule still applies. Who and why go on the card, its thread, the releases channel and the audit log.`,
      ),
      {
        type: 'input',
        block_id: BREAK_GLASS_REASON_BLOCK,
        label: plainText('Why must this deploy go out during the freeze?', LIMITS.inputLabel),
        element: {
          type: 'plain_text_input',
          action_id: BREAK_GLASS_REASON_INPUT,
          multiline: true,
          // The ≥10-character rule is checked on submit and answered on the field (response_action: errors).
          min_length: 1,
          max_length: BREAK_GLASS_REASON_MAX,
          placeholder: plainText('Incident, customer impact, ticket…', 150),
        },
        optional: false,
      },
    ]),
  };
}
