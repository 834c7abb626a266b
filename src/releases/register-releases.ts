import type { CardService } from '../cards/card-service.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import type { FleetService } from '../fleet/fleet-service.js';
import type { Logger } from '../logging/create-logger.js';
import type { Store } from '../store/store.js';
import { FleetReleaseAnnouncer } from './fleet-release-announcer.js';
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

/** Fleet cards announce once per card (the group, not each app), on whichever replica stored the success. */
export function registerFleetReleaseAnnouncements(
  ctx: ReleasesDeps & { store: Store },
  fleet: FleetService,
): FleetReleaseAnnouncer {
  const announcer = new FleetReleaseAnnouncer(ctx, fleet.repo);
  fleet.events.on('transition', (transition) => announcer.onTransition(transition));
  ctx.onShutdown(() => announcer.idle());
  return announcer;
}
