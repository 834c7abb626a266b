import { audit } from '../cards/audit.js';
import type { CardState } from '../domain/card.js';
import { transitioned } from '../domain/card-transitions.js';
import type { ActionDeps } from './action-deps.js';
import type { ActionOutcome } from './action-outcome.js';

export interface RefuseOptions {
  /** States that turn `failed` (with the message and a Retry button) instead of only carrying a notice. */
  failFrom?: readonly CardState[];
  user?: string;
}

/**
 * An allowed action that could not run (Argo CD refused, another operation runs...): the card says so
 * in plain words, the thread and the audit log record it, and the card stays actionable.
 */
export async function refuseOnCard(
  { ctx, cards }: ActionDeps,
  cardId: string,
  action: string,
  message: string,
  { failFrom = [], user }: RefuseOptions = {},
): Promise<ActionOutcome> {
  let failed = false;
  const card = await cards.change(cardId, (c) => {
    const next = failFrom.includes(c.state)
      ? transitioned(c, { kind: 'sync-failed', message }, ctx.now())
      : undefined;
    failed = next !== undefined;
    // Not a state change: the card only says why the action did not run.
    return next ?? { ...c, notice: message };
  });
  if (card) {
    await audit(ctx, card, { action, outcome: 'refused', user, detail: message });
    // A move to failed is noted by the card service itself ("Sync of … failed: <message>").
    if (!failed) cards.note(cardId, { type: 'refused', action, message });
  }
  return { kind: 'refused', message };
}
