import { type SlackClient, SlackRateLimitedError } from '../clients/slack/slack-client.js';
import { FLEET_TERMINAL } from '../domain/fleet-card.js';
import type { Logger } from '../logging/create-logger.js';
import { renderFleetCard } from '../render/fleet-card.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';
import type { FleetRepository } from './fleet-repository.js';

/** At most one chat.update per fleet card per this interval: 200 rows moving cost one update a second. */
const FLEET_UPDATE_INTERVAL_MS = 1000;
const POST_LOCK_MS = 30_000;
const MAX_FAILURES = 6;

interface Slot {
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  dirty: boolean;
  lastSentAt: number;
  notBefore: number;
  failures: number;
}

export interface FleetPublisherDeps {
  repo: FleetRepository;
  store: Store;
  slack: SlackClient;
  logger: Logger;
}

/**
 * Posts each fleet card once (a post lock across replicas) and keeps it current with coalesced
 * chat.update calls: each send renders the card as stored then, so any number of row changes within
 * the interval cost one update.
 */
export class FleetPublisher {
  private readonly slots = new Map<string, Slot>();
  private stopped = false;

  constructor(private readonly deps: FleetPublisherDeps) {}

  publish(cardId: string): void {
    if (this.stopped) return;
    let slot = this.slots.get(cardId);
    if (!slot) {
      slot = { dirty: false, lastSentAt: 0, notBefore: 0, failures: 0 };
      this.slots.set(cardId, slot);
    }
    slot.dirty = true;
    this.schedule(cardId, slot);
  }

  private schedule(cardId: string, slot: Slot): void {
    if (slot.running || slot.timer || !slot.dirty || this.stopped) return;
    const now = Date.now();
    const wait = Math.max(0, slot.lastSentAt + FLEET_UPDATE_INTERVAL_MS - now, slot.notBefore - now);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      slot.dirty = false;
      slot.running = this.send(cardId, slot)
        .catch((error: unknown) => {
          slot.failures += 1;
          slot.notBefore =
            Date.now() +
            (error instanceof SlackRateLimitedError
              ? error.retryAfterSec * 1000
              : Math.min(30_000, 500 * 2 ** slot.failures));
          if (slot.failures <= MAX_FAILURES) slot.dirty = true;
          this.deps.logger.warn({ err: error, cardId }, 'fleet card publication failed; will retry');
        })
        .finally(() => {
          slot.running = undefined;
          if (slot.dirty) this.schedule(cardId, slot);
          else if (Date.now() - slot.lastSentAt > FLEET_UPDATE_INTERVAL_MS) this.slots.delete(cardId);
        });
    }, wait);
    slot.timer.unref?.();
  }

  private async send(cardId: string, slot: Slot): Promise<void> {
    const { repo, slack } = this.deps;
    const card = await repo.get(cardId);
    if (!card || (!card.ts && FLEET_TERMINAL.has(card.state))) return;
    if (card.ts) {
      // One update per card per second across replicas: the second's slot in the store. A replica that
      // lost it shows the card (as stored then) in the next second instead.
      const second = Math.floor(Date.now() / 1000);
      if (!(await this.deps.store.markSeen(storeKeys.fleetUpdateSlot(cardId, second), 5_000))) {
        slot.dirty = true;
        slot.notBefore = (second + 1) * 1000;
        return;
      }
      await slack.updateMessage({ channel: card.channel, ts: card.ts, ...renderFleetCard(card) });
    } else if (!(await this.post(cardId, slot))) return;
    slot.lastSentAt = Date.now();
    slot.failures = 0;
  }

  /** One replica posts; the ts is stored before the lock is let go, so nobody posts twice. */
  private async post(cardId: string, slot: Slot): Promise<boolean> {
    const { repo, store, slack } = this.deps;
    const token = await store.acquireLock(storeKeys.postLock(cardId), POST_LOCK_MS);
    if (!token) {
      slot.notBefore = Date.now() + 500;
      slot.dirty = true;
      return false;
    }
    try {
      const fresh = await repo.get(cardId);
      if (!fresh || fresh.ts || FLEET_TERMINAL.has(fresh.state)) {
        slot.dirty = Boolean(fresh?.ts);
        return true;
      }
      const posted = await slack.postMessage({ channel: fresh.channel, ...renderFleetCard(fresh) });
      const stored = await repo.update(cardId, (c) =>
        c.ts ? undefined : { card: { ...c, ts: posted.ts, channel: posted.channel }, result: true },
      );
      // The rows may have moved while it was posted: show the newest state next.
      if (
        stored &&
        JSON.stringify({ ...stored.card, ts: undefined }) !== JSON.stringify({ ...fresh, ts: undefined })
      )
        slot.dirty = true;
      return true;
    } finally {
      await store.releaseLock(storeKeys.postLock(cardId), token).catch(() => {});
    }
  }

  /** Resolves when nothing is waiting to be sent (tests, shutdown). */
  async idle(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const pending = [...this.slots.values()].filter((s) => s.running || s.timer);
      if (pending.length === 0) return;
      await Promise.all(pending.map((s) => s.running ?? new Promise((r) => setTimeout(r, 50))));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
  }
}
