import type { RespondFn } from '@slack/bolt';
import type { ActionOutcome } from '../../actions/action-outcome.js';
import type { Logger } from '../../logging/create-logger.js';
import { renderDenial, renderTryAgain } from '../../render/ephemeral.js';
import { escapeMrkdwn } from '../../render/mrkdwn.js';

/** Tells only the person who clicked what happened; the card itself is updated by the card publisher. */
export async function replyToClick(
  respond: RespondFn,
  outcome: ActionOutcome,
  action: string,
  logger: Logger,
): Promise<void> {
  let message: { text: string; blocks?: unknown[] } | undefined;
  switch (outcome.kind) {
    case 'denied':
      message = renderDenial(outcome.reason);
      break;
    case 'try-again':
      message = renderTryAgain({ action, reason: outcome.reason });
      break;
    case 'refused':
      // Argo CD's and GitHub's own words are quoted in here: escaped, so that `<` or `&` cannot turn into markup.
      message = { text: `⚠️ ${escapeMrkdwn(outcome.message)}` };
      break;
    case 'done':
      return;
  }
  try {
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks as never } : {}),
    });
  } catch (error) {
    logger.warn({ err: error }, 'could not answer the click ephemerally');
  }
}
