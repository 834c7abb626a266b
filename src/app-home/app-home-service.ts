import { appLabel } from '../domain/app-label.js';
import type { Card } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';
import { type HomeCard, renderAppHome } from '../render/app-home.js';
import { mapBounded } from '../runtime/map-bounded.js';
import { type AskerIdentity, isAuthoredBy } from '../status/asker-identity.js';

/** What App Home needs, and nothing more (see app/register-features.ts). */
export interface AppHomeDeps {
  /** The cards still followed (pending, in flight and recently finished ones). */
  activeCards(): Promise<{ cards: Card[]; incomplete: boolean }>;
  /** Whether the policy, as it stands now, lets this user approve this card (stored state only). */
  mayApprove(card: Card, userId: string): Promise<boolean>;
  /** The viewer's GitHub login and e-mails, to find their commits. */
  identity(userId: string): Promise<AskerIdentity>;
  permalink(channel: string, ts: string): Promise<string | undefined>;
  publishHome(userId: string, view: unknown): Promise<void>;
  logger: Logger;
}

const IN_FLIGHT = new Set(['pending', 'approved', 'syncing']);
const DEPLOYED = new Set(['succeeded', 'degraded', 'failed', 'rolled-back']);
const LAST_DEPLOYS = 10;

/** Publishes the viewer's Home tab: built fresh every time the tab is opened. */
export class AppHomeService {
  constructor(private readonly deps: AppHomeDeps) {}

  async publishFor(userId: string): Promise<void> {
    const { cards, incomplete } = await this.deps.activeCards();
    const [who, approvable] = await Promise.all([
      this.deps.identity(userId),
      mapBounded(
        cards.filter((c) => c.kind === 'approval' && c.state === 'pending'),
        4,
        async (card) => ((await this.deps.mayApprove(card, userId).catch(() => false)) ? card : undefined),
      ),
    ]);
    const newest = (a: Card, b: Card) => b.updatedAt - a.updatedAt;
    const pending = approvable
      .filter((c): c is Card => c !== undefined)
      .sort((a, b) => a.createdAt - b.createdAt);
    const inFlight = cards.filter((c) => IN_FLIGHT.has(c.state) && isAuthoredBy(c, who)).sort(newest);
    const lastDeploys = cards
      .filter((c) => DEPLOYED.has(c.state))
      .sort(newest)
      .slice(0, LAST_DEPLOYS);
    const [pendingHome, inFlightHome, lastHome] = await Promise.all(
      [pending, inFlight, lastDeploys].map((list) => mapBounded(list, 4, (card) => this.toHomeCard(card))),
    );
    const view = renderAppHome({
      pendingApprovals: pendingHome ?? [],
      inFlight: inFlightHome ?? [],
      lastDeploys: lastHome ?? [],
      incomplete,
    });
    await this.deps.publishHome(userId, view);
  }

  private async toHomeCard(card: Card): Promise<HomeCard> {
    return {
      app: appLabel(card.app),
      environment: card.environment,
      revision: card.revision,
      subject: card.to.subject,
      state: card.state,
      permalink: card.ts ? await this.deps.permalink(card.channel, card.ts) : undefined,
      at: card.state === 'pending' ? card.createdAt : card.updatedAt,
    };
  }
}
