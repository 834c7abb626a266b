import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  where: string;
  ms: number;
  /** Share of the busy time (idle left out). */
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  byPlace: ProfileShare[];
  byFunction: ProfileShare[];
}

/** Where a frame's code lives: a package, a file of ours, or the engine itself. */
export function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inModules) return inModules[1]!;
  const ours = /\/((?:src|sandbox|bench)\/.+)$/.exec(url);
  return ours ? ours[1]! : url;
}

function top(map: Map<string, number>, busy: number, count: number): ProfileShare[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, micros]) => ({ where, ms: micros / 1000, share: busy ? micros / busy : 0 }));
}

/** Self time per place and per function of a V8 .cpuprofile (what `node --cpu-prof` writes). */
export function summarizeProfile(profile: CpuProfile, count = 12): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') {
      idle += delta;
      return;
    }
    busy += delta;
    const place = placeOf(frame.url, frame.functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + delta);
    const fn = `${frame.functionName || '(anonymous)'} ${place}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
  });
  return {
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    byPlace: top(byPlace, busy, count),
    byFunction: top(byFunction, busy, count),
  };
}

export function formatProfileSummary(path: string): string {
  const summary = summarizeProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile);
  const line = (s: ProfileShare) =>
    `  ${(s.share * 100).toFixed(1).padStart(5)} %  ${s.ms.toFixed(0).padStart(7)} ms  ${s.where}`;
  return [
    `CPU profile ${path}: busy ${(summary.busyMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s`,
    'self time by place:',
    ...summary.byPlace.map(line),
    'self time by function:',
    ...summary.byFunction.map(line),
  ].join('\n');
}
