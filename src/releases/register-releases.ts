import type { AppContext } from '../app/context.js';
import type { CardService } from '../cards/card-service.js';
import { ReleaseAnnouncer } from './release-announcer.js';

/** Release announcements follow card transitions on whichever replica made them. */
export function registerReleaseAnnouncements(ctx: AppContext, cards: CardService): ReleaseAnnouncer {
  const announcer = new ReleaseAnnouncer(ctx, cards.repo);
  cards.events.on('transition', (transition) => announcer.onTransition(transition));
  ctx.onShutdown(() => announcer.idle());
  return announcer;
}
