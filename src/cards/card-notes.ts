import { type Card, type CardState, shortSha, TERMINAL_STATES } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';
import { renderThreadNote, type ThreadEvent } from '../render/thread-note.js';
import type { CardPublisher } from './card-publisher.js';

const MAX_PROGRESS_NOTES = 5;
/** A flapping app would otherwise write "Health Degraded" into the thread on every flap. */
const DEGRADED_NOTE_EVERY_MS = 10 * 60_000;

/**
 * The card's thread: notes go out in the order they were written (each waits for the one before),
 * and the notes that a busy or flapping app would repeat are bounded.
 */
export class CardNotes {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly progressNotes = new Map<string, number>();
  private readonly degradedNotedAt = new Map<string, number>();

  constructor(
    private readonly publisher: CardPublisher,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  note(cardId: string, event: ThreadEvent): void {
    const previous = this.chains.get(cardId) ?? Promise.resolve();
    const next = previous
      .then(() => this.publisher.thread(cardId, renderThreadNote(event)))
      .catch((error: unknown) => this.logger.warn({ err: error, cardId }, 'thread note failed'))
      .finally(() => {
        if (this.chains.get(cardId) === next) this.chains.delete(cardId);
      });
    this.chains.set(cardId, next);
  }

  /**
   * The note a change deserves, if any (transitions, a few progress messages while syncing).
   * `healthMessage` is Argo CD's word on the app's health when the change came from reading it.
   */
  noteChange(before: Card, after: Card, healthMessage?: string): void {
    if (before.state !== after.state) {
      if (before.state === 'syncing') this.progressNotes.delete(after.id);
      const note = this.transitionNote(before, after, healthMessage);
      if (note) this.note(after.id, note);
      if (isFinal(after.state)) this.forget(after.id);
      return;
    }
    const message = after.operation?.message;
    if (after.state !== 'syncing' || !message || message === before.operation?.message) return;
    if (!tellsProgress(after.operation?.phase, message)) return;
    const count = this.progressNotes.get(after.id) ?? 0;
    if (count >= MAX_PROGRESS_NOTES) return;
    this.progressNotes.set(after.id, count + 1);
    this.note(after.id, { type: 'progress', message, phase: after.operation?.phase });
  }

  async idle(deadlineMs: number): Promise<void> {
    await Promise.race([
      Promise.allSettled([...this.chains.values()]),
      new Promise((r) => setTimeout(r, deadlineMs).unref()),
    ]);
  }

  private forget(cardId: string): void {
    this.progressNotes.delete(cardId);
    this.degradedNotedAt.delete(cardId);
  }

  private transitionNote(before: Card, after: Card, healthMessage?: string): ThreadEvent | undefined {
    const op = after.operation;
    switch (after.state) {
      case 'syncing': {
        // Syncs deploybot starts are noted by the action itself; this one came from Argo CD or a human elsewhere.
        const claimedByDeploybot = after.syncRequestedAt !== before.syncRequestedAt;
        const fromElsewhere =
          !claimedByDeploybot &&
          (before.state === 'pending' ||
            before.state === 'approved' ||
            (after.kind === 'info' && before.state !== 'syncing'));
        if (!fromElsewhere) return undefined;
        if (after.kind === 'info' || op?.automated)
          return { type: 'sync-started', revision: after.revision, approvers: [] };
        // "by auto-sync" would be wrong: someone synced in Argo CD itself, without an approval here.
        const who = op?.initiatedBy ? ` by ${op.initiatedBy}` : '';
        return { type: 'progress', message: `Sync of ${shortSha(after.revision)} started in Argo CD${who}` };
      }
      case 'succeeded':
        if (before.state === 'degraded') return undefined;
        return {
          type: 'succeeded',
          revision: after.revision,
          health: after.health,
          durationMs:
            op?.startedAt && op.finishedAt ? Date.parse(op.finishedAt) - Date.parse(op.startedAt) : undefined,
        };
      case 'failed':
        return { type: 'failed', revision: after.revision, message: op?.message };
      case 'degraded': {
        const last = this.degradedNotedAt.get(after.id);
        if (last !== undefined && this.now() - last < DEGRADED_NOTE_EVERY_MS) return undefined;
        this.degradedNotedAt.set(after.id, this.now());
        return { type: 'degraded', health: after.health, message: healthMessage };
      }
      case 'rolled-back':
        return { type: 'rollback-finished', succeeded: true, revision: after.rollback?.revision };
      default:
        return undefined;
    }
  }
}

/** Phases whose message the transition note tells anyway ("deployed", "failed: …"). */
const ENDED_PHASES: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Error']);
/** Argo CD's words for "running" that say nothing the card does not already show. */
const GENERIC_MESSAGES: ReadonlySet<string> = new Set(['syncing', 'running', 'sync in progress']);

/**
 * A progress note is worth a thread reply when it says something new: a hook or resource Argo CD is
 * waiting for, a retry. The ending of the operation gets its own note, and "syncing" is the card's state.
 */
export function tellsProgress(phase: string | undefined, message: string): boolean {
  if (phase && ENDED_PHASES.has(phase)) return false;
  return !GENERIC_MESSAGES.has(message.trim().toLowerCase().replace(/\.$/, ''));
}

export function isFinal(state: CardState): boolean {
  return TERMINAL_STATES.has(state);
}
