/**
 * Posts one release announcement per fleet card, for the whole group: when the card succeeds (every app
 * synced, Synced and Healthy at the revision) in an environment that app cards announce (`prod` or
 * `production`, and `channels.releases` set). A seen mark in the store is claimed BEFORE posting, so
 * replicas, re-sent notifications and a card that succeeds again after an app joined post it once.
 */

import { githubWebUrl } from '../cards/render-card.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import type { FleetCard } from '../domain/fleet-card.js';
import type { FleetRepository } from '../fleet/fleet-repository.js';
import type { FleetTransition } from '../fleet/fleet-service.js';
import type { Logger } from '../logging/create-logger.js';
import { buildFleetReleaseInput, renderFleetRelease } from '../render/fleet-release.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';
import { isProductionEnvironment } from './is-production-environment.js';
import { postAnnouncement } from './post-announcement.js';
import type { AnnounceOutcome } from './release-announcer.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface FleetAnnouncerDeps {
  config: Config;
  logger: Logger;
  now: () => number;
  slack: SlackClient;
  store: Store;
}

/** As long as a fleet card is kept: the claim must outlive every replay of its transition. */
const CLAIM_TTL_MS = 90 * 24 * 60 * 60 * 1000;

function isReleased(card: FleetCard): boolean {
  return card.state === 'succeeded' && isProductionEnvironment(card.environment);
}

export class FleetReleaseAnnouncer {
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: FleetAnnouncerDeps,
    private readonly repo: FleetRepository,
  ) {}

  /** For the transition listener: never throws, and tracks the work so shutdown can wait for it. */
  onTransition({ before, after }: FleetTransition): void {
    if (!isReleased(after) || before.state === 'succeeded') return;
    const work = this.announce(after.id).catch((error: unknown) =>
      this.ctx.logger.error({ err: error, cardId: after.id }, 'fleet release announcement failed'),
    );
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  async announce(cardId: string): Promise<AnnounceOutcome> {
    const channel = this.ctx.config.policy.channels.releases;
    if (!channel) return 'no-channel';
    const card = await this.repo.get(cardId);
    if (!card || !isReleased(card)) return 'not-eligible';
    if (!(await this.ctx.store.markSeen(storeKeys.fleetReleaseClaim(cardId), CLAIM_TTL_MS)))
      return 'already-announced';
    const log = this.ctx.logger.child({ cardId, group: card.group });
    const permalink = card.ts ? await this.permalink(card, log) : undefined;
    const message = renderFleetRelease(
      buildFleetReleaseInput(card, {
        deployedAt: this.ctx.now(),
        githubWebUrl: card.repo ? githubWebUrl(this.ctx.config.env.GITHUB_API_URL) : undefined,
        cardPermalink: permalink,
      }),
    );
    // Claimed but not posted: retried a little; after that the announcement is lost (logged), never doubled.
    return (await postAnnouncement(this.ctx.slack, channel, message, log)) ? 'posted' : 'failed';
  }

  /** The link is a nicety: without it the release is still announced. */
  private async permalink(card: FleetCard, log: Logger): Promise<string | undefined> {
    try {
      return await this.ctx.slack.permalink(card.channel, card.ts!);
    } catch (error) {
      log.warn({ err: error }, 'no permalink for the fleet card; announcing without it');
      return undefined;
    }
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
