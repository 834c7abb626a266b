import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CardRepository } from '../../cards/card-repository.js';
import type { SlackClient } from '../../clients/slack/slack-client.js';
import type { ActionOutcome } from '../../deploy-actions/action-outcome.js';
import type { ActionService } from '../../deploy-actions/action-service.js';
import { shortSha } from '../../domain/card.js';
import type { Logger } from '../../logging/create-logger.js';
import { renderBreakGlassModal } from '../../render/break-glass-modal.js';
import { ACTION_IDS } from '../../render/ids.js';
import { cardIdOf, clickOrigin } from './register-card-actions.js';
import { CARD_READ_BUDGET_MS, readCardWithin, summaryFromMessage } from './reject-button.js';
import { replyToClick } from './reply-to-click.js';

export interface BreakGlassButtonDeps {
  actions: Pick<ActionService, 'mayBreakGlass'>;
  repo: CardRepository;
  slack: Pick<SlackClient, 'openView'>;
  logger: Logger;
}

/**
 * Break glass opens the reason modal at once (the trigger_id is good for ~3 s and once), then checks
 * the policy to warn early; the submission decides again from stored state, so the modal grants nothing.
 */
export function registerBreakGlassButton(bolt: App, deps: BreakGlassButtonDeps): void {
  bolt.action<BlockAction<ButtonAction>>(
    ACTION_IDS.breakGlass,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const origin = clickOrigin(body);
      const log = deps.logger.child({ action: ACTION_IDS.breakGlass, user: origin.userId });
      const cardId = cardIdOf(action);
      const reply = (outcome: ActionOutcome) =>
        replyToClick(respond, outcome, 'Break glass', log, {
          client,
          channel: origin.channel,
          user: origin.userId,
        });
      const read = await readCardWithin(deps.repo, cardId, CARD_READ_BUDGET_MS);
      if (read.kind === 'failed') return reply({ kind: 'try-again', reason: 'the card could not be read' });
      if (read.kind === 'unknown')
        return reply({
          kind: 'denied',
          rule: 'unknown-card',
          reason: 'This card is not known to deploybot.',
        });
      const card = read.kind === 'card' ? read.card : undefined;
      const summary = card
        ? { app: card.app.name, environment: card.environment, shortSha: shortSha(card.revision) }
        : summaryFromMessage(body.message?.text);
      try {
        await deps.slack.openView(
          body.trigger_id,
          renderBreakGlassModal({
            cardId,
            ...summary,
            channel: card?.channel ?? origin.channel ?? '',
            messageTs: card?.ts ?? origin.messageTs ?? '',
          }),
        );
      } catch (error) {
        log.warn({ err: error }, 'could not open the break-glass modal');
        return reply({
          kind: 'refused',
          message: 'Slack would not open the break-glass dialog; please press Break glass again.',
        });
      }
      const allowed = await deps.actions.mayBreakGlass(cardId, origin);
      if (allowed.kind !== 'done') await reply(allowed);
    },
  );
}
