/**
 * An Argo Rollout as the deploy card shows it, and what may be done to it in which state. Pure: the live
 * Rollout (read from Argo CD) comes in as data; the card, the buttons and the actions all decide from the
 * view made here, so "step 2 of 4" on the card and the step a press is checked against are the same thing.
 */

/** The live Rollout fields read (argoproj.io/v1alpha1); every one may be missing on an older controller. */
export interface LiveRollout {
  metadata: { name: string; namespace?: string | null };
  spec?: {
    paused?: boolean | null;
    strategy?: {
      canary?: {
        steps?: Array<{ setWeight?: number | null; pause?: unknown; analysis?: unknown }> | null;
      } | null;
      blueGreen?: { activeService?: string | null; previewService?: string | null } | null;
    } | null;
  } | null;
  status?: {
    phase?: string | null;
    message?: string | null;
    abort?: boolean | null;
    controllerPause?: boolean | null;
    currentPodHash?: string | null;
    stableRS?: string | null;
    currentStepIndex?: number | null;
    pauseConditions?: Array<{ reason?: string | null }> | null;
    canary?: {
      stableRS?: string | null;
      weights?: { canary?: { weight?: number | null } | null } | null;
      currentStepAnalysisRunStatus?: AnalysisRunRef | null;
      currentBackgroundAnalysisRunStatus?: AnalysisRunRef | null;
    } | null;
    blueGreen?: {
      activeSelector?: string | null;
      previewSelector?: string | null;
      prePromotionAnalysisRunStatus?: AnalysisRunRef | null;
      postPromotionAnalysisRunStatus?: AnalysisRunRef | null;
    } | null;
  } | null;
}

interface AnalysisRunRef {
  name?: string | null;
  status?: string | null;
}

type RolloutStrategy = 'canary' | 'blue-green';

/** Phases as the Rollout reports them (status.phase, v1.0+), derived the same way on older controllers. */
type RolloutPhase = 'Progressing' | 'Paused' | 'Healthy' | 'Degraded';

/** The resource actions deploybot runs (Argo CD's built-in Lua actions for argoproj.io/Rollout). */
export type RolloutAction = 'resume' | 'promote-full' | 'abort' | 'retry';

interface RolloutAnalysis {
  kind: 'step' | 'background' | 'pre-promotion' | 'post-promotion';
  name?: string;
  /** AnalysisRun phase: Pending, Running, Successful, Failed, Error, Inconclusive. */
  phase: string;
}

export interface RolloutView {
  name: string;
  namespace: string;
  strategy: RolloutStrategy;
  phase: RolloutPhase;
  /** Canary: status.currentStepIndex (as `kubectl argo rollouts get` prints it) and the number of steps. */
  step?: number;
  steps?: number;
  /** Canary traffic to the new version, in percent. */
  weight?: number;
  /** Why it waits: a pause condition's reason (CanaryPauseStep, BlueGreenPause, InconclusiveAnalysis...). */
  pauseReason?: string;
  aborted: boolean;
  message?: string;
  analysis: RolloutAnalysis[];
  /** Pod template hashes: what runs now (current), what is promoted (stable or active), the preview. */
  currentRevision?: string;
  stableRevision?: string;
  activeRevision?: string;
  previewRevision?: string;
}

/** At most this many Rollouts are shown per app; the card says how many more there are. */
export const MAX_ROLLOUTS_SHOWN = 5;

const clean = (value: string | null | undefined): string | undefined => value || undefined;

function analysisOf(status: NonNullable<LiveRollout['status']>): RolloutAnalysis[] {
  const refs: Array<[RolloutAnalysis['kind'], AnalysisRunRef | null | undefined]> = [
    ['step', status.canary?.currentStepAnalysisRunStatus],
    ['background', status.canary?.currentBackgroundAnalysisRunStatus],
    ['pre-promotion', status.blueGreen?.prePromotionAnalysisRunStatus],
    ['post-promotion', status.blueGreen?.postPromotionAnalysisRunStatus],
  ];
  return refs.flatMap(([kind, ref]) =>
    ref?.status ? [{ kind, name: clean(ref.name), phase: ref.status }] : [],
  );
}

/** The weight of the last setWeight step before `index` (what the controller has set by then). */
function weightFromSteps(steps: Array<{ setWeight?: number | null }>, index: number): number {
  let weight = 0;
  for (const step of steps.slice(0, index)) if (typeof step.setWeight === 'number') weight = step.setWeight;
  return weight;
}

function derivePhase(
  live: LiveRollout,
  paused: boolean,
  fullyPromoted: boolean,
  aborted: boolean,
): RolloutPhase {
  const reported = live.status?.phase;
  if (
    reported === 'Progressing' ||
    reported === 'Paused' ||
    reported === 'Healthy' ||
    reported === 'Degraded'
  )
    return reported;
  if (aborted) return 'Degraded';
  if (paused) return 'Paused';
  return fullyPromoted ? 'Healthy' : 'Progressing';
}

export function toRolloutView(live: LiveRollout): RolloutView {
  const status = live.status ?? {};
  const strategy: RolloutStrategy = live.spec?.strategy?.blueGreen ? 'blue-green' : 'canary';
  const conditions = status.pauseConditions ?? [];
  const paused = conditions.length > 0 || live.spec?.paused === true;
  const aborted = status.abort === true;
  const current = clean(status.currentPodHash);
  const stable = clean(status.stableRS) ?? clean(status.canary?.stableRS);
  const active = clean(status.blueGreen?.activeSelector);
  const promoted = strategy === 'blue-green' ? active : stable;
  const fullyPromoted = current !== undefined && current === promoted;
  const view: RolloutView = {
    name: live.metadata.name,
    namespace: live.metadata.namespace ?? '',
    strategy,
    phase: derivePhase(live, paused, fullyPromoted, aborted),
    aborted,
    analysis: analysisOf(status),
    currentRevision: current,
  };
  const reason = clean(conditions[0]?.reason) ?? (live.spec?.paused ? 'PausedByUser' : undefined);
  if (paused && reason) view.pauseReason = reason;
  if (clean(status.message)) view.message = clean(status.message);
  if (strategy === 'canary') {
    const steps = live.spec?.strategy?.canary?.steps ?? [];
    view.stableRevision = stable;
    if (steps.length > 0) {
      view.steps = steps.length;
      view.step = Math.min(status.currentStepIndex ?? 0, steps.length);
    }
    const reported = status.canary?.weights?.canary?.weight;
    if (fullyPromoted) view.weight = 100;
    else if (aborted) view.weight = typeof reported === 'number' ? reported : 0;
    else if (typeof reported === 'number') view.weight = reported;
    else if (steps.length > 0) view.weight = weightFromSteps(steps, view.step ?? 0);
  } else {
    view.activeRevision = active;
    view.previewRevision = clean(status.blueGreen?.previewSelector);
  }
  return view;
}

function isFullyPromoted(view: RolloutView): boolean {
  const promoted = view.strategy === 'blue-green' ? view.activeRevision : view.stableRevision;
  return view.currentRevision !== undefined && view.currentRevision === promoted;
}

/** Paused by a pause step, a blue-green preview or an inconclusive analysis: a person decides. */
function isPaused(view: RolloutView): boolean {
  return !view.aborted && view.pauseReason !== undefined;
}

/** Still moving or waiting: the card keeps following it. Healthy, Degraded or aborted ends that. */
export function isRolloutInFlight(view: RolloutView): boolean {
  if (view.aborted) return false;
  return view.phase === 'Progressing' || view.phase === 'Paused';
}

/** A failed analysis (step, background, pre- or post-promotion). */
function analysisFailed(view: RolloutView): boolean {
  return view.analysis.some((a) => a.phase === 'Failed' || a.phase === 'Error');
}

/**
 * The buttons the card offers: Promote, Promote fully and Abort while paused (Argo CD's discovery
 * enables them until the new version is fully promoted); Retry after an abort (a failed analysis
 * aborts the Rollout, so it is covered).
 */
export function availableRolloutActions(view: RolloutView): RolloutAction[] {
  if (isFullyPromoted(view)) return [];
  if (view.aborted) return ['retry'];
  if (isPaused(view)) return ['resume', 'promote-full', 'abort'];
  return [];
}

/**
 * The state a press is made for: which version, which step, paused or aborted. A press whose token no
 * longer matches the live Rollout is stale and refused; the token never authorizes anything.
 */
export function rolloutStepToken(view: RolloutView): string {
  const where = view.strategy === 'canary' ? String(view.step ?? 0) : (view.activeRevision ?? '-');
  const mode = view.aborted ? 'a' : isPaused(view) ? 'p' : 'r';
  return `${view.currentRevision ?? '-'}.${where}.${mode}`;
}

/** "canary step 1 of 4, weight 20%" / "blue-green, preview 6b566f4 (active 74d854c)": the card's words. */
export function describeRolloutStep(view: RolloutView): string {
  if (view.strategy === 'canary') {
    const parts = ['canary'];
    if (view.steps !== undefined) parts.push(`step ${view.step ?? 0} of ${view.steps}`);
    const head = parts.join(' ');
    return view.weight !== undefined ? `${head}, weight ${view.weight}%` : head;
  }
  const preview =
    view.previewRevision && view.previewRevision !== view.activeRevision ? view.previewRevision : undefined;
  const active = view.activeRevision ? `active ${view.activeRevision}` : 'no active revision yet';
  return preview ? `blue-green, preview ${preview} (${active})` : `blue-green, ${active}`;
}

/** A short reason for the state (why paused, why degraded), for the card and refusals. */
export function describeRolloutState(view: RolloutView): string {
  if (view.aborted) return analysisFailed(view) ? 'aborted after a failed analysis' : 'aborted';
  if (view.pauseReason) return `paused (${view.pauseReason})`;
  return view.phase.toLowerCase();
}

export const ROLLOUT_ACTION_LABELS: Readonly<Record<RolloutAction, string>> = {
  resume: 'Promote',
  'promote-full': 'Promote fully',
  abort: 'Abort',
  retry: 'Retry',
};
