import { readFileSync } from 'node:fs';
import type { AxiosInstance } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVED_ROUTES } from '../../../sandbox/contracts/argocd/served-routes.js';
import {
  checkAgainstDefinition,
  type FakeArgoCd,
  startFakeArgoCd,
  swaggerDefinitions,
} from '../../../sandbox/fake-argocd/index.js';
import { createClient, waitFor } from './helpers.js';

const NEW = '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c';

function expectConforms(body: unknown, definition: string): void {
  const report = checkAgainstDefinition(body, definition, swaggerDefinitions);
  expect(report, definition).toEqual({ unknownFields: [], typeErrors: [] });
}

describe('the swagger extract', () => {
  const extract = JSON.parse(
    readFileSync(new URL('../../../sandbox/contracts/argocd/swagger.extract.json', import.meta.url), 'utf8'),
  ) as { paths: Record<string, Record<string, unknown>>; 'x-deploybot': { otherRoutes: string[] } };

  it('holds exactly the served operations, and lists the rest of the API as other routes', () => {
    const served = Object.entries(extract.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(served.sort()).toEqual([...SERVED_ROUTES].sort());
    expect(extract['x-deploybot'].otherRoutes).toContain('POST /api/v1/applications');
    expect(extract['x-deploybot'].otherRoutes).not.toContain('GET /api/v1/applications');
  });

  it('describes the sync request with the field names the server decodes', () => {
    expect(
      Object.keys(swaggerDefinitions.applicationApplicationSyncRequest?.properties ?? {}).sort(),
    ).toEqual(
      [
        'appNamespace',
        'dryRun',
        'infos',
        'manifests',
        'name',
        'project',
        'prune',
        'resources',
        'retryStrategy',
        'revision',
        'revisions',
        'sourcePositions',
        'strategy',
        'syncOptions',
      ].sort(),
    );
  });
});

describe('every answer of the fake uses only swagger field names and types', () => {
  let fake: FakeArgoCd;
  let api: AxiosInstance;

  beforeAll(async () => {
    fake = await startFakeArgoCd({
      timing: { syncMs: 30, healthMs: 30, terminateMs: 10 },
      apps: [
        {
          name: 'payments-api-prod',
          project: 'payments',
          labels: { team: 'payments' },
          previousRevisions: ['1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e'],
          images: ['ghcr.io/acme/payments-api:1.41.2', 'docker.io/library/redis:7.2.5'],
        },
        { name: 'orders-dev', project: 'dev', autoSync: true, images: ['ghcr.io/acme/orders:1'] },
      ],
    });
    fake.setSyncWindows('payments-api-prod', [{ kind: 'allow', schedule: '* * * * *', duration: '1h' }]);
    api = createClient(fake);
  });
  afterAll(async () => {
    await fake.close();
  });

  it('Application and ApplicationList through a whole sync, rollback and terminate', async () => {
    fake.pushRevision('payments-api-prod', NEW, { images: ['ghcr.io/acme/payments-api:1.42.0'] });
    fake.pushRevision('orders-dev', NEW, { images: ['ghcr.io/acme/orders:2'] });
    const synced = await api.post('/api/v1/applications/payments-api-prod/sync', {
      revision: NEW,
      prune: true,
      strategy: { apply: { force: false } },
      syncOptions: { items: ['PruneLast=true'] },
      retryStrategy: { limit: 2, backoff: { duration: '5s', factor: 2, maxDuration: '1m' } },
      infos: [{ name: 'approvedBy', value: 'U0ALICE' }],
    });
    expectConforms(synced.data, 'v1alpha1Application');
    await waitFor(() => fake.app('payments-api-prod').status.operationState?.phase === 'Running');
    expectConforms((await api.get('/api/v1/applications/payments-api-prod')).data, 'v1alpha1Application');
    await waitFor(() => fake.app('payments-api-prod').status.health.status === 'Healthy');
    expectConforms((await api.get('/api/v1/applications')).data, 'v1alpha1ApplicationList');

    const rolledBack = await api.post('/api/v1/applications/payments-api-prod/rollback', {
      id: 0,
      prune: true,
    });
    expectConforms(rolledBack.data, 'v1alpha1Application');
    await waitFor(() => fake.app('payments-api-prod').status.operationState?.phase === 'Running');
    const terminated = await api.delete('/api/v1/applications/payments-api-prod/operation', {
      headers: { 'Content-Type': 'application/json' },
    });
    expectConforms(terminated.data, 'applicationOperationTerminateResponse');
    await waitFor(() => fake.app('payments-api-prod').status.operationState?.phase === 'Failed');
    expectConforms((await api.get('/api/v1/applications/payments-api-prod')).data, 'v1alpha1Application');
    expectConforms((await api.get('/api/v1/applications/orders-dev')).data, 'v1alpha1Application');
  });

  it('managed resources, resource tree, sync windows, revision metadata, can-i, userinfo', async () => {
    const base = '/api/v1/applications/payments-api-prod';
    expectConforms(
      (await api.get('/api/v1/applications/payments-api-prod/managed-resources')).data,
      'applicationManagedResourcesResponse',
    );
    expectConforms(
      (await api.get('/api/v1/applications/payments-api-prod/resource-tree')).data,
      'v1alpha1ApplicationTree',
    );
    expectConforms((await api.get(`${base}/syncwindows`)).data, 'applicationApplicationSyncWindowsResponse');
    expectConforms((await api.get(`${base}/revisions/${NEW}/metadata`)).data, 'v1alpha1RevisionMetadata');
    expectConforms(
      (await api.get('/api/v1/account/can-i/applications/get/payments/x')).data,
      'accountCanIResponse',
    );
    expectConforms((await api.get('/api/v1/session/userinfo')).data, 'sessionGetUserInfoResponse');
  });

  it('errors are runtimeError {error, code, message}', async () => {
    const res = await api.get('/api/v1/applications/missing');
    expect(res.status).toBe(403);
    expectConforms(res.data, 'runtimeError');
  });
});
