import { afterEach, describe, expect, it } from 'vitest';
import { type AppSeed, type FakeArgoCd, startFakeArgoCd } from '../../../sandbox/fake-argocd/index.js';
import { createClient, waitFor } from './helpers.js';

const OLD = '1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e';
const CURRENT = '4f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const NEW = '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c';

const PAYMENTS: AppSeed = {
  name: 'payments-api-prod',
  project: 'payments',
  revision: CURRENT,
  previousRevisions: [OLD],
  images: ['ghcr.io/acme/payments-api:1.41.2', 'docker.io/library/redis:7.2.5'],
};

let fake: FakeArgoCd | undefined;

async function start(seeds: AppSeed[], timing = { syncMs: 40, healthMs: 40 }): Promise<FakeArgoCd> {
  fake = await startFakeArgoCd({ apps: seeds, timing: { ...timing, terminateMs: 20 } });
  return fake;
}

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const phaseOf = (f: FakeArgoCd, name: string) => f.app(name).status.operationState?.phase;

describe('operation lifecycle (application controller)', () => {
  it('queues the sync: the response carries `operation` and no operationState, then Running, Succeeded, Healthy', async () => {
    const f = await start([PAYMENTS]);
    f.pushRevision('payments-api-prod', NEW, {
      images: ['ghcr.io/acme/payments-api:1.42.0', 'docker.io/library/redis:7.2.5'],
    });
    const res = await createClient(f).post('/api/v1/applications/payments-api-prod/sync', {
      revision: NEW,
      project: 'payments',
      appNamespace: 'argocd',
      infos: [{ name: 'approvedBy', value: 'U0ALICE' }],
    });
    expect(res.status).toBe(200);
    expect(res.data.operation).toEqual({
      sync: { revision: NEW, syncOptions: ['CreateNamespace=true'] },
      initiatedBy: { username: 'deploybot' },
      info: [{ name: 'approvedBy', value: 'U0ALICE' }],
    });
    expect(res.data.status.operationState).toBeUndefined();

    await waitFor(() => phaseOf(f, 'payments-api-prod') === 'Running');
    const running = f.app('payments-api-prod');
    expect(running.operation).toBeDefined();
    expect(running.status.health.status).toBe('Progressing');
    expect(running.status.operationState?.syncResult?.revision).toBe(NEW);

    await waitFor(() => f.app('payments-api-prod').status.health.status === 'Healthy');
    const done = f.app('payments-api-prod');
    expect(done.operation).toBeUndefined();
    expect(done.status.operationState).toMatchObject({
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
    });
    expect(done.status.operationState?.operation.info).toEqual([{ name: 'approvedBy', value: 'U0ALICE' }]);
    expect(done.status.sync).toMatchObject({ status: 'Synced', revision: NEW });
    expect(done.status.summary.images).toEqual([
      'ghcr.io/acme/payments-api:1.42.0',
      'docker.io/library/redis:7.2.5',
    ]);
    expect(done.status.history?.map((h) => [h.id, h.revision, h.initiatedBy?.username])).toEqual([
      [0, OLD, 'admin'],
      [1, CURRENT, 'admin'],
      [2, NEW, 'deploybot'],
    ]);
  });

  it('appends history only for a successful, non-dry-run, non-partial sync', async () => {
    const f = await start([PAYMENTS]);
    const api = createClient(f);
    f.pushRevision('payments-api-prod', NEW);
    const historyLength = () => f.app('payments-api-prod').status.history?.length;

    f.failNextSync('payments-api-prod', 'Deployment.apps "payments-api" is invalid');
    await api.post('/api/v1/applications/payments-api-prod/sync', { revision: NEW });
    await waitFor(() => phaseOf(f, 'payments-api-prod') === 'Failed');
    const failed = f.app('payments-api-prod');
    expect(failed.status.operationState?.message).toBe(
      'one or more objects failed to apply, reason: Deployment.apps "payments-api" is invalid',
    );
    expect(failed.status.sync.status).toBe('OutOfSync');
    expect(historyLength()).toBe(2);

    await api.post('/api/v1/applications/payments-api-prod/sync', { revision: NEW, dryRun: true });
    await waitFor(() => phaseOf(f, 'payments-api-prod') === 'Succeeded');
    expect(historyLength()).toBe(2);
    expect(f.app('payments-api-prod').status.sync.status).toBe('OutOfSync');

    await api.post('/api/v1/applications/payments-api-prod/sync', {
      revision: NEW,
      resources: [
        { group: 'apps', kind: 'Deployment', name: 'payments-api', namespace: 'payments-api-prod' },
      ],
    });
    await waitFor(
      () => f.app('payments-api-prod').status.operationState?.operation.sync.resources !== undefined,
    );
    await waitFor(() => phaseOf(f, 'payments-api-prod') === 'Succeeded');
    expect(historyLength()).toBe(2);

    await api.post('/api/v1/applications/payments-api-prod/sync', { revision: NEW });
    await waitFor(() => historyLength() === 3);
    expect(f.app('payments-api-prod').status.history?.at(-1)).toMatchObject({ id: 2, revision: NEW });
  });

  it('keeps only the last operation in operationState, and caps history at revisionHistoryLimit', async () => {
    const f = await start([{ ...PAYMENTS, revisionHistoryLimit: 2 }]);
    const api = createClient(f);
    for (const sha of [NEW, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
      f.pushRevision('payments-api-prod', sha);
      await api.post('/api/v1/applications/payments-api-prod/sync', {});
      await waitFor(() => f.app('payments-api-prod').status.history?.at(-1)?.revision === sha);
    }
    const app = f.app('payments-api-prod');
    expect(app.status.operationState?.operation.sync.revision).toBe(
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    );
    expect(app.status.history?.map((h) => h.id)).toEqual([2, 3]);
  });

  it('leaves the app OutOfSync after a rollback, because Git still points at the new commit', async () => {
    const f = await start([PAYMENTS]);
    const api = createClient(f);
    f.pushRevision('payments-api-prod', NEW, { images: ['ghcr.io/acme/payments-api:1.42.0'] });
    await api.post('/api/v1/applications/payments-api-prod/sync', { revision: NEW });
    await waitFor(() => f.app('payments-api-prod').status.history?.length === 3);

    const res = await api.post('/api/v1/applications/payments-api-prod/rollback', {
      id: 1,
      project: 'payments',
    });
    expect(res.status).toBe(200);
    expect(res.data.operation.sync).toMatchObject({ revision: CURRENT, syncStrategy: { apply: {} } });
    await waitFor(() => f.app('payments-api-prod').status.history?.length === 4);
    const app = f.app('payments-api-prod');
    expect(app.status.sync).toMatchObject({ status: 'OutOfSync', revision: NEW });
    expect(app.status.history?.at(-1)).toMatchObject({ id: 3, revision: CURRENT });
    expect(app.status.summary.images).toEqual([
      'ghcr.io/acme/payments-api:1.41.2',
      'docker.io/library/redis:7.2.5',
    ]);
  });

  it('treats a missing rollback id as 0', async () => {
    const f = await start([PAYMENTS]);
    const res = await createClient(f).post('/api/v1/applications/payments-api-prod/rollback', {});
    expect(res.status).toBe(200);
    expect(res.data.operation.sync.revision).toBe(OLD);
  });

  it('terminates: Terminating, then Failed with "Operation terminated"', async () => {
    const f = await start([PAYMENTS], { syncMs: 60_000, healthMs: 40 });
    const api = createClient(f);
    f.pushRevision('payments-api-prod', NEW);
    await api.post('/api/v1/applications/payments-api-prod/sync', {});
    await waitFor(() => phaseOf(f, 'payments-api-prod') === 'Running');
    const res = await api.delete('/api/v1/applications/payments-api-prod/operation', {
      headers: { 'Content-Type': 'application/json' },
      params: { project: 'payments', appNamespace: 'argocd' },
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({});
    expect(phaseOf(f, 'payments-api-prod')).toBe('Terminating');
    await waitFor(() => phaseOf(f, 'payments-api-prod') === 'Failed');
    const app = f.app('payments-api-prod');
    expect(app.status.operationState?.message).toBe('Operation terminated');
    expect(app.operation).toBeUndefined();
    expect(app.status.history?.length).toBe(2);
  });
});

describe('Git moves (pushRevision)', () => {
  it('turns a manual app OutOfSync at the new revision and starts nothing', async () => {
    const f = await start([PAYMENTS]);
    f.pushRevision('payments-api-prod', NEW, { images: ['ghcr.io/acme/payments-api:1.42.0'] });
    const app = f.app('payments-api-prod');
    expect(app.status.sync).toMatchObject({ status: 'OutOfSync', revision: NEW });
    expect(app.operation).toBeUndefined();
    const diff = await createClient(f).get('/api/v1/applications/payments-api-prod/managed-resources');
    const byName = Object.fromEntries(diff.data.items.map((i: { name: string }) => [i.name, i]));
    expect(byName['payments-api']).toMatchObject({ modified: true, kind: 'Deployment', group: 'apps' });
    const live = JSON.parse(byName['payments-api'].liveState);
    const target = JSON.parse(byName['payments-api'].targetState);
    expect(live.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/payments-api:1.41.2');
    expect(target.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/payments-api:1.42.0');
    // redis is gone from the new revision: its target side is the string "null".
    expect(byName.redis).toMatchObject({ modified: true, targetState: 'null' });
  });

  it('makes an auto-sync app sync itself (initiatedBy.automated) through the whole lifecycle', async () => {
    const f = await start([
      { name: 'orders-dev', project: 'dev', autoSync: true, images: ['ghcr.io/acme/orders:1'] },
    ]);
    f.pushRevision('orders-dev', NEW, { images: ['ghcr.io/acme/orders:2'] });
    await waitFor(() => phaseOf(f, 'orders-dev') === 'Running');
    expect(f.app('orders-dev').status.operationState?.operation.initiatedBy).toEqual({ automated: true });
    await waitFor(
      () =>
        f.app('orders-dev').status.health.status === 'Healthy' && phaseOf(f, 'orders-dev') === 'Succeeded',
    );
    const app = f.app('orders-dev');
    expect(app.status.sync).toMatchObject({ status: 'Synced', revision: NEW });
    expect(app.status.history?.at(-1)?.initiatedBy).toEqual({ automated: true });
  });

  it('does not auto-sync inside a deny window (the controller checks CanSync(isManual=false))', async () => {
    const f = await start([{ name: 'orders-dev', autoSync: true }]);
    f.setSyncWindows('orders-dev', [
      { kind: 'deny', schedule: '* * * * *', duration: '1h', manualSync: true },
    ]);
    f.pushRevision('orders-dev', NEW);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const app = f.app('orders-dev');
    expect(app.operation).toBeUndefined();
    expect(app.status.sync).toMatchObject({ status: 'OutOfSync', revision: NEW });
  });

  it('does not auto-sync again a revision whose automated sync failed', async () => {
    const f = await start([{ name: 'orders-dev', autoSync: true }]);
    f.failNextSync('orders-dev');
    f.pushRevision('orders-dev', NEW);
    await waitFor(() => phaseOf(f, 'orders-dev') === 'Failed');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(phaseOf(f, 'orders-dev')).toBe('Failed');
    expect(f.app('orders-dev').status.sync.status).toBe('OutOfSync');
  });
});

describe('scenario controls', () => {
  it('degrade() turns health Degraded and a resource-tree Pod says why', async () => {
    const f = await start([PAYMENTS]);
    f.degrade('payments-api-prod');
    expect(f.app('payments-api-prod').status.health.status).toBe('Degraded');
    const tree = await createClient(f).get('/api/v1/applications/payments-api-prod/resource-tree');
    const pod = tree.data.nodes.find((n: { kind: string }) => n.kind === 'Pod');
    expect(pod.health.status).toBe('Degraded');
    expect(pod.parentRefs[0].kind).toBe('ReplicaSet');
  });

  it('failNext() injects a status for matching requests, times times, then serves normally', async () => {
    const f = await start([PAYMENTS]);
    const api = createClient(f);
    f.failNext({ method: 'GET', pathPrefix: '/api/v1/applications/', status: 503, times: 2 });
    expect((await api.get('/api/v1/applications/payments-api-prod')).status).toBe(503);
    expect((await api.get('/api/v1/applications/payments-api-prod')).status).toBe(503);
    expect((await api.get('/api/v1/applications/payments-api-prod')).status).toBe(200);
    expect(f.requests.filter((r) => r.injectedFault).length).toBe(2);
  });

  it('setLatency() beyond the client timeout makes the client time out', async () => {
    const f = await start([PAYMENTS]);
    f.setLatency(300);
    const started = Date.now();
    await expect(createClient(f).get('/api/v1/applications', { timeout: 100 })).rejects.toThrow(/timeout/);
    expect(Date.now() - started).toBeLessThan(290);
  });

  it('failNext({ dropConnection }) is a network error for the client', async () => {
    const f = await start([PAYMENTS]);
    f.failNext({ dropConnection: true });
    await expect(createClient(f).get('/api/v1/applications')).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('serves revision metadata from the revisionMetadata option, and 500 for a revision it does not know', async () => {
    fake = await startFakeArgoCd({
      apps: [PAYMENTS],
      revisionMetadata: (sha, app) =>
        sha === NEW
          ? {
              author: 'Alice <alice@acme.example>',
              date: '2026-05-14T09:30:00Z',
              message: `fix ${app.path}`,
              tags: ['v1.42.0'],
            }
          : undefined,
    });
    const api = createClient(fake);
    const res = await api.get(`/api/v1/applications/payments-api-prod/revisions/${NEW}/metadata`, {
      params: { project: 'payments', appNamespace: 'argocd' },
    });
    expect(res.data).toEqual({
      author: 'Alice <alice@acme.example>',
      date: '2026-05-14T09:30:00Z',
      message: 'fix apps/payments-api-prod',
      tags: ['v1.42.0'],
    });
    const unknown = await api.get(`/api/v1/applications/payments-api-prod/revisions/${OLD}/metadata`);
    expect(unknown.status).toBe(500);
  });

  it('records requests with the headers the checks use, and syncRequests() picks the syncs', async () => {
    const f = await start([PAYMENTS]);
    const api = createClient(f);
    await api.get('/api/v1/applications', {
      params: { projects: ['payments', 'dev'], selector: 'team=pay' },
      paramsSerializer: { indexes: null },
    });
    await api.post('/api/v1/applications/payments-api-prod/sync', { dryRun: true });
    const [list, sync] = f.requests;
    expect(list?.query).toEqual({ projects: ['payments', 'dev'], selector: ['team=pay'] });
    expect(sync).toMatchObject({
      method: 'POST',
      body: { dryRun: true },
      status: 200,
      unknownRoute: false,
      headers: { authorization: `Bearer ${f.token}`, contentType: 'application/json' },
    });
    expect(f.syncRequests()).toEqual([sync]);
  });

  it('filters the list by label selector, projects and name', async () => {
    const f = await start([
      { ...PAYMENTS, labels: { team: 'pay' } },
      { name: 'orders-dev', project: 'dev', labels: { team: 'orders' } },
    ]);
    const names = async (params: Record<string, unknown>) =>
      (
        await createClient(f).get('/api/v1/applications', { params, paramsSerializer: { indexes: null } })
      ).data.items.map((a: { metadata: { name: string } }) => a.metadata.name);
    expect(await names({ selector: 'team=pay' })).toEqual(['payments-api-prod']);
    expect(await names({ selector: 'team!=pay' })).toEqual(['orders-dev']);
    expect(await names({ projects: ['dev'] })).toEqual(['orders-dev']);
    expect(await names({ name: 'payments-api-prod' })).toEqual(['payments-api-prod']);
    expect(await names({})).toEqual(['orders-dev', 'payments-api-prod']);
  });
});
