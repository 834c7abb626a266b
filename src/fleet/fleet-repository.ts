import { randomBytes } from 'node:crypto';
import type { FleetCard } from '../domain/fleet-card.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';

const FLEET_TTL_MS = 90 * 24 * 60 * 60 * 1000;

interface CurrentFleet {
  cardId: string;
  revision: string;
}

class FleetConflictError extends Error {
  readonly code = 'fleet_conflict';
  constructor(cardId: string) {
    super(`fleet card ${cardId} kept changing under concurrent writers`);
  }
}

/** Fleet cards in the store: one per (group, revision), changed only by compare-and-set. */
export class FleetRepository {
  constructor(private readonly store: Store) {}

  static newId(): string {
    return `f${randomBytes(9).toString('base64url')}`;
  }

  async get(cardId: string): Promise<FleetCard | undefined> {
    return (await this.store.get<FleetCard>(storeKeys.fleetCard(cardId)))?.value;
  }

  async findByRevision(group: string, revision: string): Promise<FleetCard | undefined> {
    const index = await this.store.get<string>(storeKeys.fleetIndex(group, revision));
    return index ? this.get(index.value) : undefined;
  }

  async current(group: string): Promise<CurrentFleet | undefined> {
    return (await this.store.get<CurrentFleet>(storeKeys.fleetCurrent(group)))?.value;
  }

  /**
   * Creates the card unless (group, revision) has one; the index write decides between replicas. The
   * record and its active mark come first, so an index entry always leads to a card.
   */
  async create(card: FleetCard): Promise<{ card: FleetCard; created: boolean }> {
    await this.store.compareAndSet(storeKeys.fleetCard(card.id), card, 0, FLEET_TTL_MS);
    await this.store.addToSet(storeKeys.fleetActive, card.id);
    const won = await this.store.compareAndSet(
      storeKeys.fleetIndex(card.group, card.revision),
      card.id,
      0,
      FLEET_TTL_MS,
    );
    if (won !== undefined) return { card, created: true };
    await this.store.removeFromSet(storeKeys.fleetActive, card.id);
    await this.store.delete(storeKeys.fleetCard(card.id));
    const existing = await this.findByRevision(card.group, card.revision);
    if (!existing) throw new FleetConflictError(card.id);
    return { card: existing, created: false };
  }

  /** Points the group at its newest card; returns the card it pointed at before (to supersede). */
  async setCurrent(card: FleetCard): Promise<CurrentFleet | undefined> {
    const key = storeKeys.fleetCurrent(card.group);
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.store.get<CurrentFleet>(key);
      if (current?.value.cardId === card.id) return undefined;
      const next: CurrentFleet = { cardId: card.id, revision: card.revision };
      if ((await this.store.compareAndSet(key, next, current?.version ?? 0, FLEET_TTL_MS)) !== undefined)
        return current?.value;
    }
    throw new FleetConflictError(card.id);
  }

  /**
   * Applies `change` to the stored card with a version check, retrying on conflict; `change` returns
   * undefined to leave it. Returns the card after it and whether this call changed it.
   */
  async update<R>(
    cardId: string,
    change: (card: FleetCard) => { card: FleetCard; result: R } | undefined,
  ): Promise<{ card: FleetCard; changed: boolean; result?: R } | undefined> {
    const key = storeKeys.fleetCard(cardId);
    let current = await this.store.get<FleetCard>(key);
    for (let attempt = 0; attempt < 30; attempt++) {
      if (!current) return undefined;
      const next = change(structuredClone(current.value));
      if (!next) return { card: current.value, changed: false };
      const written = await this.store.writeIfVersion(key, next.card, current.version, FLEET_TTL_MS);
      if ('written' in written) return { card: next.card, changed: true, result: next.result };
      current = written.conflict;
    }
    throw new FleetConflictError(cardId);
  }

  async activeIds(): Promise<string[]> {
    return this.store.setMembers(storeKeys.fleetActive);
  }

  async retire(cardId: string): Promise<void> {
    await this.store.removeFromSet(storeKeys.fleetActive, cardId);
  }
}
