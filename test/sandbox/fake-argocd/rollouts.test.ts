import type { AxiosInstance } from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkAgainstDefinition,
  type FakeArgoCd,
  startFakeArgoCd,
  swaggerDefinitions,
} from '../../../sandbox/fake-argocd/index.js';
import { createClient, waitFor } from './helpers.js';

const OLD = '1111111111111111111111111111111111111111';
const NEW = '2222222222222222222222222222222222222222';
const ROLLOUT = { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout', namespace: 'events' };

function actionBody(action: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'event-consumer-prod',
    namespace: 'events',
    resourceName: 'event-consumer',
    group: 'argoproj.io',
    kind: 'Rollout',
    version: 'v1alpha1',
    appNamespace: 'argocd',
    project: 'default',
    action,
    ...extra,
  };
}

type Status = Record<string, unknown> & {
  currentStepIndex?: number;
  phase?: string;
  abort?: boolean;
  pauseConditions?: Array<{ reason: string }>;
};

describe('fake Argo CD: Argo Rollouts through resource actions', () => {
  let fake: FakeArgoCd;
  let api: AxiosInstance;
  let denyActionsIn: string | undefined;

  beforeEach(async () => {
    denyActionsIn = undefined;
    fake = await startFakeArgoCd({
      timing: { syncMs: 20, healthMs: 20 },
      canI: (_resource, action, object) =>
        !(denyActionsIn && action.startsWith('action/') && object.startsWith(`${denyActionsIn}/`)),
      apps: [
        {
          name: 'event-consumer-prod',
          revision: OLD,
          destination: { namespace: 'events' },
          images: ['ghcr.io/acme/event-consumer:1.0.0'],
          rollouts: [{ name: 'event-consumer', stepMs: 20 }],
        },
      ],
    });
    api = createClient(fake);
  });
  afterEach(() => fake.close());

  const status = () => (fake.rollout('event-consumer-prod') as { status: Status }).status;
  const run = (action: string, extra?: Record<string, unknown>) =>
    api.post('/api/v1/applications/event-consumer-prod/resource/actions/v2', actionBody(action, extra), {
      headers: { 'Content-Type': 'application/json' },
    });

  it('lists the Rollout in the resource tree and serves its live manifest as a JSON string', async () => {
    const tree = await api.get('/api/v1/applications/event-consumer-prod/resource-tree');
    expect(tree.status).toBe(200);
    const rollout = (tree.data.nodes as Array<Record<string, unknown>>).find((n) => n.kind === 'Rollout');
    expect(rollout).toMatchObject({ ...ROLLOUT, name: 'event-consumer', health: { status: 'Healthy' } });
    expect(checkAgainstDefinition(tree.data, 'v1alpha1ApplicationTree', swaggerDefinitions)).toEqual({
      unknownFields: [],
      typeErrors: [],
    });

    const res = await api.get('/api/v1/applications/event-consumer-prod/resource', {
      params: { ...ROLLOUT, resourceName: 'event-consumer', appNamespace: 'argocd', project: 'default' },
    });
    expect(res.status).toBe(200);
    expect(typeof res.data.manifest).toBe('string');
    expect(JSON.parse(res.data.manifest)).toMatchObject({ kind: 'Rollout', status: { phase: 'Healthy' } });
  });

  it('walks a canary through its steps: pauses at each pause step until resume, app Suspended meanwhile', async () => {
    fake.pushRevision('event-consumer-prod', NEW);
    fake.startOperation('event-consumer-prod', { revision: NEW });
    await waitFor(() => status().pauseConditions?.[0]?.reason === 'CanaryPauseStep');
    expect(status()).toMatchObject({ currentStepIndex: 1, phase: 'Paused' });
    await waitFor(() => fake.app('event-consumer-prod').status.health.status === 'Suspended');

    expect((await run('resume')).status).toBe(200);
    await waitFor(() => status().currentStepIndex === 3 && status().phase === 'Paused');
    expect((status().canary as { weights: { canary: { weight: number } } }).weights.canary.weight).toBe(50);

    expect((await run('resume')).status).toBe(200);
    await waitFor(() => status().phase === 'Healthy');
    expect(status().currentStepIndex).toBe(5);
    await waitFor(() => fake.app('event-consumer-prod').status.health.status === 'Healthy');
    expect(fake.actionRequests()).toHaveLength(2);
  });

  it('fails an analysis on demand: aborted, Degraded; retry starts over', async () => {
    fake.pushRevision('event-consumer-prod', NEW);
    fake.startOperation('event-consumer-prod', { revision: NEW });
    await waitFor(() => status().phase === 'Paused');
    fake.failAnalysis('event-consumer-prod');
    expect(status()).toMatchObject({ abort: true, phase: 'Degraded' });
    expect(String(status().message)).toContain('assessed Failed');
    await waitFor(() => fake.app('event-consumer-prod').status.health.status === 'Degraded');

    expect((await run('retry')).status).toBe(200);
    await waitFor(() => status().phase === 'Paused' && status().abort === undefined);
  });

  it('answers as the real server does: unknown action, wrong kind, RBAC by project, content type, unknown fields', async () => {
    const unknown = await run('promote-a-bit');
    expect(unknown.status).toBe(500);
    expect(unknown.data).toMatchObject({ code: 2 });
    expect(unknown.data.message).toContain('error getting Lua resource action');

    const wrongKind = await run('resume', { kind: 'Deployment', group: 'apps', version: 'v1' });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.data.message).toBe(
      'Deployment apps event-consumer not found as part of application event-consumer-prod',
    );

    denyActionsIn = 'default';
    const denied = await run('resume');
    expect(denied.status).toBe(403);
    expect(denied.data).toMatchObject({ code: 7, message: 'permission denied' });
    denyActionsIn = undefined;

    const text = await api.post(
      '/api/v1/applications/event-consumer-prod/resource/actions/v2',
      JSON.stringify(actionBody('resume')),
      { headers: { 'Content-Type': 'application/json; charset=utf-8' } },
    );
    expect(text.status).toBe(415);

    const extra = await run('resume', { step: 2 });
    expect(extra.status).toBe(400);
    expect(fake.actionRequests().at(-1)?.contractViolation).toContain('step');
  });
});
