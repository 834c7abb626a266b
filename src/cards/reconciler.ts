import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import type { Config } from '../config/load-config.js';
import { type AppSnapshot, liveRevision } from '../domain/app-snapshot.js';
import { ACTIVE_OPERATION_STATES, type AppRef, type Card } from '../domain/card.js';
import { resolveEnvironment } from '../domain/resolve-environment.js';
import type { Logger } from '../logging/create-logger.js';
import { LeaderLease } from '../runtime/leader-lease.js';
import { appId, storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';
import type { CardService } from './card-service.js';
import { toAppSnapshot } from './to-app-snapshot.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface ReconcilerDeps {
  argocd: ArgoCdClient;
  config: Config;
  logger: Logger;
  now: () => number;
  store: Store;
}

/** Namespace and project of a listed app that does not say (older Argo CD); the instance is the list's. */
const LIST_FALLBACK = { namespace: 'argocd', project: 'default' };

export interface ReconcilerOptions {
  intervalMs: number;
  /** Extra periodic work for the leader (expiry, reminders). */
  onTick?: () => Promise<void>;
}

/** A finished card whose revision neither runs nor is targeted any more: there is nothing left to follow. */
function isDone(card: Card, snap: AppSnapshot): boolean {
  if (card.state !== 'succeeded' && card.state !== 'degraded' && card.state !== 'failed') return false;
  return card.revision !== liveRevision(snap) && card.revision !== snap.targetRevision;
}

/**
 * Level-triggered safety net for lossy, edge-triggered notifications. One replica at a time holds a
 * renewable lease in the store; if it dies, another takes over within a few heartbeats.
 */
/**
 * An open approval card whose changelog was stored before each commit's pull requests were recorded (or
 * whose lookups failed): self-approval cannot be decided on it, so it is read again instead of staying
 * refused until a new revision arrives.
 */
function lacksCommitPulls(card: Card): boolean {
  if (card.kind !== 'approval' || !OPEN_FOR_APPROVAL.has(card.state)) return false;
  return card.changelog.available && card.changelog.commits.some((commit) => commit.pulls === undefined);
}

const OPEN_FOR_APPROVAL: ReadonlySet<string> = new Set(['pending', 'approved']);

export class Reconciler {
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private readonly lease: LeaderLease;
  private tail: Promise<void> = Promise.resolve();
  private follow?: (cardId: string) => void;
  private stopped = false;
  /** Each instance's pass under way: a slow or down instance is skipped by later ticks, never waited for. */
  private readonly running = new Map<string, Promise<void>>();
  readonly leaseMs: number;
  readonly heartbeatMs: number;

  constructor(
    private readonly ctx: ReconcilerDeps,
    private readonly cards: CardService,
    private readonly options: ReconcilerOptions,
  ) {
    this.leaseMs = Math.max(options.intervalMs * 3, 3000);
    this.heartbeatMs = Math.min(2000, Math.max(500, options.intervalMs));
    this.lease = new LeaderLease({
      store: ctx.store,
      logger: ctx.logger.child({ component: 'reconciler' }),
      key: storeKeys.reconcilerLeader,
      leaseMs: this.leaseMs,
      heartbeatMs: this.heartbeatMs,
    });
  }

  get isLeader(): boolean {
    return this.lease.isLeader;
  }

  /** Cards found in an operation (syncing, rolling back) are handed here to be followed to their end. */
  followWith(follow: (cardId: string) => void): void {
    this.follow = follow;
  }

  /**
   * The start-up pass begins now (a pass asked for later queues behind it), then one every interval.
   * Between passes the heartbeat keeps the lease, or takes it (and reconciles at once) when the leader died.
   */
  start(): void {
    this.passThenSchedule();
    this.heartbeat = setInterval(() => void this.keepOrTakeLease(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  private passThenSchedule(): void {
    void this.tick().finally(() => {
      if (this.stopped) return;
      this.timer = setTimeout(() => this.passThenSchedule(), this.options.intervalMs);
      this.timer.unref();
    });
  }

  private async keepOrTakeLease(): Promise<void> {
    if (this.stopped) return;
    const wasLeader = this.lease.isLeader;
    try {
      if ((await this.lease.hold()) && !wasLeader) await this.tick();
    } catch (error) {
      this.ctx.logger.warn({ err: error }, 'could not renew or take the reconciler lease');
    }
  }

  /** One pass, after any pass under way: take or keep the lease, then reconcile every application. */
  tick(): Promise<void> {
    const pass = this.tail.then(() => this.runPass());
    this.tail = pass;
    return pass;
  }

  private async runPass(): Promise<void> {
    if (this.stopped) return;
    const log = this.ctx.logger.child({ component: 'reconciler' });
    try {
      if (!(await this.lease.hold())) return;
      // Waits at most one interval: an instance still listing then goes on alone, the others' next pass is due.
      await this.reconcileWithin(Math.max(this.options.intervalMs, 500));
      await this.options.onTick?.();
    } catch (error) {
      log.warn({ err: error }, 'reconcile pass failed; will try again');
    }
  }

  /** One pass over every instance, waited for to its end (each instance's part fails on its own). */
  async reconcile(): Promise<void> {
    await Promise.all(await this.startPasses());
  }

  private async reconcileWithin(budgetMs: number): Promise<void> {
    const passes = Promise.all(await this.startPasses());
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, budgetMs);
      timer.unref();
    });
    await Promise.race([passes, budget]);
    clearTimeout(timer);
  }

  /**
   * Reads the open cards once, then starts each instance's pass that is not still running from an
   * earlier tick. Cards of an instance no longer configured have no Argo CD to ask: they still get posted.
   */
  private async startPasses(): Promise<Promise<void>[]> {
    const openCards = await this.openCardsByInstance();
    const instances = this.ctx.config.argocd.map((i) => i.name);
    for (const [instance, cards] of openCards)
      if (!instances.includes(instance))
        for (const appCards of cards.values())
          for (const card of appCards) if (!card.ts) this.cards.publish(card.id);
    return instances.map((instance) => {
      const under = this.running.get(instance);
      if (under) {
        this.ctx.logger.warn(
          { component: 'reconciler', instance },
          'Argo CD instance is still being reconciled; skipping it this pass',
        );
        return under;
      }
      const pass = this.reconcileInstance(instance, openCards.get(instance) ?? new Map()).finally(() =>
        this.running.delete(instance),
      );
      this.running.set(instance, pass);
      return pass;
    });
  }

  /**
   * Lists one instance's apps, then per app (in the app's queue, so it never overtakes a notification's
   * work): posts the missing card of an OutOfSync manual app, and brings every open card of the app in line.
   */
  private async reconcileInstance(instance: string, openCards: Map<string, Card[]>): Promise<void> {
    const observedAt = this.ctx.now();
    let apps: Awaited<ReturnType<ReconcilerDeps['argocd']['listApplications']>>;
    try {
      apps = await this.ctx.argocd.listApplications(instance);
    } catch (error) {
      this.ctx.logger.warn(
        { component: 'reconciler', instance, err: error },
        `could not list the applications of Argo CD instance "${instance}"; the others are reconciled all the same`,
      );
      return;
    }
    const work: Promise<void>[] = [];
    for (const app of apps) {
      const snap = toAppSnapshot(app, { ...LIST_FALLBACK, instance }, observedAt);
      const cards = openCards.get(appId(snap.app)) ?? [];
      openCards.delete(appId(snap.app));
      if (cards.length === 0 && !resolveEnvironment(this.ctx.config.policy, snap.app)) continue;
      work.push(this.inQueue(snap.app, () => this.reconcileApp(snap, cards)));
    }
    await Promise.all(work);
    // Apps Argo CD no longer lists (deleted, or out of the token's reach): their cards still get posted.
    for (const cards of openCards.values())
      for (const card of cards) if (!card.ts) this.cards.publish(card.id);
  }

  private async reconcileApp(snap: AppSnapshot, cards: Card[]): Promise<void> {
    await this.cards.applySnapshot(snap, { allowInfoCards: false });
    for (const stored of cards) {
      const card = (await this.cards.observe(stored.id, snap)) ?? stored;
      if (isDone(card, snap)) {
        await this.cards.repo.retire(card.id);
        continue;
      }
      // Its follower died with its replica, or it was never deploybot's: follow it to its end.
      if (ACTIVE_OPERATION_STATES.has(card.state)) this.follow?.(card.id);
      // Its creator died before posting it, or before GitHub answered.
      if (!card.ts) this.cards.publish(card.id);
      if (
        (!card.enrichedAt && this.ctx.now() - card.createdAt > this.cards.enrichRetryMs) ||
        lacksCommitPulls(card)
      )
        await this.cards.enrich(card.id);
    }
  }

  /** Open cards by instance, then by app. */
  private async openCardsByInstance(): Promise<Map<string, Map<string, Card[]>>> {
    const byInstance = new Map<string, Map<string, Card[]>>();
    for (const cardId of await this.cards.repo.activeIds()) {
      const card = await this.cards.repo.get(cardId);
      if (!card) {
        await this.cards.repo.retire(cardId);
        continue;
      }
      // Cards made before the commit index existed get listed on the first pass after an upgrade.
      await this.cards.repo.indexRevision(card);
      const key = appId(card.app);
      let byApp = byInstance.get(card.app.instance);
      if (!byApp) {
        byApp = new Map();
        byInstance.set(card.app.instance, byApp);
      }
      byApp.set(key, [...(byApp.get(key) ?? []), card]);
    }
    return byInstance;
  }

  private inQueue(app: AppRef, task: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      const queued = this.cards.enqueue(app, async () => {
        try {
          await task();
        } finally {
          resolve();
        }
      });
      if (!queued) resolve();
    });
  }

  /** Stops ticking and hands the lease back so another replica leads at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    await this.tail;
    await this.lease.release();
    await Promise.allSettled(this.running.values());
  }
}
