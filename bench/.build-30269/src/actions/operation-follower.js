import { toAppSnapshot } from '../workers/to-app-snapshot.js';
const FOLLOWED_STATES = new Set(['syncing', 'rolling-back']);
/**
 * Polls Argo CD with backoff while an operation deploybot started runs, so the card moves without
 * waiting for notifications. If this replica dies, the reconciler picks the card up.
 */
export class OperationFollower {
    ctx;
    cards;
    options;
    following = new Map();
    sleepers = new Set();
    stopped = false;
    constructor(ctx, cards, options = {}) {
        this.ctx = ctx;
        this.cards = cards;
        this.options = options;
    }
    follow(cardId) {
        const existing = this.following.get(cardId);
        if (existing)
            return existing;
        const run = this.run(cardId).finally(() => this.following.delete(cardId));
        this.following.set(cardId, run);
        return run;
    }
    async run(cardId) {
        const { firstDelayMs = 300, maxDelayMs = 5000, giveUpAfterMs = 60 * 60_000 } = this.options;
        const started = this.ctx.now();
        let delay = firstDelayMs;
        while (!this.stopped && this.ctx.now() - started < giveUpAfterMs) {
            await this.sleep(delay);
            if (this.stopped)
                return;
            delay = Math.min(maxDelayMs, Math.round(delay * 1.6));
            try {
                // A store blip must not end the follow (the reconciler would only catch up a minute later).
                const card = await this.cards.repo.get(cardId);
                if (!card || !FOLLOWED_STATES.has(card.state))
                    return;
                const app = await this.ctx.argocd.getApplication(card.app);
                const snap = toAppSnapshot(app, card.app);
                await new Promise((resolve) => {
                    const queued = this.cards.enqueue(card.app, async () => {
                        try {
                            await this.cards.observe(cardId, snap);
                        }
                        finally {
                            resolve();
                        }
                    });
                    if (!queued)
                        resolve();
                });
            }
            catch (error) {
                this.ctx.logger.warn({ err: error, cardId }, 'could not follow the operation this time; trying again');
            }
        }
    }
    /** A pause that stop() cuts short, so shutdown does not wait out the longest backoff. */
    sleep(ms) {
        return new Promise((resolve) => {
            const wake = () => {
                clearTimeout(timer);
                this.sleepers.delete(wake);
                resolve();
            };
            const timer = setTimeout(wake, ms);
            timer.unref();
            this.sleepers.add(wake);
        });
    }
    async stop() {
        this.stopped = true;
        for (const wake of [...this.sleepers])
            wake();
        await Promise.allSettled([...this.following.values()]);
    }
}
