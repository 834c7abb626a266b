import type { AppContext } from '../app/context.js';
import type { CardService } from '../workers/card-service.js';
import { toAppSnapshot } from '../workers/to-app-snapshot.js';

const FOLLOWED_STATES = new Set(['syncing', 'rolling-back']);

/**
 * Polls Argo CD with backoff while an operation deploybot started runs, so the card moves without
 * waiting for notifications. If this replica dies, the reconciler picks the card up.
 */
export class OperationFollower {
  private readonly following = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly cards: CardService,
    private readonly options: { firstDelayMs?: number; maxDelayMs?: number; giveUpAfterMs?: number } = {},
  ) {}

  follow(cardId: string): Promise<void> {
    const existing = this.following.get(cardId);
    if (existing) return existing;
    const run = this.run(cardId).finally(() => this.following.delete(cardId));
    this.following.set(cardId, run);
    return run;
  }

  private async run(cardId: string): Promise<void> {
    const { firstDelayMs = 300, maxDelayMs = 5000, giveUpAfterMs = 60 * 60_000 } = this.options;
    const started = this.ctx.now();
    let delay = firstDelayMs;
    while (!this.stopped && this.ctx.now() - started < giveUpAfterMs) {
      await new Promise((r) => setTimeout(r, delay).unref());
      if (this.stopped) return;
      delay = Math.min(maxDelayMs, Math.round(delay * 1.6));
      const card = await this.cards.repo.get(cardId);
      if (!card || !FOLLOWED_STATES.has(card.state)) return;
      try {
        const app = await this.ctx.argocd.getApplication(card.app);
        const snap = toAppSnapshot(app, card.app);
        await new Promise<void>((resolve) => {
          const queued = this.cards.enqueue(card.app, async () => {
            try {
              await this.cards.observe(cardId, snap);
            } finally {
              resolve();
            }
          });
          if (!queued) resolve();
        });
      } catch (error) {
        this.ctx.logger.warn({ err: error, cardId }, 'could not read the app while following its operation');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.following.values()]);
  }
}
