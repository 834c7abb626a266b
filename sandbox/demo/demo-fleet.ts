import type { World, WorldAppRef, WorldAppSeed } from '../world/start-world.js';

/**
 * THE SWITCH: `npm run demo` runs with two Argo CD instances (eu, us) and the event-ingestion fleet group.
 * It needs the bot's multi-instance config (ARGOCD_INSTANCES) and the policy's `groups`; a bot without
 * them refuses to start, so `npm run demo -- --single-instance` (or false here) gives the one-instance demo.
 * The tests' demo (startDemo without `fleet`) is always the one-instance world.
 */
export const FLEET_DEMO = true;

/** The demo's instances: the seed's apps on eu (the first), the fleet across both. */
export const DEMO_INSTANCES = ['eu', 'us'] as const;

export const FLEET_GROUP = 'event-ingestion-fleet';

/** An ApplicationSet-like stamp of event-ingestion onto three clusters: a canary, then eu and us. */
export const FLEET_APPS: readonly WorldAppSeed[] = [
  { name: 'event-ingestion-canary-prod', instance: 'eu', namespace: 'gamemetrics-canary' },
  { name: 'event-ingestion-eu-prod', instance: 'eu' },
  { name: 'event-ingestion-us-prod', instance: 'us' },
];

/** The policy's group (INTERFACE.md "Fleet cards"): the canary wave first, then every other app. */
export const FLEET_GROUPS_YAML = `groups:
  - name: ${FLEET_GROUP}
    match: "event-ingestion-*-prod"
    environment: prod
    waves: ["*-canary", "*"]
`;

export function addFleetApps(world: World): WorldAppRef[] {
  return FLEET_APPS.map((seed) => world.addApp(seed));
}
