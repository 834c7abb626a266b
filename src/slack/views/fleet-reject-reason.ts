import type { App } from '@slack/bolt';
import type { FleetActions } from '../../fleet/fleet-actions.js';
import type { Logger } from '../../logging/create-logger.js';
import { renderDone } from '../../render/ephemeral.js';
import { REJECT_REASON_BLOCK, REJECT_REASON_INPUT, VIEW_IDS } from '../../render/ids.js';
import { parseRejectModalMetadata, REJECT_REASON_MAX } from '../../render/reject-modal.js';
import { renderOutcome, tellEphemerally } from '../actions/reply-to-click.js';
import { isExternalUser } from '../is-external-user.js';

const REASON_MIN = 3;

/**
 * The fleet reject modal's submission: the reason and the dialog's metadata are checked before the ack;
 * the rights again from the stored fleet card after it; the outcome is told ephemerally in the channel.
 */
export function registerFleetRejectReasonView(
  bolt: App,
  { actions, logger }: { actions: FleetActions; logger: Logger },
): void {
  bolt.view(VIEW_IDS.fleetRejectReason, async ({ ack, body, view, client }) => {
    const metadata = parseRejectModalMetadata(view.private_metadata);
    const reason = view.state.values[REJECT_REASON_BLOCK]?.[REJECT_REASON_INPUT]?.value?.trim() ?? '';
    const error = !metadata
      ? 'This dialog is damaged; close it and press Reject again.'
      : reason.length < REASON_MIN
        ? `Please give a reason (at least ${REASON_MIN} characters).`
        : reason.length > REJECT_REASON_MAX
          ? `Please keep the reason under ${REJECT_REASON_MAX} characters.`
          : undefined;
    if (error || !metadata) {
      await ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK]: error ?? 'invalid' } });
      return;
    }
    await ack();
    const log = logger.child({ view: VIEW_IDS.fleetRejectReason, user: body.user.id });
    const outcome = await actions.reject(
      metadata.cardId,
      { userId: body.user.id, external: isExternalUser(body), log },
      reason,
    );
    log.info({ outcome: outcome.kind }, 'fleet reject submitted');
    await tellEphemerally(
      client,
      { channel: metadata.channel, user: body.user.id },
      renderOutcome(outcome, 'Reject') ??
        renderDone('Rejected: the fleet card now shows who rejected it and why.'),
      log,
    );
  });
}
