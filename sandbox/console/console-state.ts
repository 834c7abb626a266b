/** A message the console itself shows to one user, the way Slack shows its own errors (a failed command). */
export interface ConsoleNotice {
  channel: string;
  user: string;
  ts: string;
  text: string;
  threadTs?: string;
}

/** What the user typed into a modal and what the app answered with `response_action: errors`. */
export interface ViewFormState {
  values: Record<string, Record<string, string>>;
  errors: Record<string, string>;
}

function nowTs(): string {
  const micros = BigInt(Date.now()) * 1000n;
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}

/**
 * State only the console holds: the fake Slack has no "close" for a modal the user cancels, so the console
 * remembers which views were dismissed.
 */
export class ConsoleState {
  private readonly noticeList: ConsoleNotice[] = [];
  private readonly dismissed = new Set<string>();
  private readonly forms = new Map<string, ViewFormState>();
  private readonly listeners = new Set<() => void>();

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  addNotice(notice: Omit<ConsoleNotice, 'ts'>): ConsoleNotice {
    const stored = { ...notice, ts: nowTs() };
    this.noticeList.push(stored);
    this.changed();
    return stored;
  }

  notices(filter: { channel: string; user: string }): ConsoleNotice[] {
    return this.noticeList.filter((n) => n.channel === filter.channel && n.user === filter.user);
  }

  dismissView(viewId: string): void {
    this.dismissed.add(viewId);
    this.forms.delete(viewId);
    this.changed();
  }

  isDismissed(viewId: string): boolean {
    return this.dismissed.has(viewId);
  }

  setForm(viewId: string, form: ViewFormState): void {
    this.forms.set(viewId, form);
    this.changed();
  }

  form(viewId: string): ViewFormState | undefined {
    return this.forms.get(viewId);
  }
}
