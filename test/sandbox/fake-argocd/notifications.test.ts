import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AppSeed,
  type FakeArgoCd,
  type NotificationOptions,
  startFakeArgoCd,
} from '../../../sandbox/fake-argocd/index.js';
import { createClient, type Receiver, shapeDifferences, startReceiver, waitFor } from './helpers.js';

const CURRENT = '4f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const NEW = '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c';
const APP = 'payments-api-prod';

// The app of the example bodies, so the values match too, not only the shape.
const PAYMENTS: AppSeed = {
  name: APP,
  project: 'payments',
  repoURL: 'https://github.com/acme/deploy-manifests.git',
  path: 'apps/payments-api/overlays/prod',
  destination: { namespace: 'payments', server: 'https://kubernetes.default.svc' },
  revision: CURRENT,
  previousRevisions: ['1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e'],
  images: ['ghcr.io/acme/payments-api:1.41.2', 'docker.io/library/redis:7.2.5'],
};

function example(name: string): Record<string, unknown> {
  const url = new URL(`../../contracts/argocd/notifications/example-${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

let receiver: Receiver | undefined;
let fake: FakeArgoCd | undefined;

async function start(
  notifications: Partial<NotificationOptions> = {},
  syncMs = 40,
): Promise<{ fake: FakeArgoCd; receiver: Receiver }> {
  receiver = await startReceiver();
  fake = await startFakeArgoCd({
    apps: [PAYMENTS],
    timing: { syncMs, healthMs: 40, terminateMs: 20 },
    notifications: { url: receiver.url, secret: 'webhook-secret', retryWaitMs: 10, ...notifications },
  });
  return { fake, receiver };
}

afterEach(async () => {
  await fake?.close();
  await receiver?.close();
  fake = undefined;
  receiver = undefined;
});

const eventsOf = (r: Receiver) => r.received.map((n) => n.body.event);
const received = (r: Receiver, event: string) =>
  waitFor(() => r.received.find((n) => n.body.event === event));

async function sync(f: FakeArgoCd, body: Record<string, unknown> = { revision: NEW, project: 'payments' }) {
  const res = await createClient(f).post(`/api/v1/applications/${APP}/sync`, body);
  expect(res.status).toBe(200);
}

function expectLikeExample(body: Record<string, unknown>, name: string, compareHealth = true): void {
  const expected = example(name);
  expect(shapeDifferences(body, expected)).toEqual([]);
  for (const key of ['event', 'app', 'appNamespace', 'project', 'syncStatus', 'revision', 'operationPhase']) {
    expect(body[key], key).toBe(expected[key]);
  }
  if (compareHealth) expect(body.healthStatus).toBe(expected.healthStatus);
}

describe('notification bodies match the rendered examples of the recommended templates', () => {
  it('POSTs on-out-of-sync to /argocd/events with the bearer secret when a manual app falls behind Git', async () => {
    const { fake: f, receiver: r } = await start();
    f.pushRevision(APP, NEW);
    const n = await received(r, 'on-out-of-sync');
    expect(n.method).toBe('POST');
    expect(n.path).toBe('/argocd/events');
    expect(n.headers['content-type']).toBe('application/json');
    expect(n.headers.authorization).toBe('Bearer webhook-secret');
    expectLikeExample(n.body, 'on-out-of-sync');
    expect(n.body.argocdUrl).toBe(f.url);
    expect(n.body.deliveredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('sends on-sync-running and on-deployed bodies shaped like the examples', async () => {
    const { fake: f, receiver: r } = await start();
    f.pushRevision(APP, NEW, {
      images: ['ghcr.io/acme/payments-api:1.42.0', 'docker.io/library/redis:7.2.5'],
    });
    await sync(f);
    const running = await received(r, 'on-sync-running');
    expectLikeExample(running.body, 'on-sync-running');
    const deployed = await received(r, 'on-deployed');
    expectLikeExample(deployed.body, 'on-deployed');
    const history = (deployed.body.application as { status: { history: Array<{ id: unknown }> } }).status
      .history;
    expect(history.map((h) => h.id)).toEqual([0, 1, 2]);
    await f.whenNotificationsIdle();
    expect(eventsOf(r)).toEqual(['on-out-of-sync', 'on-sync-running', 'on-sync-succeeded', 'on-deployed']);
  });

  it('sends on-sync-failed shaped like the example when the apply fails', async () => {
    const { fake: f, receiver: r } = await start();
    f.pushRevision(APP, NEW);
    f.failNextSync(APP, 'Deployment.apps "payments-api" is invalid');
    await sync(f);
    const failed = await received(r, 'on-sync-failed');
    expectLikeExample(failed.body, 'on-sync-failed');
  });

  it('sends on-sync-failed with "Operation terminated" after a terminate, shaped like the example', async () => {
    const { fake: f, receiver: r } = await start({}, 60_000);
    f.pushRevision(APP, NEW);
    await sync(f);
    await received(r, 'on-sync-running');
    await createClient(f).delete(`/api/v1/applications/${APP}/operation`, {
      headers: { 'Content-Type': 'application/json' },
    });
    const failed = await received(r, 'on-sync-failed');
    // The example's app also went Degraded; the fake restores the health it had before the operation.
    expectLikeExample(failed.body, 'on-sync-failed-terminated', false);
    const os = (failed.body.application as { status: { operationState: { message: string } } }).status
      .operationState;
    expect(os.message).toBe('Operation terminated');
  });

  it('sends on-health-degraded shaped like the example when a deployed app degrades', async () => {
    const { fake: f, receiver: r } = await start();
    f.pushRevision(APP, NEW);
    await sync(f);
    await received(r, 'on-deployed');
    f.degrade(APP);
    const degraded = await received(r, 'on-health-degraded');
    expectLikeExample(degraded.body, 'on-health-degraded');
  });
});

describe('oncePer: a value is never notified twice', () => {
  it('does not notify on-out-of-sync again for the same Git revision, but does for the next one', async () => {
    const { fake: f, receiver: r } = await start();
    f.pushRevision(APP, NEW);
    f.pushRevision(APP, NEW);
    f.pushRevision(APP, 'cccccccccccccccccccccccccccccccccccccccc');
    await f.whenNotificationsIdle();
    expect(r.received.map((n) => [n.body.event, n.body.revision])).toEqual([
      ['on-out-of-sync', NEW],
      ['on-out-of-sync', 'cccccccccccccccccccccccccccccccccccccccc'],
    ]);
  });

  it('sends nothing for a second sync of a revision already synced (oncePer syncResult.revision)', async () => {
    const { fake: f, receiver: r } = await start();
    f.pushRevision(APP, NEW);
    await sync(f);
    await received(r, 'on-deployed');
    await sync(f);
    await waitFor(() => f.app(APP).status.health.status === 'Healthy' && !f.app(APP).operation);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await f.whenNotificationsIdle();
    expect(eventsOf(r)).toEqual(['on-out-of-sync', 'on-sync-running', 'on-sync-succeeded', 'on-deployed']);
  });

  it('counts the seeded state as already notified', async () => {
    const { fake: f, receiver: r } = await start();
    f.addApp({ name: 'degraded-prod', health: 'Degraded' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await f.whenNotificationsIdle();
    expect(r.received).toEqual([]);
  });
});

describe('delivery like the webhook service (retryablehttp)', () => {
  it('retries a 5xx, so the receiver sees the same body twice', async () => {
    const { fake: f, receiver: r } = await start();
    r.answerNext(503);
    f.pushRevision(APP, NEW);
    await f.whenNotificationsIdle();
    expect(r.received.map((n) => n.answered)).toEqual([503, 202]);
    expect(r.received[1]?.text).toBe(r.received[0]?.text);
    expect(f.sentNotifications.map((s) => [s.event, s.attempt, s.status])).toEqual([
      ['on-out-of-sync', 1, 503],
      ['on-out-of-sync', 2, 202],
    ]);
  });

  it('gives up after retryMax retries and, with oncePer, does not send it again', async () => {
    const { fake: f, receiver: r } = await start({ retryMax: 2 });
    r.answerNext(500, 502, 503);
    f.pushRevision(APP, NEW);
    await f.whenNotificationsIdle();
    expect(r.received.map((n) => n.answered)).toEqual([500, 502, 503]);
    f.pushRevision(APP, NEW);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await f.whenNotificationsIdle();
    expect(r.received).toHaveLength(3);
  });

  it('does not retry a 4xx', async () => {
    const { fake: f, receiver: r } = await start();
    r.answerNext(401);
    f.pushRevision(APP, NEW);
    await f.whenNotificationsIdle();
    expect(r.received.map((n) => n.answered)).toEqual([401]);
  });

  it('re-sends a failed notification later when resendFailedAfterMs is set', async () => {
    const { fake: f, receiver: r } = await start({ retryMax: 0, resendFailedAfterMs: 30 });
    r.answerNext(503);
    f.pushRevision(APP, NEW);
    await waitFor(() => r.received.length === 2);
    expect(r.received.map((n) => [n.body.event, n.answered])).toEqual([
      ['on-out-of-sync', 503],
      ['on-out-of-sync', 202],
    ]);
  });

  it('sends every notification twice with duplicateNotifications(true)', async () => {
    const { fake: f, receiver: r } = await start();
    f.duplicateNotifications(true);
    f.pushRevision(APP, NEW);
    await f.whenNotificationsIdle();
    expect(eventsOf(r)).toEqual(['on-out-of-sync', 'on-out-of-sync']);
    expect(r.received[0]?.text).toBe(r.received[1]?.text);
  });

  it('loses notifications while paused and does not send them after resume', async () => {
    const { fake: f, receiver: r } = await start();
    f.pauseNotifications();
    f.pushRevision(APP, NEW);
    f.resumeNotifications();
    f.pushRevision(APP, 'dddddddddddddddddddddddddddddddddddddddd');
    await f.whenNotificationsIdle();
    expect(r.received.map((n) => n.body.revision)).toEqual(['dddddddddddddddddddddddddddddddddddddddd']);
    expect(f.sentNotifications[0]).toMatchObject({
      event: 'on-out-of-sync',
      lost: true,
      attempt: 0,
      status: null,
    });
  });

  it('resendLast() re-delivers the identical body, sendNotification() forces one', async () => {
    const { fake: f, receiver: r } = await start();
    f.pushRevision(APP, NEW);
    await f.whenNotificationsIdle();
    await f.resendLast(APP);
    expect(r.received).toHaveLength(2);
    expect(r.received[1]?.text).toBe(r.received[0]?.text);
    await f.sendNotification('on-deployed', APP);
    expect(r.received[2]?.body).toMatchObject({ event: 'on-deployed', revision: CURRENT, app: APP });
  });
});
