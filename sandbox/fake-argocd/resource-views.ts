import { type AppRecord, generateSha, imagesAt, workloadName } from './app-record.js';

export interface ResourceFilter {
  namespace?: string;
  name?: string;
  version?: string;
  group?: string;
  kind?: string;
}

interface Workload {
  name: string;
  namespace: string;
  live?: string;
  target?: string;
}

function workloads(record: AppRecord): Workload[] {
  const live = new Map(imagesAt(record, record.deployedRevision).map((i) => [workloadName(i), i]));
  const target = new Map(imagesAt(record, record.gitRevision).map((i) => [workloadName(i), i]));
  const namespace = record.app.spec.destination.namespace ?? record.app.metadata.name;
  return [...new Set([...live.keys(), ...target.keys()])]
    .sort()
    .map((name) => ({ name, namespace, live: live.get(name), target: target.get(name) }));
}

function deploymentManifest(
  app: string,
  w: Workload,
  image: string,
  withLiveFields: boolean,
): Record<string, unknown> {
  const labels = { 'app.kubernetes.io/name': w.name, 'app.kubernetes.io/instance': app };
  const metadata: Record<string, unknown> = { name: w.name, namespace: w.namespace, labels };
  if (withLiveFields) {
    metadata.uid = uidFor(app, w.name);
    metadata.resourceVersion = resourceVersionFor(image);
    metadata.generation = 1;
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': w.name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': w.name } },
        spec: { containers: [{ name: w.name, image }] },
      },
    },
  };
}

function uidFor(app: string, name: string): string {
  return generateSha(`${app}/${name}`).slice(0, 32);
}

function resourceVersionFor(image: string): string {
  return String(Number.parseInt(generateSha(image).slice(0, 6), 16));
}

export function matchesFilter(filter: ResourceFilter, r: Record<string, unknown>): boolean {
  return (
    (!filter.namespace || filter.namespace === r.namespace) &&
    (!filter.name || filter.name === r.name) &&
    (!filter.version || filter.version === r.version) &&
    (!filter.group || filter.group === r.group) &&
    (!filter.kind || filter.kind === r.kind)
  );
}

/** managed-resources: the four states are JSON-encoded strings, `"null"` for a side that does not exist. */
export function buildManagedResources(
  record: AppRecord,
  filter: ResourceFilter,
): Array<Record<string, unknown>> {
  const appName = record.app.metadata.name;
  return workloads(record)
    .filter((w) => matchesFilter(filter, { group: 'apps', version: 'v1', kind: 'Deployment', ...w }))
    .map((w) => {
      const live = w.live ? deploymentManifest(appName, w, w.live, true) : null;
      const target = w.target ? deploymentManifest(appName, w, w.target, false) : null;
      // The controller predicts the live object after applying the target: live metadata, target spec.
      const predicted = target && live ? { ...live, spec: target.spec } : target;
      const item: Record<string, unknown> = {
        group: 'apps',
        kind: 'Deployment',
        namespace: w.namespace,
        name: w.name,
        liveState: JSON.stringify(live),
        targetState: JSON.stringify(target),
        normalizedLiveState: JSON.stringify(live),
        predictedLiveState: JSON.stringify(predicted),
        modified: w.live !== w.target,
      };
      if (w.live) item.resourceVersion = resourceVersionFor(w.live);
      return item;
    });
}

/** resource-tree: each live Deployment with its ReplicaSet and one Pod, as the controller's cache reports them. */
export function buildResourceTree(record: AppRecord, filter: ResourceFilter): Array<Record<string, unknown>> {
  const appName = record.app.metadata.name;
  const health = record.app.status.health.status;
  const createdAt = record.app.metadata.creationTimestamp;
  const nodes: Array<Record<string, unknown>> = [];
  for (const w of workloads(record)) {
    if (!w.live) continue;
    const hash = generateSha(w.live).slice(0, 10);
    const deployment = {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: w.namespace,
      name: w.name,
    };
    const replicaSet = { ...deployment, kind: 'ReplicaSet', name: `${w.name}-${hash}` };
    const pod = {
      group: '',
      version: 'v1',
      kind: 'Pod',
      namespace: w.namespace,
      name: `${w.name}-${hash}-x7k2p`,
    };
    const ref = (r: typeof deployment) => ({ ...r, uid: uidFor(appName, r.name) });
    nodes.push(
      {
        ...ref(deployment),
        health: { status: health },
        resourceVersion: resourceVersionFor(w.live),
        createdAt,
        info: [{ name: 'Revision', value: 'Rev:1' }],
      },
      {
        ...ref(replicaSet),
        parentRefs: [ref(deployment)],
        health: { status: health },
        createdAt,
        info: [{ name: 'Revision', value: 'Rev:1' }],
      },
      {
        ...ref(pod),
        parentRefs: [ref(replicaSet)],
        health: { status: health === 'Progressing' ? 'Progressing' : health },
        images: [w.live],
        createdAt,
        info: [
          { name: 'Status Reason', value: health === 'Degraded' ? 'CrashLoopBackOff' : 'Running' },
          { name: 'Containers', value: health === 'Degraded' ? '0/1' : '1/1' },
        ],
      },
    );
  }
  return nodes.filter((n) => matchesFilter(filter, n));
}
