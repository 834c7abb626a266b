import type { SlackClient } from '../clients/slack/slack-client.js';
import { appLabel } from '../domain/app-label.js';
import { type Card, shortSha } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';
import { renderBreakGlassNotice } from '../render/freeze-messages.js';

/**
 * Tells channels.releases that someone approved through a freeze, and why. Best effort: the approval
 * stands whatever Slack answers (the card, its thread and the audit log say it too).
 */
export async function announceBreakGlass(
  ctx: { releasesChannel?: string; slack: Pick<SlackClient, 'postMessage' | 'permalink'>; logger: Logger },
  card: Card,
  user: string,
  reason: string,
  freezeReason: string | undefined,
): Promise<void> {
  const channel = ctx.releasesChannel;
  if (!channel) return;
  try {
    const cardPermalink = card.ts ? await ctx.slack.permalink(card.channel, card.ts) : undefined;
    await ctx.slack.postMessage({
      channel,
      ...renderBreakGlassNotice({
        app: appLabel(card.app),
        environment: card.environment,
        shortSha: shortSha(card.revision),
        user,
        reason,
        freeze: freezeReason,
        cardPermalink,
      }),
    });
  } catch (error) {
    ctx.logger.warn(
      { err: error, cardId: card.id },
      'could not announce the broken glass in the releases channel',
    );
  }
}
