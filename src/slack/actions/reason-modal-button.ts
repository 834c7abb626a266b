import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CardRepository } from '../../cards/card-repository.js';
import type { SlackClient } from '../../clients/slack/slack-client.js';
import type { ActionOutcome } from '../../deploy-actions/action-outcome.js';
import type { ClickOrigin } from '../../deploy-actions/action-service.js';
import { type Card, shortSha } from '../../domain/card.js';
import type { Logger } from '../../logging/create-logger.js';
import { cardIdOf, clickOrigin } from './register-card-actions.js';
import { replyToClick } from './reply-to-click.js';

/**
 * How long the modal waits for the stored card to fill in its summary. Redis answers in a millisecond;
 * past this the modal opens from what the pressed message shows, so a slow store cannot make the
 * trigger_id (good for ~3 s) expire.
 */
const CARD_READ_BUDGET_MS = 700;

type CardRead = { kind: 'card'; card: Card } | { kind: 'unknown' } | { kind: 'failed' } | { kind: 'slow' };

async function readCardWithin(repo: CardRepository, cardId: string, budgetMs: number): Promise<CardRead> {
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
function summaryFromMessage(text: string | undefined): ModalSummary {
  const match = /^(\S+) ([0-9a-f]{7,40}) → (\S+)/.exec(text ?? '');
  if (!match) return { app: 'this deploy', shortSha: '?', environment: '?' };
  return { app: match[1]!, shortSha: match[2]!.slice(0, 7), environment: match[3]! };
}

/** What a reason modal shows of the card (display only: the submission decides from the stored card). */
interface ModalSummary {
  app: string;
  shortSha: string;
  environment: string;
}

export interface ReasonModalButton {
  actionId: string;
  /** The button's words, for the clicker's answers ("Reject", "Break glass"). */
  label: string;
  /** How the dialog is named when Slack will not open it ("reject dialog"). */
  dialog: string;
  renderModal(input: ModalSummary & { cardId: string; channel: string; messageTs: string }): unknown;
  /** The early check after the modal is open (to warn); the submission decides again. */
  mayAct(cardId: string, origin: ClickOrigin): Promise<ActionOutcome>;
  repo: CardRepository;
  slack: Pick<SlackClient, 'openView'>;
  logger: Logger;
}

/**
 * A button that opens a reason modal (Reject, Break glass): the modal opens at once (the trigger_id
 * dies after ~3 s), so nothing slow stands between the press and views.open. The policy is checked
 * after the modal is open (to warn early) and again when the reason is submitted, so the modal grants
 * nothing by itself.
 */
export function registerReasonModalButton(bolt: App, button: ReasonModalButton): void {
  bolt.action<BlockAction<ButtonAction>>(button.actionId, async ({ ack, body, action, respond, client }) => {
    await ack();
    const origin = clickOrigin(body);
    const cardId = cardIdOf(action);
    const log = button.logger.child({ action: button.actionId, user: origin.userId, cardId });
    const reply = (outcome: ActionOutcome) =>
      replyToClick(respond, outcome, button.label, log, {
        client,
        channel: origin.channel,
        user: origin.userId,
      });
    const read = await readCardWithin(button.repo, cardId, CARD_READ_BUDGET_MS);
    if (read.kind === 'failed') return reply({ kind: 'try-again', reason: 'the card could not be read' });
    if (read.kind === 'unknown')
      return reply({ kind: 'denied', rule: 'unknown-card', reason: 'This card is not known to deploybot.' });
    const card = read.kind === 'card' ? read.card : undefined;
    if (!card) log.warn(`the card was slow to read; the ${button.dialog} opens from the message`);
    const summary = card
      ? { app: card.app.name, environment: card.environment, shortSha: shortSha(card.revision) }
      : summaryFromMessage(body.message?.text);
    try {
      await button.slack.openView(
        body.trigger_id,
        button.renderModal({
          cardId,
          ...summary,
          channel: card?.channel ?? origin.channel ?? '',
          messageTs: card?.ts ?? origin.messageTs ?? '',
        }),
      );
    } catch (error) {
      log.warn({ err: error }, `could not open the ${button.dialog}`);
      return reply({
        kind: 'refused',
        message: `Slack would not open the ${button.dialog}; please press ${button.label} again.`,
      });
    }
    const allowed = await button.mayAct(cardId, { ...origin, log });
    if (allowed.kind !== 'done') await reply(allowed);
  });
}
