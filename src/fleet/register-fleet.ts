import type { AppRef } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';
import { FleetActions } from './fleet-actions.js';
import { FleetReconciler } from './fleet-reconciler.js';
import { type FleetDeps, FleetService } from './fleet-service.js';
import { WaveRunner, type WaveRunnerOptions } from './wave-runner.js';

export interface FleetFeature {
  fleet: FleetService;
  runner: WaveRunner;
  actions: FleetActions;
  /** The notification route for apps of a fleet group (see CardsDeps.routeToFleet). */
  route(app: AppRef, log: Logger): boolean;
}

/** Fleet cards: groups of apps at one revision, one card each, synced in waves. */
export function registerFleet(
  ctx: FleetDeps & { onShutdown(task: () => Promise<void>): void },
  options: WaveRunnerOptions & { reconcileIntervalMs?: number } = {},
): FleetFeature {
  const fleet = new FleetService(ctx);
  const runner = new WaveRunner(ctx, fleet, options);
  const actions = new FleetActions(ctx, fleet);
  const reconciler = new FleetReconciler(
    ctx,
    fleet,
    options.reconcileIntervalMs ?? ctx.config.policy.reconcileInterval,
  );
  if (ctx.config.policy.groups.length > 0) {
    runner.start();
    reconciler.start();
  }
  ctx.onShutdown(async () => {
    await reconciler.stop();
    await runner.stop();
    await fleet.stop(5000);
  });
  return {
    fleet,
    runner,
    actions,
    route(app, log) {
      if (!fleet.groupOf(app)) return false;
      fleet.requestRefresh(app, log);
      return true;
    },
  };
}
