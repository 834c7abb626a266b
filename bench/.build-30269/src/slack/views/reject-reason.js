import { parseRejectModalMetadata } from '../../render/reject-modal.js';
import { REJECT_REASON_BLOCK, REJECT_REASON_INPUT, VIEW_IDS } from '../ids.js';
/** The reason modal's submission: validated, re-authorized from stored state, then the card turns rejected. */
export function registerRejectReasonView(bolt, { actions, logger }) {
    bolt.view(VIEW_IDS.rejectReason, async ({ ack, body, view }) => {
        const reason = view.state.values[REJECT_REASON_BLOCK]?.[REJECT_REASON_INPUT]?.value?.trim() ?? '';
        const metadata = parseRejectModalMetadata(view.private_metadata);
        if (!metadata) {
            await ack({
                response_action: 'errors',
                errors: { [REJECT_REASON_BLOCK]: 'This dialog is damaged; close it and press Reject again.' },
            });
            return;
        }
        if (reason.length < 3) {
            await ack({
                response_action: 'errors',
                errors: { [REJECT_REASON_BLOCK]: 'Please give a reason (at least 3 characters).' },
            });
            return;
        }
        const outcome = await actions.reject(metadata.cardId, { userId: body.user.id, channel: metadata.channel, messageTs: metadata.messageTs }, reason);
        logger.info({ user: body.user.id, outcome: outcome.kind }, 'reject submitted');
        if (outcome.kind === 'done') {
            await ack();
            return;
        }
        const text = outcome.kind === 'denied'
            ? outcome.reason
            : outcome.kind === 'try-again'
                ? `Could not record it (${outcome.reason}); try again.`
                : outcome.message;
        await ack({
            response_action: 'errors',
            errors: { [REJECT_REASON_BLOCK]: toPlainText(text).slice(0, 2000) },
        });
    });
}
/** Modal errors are plain text: mentions and links written for mrkdwn would show as raw markup. */
function toPlainText(mrkdwn) {
    return mrkdwn
        .replace(/<@([A-Z0-9]+)>/g, '@$1')
        .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id, label) => label ?? `@${id}`)
        .replace(/<([^|>]+)\|([^>]+)>/g, '$2')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
}
