import { toAppSnapshot } from '../cards/to-app-snapshot.js';
import { withAppLock, withLock } from '../deploy-actions/app-lock.js';
import type { AppSnapshot } from '../domain/app-snapshot.js';
import {
  FLEET_RUNNING,
  type FleetCard,
  type FleetEffect,
  type FleetMember,
  inFlight,
  syncsDue,
} from '../domain/fleet-card.js';
import { resolveGroup } from '../domain/fleet-group.js';
import { mapBounded } from '../runtime/map-bounded.js';
import { storeKeys } from '../store/keys.js';
import { type FleetDeps, type FleetService, observationOf } from './fleet-service.js';

export interface WaveRunnerOptions {
  /** Between two looks at the running operations. */
  pollMs?: number;
  /** Between two sweeps for fleet cards left running by a replica that died. */
  sweepMs?: number;
  /** The runner lock's TTL: a dead runner's card is picked up this long after it stopped renewing. */
  lockTtlMs?: number;
}

/** Syncs and reads of one card's apps at once. */
const CONCURRENCY = 8;
const CLAIM_TTL_MS = 90 * 24 * 60 * 60 * 1000;
/** A claimed sync that no replica finished sending, with no trace in Argo CD after this long, never went out. */
const LOST_CLAIM_MS = 30_000;
/** A requested sync whose operation does not show up in Argo CD within this never started. */
const SYNC_START_GRACE_MS = 120_000;
const APP_LOCK_WAIT_MS = 5_000;

const FINISHED = new Set(['Succeeded', 'Failed', 'Error']);

/**
 * Runs the waves of fleet cards: syncs each due app once (a claim per app and attempt in the store), and
 * judges each sync only from the app as read from Argo CD after its operation ended. One replica runs a
 * card at a time (a renewed lock); another picks it up when that one dies, and the claims keep every app
 * synced once whichever replica runs it.
 */
export class WaveRunner {
  private readonly running = new Map<string, { wake: () => void }>();
  /** Members whose sync this process is sending now (a claimed row another process left is different). */
  private readonly sending = new Set<string>();
  private sweepTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly pollMs: number;
  private readonly sweepMs: number;
  private readonly lockTtlMs: number;
  private readonly loops = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: FleetDeps,
    private readonly fleet: FleetService,
    options: WaveRunnerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.sweepMs = options.sweepMs ?? 3_000;
    this.lockTtlMs = options.lockTtlMs ?? 6_000;
    fleet.events.on('effects', (cardId, effects) => void this.onEffects(cardId, effects));
  }

  start(): void {
    const sweep = () => {
      void this.sweep().finally(() => {
        if (this.stopped) return;
        this.sweepTimer = setTimeout(sweep, this.sweepMs);
        this.sweepTimer.unref();
      });
    };
    sweep();
  }

  /** Picks up every fleet card left running (a restart, a dead replica). */
  async sweep(): Promise<void> {
    try {
      for (const id of await this.fleet.repo.activeIds()) {
        if (this.running.has(id)) continue;
        const card = await this.fleet.repo.get(id);
        if (card && FLEET_RUNNING.has(card.state)) this.run(id);
      }
    } catch (error) {
      this.ctx.logger.warn({ err: error }, 'fleet sweep failed; next sweep tries again');
    }
  }

  private async onEffects(cardId: string, effects: FleetEffect[]): Promise<void> {
    for (const effect of effects) {
      if (effect.kind === 'run' || effect.kind === 'rollback') this.run(cardId);
      else if (effect.kind === 'terminate') await this.terminate(cardId, effect.key);
    }
  }

  /** Runs the card's waves here unless this process or another replica runs them already. */
  run(cardId: string): void {
    const existing = this.running.get(cardId);
    if (existing) {
      existing.wake();
      return;
    }
    if (this.stopped) return;
    let wake = () => {};
    let woken = false;
    const slot = {
      wake: () => {
        woken = true;
        wake();
      },
    };
    this.running.set(cardId, slot);
    const pause = () =>
      new Promise<void>((resolve) => {
        if (woken) {
          woken = false;
          resolve();
          return;
        }
        const timer = setTimeout(resolve, this.pollMs);
        timer.unref();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }).then(() => {
        woken = false;
        wake = () => {};
      });
    const loop: Promise<unknown> = withLock(
      this.ctx.store,
      storeKeys.fleetRunner(cardId),
      { ttlMs: this.lockTtlMs, waitMs: 0 },
      async () => {
        while (!this.stopped) {
          const card = await this.fleet.repo.get(cardId);
          if (!card || !FLEET_RUNNING.has(card.state)) return;
          if (card.state === 'syncing') await this.stepSyncs(card);
          else await this.stepRollbacks(card);
          await pause();
        }
      },
    )
      .catch((error: unknown) => this.ctx.logger.error({ err: error, cardId }, 'fleet wave runner failed'))
      .finally(() => {
        this.running.delete(cardId);
        this.loops.delete(loop);
      });
    this.loops.add(loop);
  }

  private async read(member: FleetMember): Promise<AppSnapshot> {
    const observedAt = this.ctx.now();
    return toAppSnapshot(await this.ctx.argocd.getApplication(member.app), member.app, observedAt);
  }

  private async stepSyncs(card: FleetCard): Promise<void> {
    await mapBounded(syncsDue(card), CONCURRENCY, (m) => this.startSync(card, m));
    const fresh = (await this.fleet.repo.get(card.id)) ?? card;
    await mapBounded(inFlight(fresh), CONCURRENCY, (m) => this.judgeSync(fresh, m));
  }

  /** Claims the app's one sync on the card, then in the store, then sends it pinned to the revision. */
  private async startSync(card: FleetCard, member: FleetMember): Promise<void> {
    // Read before the sync: the last operation (older news, never this sync's end) and the rollback target.
    const before = await this.read(member);
    const claimed = await this.fleet.apply(card.id, {
      kind: 'claim-sync',
      key: member.key,
      ignoreStartedAt: before.operation?.startedAt,
      previousHistoryId: before.history.at(-1)?.id,
    });
    if (!claimed.changed || !claimed.card) return;
    const row = claimed.card.members.find((m) => m.key === member.key);
    if (row?.sync?.state === 'claimed') await this.send(claimed.card, row);
  }

  /**
   * The store's claim decides who sends: whatever replica or restart comes here, one sync goes out.
   * Returns false when the claim was someone else's (taken before, by a replica that may have died).
   */
  private async send(card: FleetCard, member: FleetMember): Promise<boolean> {
    const attempt = member.sync?.attempt ?? 1;
    const sendKey = `${card.id}:${member.key}:${attempt}`;
    if (this.sending.has(sendKey)) return true;
    this.sending.add(sendKey);
    try {
      const mine = await this.ctx.store.markSeen(
        storeKeys.fleetSyncClaim(card.id, member.key, attempt),
        CLAIM_TTL_MS,
      );
      if (!mine) return false;
      const log = this.ctx.logger.child({
        cardId: card.id,
        app: member.app.name,
        instance: member.app.instance,
      });
      try {
        const locked = await withAppLock(this.ctx.store, member.app, APP_LOCK_WAIT_MS, () =>
          this.ctx.argocd.sync(member.app, {
            revision: card.revision,
            infos: [{ name: 'deploybot-fleet', value: `${card.group}:${card.id}` }],
          }),
        );
        if (!locked.locked) {
          await this.fleet.apply(card.id, {
            kind: 'sync-ended',
            key: member.key,
            outcome: 'failed',
            message: 'another action was running on the app; press Retry',
          });
          return true;
        }
        log.info({ revision: card.revision }, 'fleet sync requested');
        await this.ctx.store
          .appendAudit({
            at: this.ctx.now(),
            app: member.app.name,
            instance: member.app.instance,
            action: 'fleet-sync-started',
            outcome: 'requested',
            revision: card.revision,
            cardId: card.id,
            detail: `${card.group} wave ${member.wave + 1}`,
          })
          .catch((error: unknown) => log.error({ err: error }, 'fleet audit entry could not be written'));
      } catch (error) {
        log.warn({ err: error }, 'fleet sync refused');
        await this.fleet.apply(card.id, {
          kind: 'sync-ended',
          key: member.key,
          outcome: 'failed',
          message: `Argo CD refused the sync: ${(error as Error).message}`,
        });
        return true;
      }
      await this.fleet.apply(card.id, { kind: 'sync-requested', key: member.key });
      return true;
    } finally {
      this.sending.delete(sendKey);
    }
  }

  /**
   * Judges a sync from a read of the app: only an operation of the card's revision that is not the one
   * seen before the sync, and only once its phase has ended, decides. Synced and Healthy at the revision
   * succeed; a failed operation or a degraded app fails; anything else is looked at again.
   */
  private async judgeSync(card: FleetCard, member: FleetMember): Promise<void> {
    const sync = member.sync;
    if (!sync) return;
    if (sync.state === 'claimed') {
      // Left by a replica that died while sending: the claim in the store says whether it got that far.
      if (this.sending.has(`${card.id}:${member.key}:${sync.attempt}`)) return;
      const snap = await this.read(member);
      const op = snap.operation;
      const seen = op && op.revision === card.revision && op.startedAt !== sync.ignoreStartedAt;
      if (seen) {
        await this.fleet.apply(card.id, { kind: 'sync-requested', key: member.key });
        return;
      }
      // Nobody took the store's claim yet (the replica died before it): this one sends.
      if (await this.send(card, member)) return;
      if (this.ctx.now() - sync.at > LOST_CLAIM_MS)
        await this.fleet.apply(card.id, {
          kind: 'sync-ended',
          key: member.key,
          outcome: 'failed',
          message:
            'deploybot stopped while sending this sync and Argo CD shows no operation for it; press Retry',
        });
      return;
    }
    const snap = await this.read(member);
    const group = resolveGroup(this.ctx.config.policy, snap.app);
    if (group) await this.fleet.apply(card.id, { kind: 'observe', member: observationOf(group, snap) });
    const op = snap.operation;
    const ours = op && op.revision === card.revision && op.startedAt !== sync.ignoreStartedAt;
    if (!ours) {
      if (this.ctx.now() - sync.at > SYNC_START_GRACE_MS)
        await this.fleet.apply(card.id, {
          kind: 'sync-ended',
          key: member.key,
          outcome: 'failed',
          message: 'Argo CD shows no operation for this sync',
        });
      return;
    }
    if (!FINISHED.has(op.phase)) return;
    if (op.phase !== 'Succeeded') {
      await this.fleet.apply(card.id, {
        kind: 'sync-ended',
        key: member.key,
        outcome: 'failed',
        message: op.message ?? `operation ${op.phase}`,
        startedAt: op.startedAt,
      });
      return;
    }
    if (snap.health === 'Degraded' || snap.health === 'Missing') {
      await this.fleet.apply(card.id, {
        kind: 'sync-ended',
        key: member.key,
        outcome: 'failed',
        message: `synced, but health is ${snap.health}${snap.healthMessage ? `: ${snap.healthMessage}` : ''}`,
        startedAt: op.startedAt,
      });
      return;
    }
    if (snap.syncStatus === 'Synced' && snap.health === 'Healthy' && snap.targetRevision === card.revision)
      await this.fleet.apply(card.id, {
        kind: 'sync-ended',
        key: member.key,
        outcome: 'succeeded',
        startedAt: op.startedAt,
      });
  }

  private async stepRollbacks(card: FleetCard): Promise<void> {
    const due = card.members.filter(
      (m) => m.sync?.state === 'succeeded' && m.sync.previousHistoryId !== undefined && !m.rollback,
    );
    await mapBounded(due, CONCURRENCY, (m) => this.startRollback(card, m));
    const fresh = (await this.fleet.repo.get(card.id)) ?? card;
    await mapBounded(inFlight(fresh), CONCURRENCY, (m) => this.judgeRollback(fresh, m));
  }

  private async startRollback(card: FleetCard, member: FleetMember): Promise<void> {
    const historyId = member.sync?.previousHistoryId;
    if (historyId === undefined) return;
    const before = await this.read(member);
    if (!(await this.ctx.store.markSeen(storeKeys.fleetRollbackClaim(card.id, member.key), CLAIM_TTL_MS)))
      return;
    try {
      const locked = await withAppLock(this.ctx.store, member.app, APP_LOCK_WAIT_MS, () =>
        this.ctx.argocd.rollback(member.app, historyId),
      );
      if (!locked.locked) throw new Error('another action was running on the app');
      await this.fleet.apply(card.id, {
        kind: 'rollback-requested',
        key: member.key,
        ignoreStartedAt: before.operation?.startedAt,
      });
    } catch (error) {
      await this.fleet.apply(card.id, { kind: 'rollback-requested', key: member.key });
      await this.fleet.apply(card.id, {
        kind: 'rollback-ended',
        key: member.key,
        outcome: 'failed',
        message: (error as Error).message,
      });
    }
  }

  private async judgeRollback(card: FleetCard, member: FleetMember): Promise<void> {
    const rollback = member.rollback;
    if (!rollback) return;
    const snap = await this.read(member);
    const op = snap.operation;
    if (!op || op.startedAt === rollback.ignoreStartedAt || !FINISHED.has(op.phase)) return;
    await this.fleet.apply(card.id, {
      kind: 'rollback-ended',
      key: member.key,
      outcome: op.phase === 'Succeeded' ? 'succeeded' : 'failed',
      message: op.phase === 'Succeeded' ? undefined : op.message,
    });
  }

  /** Abort: ends the app's running operation (the card already stopped its waves). */
  private async terminate(cardId: string, key: string): Promise<void> {
    const card = await this.fleet.repo.get(cardId);
    const member = card?.members.find((m) => m.key === key);
    if (!member) return;
    try {
      await this.ctx.argocd.terminateOperation(member.app);
    } catch (error) {
      this.ctx.logger.warn({ err: error, cardId, app: member.app.name }, 'could not terminate the operation');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    for (const slot of this.running.values()) slot.wake();
    await Promise.allSettled([...this.loops]);
  }
}
