import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import type { Card } from '../domain/card.js';
import { transitioned } from '../domain/card-transitions.js';
import { isRolloutInFlight, type RolloutView } from '../domain/rollout-view.js';
import type { Logger } from '../logging/create-logger.js';
import { describeRollout } from '../render/card-rollouts.js';
import { WakeableSleeps } from '../runtime/wakeable-sleeps.js';
import type { CardService } from './card-service.js';
import { readRollouts } from './read-rollouts.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface RolloutFollowerDeps {
  argocd: Pick<ArgoCdClient, 'resourceTree' | 'getRollout'>;
  logger: Logger;
  now: () => number;
}

/** The card's revision is deployed or deploying: its Rollouts are the ones it shows. */
const FOLLOWED_STATES: ReadonlySet<string> = new Set(['syncing', 'succeeded', 'degraded']);

/**
 * Keeps a card's Argo Rollouts current after its sync ended, while one is progressing or paused (the
 * app's health is Suspended then, which the card does not count as a failure), until each is Healthy,
 * Degraded or aborted. It starts when the card service observes an app that has Rollouts (the
 * `rollouts` event: notifications, the operation follower, the reconciler, so a restart resumes it)
 * and when an action ran; reads back off from 500 ms to 5 s, and a write happens only when what the
 * card shows changed, so a burst of controller updates costs one card update per read at most.
 */
export class RolloutFollower {
  private readonly following = new Map<string, Promise<void>>();
  private readonly sleeps = new WakeableSleeps();
  private stopped = false;

  constructor(
    private readonly ctx: RolloutFollowerDeps,
    private readonly cards: CardService,
    private readonly options: { firstDelayMs?: number; maxDelayMs?: number; giveUpAfterMs?: number } = {},
  ) {}

  /** Follows the cards the card service reports as having Rollouts. */
  start(): void {
    this.cards.events.on('rollouts', (cardId) => void this.follow(cardId));
  }

  follow(cardId: string, { soon = false }: { soon?: boolean } = {}): Promise<void> {
    const existing = this.following.get(cardId);
    if (existing) {
      if (soon) this.wakeAll();
      return existing;
    }
    const run = this.run(cardId).finally(() => this.following.delete(cardId));
    this.following.set(cardId, run);
    return run;
  }

  private async run(cardId: string): Promise<void> {
    const { firstDelayMs = 0, maxDelayMs = 5000, giveUpAfterMs = 6 * 60 * 60_000 } = this.options;
    const started = this.ctx.now();
    let delay = firstDelayMs;
    while (!this.stopped && this.ctx.now() - started < giveUpAfterMs) {
      if (delay > 0) await this.sleeps.sleep(delay);
      if (this.stopped) return;
      try {
        const card = await this.cards.repo.get(cardId);
        if (!card || !FOLLOWED_STATES.has(card.state) || (await this.replaced(card))) return;
        const read = await readRollouts(this.ctx.argocd, card.app);
        const shown = await this.show(card, read.views, read.total);
        const moving = read.views.some(isRolloutInFlight);
        // A sync still running will start a new rollout: keep looking until it has.
        if (!moving && shown.state !== 'syncing') return;
        delay = changedSince(card, shown)
          ? 500
          : Math.min(maxDelayMs, Math.max(500, Math.round(delay * 1.6)));
      } catch (error) {
        this.ctx.logger.warn({ err: error, cardId }, 'could not read the Rollouts this time; trying again');
        delay = Math.min(maxDelayMs, Math.max(1000, delay * 2));
      }
    }
  }

  private async show(card: Card, views: Card['rollouts'] & object, total: number): Promise<Card> {
    const changed = await this.cards.change(card.id, (c) =>
      transitioned(c, { kind: 'observe-rollouts', rollouts: views, total }, this.ctx.now()),
    );
    if (!changed) return card;
    for (const view of views) {
      const before = card.rollouts?.find((v) => v.name === view.name);
      if (before && movedOn(before, view))
        this.cards.note(card.id, { type: 'rollout', rollout: view.name, detail: describeRollout(view) });
    }
    return changed;
  }

  /** A newer revision of the app is deploying or deployed: the Rollouts now roll out that one, not this card's. */
  private async replaced(card: Card): Promise<boolean> {
    const current = await this.cards.repo.currentTarget(card.app);
    if (!current || current.cardId === card.id) return false;
    const newer = await this.cards.repo.get(current.cardId);
    return newer !== undefined && FOLLOWED_STATES.has(newer.state);
  }

  private wakeAll(): void {
    this.sleeps.wakeAll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeAll();
    await Promise.allSettled([...this.following.values()]);
  }
}

/** Worth a thread note: another step, another phase, an abort (not a weight or analysis tick). */
function movedOn(before: RolloutView, after: RolloutView): boolean {
  return (
    before.phase !== after.phase ||
    before.step !== after.step ||
    before.aborted !== after.aborted ||
    before.currentRevision !== after.currentRevision
  );
}

function changedSince(before: Card, after: Card): boolean {
  return JSON.stringify(before.rollouts ?? []) !== JSON.stringify(after.rollouts ?? []);
}
