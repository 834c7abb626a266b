import type { App } from '@slack/bolt';
import type { CardRepository } from '../../cards/card-repository.js';
import type { SlackClient } from '../../clients/slack/slack-client.js';
import type { ActionService } from '../../deploy-actions/action-service.js';
import type { Logger } from '../../logging/create-logger.js';
import { renderBreakGlassModal } from '../../render/break-glass-modal.js';
import { ACTION_IDS } from '../../render/ids.js';
import { registerReasonModalButton } from './reason-modal-button.js';

export interface BreakGlassButtonDeps {
  actions: Pick<ActionService, 'mayBreakGlass'>;
  repo: CardRepository;
  slack: Pick<SlackClient, 'openView'>;
  logger: Logger;
}

/**
 * Break glass opens the reason modal at once, then checks the policy to warn early; the submission
 * decides again from stored state, so the modal grants nothing.
 */
export function registerBreakGlassButton(bolt: App, deps: BreakGlassButtonDeps): void {
  registerReasonModalButton(bolt, {
    ...deps,
    actionId: ACTION_IDS.breakGlass,
    label: 'Break glass',
    dialog: 'break-glass dialog',
    renderModal: renderBreakGlassModal,
    mayAct: (cardId, origin) => deps.actions.mayBreakGlass(cardId, origin),
  });
}
