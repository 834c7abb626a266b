import type { AppContext } from '../app/context.js';
import { resolveEnvironment } from '../domain/resolve-environment.js';
import type { CardService } from './card-service.js';
import { toAppSnapshot } from './to-app-snapshot.js';

const LEADER_KEY = 'reconciler:leader';

export interface ReconcilerOptions {
  intervalMs: number;
  /** Extra periodic work for the leader (expiry, reminders). */
  onTick?: () => Promise<void>;
}

/**
 * Level-triggered safety net for lossy, edge-triggered notifications. One replica at a time holds a
 * renewable lease in the store; if it dies the lease expires and another takes over.
 */
export class Reconciler {
  private timer?: NodeJS.Timeout;
  private leaseToken?: string;
  private running?: Promise<void>;
  private stopped = false;
  readonly leaseMs: number;

  constructor(
    private readonly ctx: AppContext,
    private readonly cards: CardService,
    private readonly options: ReconcilerOptions,
  ) {
    this.leaseMs = Math.max(options.intervalMs * 3, 3000);
  }

  get isLeader(): boolean {
    return this.leaseToken !== undefined;
  }

  start(): void {
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** One pass: take or keep the lease, then reconcile every application. */
  async tick(): Promise<void> {
    const log = this.ctx.logger.child({ component: 'reconciler' });
    try {
      if (!(await this.holdLease())) return;
      await this.reconcile();
      await this.options.onTick?.();
    } catch (error) {
      log.warn({ err: error }, 'reconcile pass failed; will try again');
    }
  }

  private async holdLease(): Promise<boolean> {
    const { store } = this.ctx;
    if (this.leaseToken) {
      if (await store.renewLock(LEADER_KEY, this.leaseToken, this.leaseMs)) return true;
      this.leaseToken = undefined;
    }
    this.leaseToken = await store.acquireLock(LEADER_KEY, this.leaseMs);
    if (this.leaseToken) this.ctx.logger.info('this replica leads reconciliation');
    return this.leaseToken !== undefined;
  }

  async reconcile(): Promise<void> {
    const apps = await this.ctx.argocd.listApplications();
    const snapshots = new Map<string, ReturnType<typeof toAppSnapshot>>();
    const work: Promise<void>[] = [];
    for (const app of apps) {
      const snap = toAppSnapshot(app, { namespace: 'argocd', project: 'default' });
      if (!resolveEnvironment(this.ctx.config.policy, snap.app)) continue;
      snapshots.set(`${snap.app.namespace}/${snap.app.name}`, snap);
      work.push(
        new Promise<void>((resolve) => {
          const queued = this.cards.enqueue(snap.app, async () => {
            try {
              await this.cards.applySnapshot(snap, { allowInfoCards: false });
            } finally {
              resolve();
            }
          });
          if (!queued) resolve();
        }),
      );
    }
    await Promise.all(work);
    // Cards still open whose app moved without a notification, or whose follower died with its replica.
    for (const cardId of await this.cards.repo.activeIds()) {
      const card = await this.cards.repo.get(cardId);
      if (!card) {
        await this.cards.repo.retire(cardId);
        continue;
      }
      const snap = snapshots.get(`${card.app.namespace}/${card.app.name}`);
      if (snap) await this.cards.observe(cardId, snap);
      if (!card.ts) this.cards.publisher.publish(cardId);
      if (!card.enrichedAt && this.ctx.now() - card.createdAt > 30_000) await this.cards.enrich(cardId);
    }
  }

  /** Stops ticking and hands the lease back so another replica leads at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (this.leaseToken) await this.ctx.store.releaseLock(LEADER_KEY, this.leaseToken).catch(() => {});
    this.leaseToken = undefined;
  }
}
