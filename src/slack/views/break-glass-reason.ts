import type { App } from '@slack/bolt';
import type { ActionService } from '../../deploy-actions/action-service.js';
import type { Logger } from '../../logging/create-logger.js';
import { BREAK_GLASS_REASON_MAX, BREAK_GLASS_REASON_MIN } from '../../render/break-glass-modal.js';
import { renderDone } from '../../render/ephemeral.js';
import { BREAK_GLASS_REASON_BLOCK, BREAK_GLASS_REASON_INPUT, VIEW_IDS } from '../../render/ids.js';
import { parseRejectModalMetadata } from '../../render/reject-modal.js';
import { renderOutcome, tellEphemerally } from '../actions/reply-to-click.js';
import { isExternalUser } from '../is-external-user.js';

/** The reason as submitted, or the error shown on the field (Slack checks min_length; a forged body is answered the same). */
function checkBreakGlassReason(raw: string | null | undefined): { reason: string } | { error: string } {
  const reason = raw?.trim() ?? '';
  if (reason.length < BREAK_GLASS_REASON_MIN)
    return { error: `Say why the glass must be broken (at least ${BREAK_GLASS_REASON_MIN} characters).` };
  if (reason.length > BREAK_GLASS_REASON_MAX)
    return { error: `Please keep the reason under ${BREAK_GLASS_REASON_MAX} characters.` };
  return { reason };
}

/**
 * The break-glass modal's submission: the reason is checked before the ack (errors on the field), the
 * rest after it from stored state (as an approval: policy, version-checked write, one sync), and the
 * outcome is told ephemerally in the card's channel.
 */
export function registerBreakGlassReasonView(
  bolt: App,
  { actions, logger }: { actions: Pick<ActionService, 'breakGlass'>; logger: Logger },
): void {
  bolt.view(VIEW_IDS.breakGlassReason, async ({ ack, body, view, client }) => {
    const metadata = parseRejectModalMetadata(view.private_metadata);
    const checked = checkBreakGlassReason(
      view.state.values[BREAK_GLASS_REASON_BLOCK]?.[BREAK_GLASS_REASON_INPUT]?.value,
    );
    if (!metadata || 'error' in checked) {
      const error = metadata
        ? (checked as { error: string }).error
        : 'This dialog is damaged; close it and press Break glass again.';
      await ack({ response_action: 'errors', errors: { [BREAK_GLASS_REASON_BLOCK]: error } });
      return;
    }
    await ack();
    const log = logger.child({ view: VIEW_IDS.breakGlassReason, user: body.user.id });
    const outcome = await actions.breakGlass(
      metadata.cardId,
      {
        userId: body.user.id,
        channel: metadata.channel,
        messageTs: metadata.messageTs,
        external: isExternalUser(body),
      },
      checked.reason,
    );
    log.info({ outcome: outcome.kind }, 'break glass submitted');
    const message =
      renderOutcome(outcome, 'Break glass') ??
      renderDone(
        outcome.kind === 'done' && outcome.message
          ? outcome.message
          : 'Glass broken: the card, its thread and the releases channel name you and your reason.',
      );
    await tellEphemerally(client, { channel: metadata.channel, user: body.user.id }, message, log);
  });
}
