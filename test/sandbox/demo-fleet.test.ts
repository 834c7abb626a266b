import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  addFleetApps,
  DEMO_INSTANCES,
  FLEET_APPS,
  FLEET_GROUP,
  FLEET_GROUPS_YAML,
} from '../../sandbox/demo/demo-fleet.js';
import { demoPolicy } from '../../sandbox/demo/demo-policy.js';
import { addCanaryApp, argocdAppRows, createWorldScenarios } from '../../sandbox/demo/world-scenarios.js';
import { POLICY_YAML } from '../../sandbox/world/seed.js';
import { startWorld, type World } from '../../sandbox/world/start-world.js';
import { waitFor } from './fake-argocd/helpers.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const names = (w: World, instance: string) =>
  w
    .argocdOn(instance)
    .apps()
    .map((a) => a.metadata.name)
    .sort();

async function fleetWorld(): Promise<World> {
  world = await startWorld({ instances: DEMO_INSTANCES, timing: { syncMs: 20, healthMs: 20 } });
  world.argocd.pauseNotifications();
  world.argocdOn('us').pauseNotifications();
  return world;
}

describe('the fleet demo', () => {
  it('adds the policy group of INTERFACE.md to the demo policy, and nothing without it', () => {
    const policy = parse(demoPolicy(POLICY_YAML, { groupsYaml: FLEET_GROUPS_YAML })) as Record<
      string,
      unknown
    >;
    expect(policy.groups).toEqual([
      { name: FLEET_GROUP, match: 'event-ingestion-*-prod', environment: 'prod', waves: ['*-canary', '*'] },
    ]);
    const { groups, ...rest } = policy;
    expect(rest).toEqual(parse(demoPolicy(POLICY_YAML)));
    expect(demoPolicy(POLICY_YAML)).not.toMatch(/^groups:/m);
  });

  it('stamps event-ingestion onto eu (canary, eu) and us, next to the seed apps on eu', async () => {
    const w = await fleetWorld();
    addCanaryApp(w);
    const fleet = addFleetApps(w);
    expect(fleet).toEqual([
      { instance: 'eu', name: 'event-ingestion-canary-prod' },
      { instance: 'eu', name: 'event-ingestion-eu-prod' },
      { instance: 'us', name: 'event-ingestion-us-prod' },
    ]);
    expect(names(w, 'eu')).toEqual([
      'event-consumer-prod',
      'event-ingestion-canary-prod',
      'event-ingestion-dev',
      'event-ingestion-eu-prod',
      'event-ingestion-prod',
      'kafka-dev',
      'kafka-prod',
    ]);
    expect(names(w, 'us')).toEqual(['event-ingestion-us-prod']);
    // The group's glob takes the three fleet apps and none of the seed's.
    const glob = /^event-ingestion-.*-prod$/;
    expect(argocdAppRows(w).filter((r) => glob.test(r.app))).toHaveLength(FLEET_APPS.length);
    const rows = argocdAppRows(w);
    expect(rows.find((r) => r.app === 'event-ingestion-us-prod')).toMatchObject({
      instance: 'us',
      sync: 'Synced',
      health: 'Healthy',
      revision: w.headOf('main'),
    });
  });

  it('names instances in the scenarios and acts on the right instance', async () => {
    const w = await fleetWorld();
    addCanaryApp(w);
    const fleet = addFleetApps(w);
    const scenarios = createWorldScenarios(w, fleet);
    const byId = (id: string) => scenarios.find((s) => s.id === id)!;
    expect(byId('fail-next-sync').hint).toBe('the next sync of eu/event-ingestion-prod fails in Argo CD');
    expect(byId('push-fleet').hint).toContain(
      'eu/event-ingestion-canary-prod, eu/event-ingestion-eu-prod, us/event-ingestion-us-prod',
    );

    const before = w.headOf('main');
    await byId('push-fleet').run({ user: 'U0DAVE' });
    const sha = w.headOf('main');
    expect(sha).not.toBe(before);
    for (const ref of fleet) {
      const app = w.argocdOn(ref.instance).app(ref.name);
      expect(app.status.sync.status, ref.name).toBe('OutOfSync');
      expect(app.status.sync.revision).toBe(sha);
      expect(argocdAppRows(w).find((r) => r.app === ref.name)?.revision).toBe(before);
    }
    // Only the fleet moved: the seed's manual prod app did not see Git move.
    expect(w.argocd.app('event-ingestion-prod').status.sync.status).toBe('Synced');

    await byId('fail-fleet-wave').run({ user: 'U0DAVE' });
    w.argocd.startOperation('event-ingestion-canary-prod', { revision: sha });
    const phase = () => w.argocd.app('event-ingestion-canary-prod').status.operationState?.phase;
    const ended = await waitFor(() => (phase() === 'Failed' || phase() === 'Succeeded') && phase());
    expect(ended).toBe('Failed');
    expect(w.argocdOn('us').syncRequests()).toEqual([]);
  });

  it('keeps the one-instance scenarios as they were', async () => {
    world = await startWorld({ timing: { syncMs: 20, healthMs: 20 } });
    const scenarios = createWorldScenarios(world);
    expect(scenarios.map((s) => s.id)).not.toContain('push-fleet');
    expect(scenarios.find((s) => s.id === 'fail-next-sync')?.hint).toBe(
      'the next sync of event-ingestion-prod fails in Argo CD',
    );
    expect(scenarios.find((s) => s.id === 'slow-argocd')?.hint).toBe(
      'toggles a 2.5 s delay on every Argo CD API answer',
    );
  });
});
