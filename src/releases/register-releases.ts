import type { CardService } from '../cards/card-service.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/create-logger.js';
import { ReleaseAnnouncer } from './release-announcer.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface ReleasesDeps {
  config: Config;
  logger: Logger;
  now: () => number;
  slack: SlackClient;
  /** Background work to stop on shutdown. */
  onShutdown(task: () => Promise<void>): void;
}

/** Release announcements follow card transitions on whichever replica made them. */
export function registerReleaseAnnouncements(ctx: ReleasesDeps, cards: CardService): ReleaseAnnouncer {
  const announcer = new ReleaseAnnouncer(ctx, cards.repo);
  cards.events.on('transition', (transition) => announcer.onTransition(transition));
  ctx.onShutdown(() => announcer.idle());
  return announcer;
}
