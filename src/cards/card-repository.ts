import { randomBytes } from 'node:crypto';
import { type Card, DEFAULT_INSTANCE } from '../domain/card.js';
import { type AppKeyParts, storeKeys } from '../store/keys.js';
import type { Store, Versioned } from '../store/store.js';

const CARD_TTL_MS = 90 * 24 * 60 * 60 * 1000;
/** Card ids this process knows to be in their commit's index. */
const INDEXED_MEMORY = 10_000;
/** Cards remembered for one-round-trip changes: a burst's worth (see update). */
const RECENT_CARDS = 512;
const ACTIVE_CARDS = storeKeys.activeCards;

export interface CurrentTarget {
  cardId: string;
  revision: string;
  /** When the Argo CD read that made this the target started (see AppSnapshot.observedAt). */
  observedAt?: number;
}

export interface SetCurrentTargetResult {
  /** The pointer before this call (the card to supersede), or the one that stays when `stale`. */
  previous?: CurrentTarget;
  /** The pointer holds a target read later than this card's: this card's revision is old news. */
  stale: boolean;
}

class CardConflictError extends Error {
  readonly code = 'card_conflict';
  constructor(cardId: string) {
    super(`card ${cardId} kept changing under concurrent writers`);
  }
}

/** Cards in the store: one per (app, revision), updated only by compare-and-set. */
export class CardRepository {
  /** The last version of each card this process read or wrote, newest last (see update). */
  private readonly recent = new Map<string, Versioned<Card>>();
  private readonly indexed = new Set<string>();

  constructor(private readonly store: Store) {}

  static newId(): string {
    return `c${randomBytes(9).toString('base64url')}`;
  }

  async get(cardId: string): Promise<Card | undefined> {
    const stored = (await this.read(cardId))?.value;
    return stored && withInstance(stored);
  }

  async findByRevision(app: AppKeyParts, revision: string): Promise<Card | undefined> {
    const index = await this.store.get<string>(storeKeys.cardIndex(app, revision));
    return index ? this.get(index.value) : undefined;
  }

  async currentTarget(app: AppKeyParts): Promise<CurrentTarget | undefined> {
    return (await this.store.get<CurrentTarget>(storeKeys.appCurrent(app)))?.value;
  }

  /**
   * Creates the card unless one exists for (app, revision); the index write is the arbiter across replicas.
   * The record and its active mark are written before the index, so an index entry always leads to a card
   * and a card that won the index is always seen by the reconciler (which posts it if its creator died).
   * Returns the card that exists afterwards and whether this call created it.
   */
  async create(card: Card): Promise<{ card: Card; created: boolean }> {
    const indexKey = storeKeys.cardIndex(card.app, card.revision);
    await this.store.compareAndSet(storeKeys.card(card.id), card, 0, CARD_TTL_MS);
    await this.store.addToSet(ACTIVE_CARDS, card.id);
    await this.indexRevision(card);
    const won = await this.store.compareAndSet(indexKey, card.id, 0, CARD_TTL_MS);
    if (won === undefined) {
      await this.store.removeFromSet(ACTIVE_CARDS, card.id);
      await this.store.delete(storeKeys.card(card.id));
      const existing = await this.findByRevision(card.app, card.revision);
      if (existing) return { card: existing, created: false };
      throw new CardConflictError(card.id);
    }
    return { card, created: true };
  }

  /**
   * Points the app at its newest target card. A card whose read is older than the pointer's does not
   * move it (two reads of one app can finish in either order, on one replica or two).
   */
  async setCurrentTarget(card: Card, observedAt?: number): Promise<SetCurrentTargetResult> {
    const key = storeKeys.appCurrent(card.app);
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.store.get<CurrentTarget>(key);
      if (current?.value.cardId === card.id) return { previous: current.value, stale: false };
      if (isNewer(current?.value.observedAt, observedAt)) return { previous: current?.value, stale: true };
      const next: CurrentTarget = { cardId: card.id, revision: card.revision, observedAt };
      if ((await this.store.compareAndSet(key, next, current?.version ?? 0, CARD_TTL_MS)) !== undefined)
        return { previous: current?.value, stale: false };
    }
    throw new CardConflictError(card.id);
  }

  /**
   * Applies `change` to the latest stored card and writes it with a version check, retrying on conflict.
   * `change` returns undefined to leave the card as it is. The card this process wrote or read last is
   * tried first, so a change is one round trip when nobody else wrote in between; a conflict answers with
   * the stored card, so a retry is one round trip too. A "no change" decided on a remembered copy is
   * confirmed against the store before it is believed.
   */
  async update(
    cardId: string,
    change: (card: Card) => Card | undefined,
  ): Promise<{ card: Card; changed: boolean } | undefined> {
    const key = storeKeys.card(cardId);
    let current = this.recent.get(cardId);
    let remembered = current !== undefined;
    if (!current) current = await this.read(cardId);
    for (let attempt = 0; attempt < 20; attempt++) {
      if (!current) return undefined;
      const stored = withInstance(current.value);
      const next = change(structuredClone(stored));
      if (!next) {
        if (!remembered) return { card: stored, changed: false };
        remembered = false;
        current = await this.read(cardId);
        continue;
      }
      const result = await this.store.writeIfVersion(key, next, current.version, CARD_TTL_MS);
      if ('written' in result) {
        this.remember(cardId, { value: next, version: result.written });
        return { card: next, changed: true };
      }
      remembered = false;
      current = result.conflict;
      if (current) this.remember(cardId, current);
      else this.recent.delete(cardId);
    }
    throw new CardConflictError(cardId);
  }

  private async read(cardId: string): Promise<Versioned<Card> | undefined> {
    const stored = await this.store.get<Card>(storeKeys.card(cardId));
    if (stored) this.remember(cardId, stored);
    else this.recent.delete(cardId);
    return stored;
  }

  /** Bounded: the cards being worked on now, not every card ever seen. */
  private remember(cardId: string, record: Versioned<Card>): void {
    this.recent.delete(cardId);
    this.recent.set(cardId, record);
    if (this.recent.size > RECENT_CARDS) this.recent.delete(this.recent.keys().next().value as string);
  }

  /**
   * Lists the card under its commit (idempotent). A card whose creation lost the race stays listed until
   * the index expires: readers fetch each listed card and skip the missing ones.
   */
  async indexRevision(card: Pick<Card, 'id' | 'revision' | 'createdAt'>): Promise<void> {
    if (this.indexed.has(card.id)) return;
    // Scored and pruned on the card's own clock (tests run the bot on a fake one).
    await this.store.addTimed(
      storeKeys.revisionCards(card.revision),
      card.id,
      card.createdAt,
      CARD_TTL_MS,
      card.createdAt,
    );
    // What this process listed already (the reconciler asks on every pass), bounded.
    if (this.indexed.size >= INDEXED_MEMORY) this.indexed.clear();
    this.indexed.add(card.id);
  }

  /** Cards made for a commit, any app: one read of the index and one per card listed. */
  async ofRevision(revision: string): Promise<Card[]> {
    const ids = await this.store.rangeTimed(storeKeys.revisionCards(revision), 0, Number.MAX_SAFE_INTEGER);
    const cards = await Promise.all(ids.map((id) => this.get(id)));
    return cards.filter((card): card is Card => card !== undefined);
  }

  async activeIds(): Promise<string[]> {
    return this.store.setMembers(ACTIVE_CARDS);
  }

  async retire(cardId: string): Promise<void> {
    await this.store.removeFromSet(ACTIVE_CARDS, cardId);
  }

  /** Follows a retired card again (a released hold makes a rolled-back card wait for approval). */
  async activate(cardId: string): Promise<void> {
    await this.store.addToSet(ACTIVE_CARDS, cardId);
  }
}

/**
 * Cards stored before apps named their Argo CD instance have no `instance`: they were all the default
 * instance's (their keys are the default instance's too, see appId).
 */
function withInstance(card: Card): Card {
  const app = card.app as Omit<Card['app'], 'instance'> & { instance?: string };
  return app.instance === undefined ? { ...card, app: { ...app, instance: DEFAULT_INSTANCE } } : card;
}

/** True when `a` is a later observation than `b` (unknown times never win or lose). */
export function isNewer(a: number | undefined, b: number | undefined): boolean {
  return a !== undefined && b !== undefined && a > b;
}
