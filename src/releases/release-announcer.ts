/**
 * Posts the release announcement once per deploy card: after a production deploy succeeds and is
 * Healthy (manual approvals and auto-synced apps alike). The card's `announced` flag is claimed with a
 * version-checked write BEFORE posting, so replicas and re-sent notifications cannot post it twice.
 */

import type { CardRepository } from '../cards/card-repository.js';
import type { CardTransition } from '../cards/card-service.js';
import { githubWebUrl } from '../cards/render-card.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import type { Card } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';
import { buildReleaseAnnouncementInput, renderReleaseAnnouncement } from '../render/release-announcement.js';
import { isProductionEnvironment } from './is-production-environment.js';
import { postAnnouncement } from './post-announcement.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface AnnouncerDeps {
  config: Config;
  logger: Logger;
  now: () => number;
  slack: SlackClient;
}

export type AnnounceOutcome = 'posted' | 'not-eligible' | 'no-channel' | 'already-announced' | 'failed';

/** A production deploy that succeeded and is Healthy. */
function isReleased(card: Card): boolean {
  return card.state === 'succeeded' && card.health === 'Healthy' && isProductionEnvironment(card.environment);
}

/** The moment a card becomes released; a failed rollback that leaves a card "succeeded" is no new release. */
function shouldAnnounce({ before, after }: CardTransition): boolean {
  return (
    isReleased(after) && !after.announced && before.state !== 'succeeded' && before.state !== 'rolling-back'
  );
}

export class ReleaseAnnouncer {
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: AnnouncerDeps,
    private readonly repo: CardRepository,
  ) {}

  /** For the transition listener: never throws, and tracks the work so shutdown can wait for it. */
  onTransition(transition: CardTransition): void {
    if (!shouldAnnounce(transition)) return;
    const work = this.announce(transition.after.id).catch((error: unknown) =>
      this.ctx.logger.error({ err: error, cardId: transition.after.id }, 'release announcement failed'),
    );
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  async announce(cardId: string): Promise<AnnounceOutcome> {
    const channel = this.ctx.config.policy.channels.releases;
    if (!channel) return 'no-channel';
    const current = await this.repo.get(cardId);
    if (!current || !isReleased(current)) return 'not-eligible';
    const claimed = await this.repo.update(cardId, (card) =>
      card.announced ? undefined : { ...card, announced: true },
    );
    if (!claimed?.changed) return 'already-announced';
    const card = claimed.card;
    const message = await this.render(card);
    const log = this.ctx.logger.child({ cardId, app: card.app.name });
    // Claimed but not posted: retried a little; after that the announcement is lost (logged), never doubled.
    return (await postAnnouncement(this.ctx.slack, channel, message, log)) ? 'posted' : 'failed';
  }

  private async render(card: Card) {
    const permalink = card.ts ? await this.ctx.slack.permalink(card.channel, card.ts) : undefined;
    const finished = card.operation?.finishedAt ? Date.parse(card.operation.finishedAt) : Number.NaN;
    return renderReleaseAnnouncement(
      buildReleaseAnnouncementInput(card, {
        people: this.ctx.config.policy.people,
        deployedAt: Number.isNaN(finished) ? this.ctx.now() : finished,
        githubWebUrl: card.repo ? githubWebUrl(this.ctx.config.env.GITHUB_API_URL) : undefined,
        cardPermalink: permalink,
      }),
    );
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
