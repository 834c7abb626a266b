import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { SlackClient } from '../../clients/slack/slack-client.js';
import { shortSha } from '../../domain/card.js';
import type { FleetActions } from '../../fleet/fleet-actions.js';
import type { FleetRepository } from '../../fleet/fleet-repository.js';
import type { Logger } from '../../logging/create-logger.js';
import { renderFleetRejectModal } from '../../render/fleet-reject-modal.js';
import { ACTION_IDS } from '../../render/ids.js';
import { cardIdOf, clickOrigin } from './register-card-actions.js';
import { replyToClick } from './reply-to-click.js';

/**
 * Reject on a fleet card opens the reason modal at once (the trigger_id dies after ~3 s); the policy is
 * checked after it is open (to warn early) and again on submit, so the modal grants nothing by itself.
 */
export function registerFleetRejectButton(
  bolt: App,
  deps: {
    actions: FleetActions;
    repo: FleetRepository;
    slack: Pick<SlackClient, 'openView'>;
    logger: Logger;
  },
): void {
  bolt.action<BlockAction<ButtonAction>>(
    ACTION_IDS.fleetReject,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const origin = clickOrigin(body);
      const cardId = cardIdOf(action);
      const log = deps.logger.child({ action: ACTION_IDS.fleetReject, user: origin.userId, cardId });
      const reply = (outcome: Parameters<typeof replyToClick>[1]) =>
        replyToClick(respond, outcome, 'Reject', log, {
          client,
          channel: origin.channel,
          user: origin.userId,
        });
      const card = await deps.repo.get(cardId).catch(() => undefined);
      if (!card) return reply({ kind: 'refused', message: 'This fleet card is not known to deploybot.' });
      try {
        await deps.slack.openView(
          body.trigger_id,
          renderFleetRejectModal({
            cardId,
            group: card.group,
            environment: card.environment,
            shortSha: shortSha(card.revision),
            channel: card.channel,
            messageTs: card.ts ?? origin.messageTs ?? '',
          }),
        );
      } catch (error) {
        log.warn({ err: error }, 'could not open the fleet reject dialog');
        return reply({
          kind: 'refused',
          message: 'Slack would not open the reject dialog; please press Reject again.',
        });
      }
      const allowed = await deps.actions.mayReject(cardId, {
        userId: origin.userId,
        external: origin.external,
        log,
      });
      if (allowed.kind !== 'done') await reply(allowed);
    },
  );
}
