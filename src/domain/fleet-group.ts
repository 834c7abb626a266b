/** Fleet groups of the policy (pure): which group an app belongs to and in which wave it syncs. */
import type { FleetGroup, Policy } from '../config/policy-schema.js';
import { compileNamePattern, type NameMatcher } from './name-pattern.js';

export type { FleetGroup };

const matchers = new Map<string, NameMatcher>();

function matcher(pattern: string): NameMatcher {
  let m = matchers.get(pattern);
  if (!m) {
    // The policy schema validated every pattern; matching stays linear in the name.
    m = compileNamePattern(pattern);
    if (matchers.size > 1000) matchers.clear();
    matchers.set(pattern, m);
  }
  return m;
}

/** The group's `match` text after its last `*` ("-prod" of "event-ingestion-*-prod"), or "" when none. */
export function matchSuffix(match: string): string {
  const star = match.lastIndexOf('*');
  return star < 0 ? '' : match.slice(star + 1);
}

/** The first group (in policy order) whose `match` and `instance` globs match the app; groups come before `apps`. */
export function resolveGroup(
  policy: Pick<Policy, 'groups'>,
  app: { instance: string; name: string },
): FleetGroup | undefined {
  return policy.groups.find((g) => matcher(g.match)(app.name) && matcher(g.instance)(app.instance));
}

/**
 * The wave an app syncs in: the first wave whose glob matches its full name, or its name without the
 * group's `match` suffix ("*-canary" matches "event-ingestion-canary-prod"). An app no wave matches goes
 * into the last wave; a group without waves has one.
 */
export function waveOf(group: Pick<FleetGroup, 'match' | 'waves'>, appName: string): number {
  if (group.waves.length === 0) return 0;
  const suffix = matchSuffix(group.match);
  const short = suffix && appName.endsWith(suffix) ? appName.slice(0, -suffix.length) : undefined;
  const index = group.waves.findIndex(
    (wave) => matcher(wave)(appName) || (short !== undefined && matcher(wave)(short)),
  );
  return index < 0 ? group.waves.length - 1 : index;
}

/** How many waves the group syncs in (at least one). */
export function waveCount(group: Pick<FleetGroup, 'waves'>): number {
  return Math.max(1, group.waves.length);
}
