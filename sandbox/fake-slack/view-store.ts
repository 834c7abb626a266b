import type { ChangeHub } from './change-hub.js';
import { createTriggerId } from './ids.js';
import type { SlackView, StoredView } from './types.js';

interface Trigger {
  user: string;
  issuedAt: number;
  used: boolean;
}

export type TriggerExchange =
  | { ok: true; user: string }
  | { ok: false; error: 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id' };

/** Open modals and the trigger_ids that may open them. */
export class ViewStore {
  private readonly triggers = new Map<string, Trigger>();
  private readonly stored = new Map<string, StoredView>();
  /** Each user's Home tab (views.publish), apart from modals: it is never "open" or closed. */
  private readonly homes = new Map<string, SlackView>();

  home(user: string): SlackView | undefined {
    const view = this.homes.get(user);
    return view ? structuredClone(view) : undefined;
  }

  publishHome(user: string, view: SlackView): void {
    this.homes.set(user, structuredClone(view));
    this.hub.emit({ type: 'home_published', viewId: view.id, user });
  }

  constructor(
    private readonly hub: ChangeHub,
    private readonly now: () => number,
    private readonly triggerTtlMs: number,
  ) {}

  issueTrigger(user: string): string {
    const id = createTriggerId();
    this.triggers.set(id, { user, issuedAt: this.now(), used: false });
    return id;
  }

  /** A trigger works once, and only within the TTL: Slack's answer to a slow `views.open`. */
  exchangeTrigger(id: string): TriggerExchange {
    const trigger = this.triggers.get(id);
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (this.now() - trigger.issuedAt > this.triggerTtlMs) return { ok: false, error: 'expired_trigger_id' };
    trigger.used = true;
    return { ok: true, user: trigger.user };
  }

  open(user: string, view: SlackView): StoredView {
    const stored: StoredView = { id: view.id, user, open: true, view };
    this.stored.set(view.id, stored);
    this.hub.emit({ type: 'view_opened', viewId: view.id, user });
    return structuredClone(stored);
  }

  find(id: string): StoredView | undefined {
    return this.stored.get(id);
  }

  findByExternalId(externalId: string): StoredView | undefined {
    return [...this.stored.values()].find(
      (v) => v.view.external_id !== '' && v.view.external_id === externalId,
    );
  }

  replace(id: string, view: SlackView): void {
    const stored = this.stored.get(id);
    if (!stored) throw new Error(`no view ${id}`);
    stored.view = view;
    this.hub.emit({ type: 'view_updated', viewId: id, user: stored.user });
  }

  close(id: string): void {
    const stored = this.stored.get(id);
    if (!stored?.open) return;
    stored.open = false;
    this.hub.emit({ type: 'view_closed', viewId: id, user: stored.user });
  }

  /** `response_action: clear` closes the whole stack the user sees. */
  closeAllFor(user: string): void {
    for (const stored of this.stored.values()) if (stored.user === user) this.close(stored.id);
  }

  list(): StoredView[] {
    return structuredClone([...this.stored.values()]);
  }

  reset(): void {
    this.triggers.clear();
    this.stored.clear();
    this.homes.clear();
  }
}
