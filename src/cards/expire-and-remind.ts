import type { Config } from '../config/load-config.js';
import { AWAITING_DECISION_STATES } from '../domain/card.js';
import { transitioned } from '../domain/card-transitions.js';
import { describeApprovers } from '../domain/policy/index.js';
import type { Logger } from '../logging/create-logger.js';
import type { Store } from '../store/store.js';
import { audit } from './audit.js';
import type { CardService } from './card-service.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface ExpiryDeps {
  config: Config;
  now: () => number;
  store: Store;
  logger: Logger;
}

/** Leader-only pass: pending cards past approvalTimeout expire; one reminder after remindAfter. */
export async function expireAndRemind(ctx: ExpiryDeps, cards: CardService): Promise<void> {
  const now = ctx.now();
  for (const cardId of await cards.repo.activeIds()) {
    const card = await cards.repo.get(cardId);
    if (card?.kind !== 'approval' || !AWAITING_DECISION_STATES.has(card.state)) continue;
    const environment = ctx.config.policy.environments[card.environment];
    if (!environment) continue;
    const age = now - card.createdAt;
    if (age >= environment.approvalTimeout) {
      const expired = await cards.change(cardId, (c) => transitioned(c, { kind: 'expire' }, now));
      if (expired?.state === 'expired') {
        await audit(ctx, expired, {
          action: 'expire',
          outcome: 'expired',
          detail: `after ${environment.approvalTimeout} ms`,
        });
        cards.note(cardId, { type: 'expired', afterMs: environment.approvalTimeout });
      }
      continue;
    }
    if (age >= environment.remindAfter && !card.reminderSentAt && card.requiredApprovals > 0) {
      // Claim the reminder with the version check first, so two leaders in a hand-over send one.
      const claimed = await cards.change(cardId, (c) =>
        c.reminderSentAt || !AWAITING_DECISION_STATES.has(c.state)
          ? undefined
          : { ...c, reminderSentAt: now },
      );
      if (claimed?.reminderSentAt === now) {
        const approvers = describeApprovers(environment.approvers);
        cards.note(cardId, { type: 'reminder', approvers, waitingMs: age });
        await audit(ctx, claimed, { action: 'remind', outcome: 'reminded', detail: approvers });
      }
    }
  }
}
