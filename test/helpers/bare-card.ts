import { CardRepository } from '../../src/cards/card-repository.js';
import { type Card, emptyChangelog, unknownChecks } from '../../src/domain/card.js';

/** A pending prod approval card with nothing enriched yet, for tests of the store and publisher. */
export function bareCard(revision: string, overrides: Partial<Card> = {}): Card {
  return {
    id: CardRepository.newId(),
    kind: 'approval',
    state: 'pending',
    app: { instance: 'default', name: 'payments-api-prod', namespace: 'argocd', project: 'payments' },
    environment: 'prod',
    channel: 'C0PRODDEPLOYS',
    revision,
    to: { sha: revision },
    destination: {},
    source: {},
    autoSync: false,
    changelog: emptyChangelog(),
    images: [],
    checks: unknownChecks(),
    approvals: [],
    requiredApprovals: 1,
    createdAt: Date.now(),
    updatedAt: Date.now(),
    ...overrides,
  };
}
