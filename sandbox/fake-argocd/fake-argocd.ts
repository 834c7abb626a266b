import { type AppRecord, appKey, imagesAt, toIso } from './app-record.js';
import { AppWorld, snapshot } from './app-world.js';
import type { HealthStatusCode } from './application-types.js';
import type { HandlerDeps } from './handler-context.js';
import { startHttpServer, type TransportState } from './http-server.js';
import { Notifier } from './notifier.js';
import { OperationRunner } from './operation-runner.js';
import { RolloutController } from './rollouts.js';
import { compileWindows } from './sync-windows.js';
import type { FakeArgoCd, FakeArgoCdOptions, RevisionMetadataSource } from './types.js';

const DEFAULT_ARGOCD_TOKEN = 'fake-argocd-token';

const DEFAULT_FAILURE =
  'Deployment.apps "app" is invalid: spec.template.spec.containers[0].image: Required value';

function defaultRevisionMetadata(clock: () => Date): RevisionMetadataSource {
  return (sha) => ({
    author: 'Fake Author <fake.author@example.com>',
    date: toIso(clock()),
    message: `Change ${sha.slice(0, 7)}`,
  });
}

const keyOf = (record: AppRecord) => appKey(record.app.metadata.namespace, record.app.metadata.name);

export async function startFakeArgoCd(options: FakeArgoCdOptions = {}): Promise<FakeArgoCd> {
  const clock = options.now ?? (() => new Date());
  const host = options.host ?? '127.0.0.1';
  const tokens = options.tokens ?? { [DEFAULT_ARGOCD_TOKEN]: 'deploybot' };
  const firstToken = Object.keys(tokens)[0];
  if (firstToken === undefined) throw new Error('fake-argocd needs at least one token');
  const timing = {
    syncMs: options.timing?.syncMs ?? 300,
    healthMs: options.timing?.healthMs ?? 300,
    terminateMs: options.timing?.terminateMs ?? 100,
  };

  let notifier: Notifier | undefined;
  let rollouts: RolloutController | undefined;
  const world = new AppWorld(clock, (record) => {
    // The Rollouts controller reacts first, so a notification carries the health it gives the app.
    rollouts?.observe(record);
    notifier?.evaluate(keyOf(record), snapshot(record.app));
  });
  rollouts = new RolloutController(world);
  const runner = new OperationRunner(world, timing);
  const deps: HandlerDeps = {
    world,
    runner,
    rollouts,
    canI: options.canI ?? (() => true),
    revisionMetadata: options.revisionMetadata ?? defaultRevisionMetadata(clock),
    issuedAt: toIso(clock()),
  };
  const transport: TransportState = { latencyMs: 0, faults: [], requests: [] };
  const { server, port } = await startHttpServer(host, options.port ?? 0, transport, deps, tokens, clock);
  const url = `http://${host}:${port}`;

  if (options.notifications) {
    notifier = new Notifier(
      { ...options.notifications, argocdUrl: options.notifications.argocdUrl ?? url },
      clock,
      (key) => {
        const [namespace = '', name = ''] = key.split('/');
        const record = world.find(namespace, name);
        return record && snapshot(record.app);
      },
    );
  }
  const requireNotifier = (): Notifier => {
    if (!notifier) throw new Error('fake-argocd was started without `notifications`');
    return notifier;
  };

  const addApp: FakeArgoCd['addApp'] = (seed) => {
    const record = world.add(seed);
    if (seed.rollouts?.length) rollouts?.add(record, seed.rollouts);
    notifier?.prime(keyOf(record), snapshot(record.app));
    return snapshot(record.app);
  };
  for (const seed of options.apps ?? []) addApp(seed);

  const setHealth = (name: string, status: HealthStatusCode, message?: string) => {
    const record = world.resolve(name);
    runner.cancelHealthTimer(record);
    if (record.app.operation) record.pinnedHealth = { status, message };
    world.setHealth(record, status, message);
    world.changed(record);
  };

  return {
    url,
    port,
    token: firstToken,
    get requests() {
      return transport.requests;
    },
    get sentNotifications() {
      return notifier?.log ?? [];
    },
    addApp,
    app: (name) => snapshot(world.resolve(name).app),
    apps: () => world.list().map((r) => snapshot(r.app)),
    pushRevision(name, sha, pushOptions) {
      const record = world.resolve(name);
      const previousTip = record.gitRevision;
      record.gitRevision = sha;
      if (pushOptions?.images) record.imagesByRevision.set(sha, [...pushOptions.images]);
      else if (!record.imagesByRevision.has(sha))
        record.imagesByRevision.set(sha, imagesAt(record, previousTip));
      world.changed(record);
      runner.maybeAutoSync(record);
    },
    startOperation(name, startOptions = {}) {
      const record = world.resolve(name);
      runner.start(record, {
        sync: {
          revision: startOptions.revision ?? record.gitRevision,
          syncOptions: record.app.spec.syncPolicy?.syncOptions,
        },
        initiatedBy: { username: startOptions.username ?? 'admin' },
      });
    },
    failNextSync(name, message = DEFAULT_FAILURE) {
      world.resolve(name).failNextSync = message;
    },
    hangNextSync(name) {
      world.resolve(name).hangNextSync = true;
    },
    degrade(name, message = 'Deployment has exceeded its progress deadline') {
      setHealth(name, 'Degraded', message);
    },
    setHealth,
    setSyncWindows(name, windows) {
      world.resolve(name).windows = compileWindows(windows);
    },
    setLatency(ms) {
      transport.latencyMs = ms;
    },
    failNext(fault) {
      transport.faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    syncRequests: () =>
      transport.requests.filter(
        (r) => r.method === 'POST' && /^\/api\/v1\/applications\/[^/]+\/sync$/.test(r.path),
      ),
    clearRequests() {
      transport.requests.length = 0;
    },
    resendLast: (name) => requireNotifier().resendLast(name),
    sendNotification(event, name) {
      const record = world.resolve(name);
      return requireNotifier().sendNow(event, keyOf(record), snapshot(record.app));
    },
    duplicateNotifications: (on) => requireNotifier().setDuplicate(on),
    pauseNotifications: () => requireNotifier().setPaused(true),
    resumeNotifications: () => requireNotifier().setPaused(false),
    whenNotificationsIdle: () => notifier?.whenIdle() ?? Promise.resolve(),
    addRollouts(name, seeds) {
      const record = world.resolve(name);
      (rollouts as RolloutController).add(record, seeds);
      world.changed(record);
    },
    rollout: (name, rolloutName) => (rollouts as RolloutController).live(world.resolve(name), rolloutName),
    failAnalysis(name, rolloutName) {
      (rollouts as RolloutController).failAnalysis(world.resolve(name), rolloutName);
    },
    actionRequests: () =>
      transport.requests.filter(
        (r) => r.method === 'POST' && /^\/api\/v1\/applications\/[^/]+\/resource\/actions\/v2$/.test(r.path),
      ),
    async close() {
      rollouts?.stopAll();
      runner.stopAll(world.list());
      notifier?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
