import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTANCE } from '../../../src/domain/card.js';
import { argocdEventsRoute } from '../../../src/inbound/argocd-events.js';
import { argocdNotificationSchema } from '../../../src/inbound/argocd-notification-schema.js';
import { Dispatcher, type InboundEvent } from '../../../src/inbound/dispatcher.js';
import { createLogger } from '../../../src/logging/create-logger.js';
import { MemoryStore } from '../../../src/store/memory-store.js';

const SECRET = 'argocd-webhook-secret-for-tests';
const logger = createLogger({ level: 'silent' });

function post(body: unknown): IncomingMessage {
  const raw = Buffer.from(JSON.stringify(body));
  const req = new PassThrough() as unknown as IncomingMessage & PassThrough;
  req.headers = {
    authorization: `Bearer ${SECRET}`,
    'content-type': 'application/json',
    'content-length': String(raw.length),
  };
  req.method = 'POST';
  req.url = '/argocd/events';
  req.end(raw);
  return req;
}

const res = { headersSent: true } as unknown as ServerResponse;

const notification = {
  event: 'on-out-of-sync',
  app: 'payments-api-prod',
  appNamespace: 'argocd',
  project: 'payments',
  revision: 'a'.repeat(40),
};

function harness(store = new MemoryStore()) {
  const dispatcher = new Dispatcher(logger);
  const events: Extract<InboundEvent, { type: 'argocd.notification' }>[] = [];
  dispatcher.on('argocd.notification', async (event) => {
    events.push(event);
  });
  return { store, dispatcher, events };
}

describe('POST /argocd/events: the Argo CD instance', () => {
  it('is the one whose secret matched (default today), whatever the body says', async () => {
    const h = harness();
    const route = argocdEventsRoute({ secret: SECRET, store: h.store, dispatcher: h.dispatcher, logger });
    const answer = await route.handle(post({ ...notification, instance: 'eu', appInstance: 'eu' }), res);
    expect(answer).toMatchObject({ status: 202, outcome: 'accepted' });
    expect(h.events).toHaveLength(1);
    expect(h.events[0]!.instance).toBe(DEFAULT_INSTANCE);
    // The default instance keeps the dedup key it had before instances existed.
    expect(h.events[0]!.deliveryKey).toBe(
      `argocd:on-out-of-sync:argocd/payments-api-prod:${'a'.repeat(40)}:::`,
    );
  });

  it("rides with the route's instance; one notification from two instances is not a duplicate", async () => {
    const h = harness();
    const deps = { secret: SECRET, store: h.store, dispatcher: h.dispatcher, logger };
    const defaultRoute = argocdEventsRoute(deps);
    const euRoute = argocdEventsRoute({ ...deps, instance: 'eu' });
    expect(await defaultRoute.handle(post(notification), res)).toMatchObject({ outcome: 'accepted' });
    expect(await euRoute.handle(post(notification), res)).toMatchObject({ outcome: 'accepted' });
    expect(await euRoute.handle(post(notification), res)).toMatchObject({ outcome: 'duplicate' });
    expect(h.events.map((e) => e.instance)).toEqual([DEFAULT_INSTANCE, 'eu']);
    expect(h.events[1]!.deliveryKey).toBe(
      `argocd:on-out-of-sync:eu/argocd/payments-api-prod:${'a'.repeat(40)}:::`,
    );
  });
});

describe('argocdNotificationSchema: names that make store keys', () => {
  it('takes a Kubernetes namespace (or none) and refuses one with "/" that could alias another instance', () => {
    const base = { event: 'on-out-of-sync', app: 'kafka-prod', revision: 'a'.repeat(40) };
    expect(argocdNotificationSchema.safeParse({ ...base, appNamespace: 'argocd' }).success).toBe(true);
    expect(argocdNotificationSchema.safeParse({ ...base, appNamespace: '' }).success).toBe(true);
    expect(argocdNotificationSchema.safeParse(base).success).toBe(true);
    for (const appNamespace of ['eu/argocd', 'Argocd', '-argocd', 'a'.repeat(64), 'argo cd']) {
      const parsed = argocdNotificationSchema.safeParse({ ...base, appNamespace });
      expect(parsed.success, appNamespace).toBe(false);
    }
  });
});

describe('POST /argocd/events: one secret per instance', () => {
  const EU = 'eu-notifications-secret-0123456789';
  const US = 'us-notifications-secret-9876543210';
  const postWith = (secret: string, body: unknown) => {
    const req = post(body);
    req.headers.authorization = `Bearer ${secret}`;
    return req;
  };

  it('tags each notification with the instance whose secret it bears; a secret of none is 401', async () => {
    const h = harness();
    const route = argocdEventsRoute({
      secrets: [
        { instance: 'eu', secret: EU },
        { instance: 'us', secret: US },
      ],
      store: h.store,
      dispatcher: h.dispatcher,
      logger,
    });
    expect(await route.handle(postWith(US, { ...notification, instance: 'eu' }), res)).toMatchObject({
      status: 202,
      outcome: 'accepted',
    });
    expect(await route.handle(postWith(EU, notification), res)).toMatchObject({ outcome: 'accepted' });
    expect(await route.handle(postWith(SECRET, notification), res)).toMatchObject({
      status: 401,
      outcome: 'unauthorized',
    });
    expect(h.events.map((e) => e.instance)).toEqual(['us', 'eu']);
  });
});
