import type { Application } from './application-types.js';

/**
 * The seven deploybot-* triggers of recommended-argocd-notifications-cm.yaml, as functions of the Application's wire
 * form. `oncePer` is rendered as notifications-engine does: `fmt.Sprintf("%v", value)`, so a missing value is
 * the string "<nil>" and is itself notified at most once.
 */
export interface TriggerDefinition {
  trigger: string;
  event: string;
  when: (app: Application) => boolean;
  oncePer: (app: Application) => string;
}

function goValue(value: unknown): string {
  return value === undefined || value === null ? '<nil>' : String(value);
}

const operationRevision = (app: Application) => goValue(app.status.operationState?.syncResult?.revision);

const phaseIn =
  (...phases: string[]) =>
  (app: Application): boolean =>
    app.status.operationState !== undefined && phases.includes(app.status.operationState.phase);

/**
 * on-deployed's extra clause: health turned Healthy at most a minute before the operation finished, or was already
 * Healthy before it started. A missing or unparsable time makes expr fail, which counts as false.
 */
function healthyAfterOperation(app: Application): boolean {
  const os = app.status.operationState;
  const transition = Date.parse(app.status.health.lastTransitionTime ?? '');
  const finished = Date.parse(os?.finishedAt ?? '');
  const started = Date.parse(os?.startedAt ?? '');
  if (Number.isNaN(transition) || Number.isNaN(finished) || Number.isNaN(started)) return false;
  return !(transition + 60_000 < finished) || transition < started;
}

export const DEPLOYBOT_TRIGGERS: readonly TriggerDefinition[] = [
  {
    trigger: 'deploybot-on-out-of-sync',
    event: 'on-out-of-sync',
    when: (app) => {
      const automated = app.spec.syncPolicy?.automated;
      return (
        app.status.sync.status === 'OutOfSync' && (automated === undefined || automated.enabled === false)
      );
    },
    oncePer: (app) => goValue(app.status.sync.revision),
  },
  {
    trigger: 'deploybot-on-sync-running',
    event: 'on-sync-running',
    when: phaseIn('Running'),
    oncePer: operationRevision,
  },
  {
    trigger: 'deploybot-on-sync-succeeded',
    event: 'on-sync-succeeded',
    when: phaseIn('Succeeded'),
    oncePer: operationRevision,
  },
  {
    trigger: 'deploybot-on-deployed',
    event: 'on-deployed',
    when: (app) =>
      phaseIn('Succeeded')(app) && app.status.health.status === 'Healthy' && healthyAfterOperation(app),
    oncePer: operationRevision,
  },
  {
    trigger: 'deploybot-on-sync-failed',
    event: 'on-sync-failed',
    when: phaseIn('Error', 'Failed'),
    oncePer: operationRevision,
  },
  {
    trigger: 'deploybot-on-health-degraded',
    event: 'on-health-degraded',
    when: (app) => app.status.health.status === 'Degraded',
    oncePer: operationRevision,
  },
  {
    trigger: 'deploybot-on-sync-status-unknown',
    event: 'on-sync-status-unknown',
    when: (app) => app.status.sync.status === 'Unknown',
    oncePer: operationRevision,
  },
];

export function triggerForEvent(event: string): TriggerDefinition {
  const found = DEPLOYBOT_TRIGGERS.find((t) => t.event === event);
  if (!found) throw new Error(`no deploybot trigger sends "${event}"`);
  return found;
}
