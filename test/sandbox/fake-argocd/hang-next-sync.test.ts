import { afterEach, describe, expect, it } from 'vitest';
import { type FakeArgoCd, startFakeArgoCd } from '../../../sandbox/fake-argocd/index.js';
import { createClient, waitFor } from './helpers.js';

const CURRENT = '4f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const NEW = '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c';
const NEWER = '1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e';

let fake: FakeArgoCd | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("hangNextSync (the demo's stuck sync)", () => {
  it('keeps only the next operation Running until it is terminated; the one after finishes', async () => {
    fake = await startFakeArgoCd({
      apps: [{ name: 'payments-api-prod', project: 'payments', revision: CURRENT }],
      timing: { syncMs: 30, healthMs: 30, terminateMs: 20 },
    });
    const f = fake;
    const api = createClient(f);
    const phase = () => f.app('payments-api-prod').status.operationState?.phase;
    f.hangNextSync('payments-api-prod');
    f.pushRevision('payments-api-prod', NEW);
    expect((await api.post('/api/v1/applications/payments-api-prod/sync', {})).status).toBe(200);
    await waitFor(() => phase() === 'Running');
    // Many sync durations later it still runs, with its startedAt unchanged.
    const startedAt = f.app('payments-api-prod').status.operationState?.startedAt;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(phase()).toBe('Running');
    expect(f.app('payments-api-prod').operation).toBeDefined();
    expect(f.app('payments-api-prod').status.operationState?.startedAt).toBe(startedAt);

    const terminated = await api.delete('/api/v1/applications/payments-api-prod/operation', {
      headers: { 'Content-Type': 'application/json' },
      params: { project: 'payments', appNamespace: 'argocd' },
    });
    expect(terminated.status).toBe(200);
    await waitFor(() => phase() === 'Failed');
    expect(f.app('payments-api-prod').status.operationState?.message).toBe('Operation terminated');

    f.pushRevision('payments-api-prod', NEWER);
    expect((await api.post('/api/v1/applications/payments-api-prod/sync', {})).status).toBe(200);
    await waitFor(() => phase() === 'Succeeded');
    expect(f.app('payments-api-prod').status.sync.revision).toBe(NEWER);
  });
});
