import { EventEmitter } from 'node:events';
import type { AppContext } from '../app/context.js';
import type { AppLocator } from '../clients/argocd/argocd-client.js';
import { parseGitHubRepo, type RepoRef } from '../clients/github/github-client.js';
import type { AppSnapshot } from '../domain/app-snapshot.js';
import type { Card, CardKind, CardState } from '../domain/card.js';
import { diffImages } from '../domain/image-changes.js';
import { observeApp } from '../domain/observe-app.js';
import { type ResolvedEnvironment, resolveEnvironment } from '../domain/resolve-environment.js';
import type { Logger } from '../logging/create-logger.js';
import { renderThreadNote, type ThreadEvent } from '../render/thread-note.js';
import type { CardPublisher } from './card-publisher.js';
import { CardRepository } from './card-repository.js';
import { enrichCard } from './enrich-card.js';
import { KeyedQueue } from './keyed-queue.js';
import { toAppSnapshot } from './to-app-snapshot.js';

const ENRICH_RETRY_MS = 30_000;
const ENRICH_DEADLINE_MS = 2_500;
const MAX_PROGRESS_NOTES = 5;

export interface CardTransition {
  before: Card;
  after: Card;
}

export interface RefreshOptions {
  /** Info cards for auto-sync apps are made from notifications only, never from a periodic scan. */
  allowInfoCards: boolean;
  log?: Logger;
}

/** Turns what Argo CD says about an app into cards: creates, supersedes, follows and publishes them. */
export class CardService {
  readonly events = new EventEmitter<{ transition: [CardTransition] }>();
  readonly queue: KeyedQueue;
  private readonly progressNotes = new Map<string, number>();
  private readonly enrichTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: AppContext,
    readonly repo: CardRepository,
    readonly publisher: CardPublisher,
  ) {
    this.queue = new KeyedQueue((error, key) =>
      ctx.logger.error({ err: error, app: key }, 'card work failed'),
    );
  }

  /** Serialises work per application: events for one app run in order, apps in parallel. */
  enqueue(app: AppLocator, task: () => Promise<void>): boolean {
    return this.queue.push(`${app.namespace}/${app.name}`, task);
  }

  async refreshApp(
    locator: AppLocator,
    { allowInfoCards, log = this.ctx.logger }: RefreshOptions,
  ): Promise<void> {
    const app = await this.ctx.argocd.getApplication(locator);
    await this.applySnapshot(toAppSnapshot(app, locator), { allowInfoCards, log });
  }

  async applySnapshot(
    snap: AppSnapshot,
    { allowInfoCards, log = this.ctx.logger }: RefreshOptions,
  ): Promise<void> {
    const resolved = resolveEnvironment(this.ctx.config.policy, snap.app);
    if (!resolved) {
      log.debug({ app: snap.app.name }, 'no apps rule matches; no card');
      return;
    }
    if (!resolved.channel) {
      log.warn(
        { app: snap.app.name, environment: resolved.environment.name },
        'no channel for this environment; set channels.deploys',
      );
      return;
    }
    const interesting = new Set<string>();
    if (!snap.autoSync && snap.syncStatus === 'OutOfSync' && snap.targetRevision) {
      const card = await this.ensureCard(snap, resolved, 'approval', snap.targetRevision, log);
      if (card) interesting.add(card.id);
    }
    const opRevision = snap.operation?.revision;
    if (snap.autoSync && allowInfoCards && opRevision) {
      const card = await this.ensureCard(snap, resolved, 'info', opRevision, log);
      if (card) interesting.add(card.id);
    }
    const current = await this.repo.currentTarget(snap.app);
    if (current) interesting.add(current.cardId);
    if (opRevision) {
      const opCard = await this.repo.findByRevision(snap.app, opRevision);
      if (opCard) interesting.add(opCard.id);
    }
    for (const cardId of interesting) await this.observe(cardId, snap);
  }

  /** Brings one card in line with the app; publishes and notes the change. */
  async observe(cardId: string, snap: AppSnapshot): Promise<Card | undefined> {
    let before: Card | undefined;
    const result = await this.repo.update(cardId, (card) => {
      before = card;
      return observeApp(card, snap, this.ctx.now());
    });
    if (!result || !before) return undefined;
    if (result.changed) this.afterChange(before, result.card);
    return result.card;
  }

  /** Applies a change to a stored card (from an action), then publishes and notes it. */
  async change(cardId: string, change: (card: Card) => Card | undefined): Promise<Card | undefined> {
    let before: Card | undefined;
    const result = await this.repo.update(cardId, (card) => {
      before = card;
      const next = change(card);
      return next ? { ...next, updatedAt: this.ctx.now() } : undefined;
    });
    if (result?.changed && before) this.afterChange(before, result.card);
    return result?.card;
  }

  note(cardId: string, event: ThreadEvent): void {
    this.publisher.thread(cardId, renderThreadNote(event)).catch((error: unknown) => {
      this.ctx.logger.warn({ err: error, cardId }, 'thread note failed');
    });
  }

  private afterChange(before: Card, after: Card): void {
    this.publisher.publish(after.id);
    if (before.state !== after.state) {
      const note = transitionNote(before, after);
      if (note) this.note(after.id, note);
      if (isFinal(after.state)) void this.repo.retire(after.id).catch(() => {});
    } else if (
      after.state === 'syncing' &&
      after.operation?.message &&
      after.operation.message !== before.operation?.message
    ) {
      const count = this.progressNotes.get(after.id) ?? 0;
      if (count < MAX_PROGRESS_NOTES) {
        this.progressNotes.set(after.id, count + 1);
        this.note(after.id, {
          type: 'progress',
          message: after.operation.message,
          phase: after.operation.phase,
        });
      }
    }
    this.events.emit('transition', { before, after });
  }

  private async ensureCard(
    snap: AppSnapshot,
    resolved: ResolvedEnvironment,
    kind: CardKind,
    revision: string,
    log: Logger,
  ): Promise<Card | undefined> {
    const existing = await this.repo.findByRevision(snap.app, revision);
    if (existing) return existing;
    const base = this.newCard(snap, resolved, kind, revision);
    const { card, created } = await this.repo.create(base);
    if (!created) return card;
    log.info({ cardId: card.id, kind, revision }, 'new deploy card');
    // A slow GitHub must not hold the card back: post what is known, the enrichment updates it when done.
    const enriching = this.enrich(card.id, log).catch((error: unknown) =>
      log.warn({ err: error }, 'card enrichment failed'),
    );
    await Promise.race([
      enriching,
      new Promise((resolve) => setTimeout(resolve, ENRICH_DEADLINE_MS).unref()),
    ]);
    if (kind === 'approval') {
      const previous = await this.repo.setCurrentTarget(card);
      if (previous && previous.cardId !== card.id) await this.supersede(previous.cardId, card);
    }
    this.publisher.publish(card.id);
    return card;
  }

  private async supersede(olderId: string, newer: Card): Promise<void> {
    const updated = await this.change(olderId, (older) =>
      older.state === 'pending' || older.state === 'approved'
        ? { ...older, state: 'superseded', supersededBy: { cardId: newer.id, channel: newer.channel } }
        : undefined,
    );
    if (updated?.state === 'superseded') this.note(olderId, { type: 'superseded', revision: newer.revision });
  }

  /** Fills in changelog, checks, images; on partial failure tries again later so the card fills in. */
  async enrich(cardId: string, log: Logger = this.ctx.logger): Promise<void> {
    const card = await this.repo.get(cardId);
    if (!card) return;
    const enrichment = await enrichCard({
      card,
      argocd: this.ctx.argocd,
      github: this.ctx.github,
      repo: card.repo,
      logger: log,
    });
    await this.change(cardId, (c) => ({
      ...c,
      to: enrichment.to,
      from: enrichment.from,
      changelog: enrichment.changelog,
      checks: enrichment.checks,
      images: enrichment.images,
      syncWindow: enrichment.syncWindow,
      enrichedAt: enrichment.complete ? this.ctx.now() : undefined,
    }));
    if (!enrichment.complete) {
      const timer = setTimeout(() => {
        this.enrichTimers.delete(timer);
        void this.enrich(cardId, log).catch((error: unknown) =>
          log.warn({ err: error, cardId }, 'card re-enrichment failed'),
        );
      }, ENRICH_RETRY_MS);
      timer.unref();
      this.enrichTimers.add(timer);
    }
  }

  private newCard(snap: AppSnapshot, resolved: ResolvedEnvironment, kind: CardKind, revision: string): Card {
    const now = this.ctx.now();
    const previous = [...snap.history].reverse().find((h) => h.revision && h.revision !== revision);
    const repo: RepoRef | undefined =
      parseGitHubRepo(snap.source.repoURL) ??
      (this.ctx.config.policy.github.repo
        ? {
            owner: this.ctx.config.policy.github.repo.split('/')[0]!,
            name: this.ctx.config.policy.github.repo.split('/')[1]!,
          }
        : undefined);
    const state: CardState = kind === 'approval' ? 'pending' : 'syncing';
    return {
      id: CardRepository.newId(),
      kind,
      state,
      app: snap.app,
      environment: resolved.environment.name,
      channel: resolved.channel!,
      revision,
      to: { sha: revision },
      from: previous?.revision ? { sha: previous.revision } : undefined,
      previousHistoryId: previous?.id,
      destination: snap.destination,
      source: snap.source,
      repo,
      autoSync: snap.autoSync,
      changelog: {
        available: false,
        commits: [],
        totalCommits: 0,
        pulls: [],
        authorLogins: [],
        authorEmails: [],
      },
      images: kind === 'approval' ? [] : diffImages([], snap.images),
      checks: { state: 'unknown', total: 0, failing: [], pendingNames: [] },
      health: snap.health,
      syncStatus: snap.syncStatus,
      approvals: [],
      requiredApprovals: kind === 'approval' ? resolved.environment.requiredApprovals : 0,
      operation: kind === 'info' ? snap.operation : undefined,
      createdAt: now,
      updatedAt: now,
    };
  }

  async stop(deadlineMs: number): Promise<void> {
    for (const timer of this.enrichTimers) clearTimeout(timer);
    await this.queue.drain(deadlineMs);
    await this.publisher.idle();
    this.publisher.stop();
  }
}

function isFinal(state: CardState): boolean {
  return state === 'rejected' || state === 'superseded' || state === 'expired' || state === 'rolled-back';
}

function transitionNote(before: Card, after: Card): ThreadEvent | undefined {
  const op = after.operation;
  switch (after.state) {
    case 'syncing':
      // Syncs deploybot starts are noted by the action itself; this one came from Argo CD or a human elsewhere.
      if (
        before.state === 'pending' ||
        before.state === 'approved' ||
        (after.kind === 'info' && before.state !== 'syncing')
      )
        return { type: 'sync-started', revision: after.revision, approvers: [] };
      return undefined;
    case 'succeeded':
      if (before.state === 'degraded') return undefined;
      return {
        type: 'succeeded',
        revision: after.revision,
        health: after.health,
        durationMs:
          op?.startedAt && op.finishedAt ? Date.parse(op.finishedAt) - Date.parse(op.startedAt) : undefined,
      };
    case 'failed':
      return { type: 'failed', revision: after.revision, message: op?.message };
    case 'degraded':
      return { type: 'degraded', health: after.health, message: undefined };
    case 'rolled-back':
      return { type: 'rollback-finished', succeeded: true, revision: after.rollback?.revision };
    default:
      return undefined;
  }
}
