import type { Card } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';
import { storeKeys } from '../store/keys.js';
import type { AuditEntry, Store } from '../store/store.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface AuditDeps {
  store: Store;
  logger: Logger;
  now: () => number;
}

/** Appends to the audit log; a failure is logged loudly but never undoes what already happened. */
export async function audit(
  ctx: AuditDeps,
  card: Pick<Card, 'app' | 'revision' | 'id'>,
  entry: Omit<AuditEntry, 'at' | 'app' | 'instance' | 'revision' | 'cardId'>,
): Promise<void> {
  try {
    await ctx.store.appendAudit({
      at: ctx.now(),
      app: card.app.name,
      instance: card.app.instance,
      revision: card.revision,
      cardId: card.id,
      ...entry,
    });
  } catch (error) {
    ctx.logger.error(
      { err: error, cardId: card.id, action: entry.action },
      'audit entry could not be written',
    );
  }
}

/**
 * How long a card is stored (the card repository's CARD_TTL_MS): a refusal count and the one-note
 * mark live as long as the card someone could still click.
 */
const CARD_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * Records a refusal apart from the decisions: counted per card, user, action and rule, the first one
 * kept in the refusal log. Returns the count so far, undefined when the store failed (logged, never
 * thrown: the refused user is told all the same).
 */
export async function auditDenial(
  ctx: AuditDeps,
  card: Pick<Card, 'app' | 'revision' | 'id'>,
  entry: { action: string; user: string; rule: string; detail: string },
): Promise<number | undefined> {
  try {
    return await ctx.store.appendDenial(
      {
        at: ctx.now(),
        app: card.app.name,
        instance: card.app.instance,
        revision: card.revision,
        cardId: card.id,
        outcome: 'denied',
        ...entry,
      },
      CARD_LIFETIME_MS,
    );
  } catch (error) {
    ctx.logger.error(
      { err: error, cardId: card.id, action: entry.action },
      'refusal could not be written to the audit log',
    );
    return undefined;
  }
}

/**
 * True once per user and card, on whichever replica asks first (SET NX for the card's lifetime): a
 * refused person gets one thread note, not one per click. A store failure means no note.
 */
export async function claimDenialNote(ctx: AuditDeps, cardId: string, user: string): Promise<boolean> {
  try {
    return await ctx.store.markSeen(storeKeys.denialNote(cardId, user), CARD_LIFETIME_MS);
  } catch (error) {
    ctx.logger.warn({ err: error, cardId }, 'could not claim the refusal note; leaving the thread alone');
    return false;
  }
}
