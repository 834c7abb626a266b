import { ApiError, GrpcCode } from './api-error.js';
import {
  type AppRecord,
  DEFAULT_HISTORY_LIMIT,
  imagesAt,
  isAutoSyncEnabled,
  workloadName,
} from './app-record.js';
import type { AppWorld } from './app-world.js';
import type { Operation, OperationState, ResourceResult, RevisionHistory } from './application-types.js';
import { evaluateWindows } from './sync-windows.js';

export interface Timing {
  syncMs: number;
  healthMs: number;
  terminateMs: number;
}

/** The application controller's part: runs operations, writes operationState, history and health. */
export class OperationRunner {
  constructor(
    private readonly world: AppWorld,
    private readonly timing: Timing,
  ) {}

  /** The API server's SetAppOperation: `operation` set, the previous operationState cleared. */
  start(record: AppRecord, operation: Operation): void {
    if (record.app.operation) {
      throw new ApiError(GrpcCode.FailedPrecondition, 'another operation is already in progress');
    }
    record.app.operation = operation;
    delete record.app.status.operationState;
    this.world.changed(record);
    this.schedule(record, 'opTimer', 0, () => this.begin(record, operation));
  }

  terminate(record: AppRecord): void {
    const state = record.app.status.operationState;
    if (!record.app.operation || !state) {
      throw new ApiError(
        GrpcCode.InvalidArgument,
        'Unable to terminate operation. No operation is in progress',
      );
    }
    state.phase = 'Terminating';
    this.world.changed(record);
    this.schedule(record, 'opTimer', this.timing.terminateMs, () => {
      this.end(record, state, 'Failed', 'Operation terminated');
      this.restoreHealth(record);
      this.world.changed(record);
    });
  }

  /**
   * The controller's auto-sync: sync Git's tip unless it already failed at that revision or a window forbids it.
   * The fake decides when Git moves or an operation ends; it does not re-check when a window opens later.
   */
  maybeAutoSync(record: AppRecord): void {
    const { app } = record;
    if (!isAutoSyncEnabled(app) || app.operation || record.deployedRevision === record.gitRevision) return;
    const last = app.status.operationState;
    const attempted = last?.operation.sync.revision === record.gitRevision;
    if (attempted && (last?.phase === 'Failed' || last?.phase === 'Error')) return;
    if (!evaluateWindows(record.windows, this.world.clock()).canAutoSync) return;
    this.start(record, {
      sync: {
        revision: record.gitRevision,
        prune: app.spec.syncPolicy?.automated?.prune,
        syncOptions: app.spec.syncPolicy?.syncOptions,
      },
      initiatedBy: { automated: true },
      retry: app.spec.syncPolicy?.retry,
    });
  }

  cancelHealthTimer(record: AppRecord): void {
    clearTimeout(record.healthTimer);
    record.healthTimer = undefined;
  }

  stopAll(records: AppRecord[]): void {
    for (const record of records) {
      clearTimeout(record.opTimer);
      clearTimeout(record.healthTimer);
    }
  }

  private begin(record: AppRecord, operation: Operation): void {
    const { app } = record;
    this.cancelHealthTimer(record);
    const revision = operation.sync.revision;
    const first = imagesAt(record, revision)[0];
    record.healthBeforeOp = { ...app.status.health };
    app.status.operationState = {
      operation: structuredClone(operation),
      phase: 'Running',
      message: first ? `waiting for healthy state of apps/Deployment/${workloadName(first)}` : 'syncing',
      syncResult: { revision, source: { ...app.spec.source } },
      startedAt: this.world.now(),
    };
    if (!operation.sync.dryRun) this.world.setHealth(record, 'Progressing');
    this.world.changed(record);
    if (record.hangNextSync) {
      // Never finishes by itself: only DELETE …/operation (terminate) ends it.
      record.hangNextSync = undefined;
      return;
    }
    this.schedule(record, 'opTimer', this.timing.syncMs, () => this.finish(record));
  }

  private finish(record: AppRecord): void {
    const state = record.app.status.operationState;
    if (state?.phase !== 'Running') return;
    const sync = state.operation.sync;
    const failure = record.failNextSync;
    record.failNextSync = undefined;
    if (failure !== undefined) {
      this.end(
        record,
        state,
        'Failed',
        `one or more objects failed to apply, reason: ${failure}`,
        'SyncFailed',
      );
      this.restoreHealth(record);
      this.world.changed(record);
      return;
    }
    this.end(record, state, 'Succeeded', 'successfully synced (all tasks run)', 'Synced');
    const partial = (sync.resources?.length ?? 0) > 0;
    if (sync.dryRun || partial) {
      this.restoreHealth(record);
      this.world.changed(record);
      this.maybeAutoSync(record);
      return;
    }
    record.deployedRevision = sync.revision;
    this.appendHistory(record, state);
    this.world.changed(record);
    this.schedule(record, 'healthTimer', this.timing.healthMs, () => {
      const pinned = record.pinnedHealth;
      record.pinnedHealth = undefined;
      this.world.setHealth(record, pinned?.status ?? 'Healthy', pinned?.message);
      this.world.changed(record);
    });
    this.maybeAutoSync(record);
  }

  private end(
    record: AppRecord,
    state: OperationState,
    phase: 'Succeeded' | 'Failed',
    message: string,
    resourceStatus?: string,
  ): void {
    clearTimeout(record.opTimer);
    state.phase = phase;
    state.message = message;
    state.finishedAt = this.world.now();
    if (state.syncResult && resourceStatus)
      state.syncResult.resources = this.resourceResults(record, resourceStatus);
    delete record.app.operation;
  }

  private resourceResults(record: AppRecord, status: string): ResourceResult[] {
    const revision = record.app.status.operationState?.syncResult?.revision ?? record.gitRevision;
    const namespace = record.app.spec.destination.namespace ?? record.app.metadata.name;
    return imagesAt(record, revision).map((image) => ({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace,
      name: workloadName(image),
      status,
      message:
        status === 'Synced'
          ? `deployment.apps/${workloadName(image)} configured`
          : 'one or more objects failed to apply',
      syncPhase: 'Sync',
      images: [image],
    }));
  }

  private appendHistory(record: AppRecord, state: OperationState): void {
    const { app } = record;
    const history = app.status.history ?? [];
    const entry: RevisionHistory = {
      id: (history.at(-1)?.id ?? -1) + 1,
      revision: state.operation.sync.revision,
      deployStartedAt: state.startedAt,
      deployedAt: state.finishedAt ?? this.world.now(),
      source: { ...app.spec.source },
      initiatedBy: { ...state.operation.initiatedBy },
    };
    const limit = app.spec.revisionHistoryLimit ?? DEFAULT_HISTORY_LIMIT;
    const next = [...history, entry];
    app.status.history = next.slice(Math.max(0, next.length - limit));
  }

  private restoreHealth(record: AppRecord): void {
    const pinned = record.pinnedHealth;
    record.pinnedHealth = undefined;
    if (pinned) {
      this.world.setHealth(record, pinned.status, pinned.message);
      return;
    }
    const before = record.healthBeforeOp;
    if (before && record.app.status.health.status === 'Progressing') {
      record.app.status.health = { ...before };
    }
  }

  private schedule(record: AppRecord, slot: 'opTimer' | 'healthTimer', ms: number, run: () => void): void {
    clearTimeout(record[slot]);
    record[slot] = setTimeout(() => {
      record[slot] = undefined;
      run();
    }, ms);
  }
}
