import type { Application } from '../clients/argocd/application-schema.js';
import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import type { AppRef } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';
import { WakeableSleeps } from '../runtime/wakeable-sleeps.js';
import type { CardService } from './card-service.js';
import { toAppSnapshot } from './to-app-snapshot.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface FollowerDeps {
  argocd: ArgoCdClient;
  logger: Logger;
  now: () => number;
}

const FOLLOWED_STATES = new Set(['syncing', 'rolling-back']);

/**
 * How long an operation request whose answer was lost (timeout, 502, connection reset) may take to show
 * on the app. Argo CD records a sync it accepted on the Application at once, but a request can sit in a
 * proxy, the API server or its Kubernetes write for a while after the client gave up on it.
 */
const LANDING_WINDOW_MS = 45_000;
const LANDING_FIRST_READ_MS = 500;
const LANDING_MAX_GAP_MS = 8_000;

/**
 * Polls Argo CD with backoff while an operation deploybot started runs, so the card moves without
 * waiting for notifications. If this replica dies, the reconciler picks the card up.
 */
export class OperationFollower {
  private readonly following = new Map<string, Promise<void>>();
  private readonly sleeps = new WakeableSleeps();
  private stopped = false;
  /** Writable so a test can shorten the look-out after an ambiguous operation request. */
  landingWindowMs = LANDING_WINDOW_MS;

  constructor(
    private readonly ctx: FollowerDeps,
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
      await this.sleeps.sleep(delay);
      if (this.stopped) return;
      delay = Math.min(maxDelayMs, Math.round(delay * 1.6));
      try {
        // A store blip must not end the follow (the reconciler would only catch up a minute later).
        const card = await this.cards.repo.get(cardId);
        if (!card || !FOLLOWED_STATES.has(card.state)) return;
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
        this.ctx.logger.warn(
          { err: error, cardId },
          'could not follow the operation this time; trying again',
        );
      }
    }
  }

  /**
   * After an operation request whose outcome is unknown: reads the app, more and more sparsely, until
   * `landed` says the operation shows up or the landing window is over. Read failures only cost a read;
   * only "not seen in the whole window" is a no. A shutdown meanwhile answers "stopped": nothing is
   * known, and the stuck-claim recovery decides later. Never sends anything.
   */
  async awaitOperation(
    app: AppRef,
    landed: (app: Application) => boolean,
  ): Promise<'landed' | 'not-seen' | 'stopped'> {
    const deadline = performance.now() + this.landingWindowMs;
    let gap = Math.min(LANDING_FIRST_READ_MS, this.landingWindowMs);
    for (;;) {
      await this.sleeps.sleep(Math.max(0, Math.min(gap, deadline - performance.now())));
      if (this.stopped) return 'stopped';
      try {
        if (landed(await this.ctx.argocd.getApplication(app))) return 'landed';
      } catch (error) {
        this.ctx.logger.warn(
          { err: error, app: app.name },
          'could not read the app to see whether the operation started',
        );
      }
      if (performance.now() >= deadline) return 'not-seen';
      gap = Math.min(LANDING_MAX_GAP_MS, gap * 2);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeps.wakeAll();
    await Promise.allSettled([...this.following.values()]);
  }
}
