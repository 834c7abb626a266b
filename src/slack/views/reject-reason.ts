import type { App } from '@slack/bolt';
import type { ActionOutcome } from '../../deploy-actions/action-outcome.js';
import type { ActionService } from '../../deploy-actions/action-service.js';
import type { Logger } from '../../logging/create-logger.js';
import type { SlackMessage } from '../../render/block-kit.js';
import { renderDone } from '../../render/ephemeral.js';
import { REJECT_REASON_BLOCK, REJECT_REASON_INPUT, VIEW_IDS } from '../../render/ids.js';
import { parseRejectModalMetadata, REJECT_REASON_MAX } from '../../render/reject-modal.js';
import { renderOutcome, tellEphemerally } from '../actions/reply-to-click.js';
import { isExternalUser } from '../is-external-user.js';

const REASON_MIN = 3;

type Validated =
  | { ok: true; reason: string; metadata: NonNullable<ReturnType<typeof parseRejectModalMetadata>> }
  | { ok: false; error: string };

/** Everything that can be judged from the submission alone, without the store or Slack. */
function validate(privateMetadata: string, rawReason: string | null | undefined): Validated {
  const metadata = parseRejectModalMetadata(privateMetadata);
  if (!metadata) return { ok: false, error: 'This dialog is damaged; close it and press Reject again.' };
  const reason = rawReason?.trim() ?? '';
  if (reason.length < REASON_MIN)
    return { ok: false, error: `Please give a reason (at least ${REASON_MIN} characters).` };
  // Slack enforces max_length in the client; a forged submission is answered the same way.
  if (reason.length > REJECT_REASON_MAX)
    return { ok: false, error: `Please keep the reason under ${REJECT_REASON_MAX} characters.` };
  return { ok: true, reason, metadata };
}

function describeOutcome(outcome: ActionOutcome): SlackMessage {
  return (
    renderOutcome(outcome, 'Reject') ??
    renderDone('Rejected: the card and its thread now show who rejected it and why.')
  );
}

/**
 * The reason modal's submission. Slack gives a submission 3 s and then shows the user an error, so
 * only what needs nothing slow is checked before the ack (the reason, the dialog's own metadata); the
 * modal closes, the rights are checked again from stored state (group lookups can take seconds), and
 * the outcome is told to the user ephemerally in the card's channel and shown on the card.
 */
export function registerRejectReasonView(
  bolt: App,
  { actions, logger }: { actions: ActionService; logger: Logger },
): void {
  bolt.view(VIEW_IDS.rejectReason, async ({ ack, body, view, client }) => {
    const input = view.state.values[REJECT_REASON_BLOCK]?.[REJECT_REASON_INPUT]?.value;
    const checked = validate(view.private_metadata, input);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK]: checked.error } });
      return;
    }
    await ack();
    const { metadata, reason } = checked;
    const log = logger.child({ view: VIEW_IDS.rejectReason, user: body.user.id });
    const outcome = await actions.reject(
      metadata.cardId,
      {
        userId: body.user.id,
        channel: metadata.channel,
        messageTs: metadata.messageTs,
        external: isExternalUser(body),
      },
      reason,
    );
    log.info({ outcome: outcome.kind }, 'reject submitted');
    // The modal is gone once acked: an ephemeral in the card's channel is where the user looks next.
    await tellEphemerally(
      client,
      { channel: metadata.channel, user: body.user.id },
      describeOutcome(outcome),
      log,
    );
  });
}
