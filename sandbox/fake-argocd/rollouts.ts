import { ApiError, GrpcCode } from './api-error.js';
import { type AppRecord, appKey, generateSha, toIso } from './app-record.js';
import type { AppWorld } from './app-world.js';
import type { HealthStatusCode } from './application-types.js';

/**
 * The Argo Rollouts controller's part, for apps seeded with Rollouts: each Rollout rolls out every newly
 * deployed revision through its steps (setWeight, pause, analysis), pauses where a person must decide,
 * and reacts to the resource actions Argo CD runs on it (the built-in Lua of argoproj.io/Rollout:
 * resume clears pauseConditions and spec.paused, promote-full sets status.promoteFull, abort sets
 * status.abort, retry clears it). The live object it serves has the fields and spellings of
 * argoproj.io/v1alpha1 Rollout (status.currentStepIndex, pauseConditions, canary.weights, phase...).
 */

type CanaryStep =
  | { setWeight: number }
  | { pause: { duration?: number } }
  | { analysis: { templates: Array<{ templateName: string }> } };

export interface RolloutSeed {
  name: string;
  /** default `canary` */
  strategy?: 'canary' | 'blueGreen';
  /** Canary steps; default 20% → pause → 50% → pause → 100%. */
  steps?: CanaryStep[];
  /** How long each automatic step (setWeight, analysis, promotion) takes; default 150 ms. */
  stepMs?: number;
}

const DEFAULT_CANARY_STEPS: readonly CanaryStep[] = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: {} },
  { setWeight: 100 },
];

const ROLLOUT_ACTION_NAMES = ['resume', 'promote-full', 'abort', 'retry', 'restart', 'pause'] as const;

interface AnalysisRunStatus {
  name: string;
  status: 'Running' | 'Successful' | 'Failed';
  message?: string;
}

interface RolloutState {
  seed: Required<Omit<RolloutSeed, 'steps'>> & { steps: CanaryStep[] };
  namespace: string;
  uid: string;
  /** The deployed Git revision this Rollout's current pod template comes from. */
  revision: string;
  revisionNumber: number;
  generation: number;
  specPaused: boolean;
  currentPodHash: string;
  stableRS: string;
  currentStepIndex: number;
  pauseConditions: Array<{ reason: string; startTime: string }>;
  controllerPause: boolean;
  abort: boolean;
  abortedAt?: string;
  promoteFull: boolean;
  phase: 'Progressing' | 'Paused' | 'Healthy' | 'Degraded';
  message?: string;
  canaryWeight: number;
  analysis?: AnalysisRunStatus;
  activeSelector?: string;
  previewSelector?: string;
  failNextAnalysis: boolean;
  timer?: NodeJS.Timeout;
}

const podHash = (rollout: string, revision: string) => generateSha(`${rollout}@${revision}`).slice(0, 10);

// Argo CD's health order (gitops-engine health.IsWorse): a worse resource makes the app worse.
const HEALTH_ORDER: HealthStatusCode[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

export class RolloutController {
  private readonly byApp = new Map<string, RolloutState[]>();
  /** Apps whose health this controller set (so it hands Healthy back once every Rollout is done). */
  private readonly healthSet = new Set<string>();

  constructor(private readonly world: AppWorld) {}

  add(record: AppRecord, seeds: readonly RolloutSeed[]): void {
    const namespace = record.app.spec.destination.namespace ?? record.app.metadata.name;
    const states = seeds.map((seed): RolloutState => {
      const hash = podHash(seed.name, record.deployedRevision);
      const strategy = seed.strategy ?? 'canary';
      const steps = strategy === 'canary' ? [...(seed.steps ?? DEFAULT_CANARY_STEPS)] : [];
      return {
        seed: { name: seed.name, strategy, steps, stepMs: seed.stepMs ?? 150 },
        namespace,
        uid: generateSha(`rollout-uid:${namespace}/${seed.name}`).slice(0, 32),
        revision: record.deployedRevision,
        revisionNumber: 1,
        generation: 1,
        specPaused: false,
        currentPodHash: hash,
        stableRS: hash,
        currentStepIndex: steps.length,
        pauseConditions: [],
        controllerPause: false,
        abort: false,
        promoteFull: false,
        phase: 'Healthy',
        canaryWeight: 0,
        activeSelector: strategy === 'blueGreen' ? hash : undefined,
        failNextAnalysis: false,
      };
    });
    if (states.length > 0) this.byApp.set(this.key(record), states);
    this.observe(record);
  }

  has(record: AppRecord): boolean {
    return this.byApp.has(this.key(record));
  }

  /**
   * Called on every change of the app (before the notifier looks): a newly deployed revision starts a
   * rollout, and the app's health follows its Rollouts (Suspended while one is paused, as Argo CD's
   * Rollout health check reports it).
   */
  observe(record: AppRecord): void {
    const states = this.byApp.get(this.key(record));
    if (!states) return;
    // The comparison (refreshComparison) lists the Deployments; the Rollouts are resources of the app too.
    record.app.status.resources = [
      ...(record.app.status.resources ?? []).filter((r) => r.kind !== 'Rollout'),
      ...states.map((state) => ({
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        namespace: state.namespace,
        name: state.seed.name,
        status: 'Synced' as const,
        health: healthOf(state),
      })),
    ];
    for (const state of states) {
      if (state.revision !== record.deployedRevision) this.startRevision(record, state);
    }
    const worst = states
      .map(healthOf)
      .reduce((a, b) => (HEALTH_ORDER.indexOf(b.status) > HEALTH_ORDER.indexOf(a.status) ? b : a));
    const key = this.key(record);
    if (worst.status !== 'Healthy') {
      this.healthSet.add(key);
      this.world.setHealth(record, worst.status, worst.message);
    } else if (this.healthSet.delete(key) && !record.app.operation) {
      this.world.setHealth(record, 'Healthy');
    }
  }

  /** Scenario control: the running (or next) analysis of the Rollout fails, which aborts it. */
  failAnalysis(record: AppRecord, name?: string): void {
    const state = this.find(record, name);
    if (state.currentPodHash === state.stableRS) {
      state.failNextAnalysis = true;
      return;
    }
    this.failNow(record, state);
  }

  live(record: AppRecord, name?: string): Record<string, unknown> {
    return manifestOf(record, this.find(record, name));
  }

  /** Tree nodes as the controller's cache reports them: the Rollout and its ReplicaSets. */
  treeNodes(record: AppRecord): Array<Record<string, unknown>> {
    const createdAt = record.app.metadata.creationTimestamp;
    return (this.byApp.get(this.key(record)) ?? []).flatMap((state) => {
      const ref = {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        namespace: state.namespace,
        name: state.seed.name,
        uid: state.uid,
      };
      const health = healthOf(state);
      const hashes = [...new Set([state.stableRS, state.currentPodHash])];
      return [
        {
          ...ref,
          health: health.message ? health : { status: health.status },
          resourceVersion: String(1000 + state.revisionNumber * 10 + state.currentStepIndex),
          createdAt,
          info: [{ name: 'Revision', value: `Rev:${state.revisionNumber}` }],
        },
        ...hashes.map((hash) => ({
          group: 'apps',
          version: 'v1',
          kind: 'ReplicaSet',
          namespace: state.namespace,
          name: `${state.seed.name}-${hash}`,
          uid: generateSha(`rs:${state.uid}:${hash}`).slice(0, 32),
          parentRefs: [ref],
          health: { status: 'Healthy' },
          createdAt,
        })),
      ];
    });
  }

  /**
   * RunResourceActionV2 after the RBAC check: the node must be in the app's tree (else InvalidArgument,
   * the server's text), the action must be one of the kind's Lua actions, then the Lua runs. Like the
   * server, it does not consult the discovery script: a `resume` of a Rollout that is not paused changes
   * nothing and succeeds.
   */
  runAction(
    record: AppRecord,
    target: { group?: string; kind?: string; namespace?: string; resourceName?: string },
    action: string,
  ): void {
    const state = (this.byApp.get(this.key(record)) ?? []).find(
      (s) =>
        target.group === 'argoproj.io' &&
        target.kind === 'Rollout' &&
        (target.namespace ?? '') === s.namespace &&
        target.resourceName === s.seed.name,
    );
    if (!state) {
      throw new ApiError(
        GrpcCode.InvalidArgument,
        `${target.kind ?? ''} ${target.group ?? ''} ${target.resourceName ?? ''} not found as part of application ${record.app.metadata.name}`,
      );
    }
    if (!(ROLLOUT_ACTION_NAMES as readonly string[]).includes(action)) {
      // No built-in or configured Lua for this action name: the Lua VM fails (an Unknown gRPC status).
      throw new ApiError(
        GrpcCode.Unknown,
        `error getting Lua resource action: action "${action}" is not defined for argoproj.io/Rollout`,
      );
    }
    switch (action) {
      case 'resume':
        if (state.pauseConditions.length > 0 || state.specPaused) {
          state.pauseConditions = [];
          state.specPaused = false;
          state.controllerPause = false;
          this.afterResume(record, state);
        }
        break;
      case 'promote-full':
        state.promoteFull = true;
        state.pauseConditions = [];
        state.controllerPause = false;
        this.schedule(record, state, () => this.complete(record, state));
        break;
      case 'abort':
        if (state.currentPodHash !== state.stableRS) this.abortNow(record, state);
        break;
      case 'retry':
        if (state.abort) {
          state.abort = false;
          state.abortedAt = undefined;
          state.currentStepIndex = 0;
          state.analysis = undefined;
          state.phase = 'Progressing';
          state.message = 'more replicas need to be updated';
          this.schedule(record, state, () => this.advance(record, state));
        }
        break;
      default:
        // restart and pause: accepted, not modelled beyond a generation bump.
        break;
    }
    state.generation += 1;
    this.world.changed(record);
  }

  stopAll(): void {
    for (const states of this.byApp.values()) for (const state of states) clearTimeout(state.timer);
  }

  private key(record: AppRecord): string {
    return appKey(record.app.metadata.namespace, record.app.metadata.name);
  }

  private find(record: AppRecord, name?: string): RolloutState {
    const states = this.byApp.get(this.key(record)) ?? [];
    const found = name ? states.find((s) => s.seed.name === name) : states[0];
    if (!found) throw new Error(`fake-argocd: ${record.app.metadata.name} has no Rollout ${name ?? ''}`);
    return found;
  }

  private startRevision(record: AppRecord, state: RolloutState): void {
    clearTimeout(state.timer);
    state.revision = record.deployedRevision;
    state.revisionNumber += 1;
    state.generation += 1;
    state.currentPodHash = podHash(state.seed.name, record.deployedRevision);
    state.currentStepIndex = 0;
    state.pauseConditions = [];
    state.controllerPause = false;
    state.abort = false;
    state.abortedAt = undefined;
    state.promoteFull = false;
    state.analysis = undefined;
    state.phase = 'Progressing';
    state.message = 'more replicas need to be updated';
    if (state.seed.strategy === 'blueGreen') state.previewSelector = state.currentPodHash;
    else state.canaryWeight = 0;
    // Not inside the change that reported the new revision: the controller reacts a moment later.
    this.schedule(record, state, () => this.advance(record, state));
  }

  private advance(record: AppRecord, state: RolloutState): void {
    if (state.abort || state.pauseConditions.length > 0) return;
    if (state.seed.strategy === 'blueGreen') {
      const at = this.world.now();
      state.pauseConditions = [{ reason: 'BlueGreenPause', startTime: at }];
      state.controllerPause = true;
      state.phase = 'Paused';
      state.message = 'BlueGreenPause';
      this.world.changed(record);
      return;
    }
    const step = state.seed.steps[state.currentStepIndex];
    if (!step) {
      this.complete(record, state);
      return;
    }
    if ('setWeight' in step) {
      state.canaryWeight = step.setWeight;
      if (state.failNextAnalysis) {
        this.failNow(record, state);
        return;
      }
      state.analysis = {
        name: `${state.seed.name}-${state.currentPodHash}-${state.revisionNumber}`,
        status: 'Running',
      };
      state.currentStepIndex += 1;
      this.world.changed(record);
      this.schedule(record, state, () => this.advance(record, state));
      return;
    }
    if ('pause' in step) {
      if (step.pause.duration !== undefined) {
        state.currentStepIndex += 1;
        this.world.changed(record);
        this.schedule(record, state, () => this.advance(record, state), step.pause.duration * 1000);
        return;
      }
      state.pauseConditions = [{ reason: 'CanaryPauseStep', startTime: this.world.now() }];
      state.controllerPause = true;
      state.phase = 'Paused';
      state.message = 'CanaryPauseStep';
      this.world.changed(record);
      return;
    }
    // An analysis step: the run succeeds after one step's time unless a failure was asked for.
    state.analysis = {
      name: `${state.seed.name}-${state.currentPodHash}-${state.revisionNumber}-step`,
      status: 'Running',
    };
    this.world.changed(record);
    this.schedule(record, state, () => {
      if (state.failNextAnalysis) {
        this.failNow(record, state);
        return;
      }
      state.analysis = { ...(state.analysis as AnalysisRunStatus), status: 'Successful' };
      state.currentStepIndex += 1;
      this.advance(record, state);
    });
  }

  private afterResume(record: AppRecord, state: RolloutState): void {
    state.phase = 'Progressing';
    state.message = 'more replicas need to be updated';
    if (state.seed.strategy === 'blueGreen') {
      this.schedule(record, state, () => this.complete(record, state));
      return;
    }
    const step = state.seed.steps[state.currentStepIndex];
    if (step && 'pause' in step) state.currentStepIndex += 1;
    this.schedule(record, state, () => this.advance(record, state));
  }

  private complete(record: AppRecord, state: RolloutState): void {
    if (state.abort) return;
    clearTimeout(state.timer);
    state.stableRS = state.currentPodHash;
    state.currentStepIndex = state.seed.steps.length;
    state.pauseConditions = [];
    state.controllerPause = false;
    state.promoteFull = false;
    state.phase = 'Healthy';
    state.message = undefined;
    if (state.analysis?.status === 'Running') state.analysis = { ...state.analysis, status: 'Successful' };
    if (state.seed.strategy === 'blueGreen') state.activeSelector = state.currentPodHash;
    else state.canaryWeight = 100;
    this.world.changed(record);
  }

  private failNow(record: AppRecord, state: RolloutState): void {
    state.failNextAnalysis = false;
    state.analysis = {
      name: state.analysis?.name ?? `${state.seed.name}-${state.currentPodHash}-${state.revisionNumber}`,
      status: 'Failed',
      message: 'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
    };
    this.abortNow(
      record,
      state,
      `RolloutAborted: Rollout aborted update to revision ${state.revisionNumber}: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)`,
    );
  }

  private abortNow(record: AppRecord, state: RolloutState, message?: string): void {
    clearTimeout(state.timer);
    state.abort = true;
    state.abortedAt = toIso(this.world.clock());
    state.pauseConditions = [];
    state.controllerPause = false;
    state.phase = 'Degraded';
    state.message = message ?? `RolloutAborted: Rollout aborted update to revision ${state.revisionNumber}`;
    state.canaryWeight = 0;
    if (state.seed.strategy === 'blueGreen') state.previewSelector = state.currentPodHash;
    this.world.changed(record);
  }

  private schedule(record: AppRecord, state: RolloutState, run: () => void, ms = state.seed.stepMs): void {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (this.byApp.has(this.key(record))) run();
    }, ms);
    state.timer.unref?.();
  }
}

/** Argo CD's Lua health check of a Rollout: paused = Suspended, aborted = Degraded. */
function healthOf(state: RolloutState): { status: HealthStatusCode; message?: string } {
  if (state.abort) return { status: 'Degraded', message: state.message };
  if (state.pauseConditions.length > 0 || state.specPaused)
    return { status: 'Suspended', message: 'Rollout is paused' };
  if (state.phase === 'Healthy') return { status: 'Healthy' };
  return { status: 'Progressing', message: state.message };
}

function manifestOf(record: AppRecord, state: RolloutState): Record<string, unknown> {
  const name = state.seed.name;
  const strategy =
    state.seed.strategy === 'blueGreen'
      ? {
          blueGreen: {
            activeService: `${name}-active`,
            previewService: `${name}-preview`,
            autoPromotionEnabled: false,
          },
        }
      : { canary: { steps: state.seed.steps } };
  const status: Record<string, unknown> = {
    phase: state.phase,
    currentPodHash: state.currentPodHash,
    stableRS: state.stableRS,
    observedGeneration: String(state.generation),
    replicas: 4,
    updatedReplicas: state.currentPodHash === state.stableRS ? 4 : 1,
    readyReplicas: 4,
    availableReplicas: 4,
  };
  if (state.message) status.message = state.message;
  if (state.abort) {
    status.abort = true;
    status.abortedAt = state.abortedAt;
  }
  if (state.promoteFull) status.promoteFull = true;
  if (state.pauseConditions.length > 0) {
    status.pauseConditions = state.pauseConditions.map((c) => ({ ...c }));
    status.controllerPause = state.controllerPause;
  }
  const analysis = state.analysis && { ...state.analysis };
  if (state.seed.strategy === 'canary') {
    status.currentStepIndex = state.currentStepIndex;
    status.currentStepHash = generateSha(JSON.stringify(state.seed.steps)).slice(0, 10);
    status.canary = {
      weights: {
        canary: { weight: state.canaryWeight, podTemplateHash: state.currentPodHash },
        stable: { weight: 100 - state.canaryWeight, podTemplateHash: state.stableRS },
      },
      ...(analysis ? { currentBackgroundAnalysisRunStatus: analysis } : {}),
    };
  } else {
    status.blueGreen = {
      activeSelector: state.activeSelector,
      ...(state.previewSelector ? { previewSelector: state.previewSelector } : {}),
    };
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name,
      namespace: state.namespace,
      uid: state.uid,
      generation: state.generation,
      annotations: { 'rollout.argoproj.io/revision': String(state.revisionNumber) },
      labels: { 'app.kubernetes.io/instance': record.app.metadata.name },
    },
    spec: {
      replicas: 4,
      ...(state.specPaused ? { paused: true } : {}),
      selector: { matchLabels: { app: name } },
      strategy,
    },
    status,
  };
}
