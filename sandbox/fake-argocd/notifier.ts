import { toIso } from './app-record.js';
import type { Application } from './application-types.js';
import { renderNotificationBody } from './notification-body.js';
import { type DeliveryJob, NotificationDelivery } from './notification-delivery.js';
import { DEPLOYBOT_TRIGGERS, type TriggerDefinition, triggerForEvent } from './notification-triggers.js';
import type { NotificationOptions, SentNotification } from './types.js';

// notifications-engine keeps at most 100 keys in the notified.notifications.argoproj.io annotation.
const MAX_NOTIFIED_KEYS = 100;

/**
 * The notifications controller for one webhook service subscribed to every deploybot-* trigger. State follows
 * notifications-engine: a key `<oncePer>:<trigger>` is stored when a trigger fires and never cleared — not when
 * the condition turns false, and not when the send fails, because every deploybot trigger has `oncePer`.
 */
export class Notifier {
  private readonly notified = new Map<string, Map<string, number>>();
  private readonly delivery: NotificationDelivery;
  private readonly sentJobs: DeliveryJob[] = [];
  private readonly resendTimers = new Set<NodeJS.Timeout>();
  private paused = false;
  private duplicate: boolean;

  constructor(
    private readonly options: NotificationOptions & { argocdUrl: string },
    private readonly clock: () => Date,
    private readonly current: (appKey: string) => Application | undefined,
  ) {
    this.delivery = new NotificationDelivery(options, clock);
    this.duplicate = options.duplicate ?? false;
  }

  get log(): SentNotification[] {
    return this.delivery.log;
  }

  /** An app that already existed has been notified about its current state. */
  prime(appKey: string, app: Application): void {
    for (const trigger of DEPLOYBOT_TRIGGERS) {
      if (trigger.when(app)) this.markNotified(appKey, trigger, app);
    }
  }

  evaluate(appKey: string, app: Application): void {
    for (const trigger of DEPLOYBOT_TRIGGERS) {
      if (!trigger.when(app)) continue;
      if (!this.markNotified(appKey, trigger, app)) continue;
      void this.send(appKey, trigger, app);
    }
  }

  async sendNow(event: string, appKey: string, app: Application): Promise<void> {
    await this.send(appKey, triggerForEvent(event), app, true);
  }

  async resendLast(appName?: string): Promise<void> {
    const job = [...this.sentJobs].reverse().find((j) => appName === undefined || j.body.app === appName);
    if (!job) throw new Error(`fake-argocd has sent no notification${appName ? ` for ${appName}` : ''}`);
    await this.delivery.enqueue(job);
  }

  setDuplicate(on: boolean): void {
    this.duplicate = on;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  whenIdle(): Promise<void> {
    return this.delivery.whenIdle();
  }

  close(): void {
    for (const timer of this.resendTimers) clearTimeout(timer);
    this.delivery.close();
  }

  /** SetAlreadyNotified(true): false when the key was already there. */
  private markNotified(appKey: string, trigger: TriggerDefinition, app: Application): boolean {
    const state = this.notified.get(appKey) ?? new Map<string, number>();
    this.notified.set(appKey, state);
    const key = `${trigger.oncePer(app)}:${trigger.trigger}`;
    if (state.has(key)) return false;
    state.set(key, this.clock().getTime());
    while (state.size > MAX_NOTIFIED_KEYS) state.delete(state.keys().next().value as string);
    return true;
  }

  private async send(
    appKey: string,
    trigger: TriggerDefinition,
    app: Application,
    forced = false,
  ): Promise<void> {
    const job: DeliveryJob = {
      trigger: trigger.trigger,
      body: renderNotificationBody(trigger.event, app, this.options.argocdUrl, toIso(this.clock())),
    };
    if (this.paused && !forced) {
      this.delivery.recordLost(job);
      return;
    }
    this.sentJobs.push(job);
    const copies = this.duplicate ? 2 : 1;
    const results = await Promise.all(Array.from({ length: copies }, () => this.delivery.enqueue(job)));
    if (!results.some(Boolean)) this.scheduleResend(appKey, trigger);
  }

  /** Opt-in re-send of a failed notification, rendered from the app's state at that later time. */
  private scheduleResend(appKey: string, trigger: TriggerDefinition): void {
    const delay = this.options.resendFailedAfterMs;
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.resendTimers.delete(timer);
      const app = this.current(appKey);
      if (app && trigger.when(app)) void this.send(appKey, trigger, app);
    }, delay);
    this.resendTimers.add(timer);
  }
}
