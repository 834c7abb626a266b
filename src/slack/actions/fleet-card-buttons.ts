import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { ActionOutcome } from '../../deploy-actions/action-outcome.js';
import type { FleetActions, FleetClickOrigin } from '../../fleet/fleet-actions.js';
import type { Logger } from '../../logging/create-logger.js';
import { ACTION_IDS } from '../../render/ids.js';
import { cardIdOf, clickOrigin } from './register-card-actions.js';
import { replyToClick } from './reply-to-click.js';

const BUTTONS: [
  string,
  string,
  (actions: FleetActions, cardId: string, origin: FleetClickOrigin) => Promise<ActionOutcome>,
][] = [
  [ACTION_IDS.fleetApprove, 'Approve & Sync', (a, id, o) => a.approve(id, o)],
  [ACTION_IDS.fleetRetry, 'Retry', (a, id, o) => a.retry(id, o)],
  [ACTION_IDS.fleetRollback, 'Rollback', (a, id, o) => a.rollback(id, o)],
  [ACTION_IDS.fleetAbort, 'Abort', (a, id, o) => a.abort(id, o)],
];

/**
 * The fleet card's buttons. The value is only the fleet card's id; who may press is decided from the
 * stored card and the policy with Slack's verified user, never from the payload.
 */
export function registerFleetCardButtons(bolt: App, actions: FleetActions, logger: Logger): void {
  for (const [actionId, label, run] of BUTTONS) {
    bolt.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const cardId = cardIdOf(action);
      const origin = clickOrigin(body);
      const log = logger.child({ action: actionId, user: origin.userId, cardId });
      const outcome = await run(actions, cardId, { userId: origin.userId, external: origin.external, log });
      log.info({ outcome: outcome.kind }, 'fleet card action handled');
      await replyToClick(respond, outcome, label, log, {
        client,
        channel: origin.channel,
        user: origin.userId,
      });
    });
  }
}
