import { type AppRecord, appKey, createRecord, refreshComparison, toIso } from './app-record.js';
import type { Application, HealthStatusCode } from './application-types.js';
import type { AppSeed } from './types.js';

export const CONTROL_PLANE_NAMESPACE = 'argocd';

/** Every Application the fake knows, with the resourceVersion counter and the change hook the notifier listens to. */
export class AppWorld {
  private readonly records = new Map<string, AppRecord>();
  private resourceVersion = 1000;

  constructor(
    readonly clock: () => Date,
    private readonly onChange: (record: AppRecord) => void,
  ) {}

  add(seed: AppSeed): AppRecord {
    const namespace = seed.namespace ?? CONTROL_PLANE_NAMESPACE;
    const key = appKey(namespace, seed.name);
    if (this.records.has(key)) throw new Error(`fake-argocd already has an application ${key}`);
    const record = createRecord(seed, this.clock(), this.nextResourceVersion());
    this.records.set(key, record);
    return record;
  }

  find(namespace: string, name: string): AppRecord | undefined {
    return this.records.get(appKey(namespace, name));
  }

  /** `name` or `namespace/name`, for scenario controls; throws for an unknown or ambiguous name. */
  resolve(ref: string): AppRecord {
    if (ref.includes('/')) {
      const found = this.records.get(ref);
      if (!found) throw new Error(`fake-argocd has no application ${ref}`);
      return found;
    }
    const matches = this.list().filter((r) => r.app.metadata.name === ref);
    if (matches.length !== 1) {
      throw new Error(
        matches.length === 0
          ? `fake-argocd has no application ${ref}`
          : `ambiguous application ${ref}; use ns/name`,
      );
    }
    return matches[0] as AppRecord;
  }

  list(): AppRecord[] {
    return [...this.records.values()];
  }

  now(): string {
    return toIso(this.clock());
  }

  setHealth(record: AppRecord, status: HealthStatusCode, message?: string): void {
    const health = record.app.status.health;
    if (health.status !== status) health.lastTransitionTime = this.now();
    health.status = status;
    if (message === undefined) delete health.message;
    else health.message = message;
  }

  /** Records a change the way the controller's status update would: comparison, resourceVersion, listeners. */
  changed(record: AppRecord): void {
    refreshComparison(record);
    record.app.status.reconciledAt = this.now();
    record.app.metadata.resourceVersion = this.nextResourceVersion();
    this.onChange(record);
  }

  currentResourceVersion(): string {
    return String(this.resourceVersion);
  }

  private nextResourceVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }
}

/** What the API returns: a copy with Go's omitempty applied (no undefined keys). */
export function snapshot(app: Application): Application {
  return JSON.parse(JSON.stringify(app)) as Application;
}
