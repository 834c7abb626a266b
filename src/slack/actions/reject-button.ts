import type { App } from '@slack/bolt';
import type { CardRepository } from '../../cards/card-repository.js';
import type { SlackClient } from '../../clients/slack/slack-client.js';
import type { ActionService } from '../../deploy-actions/action-service.js';
import type { Logger } from '../../logging/create-logger.js';
import { ACTION_IDS } from '../../render/ids.js';
import { renderRejectModal } from '../../render/reject-modal.js';
import { registerReasonModalButton } from './reason-modal-button.js';

/**
 * Reject opens the reason modal at once (the trigger_id dies after ~3 s): nothing slow stands between
 * the press and views.open. The policy is checked after the modal is open (to warn early) and again
 * when the reason is submitted, so the modal grants nothing by itself.
 */
export function registerRejectButton(
  bolt: App,
  deps: { actions: ActionService; repo: CardRepository; slack: SlackClient; logger: Logger },
): void {
  registerReasonModalButton(bolt, {
    ...deps,
    actionId: ACTION_IDS.reject,
    label: 'Reject',
    dialog: 'reject dialog',
    renderModal: renderRejectModal,
    mayAct: (cardId, origin) => deps.actions.mayReject(cardId, origin),
  });
}
