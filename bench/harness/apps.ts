import { PROJECT, REPO_URL } from '../../sandbox/world/seed.js';
import type { World } from '../../sandbox/world/start-world.js';

/** Fixed-width names (`click-0007-prod`), so no app name is part of another and a text search is exact. */
export function appNames(prefix: string, count: number, suffix = '-prod'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}${suffix}`);
}

function seed(name: string, revision: string) {
  return {
    name,
    project: PROJECT,
    repoURL: REPO_URL,
    path: 'k8s/services/event-ingestion',
    targetRevision: 'main',
    destination: { namespace: 'gamemetrics' },
    autoSync: false,
    revision,
    health: 'Healthy' as const,
  };
}

/** Manual-sync apps deployed at `from` whose Git moved to `to`: each is OutOfSync and wants a card. */
export function addOutOfSyncApps(world: World, names: readonly string[], from: string, to: string): void {
  for (const name of names) {
    world.argocd.addApp(seed(name, from));
    world.argocd.pushRevision(name, to);
  }
}

export function addSyncedApps(world: World, names: readonly string[], revision: string): void {
  for (const name of names) world.argocd.addApp(seed(name, revision));
}
