import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface ProfileShare {
  where: string;
  ms: number;
  /** Share of the busy time (idle left out). */
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  /** Self time: where the CPU actually was. */
  selfByPlace: ProfileShare[];
  /** Inclusive time: the busy time with this file of ours anywhere on the stack (what it caused). */
  underOurFile: ProfileShare[];
}

/** Where a frame's code lives: a package, a file of ours, or the engine itself. */
export function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  // The bench runs a compiled copy of the project from node_modules/.cache: name its files as in the repo.
  const local = url.replace(/\/node_modules\/\.cache\/deploybot-bench\/build-\d+\//, '/');
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(local);
  if (inModules) return inModules[1]!;
  const ours = /\/((?:src|sandbox|bench)\/.+)$/.exec(local);
  return ours ? ours[1]! : url;
}

function top(map: Map<string, number>, busy: number, count: number): ProfileShare[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, micros]) => ({ where, ms: micros / 1000, share: busy ? micros / busy : 0 }));
}

/** Self time per place, and inclusive time per file of src/, of a V8 .cpuprofile (`node --cpu-prof`). */
export function summarizeProfile(profile: CpuProfile, count = 12): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfByPlace = new Map<string, number>();
  const underOurFile = new Map<string, number>();
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
    selfByPlace.set(place, (selfByPlace.get(place) ?? 0) + delta);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const where = placeOf(nodes.get(at)?.callFrame.url ?? '', '');
      if (where.startsWith('src/')) onStack.add(where);
    }
    for (const file of onStack) underOurFile.set(file, (underOurFile.get(file) ?? 0) + delta);
  });
  return {
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    selfByPlace: top(selfByPlace, busy, count),
    underOurFile: top(underOurFile, busy, count),
  };
}

export function formatProfileSummary(path: string): string {
  const summary = summarizeProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile);
  const line = (s: ProfileShare) =>
    `  ${(s.share * 100).toFixed(1).padStart(5)} %  ${s.ms.toFixed(0).padStart(7)} ms  ${s.where}`;
  return [
    `CPU profile ${path}: busy ${(summary.busyMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s`,
    'self time by place:',
    ...summary.selfByPlace.map(line),
    'time with this file of src/ on the stack:',
    ...summary.underOurFile.map(line),
  ].join('\n');
}
