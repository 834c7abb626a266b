import { EventEmitter } from 'node:events';
import { toAppSnapshot } from '../cards/to-app-snapshot.js';
import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import { chooseAppRepo, type GitHubClient } from '../clients/github/github-client.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import { type AppSnapshot, liveRevision } from '../domain/app-snapshot.js';
import type { AppRef } from '../domain/card.js';
import {
  FLEET_TERMINAL,
  type FleetCard,
  type FleetEffect,
  type FleetEvent,
  fleetTransition,
  type MemberObservation,
  memberKey,
} from '../domain/fleet-card.js';
import { type FleetGroup, resolveGroup, waveCount, waveOf } from '../domain/fleet-group.js';
import type { Logger } from '../logging/create-logger.js';
import { KeyedQueue } from '../runtime/keyed-queue.js';
import { Semaphore } from '../runtime/semaphore.js';
import type { Store } from '../store/store.js';
import { FleetPublisher } from './fleet-publisher.js';
import { FleetRepository } from './fleet-repository.js';

/** A stored change of a fleet card. */
export interface FleetTransition {
  before: FleetCard;
  after: FleetCard;
}

/** What the fleet feature needs from the composition root. */
export interface FleetDeps {
  argocd: ArgoCdClient;
  /** For the checks gate of an environment that requires green checks. */
  github?: GitHubClient;
  config: Config;
  logger: Logger;
  now: () => number;
  slack: SlackClient;
  store: Store;
}

/** Notification reads of one app within this window share one Argo CD read (as app cards do). */
const MIN_READ_INTERVAL_MS = 250;
const MAX_CONCURRENT_READS = 16;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** A row of the card from one read of the app. */
export function observationOf(group: FleetGroup, snap: AppSnapshot): MemberObservation {
  return {
    key: memberKey(snap.app),
    app: snap.app,
    wave: waveOf(group, snap.app.name),
    targetRevision: snap.targetRevision,
    syncStatus: snap.syncStatus,
    health: snap.health,
    operation: snap.operation && {
      phase: snap.operation.phase,
      startedAt: snap.operation.startedAt,
      message: snap.operation.message,
      revision: snap.operation.revision,
    },
    deployedRevision: liveRevision(snap),
    observedAt: snap.observedAt ?? 0,
  };
}

/**
 * Turns what Argo CD says about the apps of fleet groups into fleet cards: one per (group, target
 * revision), rows updated in place, a newer revision superseding the group's older card.
 */
export class FleetService {
  readonly repo: FleetRepository;
  readonly publisher: FleetPublisher;
  /**
   * `effects`: what a stored transition asks for (the wave runner listens); `transition`: the card before
   * and after each stored change, on the replica that wrote it (release announcements listen).
   */
  readonly events = new EventEmitter<{
    effects: [cardId: string, effects: FleetEffect[]];
    transition: [FleetTransition];
  }>();
  private readonly queue: KeyedQueue;
  private readonly queued = new Set<string>();
  private readonly lastReads = new Map<string, number>();
  private readonly reads = new Semaphore(MAX_CONCURRENT_READS);

  constructor(private readonly ctx: FleetDeps) {
    this.repo = new FleetRepository(ctx.store);
    this.publisher = new FleetPublisher({
      repo: this.repo,
      store: ctx.store,
      slack: ctx.slack,
      logger: ctx.logger.child({ component: 'fleet-publisher' }),
    });
    this.queue = new KeyedQueue((error, key) =>
      ctx.logger.error({ err: error, app: key }, 'fleet work failed'),
    );
  }

  /** The group of an app, if any (groups come before `apps` rules). */
  groupOf(app: Pick<AppRef, 'instance' | 'name'>): FleetGroup | undefined {
    return resolveGroup(this.ctx.config.policy, app);
  }

  /**
   * Reads the app (after the app's queued work) and applies it. Notifications that arrive while a read
   * waits join it; an app read moments ago waits for its window, so a burst costs one read.
   */
  requestRefresh(locator: AppRef, log: Logger = this.ctx.logger): void {
    const key = memberKey(locator);
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key, async () => {
      const last = this.lastReads.get(key);
      const wait = last ? last + MIN_READ_INTERVAL_MS - performance.now() : 0;
      if (wait > 0) await sleep(wait);
      this.queued.delete(key);
      this.lastReads.set(key, performance.now());
      if (this.lastReads.size > 5000) this.lastReads.clear();
      await this.reads.run(async () => {
        const observedAt = this.ctx.now();
        const app = await this.ctx.argocd.getApplication(locator);
        await this.applySnapshot(toAppSnapshot(app, locator, observedAt), log);
      });
    });
  }

  async applySnapshot(snap: AppSnapshot, log: Logger = this.ctx.logger): Promise<void> {
    const group = this.groupOf(snap.app);
    if (!group) return;
    const environment = this.ctx.config.policy.environments[group.environment];
    const channel = environment?.channel ?? this.ctx.config.policy.channels.deploys;
    if (!environment || !channel) {
      log.warn({ group: group.name }, 'no channel for the fleet group; set channels.deploys');
      return;
    }
    const observation = observationOf(group, snap);
    const target = snap.targetRevision;
    const cardIds = new Set<string>();
    // As for app cards: OutOfSync at a revision that does not run yet is a deploy waiting for approval.
    if (!snap.autoSync && snap.syncStatus === 'OutOfSync' && target && target !== liveRevision(snap)) {
      const card = await this.ensureCard(group, channel, target, snap, log);
      if (card) cardIds.add(card.id);
    }
    if (target) {
      const atTarget = await this.repo.findByRevision(group.name, target);
      if (atTarget) cardIds.add(atTarget.id);
    }
    const current = await this.repo.current(group.name);
    if (current) cardIds.add(current.cardId);
    for (const cardId of cardIds) await this.observe(cardId, { kind: 'observe', member: observation });
  }

  /**
   * Applies one event to the stored card (version-checked), then publishes it and hands its effects on.
   * Returns the transition's result (a refusal says why).
   */
  async apply(
    cardId: string,
    event: FleetEvent | ((card: FleetCard) => FleetEvent | FleetEvent[] | undefined),
  ): Promise<{ card?: FleetCard; refusal?: string; changed: boolean }> {
    // One write at a time per card in this process: 200 rows arriving at once would otherwise retry
    // their compare-and-set against each other; other replicas are still fenced by the version check.
    const previous = this.writes.get(cardId) ?? Promise.resolve();
    const mine = previous.then(() => this.applyNow(cardId, event));
    const tail = mine.then(
      () => {},
      () => {},
    );
    this.writes.set(cardId, tail);
    void tail.then(() => {
      if (this.writes.get(cardId) === tail) this.writes.delete(cardId);
    });
    return mine;
  }

  private readonly writes = new Map<string, Promise<void>>();
  private readonly observationBatches = new Map<
    string,
    { events: FleetEvent[]; written: Promise<unknown> }
  >();

  /**
   * Rows that arrive while the card is being written join the next write: 200 apps moving at once cost a
   * handful of compare-and-sets of the card instead of 200 in a row (each one reading and writing every row).
   */
  private observe(cardId: string, event: FleetEvent): Promise<unknown> {
    const open = this.observationBatches.get(cardId);
    if (open) {
      open.events.push(event);
      return open.written;
    }
    const events = [event];
    const batch = { events, written: Promise.resolve() as Promise<unknown> };
    this.observationBatches.set(cardId, batch);
    // The batch closes when its write starts; a retried compare-and-set applies the same events again.
    batch.written = this.apply(cardId, () => {
      if (this.observationBatches.get(cardId) === batch) this.observationBatches.delete(cardId);
      return events;
    });
    return batch.written;
  }

  private async applyNow(
    cardId: string,
    event: FleetEvent | ((card: FleetCard) => FleetEvent | FleetEvent[] | undefined),
  ): Promise<{ card?: FleetCard; refusal?: string; changed: boolean }> {
    let refusal: string | undefined;
    let before: FleetCard | undefined;
    const stored = await this.repo.update(cardId, (card) => {
      before = card;
      const e = typeof event === 'function' ? event(card) : event;
      if (!e) return undefined;
      const now = this.ctx.now();
      let next: FleetCard | undefined;
      const effects: FleetEffect[] = [];
      // A batch of rows: each applies to the card the one before it left; refusals of a row change nothing.
      for (const one of Array.isArray(e) ? e : [e]) {
        const result = fleetTransition(next ?? card, one, now);
        if (!result.ok) {
          refusal = result.unchanged ? undefined : result.refusal;
          continue;
        }
        next = result.card;
        effects.push(...result.effects);
      }
      if (!next) return undefined;
      refusal = undefined;
      return { card: next, result: effects };
    });
    if (!stored) return { refusal: 'this fleet card is not stored', changed: false };
    if (stored.changed) {
      this.publisher.publish(cardId);
      if (FLEET_TERMINAL.has(stored.card.state))
        await this.repo
          .retire(cardId)
          .catch((error: unknown) =>
            this.ctx.logger.warn({ err: error, cardId }, 'could not retire a finished fleet card'),
          );
      if (stored.result?.length) this.events.emit('effects', cardId, stored.result);
      if (before) this.events.emit('transition', { before, after: stored.card });
    }
    return { card: stored.card, refusal, changed: stored.changed };
  }

  private async ensureCard(
    group: FleetGroup,
    channel: string,
    revision: string,
    snap: AppSnapshot,
    log: Logger,
  ): Promise<FleetCard | undefined> {
    const existing = await this.repo.findByRevision(group.name, revision);
    if (existing) return existing;
    const environment = this.ctx.config.policy.environments[group.environment]!;
    const now = this.ctx.now();
    const { card, created } = await this.repo.create({
      id: FleetRepository.newId(),
      group: group.name,
      environment: group.environment,
      channel,
      revision,
      to: { sha: revision },
      repo: chooseAppRepo(snap.source.repoURL, this.ctx.config.policy.github.repo),
      state: 'pending',
      members: [],
      wave: 0,
      waveCount: waveCount(group),
      approvals: [],
      requiredApprovals: Math.max(1, environment.requiredApprovals),
      createdAt: now,
      updatedAt: now,
    });
    if (!created) return card;
    log.info({ cardId: card.id, group: group.name, revision }, 'new fleet card');
    const previous = await this.repo.setCurrent(card);
    this.publisher.publish(card.id);
    void this.describeRevision(card, log).catch((error: unknown) =>
      log.warn({ err: error, cardId: card.id }, 'could not describe the fleet revision'),
    );
    if (previous && previous.cardId !== card.id)
      await this.apply(previous.cardId, { kind: 'supersede', by: { cardId: card.id, channel } });
    return card;
  }

  /**
   * The revision's subject and author: from Argo CD (after the first post, so the card is not held up),
   * else from GitHub. Self-approval compares the author's e-mail; without it approvals are refused.
   */
  async describeRevision(card: FleetCard, log: Logger = this.ctx.logger): Promise<FleetCard | undefined> {
    let to: FleetCard['to'] | undefined;
    try {
      const app = await this.anyMemberApp(card);
      if (app) {
        const meta = await this.ctx.argocd.revisionMetadata(app, card.revision);
        const author = meta.author ?? undefined;
        to = {
          sha: card.revision,
          subject: meta.message?.split('\n', 1)[0],
          author: author?.replace(/\s*<[^>]*>\s*$/, ''),
          authorEmail: author ? /<([^>]+)>/.exec(author)?.[1]?.trim().toLowerCase() : undefined,
          date: meta.date ?? undefined,
        };
      }
    } catch (error) {
      log.warn({ err: error, cardId: card.id }, 'could not read the fleet revision from Argo CD');
    }
    if (!to?.authorEmail && this.ctx.github && card.repo) {
      try {
        const commit = await this.ctx.github.getCommit(card.repo, card.revision);
        to = {
          sha: card.revision,
          subject: commit.subject,
          author: commit.authorName ?? commit.authorLogin,
          authorEmail: commit.authorEmail?.toLowerCase(),
          date: commit.date,
        };
      } catch (error) {
        log.warn({ err: error, cardId: card.id }, 'could not read the fleet revision from GitHub');
      }
    }
    if (!to) return undefined;
    const known = to;
    const stored = await this.repo.update(card.id, (c) => ({
      card: { ...c, to: { ...c.to, ...known } },
      result: undefined,
    }));
    this.publisher.publish(card.id);
    return stored?.card;
  }

  /** The card's first member, waiting briefly for the row the creating read is about to add. */
  private async anyMemberApp(card: FleetCard): Promise<AppRef | undefined> {
    for (let i = 0; i < 20; i++) {
      const fresh = await this.repo.get(card.id);
      const first = fresh?.members[0];
      if (first) return first.app;
      await sleep(50);
    }
    return undefined;
  }

  async idle(): Promise<void> {
    await this.queue.idle();
    await this.publisher.idle();
  }

  async stop(deadlineMs: number): Promise<void> {
    await this.queue.drain(deadlineMs);
    await this.publisher.idle();
    this.publisher.stop();
  }
}
