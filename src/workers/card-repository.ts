import { randomBytes } from 'node:crypto';
import type { Card } from '../domain/card.js';
import type { Store } from '../store/store.js';

const CARD_TTL_MS = 90 * 24 * 60 * 60 * 1000;
export const ACTIVE_CARDS = 'cards:active';

export interface CurrentTarget {
  cardId: string;
  revision: string;
}

export class CardConflictError extends Error {
  readonly code = 'card_conflict';
  constructor(cardId: string) {
    super(`card ${cardId} kept changing under concurrent writers`);
  }
}

const appKey = (card: Pick<Card, 'app'>) => `${card.app.namespace}/${card.app.name}`;

/** Cards in the store: one per (app, revision), updated only by compare-and-set. */
export class CardRepository {
  constructor(private readonly store: Store) {}

  static newId(): string {
    return `c${randomBytes(9).toString('base64url')}`;
  }

  async get(cardId: string): Promise<Card | undefined> {
    return (await this.store.get<Card>(`card:${cardId}`))?.value;
  }

  async findByRevision(
    app: { namespace: string; name: string },
    revision: string,
  ): Promise<Card | undefined> {
    const index = await this.store.get<string>(`card-index:${app.namespace}/${app.name}:${revision}`);
    return index ? this.get(index.value) : undefined;
  }

  async currentTarget(app: { namespace: string; name: string }): Promise<CurrentTarget | undefined> {
    return (await this.store.get<CurrentTarget>(`app-current:${app.namespace}/${app.name}`))?.value;
  }

  /**
   * Creates the card unless one exists for (app, revision); the index write is the arbiter across replicas.
   * Returns the card that exists afterwards and whether this call created it.
   */
  async create(card: Card): Promise<{ card: Card; created: boolean }> {
    const indexKey = `card-index:${appKey(card)}:${card.revision}`;
    const won = await this.store.compareAndSet(indexKey, card.id, 0, CARD_TTL_MS);
    if (won === undefined) {
      const existing = await this.findByRevision(card.app, card.revision);
      if (existing) return { card: existing, created: false };
      throw new CardConflictError(card.id);
    }
    await this.store.compareAndSet(`card:${card.id}`, card, 0, CARD_TTL_MS);
    await this.store.addToSet(ACTIVE_CARDS, card.id);
    return { card, created: true };
  }

  /** Records the newest target of an app; an older revision never overwrites a newer one's pointer. */
  async setCurrentTarget(card: Card): Promise<CurrentTarget | undefined> {
    const key = `app-current:${appKey(card)}`;
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.store.get<CurrentTarget>(key);
      if (current?.value.cardId === card.id) return current.value;
      const next = { cardId: card.id, revision: card.revision };
      if ((await this.store.compareAndSet(key, next, current?.version ?? 0, CARD_TTL_MS)) !== undefined)
        return current?.value;
    }
    throw new CardConflictError(card.id);
  }

  /**
   * Applies `change` to the latest stored card and writes it with a version check, retrying on conflict.
   * `change` returns undefined to leave the card as it is.
   */
  async update(
    cardId: string,
    change: (card: Card) => Card | undefined,
  ): Promise<{ card: Card; changed: boolean } | undefined> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.store.get<Card>(`card:${cardId}`);
      if (!current) return undefined;
      const next = change(structuredClone(current.value));
      if (!next) return { card: current.value, changed: false };
      if (
        (await this.store.compareAndSet(`card:${cardId}`, next, current.version, CARD_TTL_MS)) !== undefined
      ) {
        return { card: next, changed: true };
      }
    }
    throw new CardConflictError(cardId);
  }

  async activeIds(): Promise<string[]> {
    return this.store.setMembers(ACTIVE_CARDS);
  }

  async retire(cardId: string): Promise<void> {
    await this.store.removeFromSet(ACTIVE_CARDS, cardId);
  }
}
