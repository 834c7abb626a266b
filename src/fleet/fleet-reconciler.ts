import { toAppSnapshot } from '../cards/to-app-snapshot.js';
import type { FleetDeps, FleetService } from './fleet-service.js';

const LIST_FALLBACK = { namespace: 'argocd', project: 'default' };

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

  /** One list per instance, side by side: a slow or down instance holds up only its own rows. */
  async reconcile(): Promise<void> {
    await Promise.all(this.ctx.config.argocd.map(({ name }) => this.reconcileInstance(name)));
  }

  private async reconcileInstance(instance: string): Promise<void> {
    try {
      const observedAt = this.ctx.now();
      const apps = await this.ctx.argocd.listApplications(instance);
      for (const app of apps) {
        if (this.stopped) return;
        const snap = toAppSnapshot(app, { ...LIST_FALLBACK, instance }, observedAt);
        if (this.fleet.groupOf(snap.app)) await this.fleet.applySnapshot(snap);
      }
    } catch (error) {
      this.ctx.logger.warn(
        { err: error, instance },
        `fleet reconcile pass of Argo CD instance "${instance}" failed; will try again`,
      );
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }
}
