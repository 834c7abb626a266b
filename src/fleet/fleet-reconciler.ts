import { toAppSnapshot } from '../cards/to-app-snapshot.js';
import { DEFAULT_INSTANCE } from '../domain/card.js';
import type { FleetDeps, FleetService } from './fleet-service.js';

const LIST_FALLBACK = { instance: DEFAULT_INSTANCE, namespace: 'argocd', project: 'default' };

/**
 * The fleet's safety net for lost notifications: every interval (and once at start-up) one list of the
 * apps brings the fleet cards in line, posting a missing card and refreshing rows that moved unseen.
 * Level-triggered like the app cards' reconciler; the fleet card's own writes are version-checked, so
 * replicas doing it at once agree.
 */
export class FleetReconciler {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private pass?: Promise<void>;

  constructor(
    private readonly ctx: FleetDeps,
    private readonly fleet: FleetService,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    const tick = () => {
      this.pass = this.reconcile().finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(tick, this.intervalMs);
        this.timer.unref();
      });
    };
    tick();
  }

  async reconcile(): Promise<void> {
    try {
      const observedAt = this.ctx.now();
      const apps = await this.ctx.argocd.listApplications();
      for (const app of apps) {
        if (this.stopped) return;
        const snap = toAppSnapshot(app, LIST_FALLBACK, observedAt);
        if (this.fleet.groupOf(snap.app)) await this.fleet.applySnapshot(snap);
      }
    } catch (error) {
      this.ctx.logger.warn({ err: error }, 'fleet reconcile pass failed; will try again');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }
}
