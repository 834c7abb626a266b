import type { Policy } from '../config/policy-schema.js';
import { AWAITING_DECISION_STATES } from '../domain/card.js';
import { findFreezeInForce } from '../domain/freeze-window.js';
import { SlackFreezeStore } from '../freezes/slack-freeze-store.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';
import type { CardRepository } from './card-repository.js';

export interface FreezeDisplayDeps {
  store: Store;
  repo: CardRepository;
  policy: Policy;
  now: () => number;
  /** Re-renders a card as stored (the renderer reads the freeze in force). */
  publish(cardId: string): void;
}

/** States whose card shows the freeze (and Break glass): those still waiting, and a failed one (Retry). */
const SHOWS_FREEZE = new Set([...AWAITING_DECISION_STATES, 'failed']);

/**
 * Re-renders the open cards of every environment whose freeze in force changed since they were last
 * rendered for it: a freeze declared or ended from Slack, one that ran out, a policy window opening or
 * closing. What was shown is kept in the store, so one replica (the command's, or the reconciler's
 * leader) updates each card once per change, and a restart causes no re-render.
 */
export async function showFreezeChanges(
  deps: FreezeDisplayDeps,
  environments: readonly string[] = Object.keys(deps.policy.environments),
): Promise<void> {
  const slackFreezes = new SlackFreezeStore(deps.store, deps.now);
  const changed: string[] = [];
  for (const name of environments) {
    const environment = deps.policy.environments[name];
    if (!environment) continue;
    const slack = await slackFreezes.inForce(name);
    const active = findFreezeInForce(environment.freezes, slack ? [slack] : [], deps.now());
    const signature = active ? JSON.stringify([active.source, active.reason, active.endsAt, active.by]) : '';
    const key = storeKeys.freezeShown(name);
    const shown = await deps.store.get<string>(key);
    if ((shown?.value ?? '') === signature) continue;
    // Whoever writes the new signature re-renders; a second replica seeing the same change loses the CAS.
    if ((await deps.store.compareAndSet(key, signature, shown?.version ?? 0)) === undefined) continue;
    changed.push(name);
  }
  if (changed.length === 0) return;
  for (const cardId of await deps.repo.activeIds()) {
    const card = await deps.repo.get(cardId);
    if (card?.kind === 'approval' && changed.includes(card.environment) && SHOWS_FREEZE.has(card.state))
      deps.publish(cardId);
  }
}
