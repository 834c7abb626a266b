import { afterEach, describe, expect, it } from 'vitest';
import { instanceCredentials } from '../../../sandbox/world/argocd-instances.js';
import { startWorld, WORLD_SECRETS, type World } from '../../../sandbox/world/start-world.js';
import { createClient, type Receiver, startReceiver, waitFor } from '../fake-argocd/helpers.js';

let world: World | undefined;
let receiver: Receiver | undefined;

afterEach(async () => {
  await world?.close();
  await receiver?.close();
  world = undefined;
  receiver = undefined;
});

/** A world whose "bot" is a receiver recording what each fake Argo CD delivers to /argocd/events. */
async function twoInstanceWorld(): Promise<{ world: World; receiver: Receiver }> {
  receiver = await startReceiver();
  world = await startWorld({
    instances: ['eu', 'us'],
    botPort: Number(new URL(receiver.url).port),
    timing: { syncMs: 20, healthMs: 20 },
  });
  return { world, receiver };
}

const bearer = (secret: string) => `Bearer ${secret}`;

describe('the sandbox world with two Argo CD instances', () => {
  it('gives the bot multi-instance variables and none of the single-instance ones', async () => {
    const { world } = await twoInstanceWorld();
    const eu = world.argocdOn('eu');
    const us = world.argocdOn('us');
    expect(world.instances).toEqual(['eu', 'us']);
    expect(world.multiInstance).toBe(true);
    expect(world.argocd).toBe(eu);
    expect(Object.keys(world.argocdInstances)).toEqual(['eu', 'us']);
    expect(eu.url).not.toBe(us.url);
    expect(world.env).toMatchObject({
      ARGOCD_INSTANCES: 'eu,us',
      ARGOCD_EU_URL: eu.url,
      ARGOCD_EU_UI_URL: eu.url,
      ARGOCD_EU_TOKEN: instanceCredentials('eu').token,
      ARGOCD_EU_WEBHOOK_SECRET: instanceCredentials('eu').webhookSecret,
      ARGOCD_US_URL: us.url,
      ARGOCD_US_UI_URL: us.url,
      ARGOCD_US_TOKEN: instanceCredentials('us').token,
      ARGOCD_US_WEBHOOK_SECRET: instanceCredentials('us').webhookSecret,
    });
    for (const legacy of ['ARGOCD_URL', 'ARGOCD_TOKEN', 'ARGOCD_WEBHOOK_SECRET', 'ARGOCD_UI_URL'])
      expect(world.env, legacy).not.toHaveProperty(legacy);
    expect(instanceCredentials('eu').token).not.toBe(instanceCredentials('us').token);
    expect(instanceCredentials('eu').webhookSecret).not.toBe(instanceCredentials('us').webhookSecret);
    expect(() => world.argocdOn('asia')).toThrow(/no Argo CD instance "asia" \(it has eu, us\)/);
  });

  it('has each fake take only its own token', async () => {
    const { world } = await twoInstanceWorld();
    const eu = world.argocdOn('eu');
    const us = world.argocdOn('us');
    const euToken = world.env.ARGOCD_EU_TOKEN!;
    const usToken = world.env.ARGOCD_US_TOKEN!;
    expect((await createClient(eu, euToken).get('/api/v1/applications')).status).toBe(200);
    expect((await createClient(us, usToken).get('/api/v1/applications')).status).toBe(200);
    expect((await createClient(us, euToken).get('/api/v1/applications')).status).toBe(401);
    expect((await createClient(eu, usToken).get('/api/v1/applications')).status).toBe(401);
    expect((await createClient(eu, WORLD_SECRETS.ARGOCD_TOKEN).get('/api/v1/applications')).status).toBe(401);
  });

  it('seeds an app on one instance only, and each instance notifies with its own secret', async () => {
    const { world, receiver } = await twoInstanceWorld();
    const eu = world.argocdOn('eu');
    const us = world.argocdOn('us');
    // The seed's apps live on the first instance.
    expect(eu.apps().map((a) => a.metadata.name)).toContain('event-ingestion-prod');
    expect(us.apps()).toEqual([]);

    const ref = world.addApp({ instance: 'us', name: 'event-ingestion-us-prod' });
    expect(ref).toEqual({ instance: 'us', name: 'event-ingestion-us-prod' });
    expect(us.apps().map((a) => a.metadata.name)).toEqual(['event-ingestion-us-prod']);
    expect(() => eu.app('event-ingestion-us-prod')).toThrow();
    const added = us.app('event-ingestion-us-prod');
    expect(added.status.sync.status).toBe('Synced');
    expect(added.status.sync.revision).toBe(world.headOf('main'));
    expect(added.status.summary?.images?.some((i) => i.startsWith('docker.io/gamemetrics/'))).toBe(true);

    const sha = await world.pushCommit({ author: 'dave', alsoMove: [ref] });
    const outOfSync = (app: string) =>
      waitFor(() => receiver.received.find((n) => n.body.app === app && n.body.event === 'on-out-of-sync'));
    const fromEu = await outOfSync('event-ingestion-prod');
    const fromUs = await outOfSync('event-ingestion-us-prod');
    expect(fromEu.path).toBe('/argocd/events');
    expect(fromUs.path).toBe('/argocd/events');
    expect(fromEu.headers.authorization).toBe(bearer(world.env.ARGOCD_EU_WEBHOOK_SECRET!));
    expect(fromUs.headers.authorization).toBe(bearer(world.env.ARGOCD_US_WEBHOOK_SECRET!));
    expect(fromUs.body.revision).toBe(sha);
    expect(us.app('event-ingestion-us-prod').status.sync.status).toBe('OutOfSync');
    expect(us.sentNotifications.every((n) => n.app === 'event-ingestion-us-prod')).toBe(true);
    expect(eu.sentNotifications.some((n) => n.app === 'event-ingestion-us-prod')).toBe(false);
  });

  it('refuses instance names the bot would refuse, before starting anything', async () => {
    await expect(startWorld({ instances: ['EU'] })).rejects.toThrow(/"EU" is not an instance name/);
    await expect(startWorld({ instances: ['eu', 'eu'] })).rejects.toThrow(/"eu" is named twice/);
    await expect(startWorld({ instances: [] })).rejects.toThrow(/at least one instance/);
  });
});

describe('the default sandbox world', () => {
  it('keeps one instance, "default", configured by the single-instance variables', async () => {
    world = await startWorld({ timing: { syncMs: 20, healthMs: 20 } });
    expect(world.instances).toEqual(['default']);
    expect(world.multiInstance).toBe(false);
    expect(world.argocdInstances).toEqual({ default: world.argocd });
    expect(world.argocdOn('default')).toBe(world.argocd);
    expect(world.env).toMatchObject({
      ARGOCD_URL: world.argocd.url,
      ARGOCD_UI_URL: world.argocd.url,
      ARGOCD_TOKEN: WORLD_SECRETS.ARGOCD_TOKEN,
      ARGOCD_WEBHOOK_SECRET: WORLD_SECRETS.ARGOCD_WEBHOOK_SECRET,
    });
    expect(
      Object.keys(world.env)
        .filter((k) => k.startsWith('ARGOCD_'))
        .sort(),
    ).toEqual(['ARGOCD_TOKEN', 'ARGOCD_UI_URL', 'ARGOCD_URL', 'ARGOCD_WEBHOOK_SECRET']);
    expect(world.argocd.token).toBe(WORLD_SECRETS.ARGOCD_TOKEN);
    expect(
      world.argocd
        .apps()
        .map((a) => a.metadata.name)
        .sort(),
    ).toEqual(['event-ingestion-dev', 'event-ingestion-prod', 'kafka-dev', 'kafka-prod']);
  });
});
