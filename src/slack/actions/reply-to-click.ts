import type { RespondFn, webApi } from '@slack/bolt';
import type { ActionOutcome } from '../../deploy-actions/action-outcome.js';
import type { Logger } from '../../logging/create-logger.js';
import type { SlackMessage } from '../../render/block-kit.js';
import { renderDenial, renderRefused, renderTryAgain } from '../../render/ephemeral.js';

/** The ephemeral that tells the user an outcome; undefined for `done` (the card shows what happened). */
export function renderOutcome(outcome: ActionOutcome, action: string): SlackMessage | undefined {
  switch (outcome.kind) {
    case 'denied':
      return renderDenial(outcome.reason);
    case 'try-again':
      return renderTryAgain({ action, reason: outcome.reason });
    case 'refused':
      return renderRefused(outcome.message);
    case 'done':
      return undefined;
  }
}

/** Where to tell the user when the click's response_url is used up (5 uses) or expired. */
export interface ReplyFallback {
  client: webApi.WebClient;
  channel?: string;
  user: string;
}

/**
 * Tells only the person who clicked what happened; the card itself is updated by the card publisher.
 * A refused user is always told (with the rule): through the click's response_url, else chat.postEphemeral.
 */
export async function replyToClick(
  respond: RespondFn,
  outcome: ActionOutcome,
  action: string,
  logger: Logger,
  fallback?: ReplyFallback,
): Promise<void> {
  const message = renderOutcome(outcome, action);
  if (!message) return;
  try {
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: message.text,
      blocks: message.blocks as never,
    });
    return;
  } catch (error) {
    logger.warn({ err: error }, 'could not answer the click through its response_url');
  }
  if (!fallback?.channel) return;
  await tellEphemerally(fallback.client, { channel: fallback.channel, user: fallback.user }, message, logger);
}

/** An ephemeral to one user in a channel; a failure is logged, since nobody else could be told instead. */
export async function tellEphemerally(
  client: webApi.WebClient,
  to: { channel: string; user: string },
  message: SlackMessage,
  logger: Logger,
): Promise<void> {
  try {
    await client.chat.postEphemeral({
      channel: to.channel,
      user: to.user,
      text: message.text,
      blocks: message.blocks as never,
    });
  } catch (error) {
    logger.warn({ err: error, channel: to.channel }, 'could not tell the user ephemerally');
  }
}
