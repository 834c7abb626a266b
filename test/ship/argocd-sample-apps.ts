// Application objects as argocd-notifications hands them to templates (unstructured JSON of v1alpha1Application).

export interface SampleApp {
  metadata: { name: string; namespace: string };
  spec: {
    project?: string;
    source?: { repoURL: string; targetRevision: string; path: string };
    sources?: { repoURL: string; targetRevision: string; path: string }[];
    destination: Record<string, string>;
    syncPolicy?: Record<string, unknown>;
  };
  status: {
    sync: { status: string; revision?: string };
    health?: { status: string; lastTransitionTime?: string };
    operationState?: {
      phase: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      syncResult?: { revision: string };
      operation?: { initiatedBy?: Record<string, unknown>; sync?: { revision?: string } };
    };
    summary?: { images: string[] };
    history?: Record<string, unknown>[];
  };
}

/** A manual-sync app that just went OutOfSync: no operation has ever run, no history. */
const freshOutOfSync: SampleApp = {
  metadata: { name: 'event-ingestion-prod', namespace: 'argocd' },
  spec: {
    project: 'gamemetrics',
    source: {
      repoURL: 'https://github.com/sheeffii/RealtimeGaming.git',
      targetRevision: 'main',
      path: 'k8s/services/event-ingestion',
    },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'gamemetrics' },
    syncPolicy: { syncOptions: ['CreateNamespace=true'] },
  },
  status: {
    sync: { status: 'OutOfSync', revision: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' },
    health: { status: 'Healthy' },
  },
};

/** Synced by the bot; the operation message quotes a commit with quotes, newlines, HTML and non-ASCII. */
const deployedWithHistory: SampleApp = {
  metadata: { name: 'kafka-prod', namespace: 'argocd' },
  spec: {
    project: 'gamemetrics',
    source: {
      repoURL: 'https://github.com/sheeffii/RealtimeGaming.git',
      targetRevision: 'main',
      path: 'k8s/kafka/base',
    },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'kafka' },
    syncPolicy: { automated: { prune: true, selfHeal: true } },
  },
  status: {
    sync: { status: 'Synced', revision: '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c' },
    health: { status: 'Healthy', lastTransitionTime: '2026-05-14T09:41:50Z' },
    operationState: {
      phase: 'Succeeded',
      message:
        'successfully synced: "feat: add <priority> filter & retry"\n\nCo-authored-by: Zoë <z@example.com>\ttab',
      startedAt: '2026-05-14T09:40:12Z',
      finishedAt: '2026-05-14T09:41:47Z',
      syncResult: { revision: '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c' },
      operation: {
        initiatedBy: { username: 'deploybot' },
        sync: { revision: '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c' },
      },
    },
    summary: { images: ['strimzi/kafka:0.45.0-kafka-3.9.0'] },
    history: [
      {
        id: 0,
        revision: '1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e',
        deployStartedAt: '2026-05-11T14:02:11Z',
        deployedAt: '2026-05-11T14:03:40Z',
        initiatedBy: { username: 'alice@example.com' },
        source: {
          repoURL: 'https://github.com/sheeffii/RealtimeGaming.git',
          targetRevision: 'main',
          path: 'k8s/kafka/base',
        },
      },
      {
        id: 1,
        revision: '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c',
        deployStartedAt: '2026-05-14T09:40:12Z',
        deployedAt: '2026-05-14T09:41:47Z',
        initiatedBy: { automated: true },
        source: {
          repoURL: 'https://github.com/sheeffii/RealtimeGaming.git',
          targetRevision: 'main',
          path: 'k8s/kafka/base',
        },
      },
    ],
  },
};

/** A multi-source app with no project and no health yet, in the middle of an operation without a result. */
const runningMultiSource: SampleApp = {
  metadata: { name: 'event-ingestion-dev', namespace: 'apps' },
  spec: {
    sources: [
      { repoURL: 'https://github.com/sheeffii/RealtimeGaming.git', targetRevision: 'develop', path: 'k8s' },
    ],
    destination: { name: 'in-cluster', namespace: 'gamemetrics-dev' },
  },
  status: {
    sync: { status: 'OutOfSync', revision: 'ffffeeeeddddccccbbbbaaaa9999888877776666' },
    operationState: {
      phase: 'Running',
      message: 'waiting for healthy state of apps/Deployment/event-consumer',
      startedAt: '2026-05-14T10:00:00Z',
      operation: {
        initiatedBy: { username: 'deploybot' },
        sync: { revision: '0123456789abcdef0123456789abcdef01234567' },
      },
    },
  },
};

/** Argo CD cannot reach the repository: sync status Unknown, no resolved revision, never synced. */
const unknownWithoutRevision: SampleApp = {
  metadata: { name: 'kafka-dev', namespace: 'argocd' },
  spec: {
    project: 'gamemetrics',
    source: {
      repoURL: 'https://github.com/sheeffii/RealtimeGaming.git',
      targetRevision: 'develop',
      path: 'k8s/kafka/base',
    },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'kafka-dev' },
    syncPolicy: { automated: { prune: true, selfHeal: true } },
  },
  status: {
    sync: { status: 'Unknown' },
    health: { status: 'Missing' },
  },
};

export const sampleApps: Record<string, SampleApp> = {
  freshOutOfSync,
  deployedWithHistory,
  runningMultiSource,
  unknownWithoutRevision,
};
