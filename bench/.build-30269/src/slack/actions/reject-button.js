import { shortSha } from '../../domain/card.js';
import { renderRejectModal } from '../../render/reject-modal.js';
import { ACTION_IDS } from '../ids.js';
import { cardIdOf, clickOrigin } from './register-card-actions.js';
import { replyToClick } from './reply-to-click.js';
/**
 * Reject opens the reason modal at once (the trigger_id dies after ~3 s); the policy is checked
 * again when the reason is submitted, so the modal grants nothing by itself.
 */
export function registerRejectButton(bolt, deps) {
    bolt.action(ACTION_IDS.reject, async ({ ack, body, action, respond }) => {
        await ack();
        const origin = clickOrigin(body);
        const log = deps.logger.child({ action: ACTION_IDS.reject, user: origin.userId });
        const cardId = cardIdOf(action);
        let card;
        try {
            card = await deps.repo.get(cardId);
        }
        catch {
            await replyToClick(respond, { kind: 'try-again', reason: 'the card could not be read' }, 'Reject', log);
            return;
        }
        if (!card) {
            const unknown = {
                kind: 'denied',
                rule: 'unknown-card',
                reason: 'This card is not known to deploybot.',
            };
            await replyToClick(respond, unknown, 'Reject', log);
            return;
        }
        try {
            await deps.slack.openView(body.trigger_id, renderRejectModal({
                cardId,
                app: card.app.name,
                environment: card.environment,
                shortSha: shortSha(card.revision),
                channel: card.channel,
                messageTs: card.ts ?? origin.messageTs ?? '',
            }));
        }
        catch (error) {
            log.warn({ err: error }, 'could not open the reject modal');
            await replyToClick(respond, { kind: 'refused', message: 'Slack would not open the reject dialog; please press Reject again.' }, 'Reject', log);
            return;
        }
        const allowed = await deps.actions.mayReject(cardId, origin);
        if (allowed.kind !== 'done')
            await replyToClick(respond, allowed, 'Reject', log);
    });
}
