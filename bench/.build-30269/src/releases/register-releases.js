import { ReleaseAnnouncer } from './release-announcer.js';
/** Release announcements follow card transitions on whichever replica made them. */
export function registerReleaseAnnouncements(ctx, cards) {
    const announcer = new ReleaseAnnouncer(ctx, cards.repo);
    cards.events.on('transition', (transition) => announcer.onTransition(transition));
    ctx.onShutdown(() => announcer.idle());
    return announcer;
}
