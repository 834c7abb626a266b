import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeArgoCd, startFakeArgoCd } from '../../../../sandbox/fake-argocd/index.js';
import { createArgoCdClient } from '../../../../src/clients/argocd/argocd-client.js';
import { ArgoCdError, GRPC } from '../../../../src/clients/argocd/argocd-error.js';
import { describeError } from '../../../../src/clients/describe-error.js';

const TOKEN = 'client-test-token';
const MANUAL = { instance: 'default', name: 'payments-api-prod', namespace: 'argocd', project: 'payments' };
const AUTO = { instance: 'default', name: 'payments-api-dev', namespace: 'argocd', project: 'payments' };
const DEPLOYED = '4f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const TARGET = '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c';

let fake: FakeArgoCd;
const client = (options: { token?: string; timeoutMs?: number } = {}) =>
  createArgoCdClient({
    baseUrl: `${fake.url}/`,
    token: options.token ?? TOKEN,
    retryBaseMs: 10,
    timeoutMs: options.timeoutMs,
  });
const requestsTo = (method: string, suffix: string) =>
  fake.requests.filter((r) => r.method === method && r.path.endsWith(suffix));

beforeAll(async () => {
  fake = await startFakeArgoCd({
    tokens: { [TOKEN]: 'deploybot' },
    timing: { syncMs: 5000, healthMs: 50 },
    apps: [
      {
        name: MANUAL.name,
        project: 'payments',
        revision: DEPLOYED,
        images: ['ghcr.io/acme/payments-api:1.41.2'],
      },
      { name: AUTO.name, project: 'payments', autoSync: true },
    ],
  });
  fake.pushRevision(MANUAL.name, TARGET, { images: ['ghcr.io/acme/payments-api:1.42.0'] });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.clearRequests());

describe('ArgoCdClient against the fake Argo CD', () => {
  it('reads an app with project and appNamespace, and lists apps', async () => {
    const app = await client().getApplication(MANUAL);
    expect(app.status?.sync?.status).toBe('OutOfSync');
    expect(app.status?.sync?.revision).toBe(TARGET);
    const [get] = requestsTo('GET', `/applications/${MANUAL.name}`);
    expect(get?.query).toMatchObject({ project: ['payments'], appNamespace: ['argocd'] });
    expect(get?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const names = (await client().listApplications('default')).map((a) => a.metadata.name);
    expect(names).toEqual([AUTO.name, MANUAL.name]);
  });

  it('sends project and appNamespace on every app call (metadata, resources, windows)', async () => {
    const argocd = client();
    await argocd.revisionMetadata(MANUAL, TARGET);
    await argocd.managedResources(MANUAL);
    await argocd.syncWindows(MANUAL);
    const calls = fake.requests.filter((r) => r.path.includes(MANUAL.name));
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.status).toBe(200);
      expect(call.unknownRoute).toBe(false);
      expect(call.query).toMatchObject({ project: ['payments'], appNamespace: ['argocd'] });
    }
  });

  it('POSTs a sync with Content-Type exactly application/json and scope in the body', async () => {
    const app = await client().sync(MANUAL, {
      revision: TARGET,
      infos: [{ name: 'Approved in Slack by', value: 'U0ALICE' }],
    });
    expect(app.operation).toBeTruthy();
    const [sync] = fake.syncRequests();
    expect(sync?.status).toBe(200);
    expect(sync?.headers.contentType).toBe('application/json');
    expect(sync?.body).toMatchObject({
      name: MANUAL.name,
      appNamespace: 'argocd',
      project: 'payments',
      revision: TARGET,
      prune: false,
      infos: [{ name: 'Approved in Slack by', value: 'U0ALICE' }],
    });
    expect(sync?.contractViolation).toBeUndefined();
  });

  it('carries the gRPC code of a refusal: FailedPrecondition for a sync while one runs', async () => {
    // The sync of the test before is still running (syncMs 5 s).
    const error = (await client()
      .sync(MANUAL, { revision: TARGET })
      .catch((e: unknown) => e)) as ArgoCdError;
    expect(error).toBeInstanceOf(ArgoCdError);
    expect(error.code).toBe('argocd_api_error');
    expect(error.httpStatus).toBe(400);
    expect(error.grpcCode).toBe(GRPC.failedPrecondition);
    expect(error.message).toBe('another operation is already in progress');
    expect(error.ambiguous).toBe(false);
    expect(fake.syncRequests()).toHaveLength(1);
  });

  it('DELETEs the running operation with Content-Type application/json and scope in the query', async () => {
    await client().terminateOperation(MANUAL);
    const [terminate] = requestsTo('DELETE', '/operation');
    expect(terminate?.status).toBe(200);
    expect(terminate?.headers.contentType).toBe('application/json');
    expect(terminate?.query).toMatchObject({ project: ['payments'], appNamespace: ['argocd'] });
    expect(terminate?.body).toBeUndefined();
    expect(terminate?.contractViolation).toBeUndefined();
    const deadline = Date.now() + 3000;
    while (fake.app(MANUAL.name).status.operationState?.message !== 'Operation terminated') {
      if (Date.now() > deadline) throw new Error('the operation was not terminated');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('retries a GET on 5xx and on a dropped connection, with backoff', async () => {
    fake.failNext({
      method: 'GET',
      pathPrefix: `/api/v1/applications/${MANUAL.name}`,
      status: 503,
      times: 2,
    });
    fake.failNext({ method: 'GET', pathPrefix: '/api/v1/applications', dropConnection: true, times: 1 });
    const app = await client().getApplication(MANUAL);
    expect(app.metadata.name).toBe(MANUAL.name);
    const gets = requestsTo('GET', `/applications/${MANUAL.name}`);
    // Two 503s, one dropped connection (recorded as 0), then the answer: three retries, the default.
    expect(gets.map((r) => r.status)).toEqual([503, 503, 0, 200]);
    const times = gets.map((r) => Date.parse(r.at));
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(5);
  });

  it('gives up on a GET after the configured retries, with the last error', async () => {
    fake.failNext({ method: 'GET', pathPrefix: '/api/v1/applications', status: 500, times: 4 });
    const error = await client()
      .getApplication(MANUAL)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgoCdError);
    expect((error as ArgoCdError).httpStatus).toBe(500);
    expect(requestsTo('GET', `/applications/${MANUAL.name}`)).toHaveLength(4);
  });

  it('never retries a POST, even on 503 (the sync may have landed)', async () => {
    fake.failNext({ method: 'POST', pathPrefix: `/api/v1/applications/${MANUAL.name}/sync`, status: 503 });
    const error = await client()
      .sync(MANUAL, { revision: TARGET })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgoCdError);
    expect((error as ArgoCdError).httpStatus).toBe(503);
    expect((error as ArgoCdError).ambiguous).toBe(true);
    expect(fake.syncRequests()).toHaveLength(1);
  });

  it('a POST whose connection was refused is not ambiguous (it never left), a reset one is', async () => {
    const refused = (await createArgoCdClient({ baseUrl: 'http://127.0.0.1:9', token: TOKEN })
      .sync(MANUAL, { revision: TARGET })
      .catch((e: unknown) => e)) as ArgoCdError;
    expect(refused.code).toBe('argocd_unreachable');
    expect(refused.ambiguous).toBe(false);
    fake.failNext({
      method: 'POST',
      pathPrefix: `/api/v1/applications/${MANUAL.name}/sync`,
      dropConnection: true,
    });
    const reset = (await client()
      .sync(MANUAL, { revision: TARGET })
      .catch((e: unknown) => e)) as ArgoCdError;
    expect(reset.code).toBe('argocd_unreachable');
    expect(reset.ambiguous).toBe(true);
  });

  it('carries NotFound (5) for an app outside its project and FailedPrecondition for rollback of auto-sync', async () => {
    const missing = (await client()
      .getApplication({ ...MANUAL, project: 'other' })
      .catch((e: unknown) => e)) as ArgoCdError;
    expect(missing.httpStatus).toBe(404);
    expect(missing.grpcCode).toBe(GRPC.notFound);
    expect(requestsTo('GET', `/applications/${MANUAL.name}`)).toHaveLength(1);

    const rollback = (await client()
      .rollback(AUTO, 0)
      .catch((e: unknown) => e)) as ArgoCdError;
    expect(rollback.grpcCode).toBe(GRPC.failedPrecondition);
    expect(rollback.message).toBe('rollback cannot be initiated when auto-sync is enabled');
    const [post] = requestsTo('POST', '/rollback');
    expect(post?.body).toMatchObject({ id: 0, project: 'payments', appNamespace: 'argocd', name: AUTO.name });
  });

  it('does not retry 401 and says Unauthenticated', async () => {
    const error = (await client({ token: 'wrong-token' })
      .getApplication(MANUAL)
      .catch((e: unknown) => e)) as ArgoCdError;
    expect(error.httpStatus).toBe(401);
    expect(error.grpcCode).toBe(GRPC.unauthenticated);
    expect(error.retryable).toBe(false);
    expect(requestsTo('GET', `/applications/${MANUAL.name}`)).toHaveLength(1);
  });

  it("tags its errors with the instance it talks to, so the user is told that instance's variable", async () => {
    const eu = createArgoCdClient({
      instance: 'eu',
      baseUrl: fake.url,
      token: 'wrong-token',
      retryBaseMs: 10,
    });
    const error = (await eu
      .getApplication({ ...MANUAL, instance: 'eu' })
      .catch((e: unknown) => e)) as ArgoCdError;
    expect(error.instance).toBe('eu');
    expect(describeError(error)).toContain('renew ARGOCD_EU_TOKEN');
    const unreachable = createArgoCdClient({
      instance: 'us',
      baseUrl: 'http://127.0.0.1:1',
      token: TOKEN,
      readRetries: 0,
    });
    expect(
      ((await unreachable.listApplications('us').catch((e: unknown) => e)) as ArgoCdError).instance,
    ).toBe('us');
    const byDefault = (await client({ token: 'wrong-token' })
      .getApplication(MANUAL)
      .catch((e: unknown) => e)) as ArgoCdError;
    expect(byDefault.instance).toBe('default');
    expect(describeError(byDefault)).toContain('renew ARGOCD_TOKEN.');
  });

  it('reports a timeout as argocd_timeout', async () => {
    fake.setLatency(300);
    try {
      const error = (await createArgoCdClient({
        baseUrl: fake.url,
        token: TOKEN,
        timeoutMs: 100,
        readRetries: 0,
      })
        .getApplication(MANUAL)
        .catch((e: unknown) => e)) as ArgoCdError;
      expect(error.code).toBe('argocd_timeout');
      expect(error.ambiguous).toBe(true);
    } finally {
      fake.setLatency(0);
    }
  });
});
