import { randomBytes } from 'node:crypto';
const CARD_TTL_MS = 90 * 24 * 60 * 60 * 1000;
export const ACTIVE_CARDS = 'cards:active';
export class CardConflictError extends Error {
    code = 'card_conflict';
    constructor(cardId) {
        super(`card ${cardId} kept changing under concurrent writers`);
    }
}
const appKey = (card) => `${card.app.namespace}/${card.app.name}`;
/** Cards in the store: one per (app, revision), updated only by compare-and-set. */
export class CardRepository {
    store;
    constructor(store) {
        this.store = store;
    }
    static newId() {
        return `c${randomBytes(9).toString('base64url')}`;
    }
    async get(cardId) {
        return (await this.store.get(`card:${cardId}`))?.value;
    }
    async findByRevision(app, revision) {
        const index = await this.store.get(`card-index:${app.namespace}/${app.name}:${revision}`);
        return index ? this.get(index.value) : undefined;
    }
    async currentTarget(app) {
        return (await this.store.get(`app-current:${app.namespace}/${app.name}`))?.value;
    }
    /**
     * Creates the card unless one exists for (app, revision); the index write is the arbiter across replicas.
     * The record and its active mark are written before the index, so an index entry always leads to a card
     * and a card that won the index is always seen by the reconciler (which posts it if its creator died).
     * Returns the card that exists afterwards and whether this call created it.
     */
    async create(card) {
        const indexKey = `card-index:${appKey(card)}:${card.revision}`;
        await this.store.compareAndSet(`card:${card.id}`, card, 0, CARD_TTL_MS);
        await this.store.addToSet(ACTIVE_CARDS, card.id);
        const won = await this.store.compareAndSet(indexKey, card.id, 0, CARD_TTL_MS);
        if (won === undefined) {
            await this.store.removeFromSet(ACTIVE_CARDS, card.id);
            await this.store.delete(`card:${card.id}`);
            const existing = await this.findByRevision(card.app, card.revision);
            if (existing)
                return { card: existing, created: false };
            throw new CardConflictError(card.id);
        }
        return { card, created: true };
    }
    /**
     * Points the app at its newest target card. A card whose read is older than the pointer's does not
     * move it (two reads of one app can finish in either order, on one replica or two).
     */
    async setCurrentTarget(card, observedAt) {
        const key = `app-current:${appKey(card)}`;
        for (let attempt = 0; attempt < 10; attempt++) {
            const current = await this.store.get(key);
            if (current?.value.cardId === card.id)
                return { previous: current.value, stale: false };
            if (isNewer(current?.value.observedAt, observedAt))
                return { previous: current?.value, stale: true };
            const next = { cardId: card.id, revision: card.revision, observedAt };
            if ((await this.store.compareAndSet(key, next, current?.version ?? 0, CARD_TTL_MS)) !== undefined)
                return { previous: current?.value, stale: false };
        }
        throw new CardConflictError(card.id);
    }
    /**
     * Applies `change` to the latest stored card and writes it with a version check, retrying on conflict.
     * `change` returns undefined to leave the card as it is.
     */
    async update(cardId, change) {
        for (let attempt = 0; attempt < 20; attempt++) {
            const current = await this.store.get(`card:${cardId}`);
            if (!current)
                return undefined;
            const next = change(structuredClone(current.value));
            if (!next)
                return { card: current.value, changed: false };
            if ((await this.store.compareAndSet(`card:${cardId}`, next, current.version, CARD_TTL_MS)) !== undefined) {
                return { card: next, changed: true };
            }
        }
        throw new CardConflictError(cardId);
    }
    async activeIds() {
        return this.store.setMembers(ACTIVE_CARDS);
    }
    async retire(cardId) {
        await this.store.removeFromSet(ACTIVE_CARDS, cardId);
    }
}
/** True when `a` is a later observation than `b` (unknown times never win or lose). */
export function isNewer(a, b) {
    return a !== undefined && b !== undefined && a > b;
}
