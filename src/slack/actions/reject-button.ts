import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CardRepository } from '../../cards/card-repository.js';
import type { SlackClient } from '../../clients/slack/slack-client.js';
import type { ActionOutcome } from '../../deploy-actions/action-outcome.js';
import type { ActionService } from '../../deploy-actions/action-service.js';
import { type Card, shortSha } from '../../domain/card.js';
import type { Logger } from '../../logging/create-logger.js';
import { ACTION_IDS } from '../../render/ids.js';
import { type RejectModalInput, renderRejectModal } from '../../render/reject-modal.js';
import { cardIdOf, clickOrigin } from './register-card-actions.js';
import { replyToClick } from './reply-to-click.js';

/**
 * How long the modal waits for the stored card to fill in its summary. Redis answers in a millisecond;
 * past this the modal opens from what the pressed message shows, so a slow store cannot make the
 * trigger_id (good for ~3 s) expire.
 */
export const CARD_READ_BUDGET_MS = 700;

type CardRead = { kind: 'card'; card: Card } | { kind: 'unknown' } | { kind: 'failed' } | { kind: 'slow' };

export async function readCardWithin(
  repo: CardRepository,
  cardId: string,
  budgetMs: number,
): Promise<CardRead> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<CardRead>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'slow' }), budgetMs);
  });
  const read = repo.get(cardId).then(
    (card): CardRead => (card ? { kind: 'card', card } : { kind: 'unknown' }),
    (): CardRead => ({ kind: 'failed' }),
  );
  try {
    return await Promise.race([read, slow]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The summary line of the card as the pressed message shows it ("app a1b2c3d → prod …", the card's
 * fallback text). Only displayed: the submission decides from the stored card, never from this.
 */
export function summaryFromMessage(
  text: string | undefined,
): Pick<RejectModalInput, 'app' | 'shortSha' | 'environment'> {
  const match = /^(\S+) ([0-9a-f]{7,40}) → (\S+)/.exec(text ?? '');
  if (!match) return { app: 'this deploy', shortSha: '?', environment: '?' };
  return { app: match[1]!, shortSha: match[2]!.slice(0, 7), environment: match[3]! };
}

/**
 * Reject opens the reason modal at once (the trigger_id dies after ~3 s): nothing slow stands between
 * the press and views.open. The policy is checked after the modal is open (to warn early) and again
 * when the reason is submitted, so the modal grants nothing by itself.
 */
export function registerRejectButton(
  bolt: App,
  deps: { actions: ActionService; repo: CardRepository; slack: SlackClient; logger: Logger },
): void {
  bolt.action<BlockAction<ButtonAction>>(
    ACTION_IDS.reject,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const origin = clickOrigin(body);
      const log = deps.logger.child({ action: ACTION_IDS.reject, user: origin.userId });
      const cardId = cardIdOf(action);
      const reply = (outcome: ActionOutcome) =>
        replyToClick(respond, outcome, 'Reject', log, {
          client,
          channel: origin.channel,
          user: origin.userId,
        });
      const read = await readCardWithin(deps.repo, cardId, CARD_READ_BUDGET_MS);
      if (read.kind === 'failed') {
        await reply({ kind: 'try-again', reason: 'the card could not be read' });
        return;
      }
      if (read.kind === 'unknown') {
        const unknown = {
          kind: 'denied',
          rule: 'unknown-card',
          reason: 'This card is not known to deploybot.',
        } as const;
        await reply(unknown);
        return;
      }
      const card = read.kind === 'card' ? read.card : undefined;
      if (!card) log.warn('the card was slow to read; the reject modal opens from the message');
      const summary = card
        ? { app: card.app.name, environment: card.environment, shortSha: shortSha(card.revision) }
        : summaryFromMessage(body.message?.text);
      try {
        await deps.slack.openView(
          body.trigger_id,
          renderRejectModal({
            cardId,
            ...summary,
            channel: card?.channel ?? origin.channel ?? '',
            messageTs: card?.ts ?? origin.messageTs ?? '',
          }),
        );
      } catch (error) {
        log.warn({ err: error }, 'could not open the reject modal');
        await reply({
          kind: 'refused',
          message: 'Slack would not open the reject dialog; please press Reject again.',
        });
        return;
      }
      const allowed = await deps.actions.mayReject(cardId, origin);
      if (allowed.kind !== 'done') await reply(allowed);
    },
  );
}
