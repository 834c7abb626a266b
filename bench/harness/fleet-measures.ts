/** Pure measures of the fleet phase: rates, coverage of a fleet card, sync tallies and wave order. */

/** The most events that fall within any `windowMs` (two events count together when less than windowMs apart). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** The shortest time between two consecutive events; undefined with fewer than two. */
export function minGap(times: readonly number[]): number | undefined {
  const sorted = [...times].sort((a, b) => a - b);
  let gap: number | undefined;
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]! - sorted[i - 1]!;
    gap = gap === undefined ? d : Math.min(gap, d);
  }
  return gap;
}

/**
 * How many of the group's apps a fleet card accounts for when it summarises rows that do not fit in Block
 * Kit: the names it lists plus the ones it says it left out ("… and 180 more"), or the app count it states
 * ("200 apps"), whichever is larger; never more than the group.
 */
export function cardCoverage(cardText: string, names: readonly string[]): number {
  const listed = names.filter((name) => cardText.includes(name)).length;
  const largest = (pattern: RegExp) =>
    Math.max(0, ...[...cardText.matchAll(pattern)].map((match) => Number(match[1])));
  const stated = largest(/\b(\d{1,5})\s+(?:apps|applications)\b/g);
  const more = largest(/(?:\band|\+)\s*(\d{1,5})\s+more\b/g);
  return Math.min(names.length, Math.max(listed + more, stated));
}

export interface SyncTally {
  /** Apps with exactly one sync request, pinned to the revision. */
  exactlyOnce: number;
  missing: string[];
  /** Apps with more than one sync request. */
  repeated: string[];
  /** Apps with a sync request for another revision (or none pinned). */
  unpinned: string[];
}

/** The sync requests of the group's apps as Argo CD received them: each app once, at `revision`. */
export function tallySyncs(
  requests: readonly { app: string; revision: string | undefined }[],
  names: readonly string[],
  revision: string,
): SyncTally {
  const byApp = new Map<string, (string | undefined)[]>();
  for (const r of requests) byApp.set(r.app, [...(byApp.get(r.app) ?? []), r.revision]);
  const tally: SyncTally = { exactlyOnce: 0, missing: [], repeated: [], unpinned: [] };
  for (const name of names) {
    const revisions = byApp.get(name) ?? [];
    if (revisions.length === 0) tally.missing.push(name);
    if (revisions.length > 1) tally.repeated.push(name);
    if (revisions.some((r) => r !== revision)) tally.unpinned.push(name);
    if (revisions.length === 1 && revisions[0] === revision) tally.exactlyOnce++;
  }
  return tally;
}

/** Sync requests that went out before one of an earlier wave: each is a later-wave app that did not wait. */
export function waveOrderViolations(
  syncs: readonly { app: string; at: number }[],
  waveOf: (app: string) => number,
): number {
  const ordered = [...syncs].sort((a, b) => a.at - b.at);
  let violations = 0;
  for (const [i, sync] of ordered.entries()) {
    const wave = waveOf(sync.app);
    if (ordered.slice(i + 1).some((later) => waveOf(later.app) < wave)) violations++;
  }
  return violations;
}
