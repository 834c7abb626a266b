import { type SlackClient, SlackRateLimitedError } from '../clients/slack/slack-client.js';
import { type Card, TERMINAL_STATES } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';
import type { SlackMessage } from '../render/block-kit.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';
import type { CardRepository } from './card-repository.js';

interface PostedMessage {
  channel: string;
  ts: string;
  lockToken: string;
}

const POST_LOCK_MS = 30_000;
/**
 * At most one chat.update of a card per this interval (the first change after a quiet spell goes out
 * at once). A sync passes approved → syncing → running → succeeded within a second or two: two seconds
 * make that one or two updates, which keeps a channel of busy cards far inside chat.update's Tier 3.
 */
export const CARD_UPDATE_INTERVAL_MS = 2000;

interface Slot {
  running?: Promise<void>;
  /** Posted to Slack, ts not yet stored: retries store it instead of posting a second card. */
  posted?: PostedMessage;
  timer?: NodeJS.Timeout;
  /** Forgets the slot once its interval has passed; until then it remembers when the card was last sent. */
  forget?: NodeJS.Timeout;
  dirty: boolean;
  lastSentAt: number;
  notBefore: number;
  failures: number;
}

export interface CardPublisherOptions {
  repo: CardRepository;
  store: Store;
  slack: SlackClient;
  render: (card: Card) => Promise<SlackMessage>;
  logger: Logger;
  now?: () => number;
  /** At most one chat.update per card per this interval; the last state always lands. */
  minIntervalMs?: number;
  maxFailures?: number;
  /** How long a thread note waits for its card to be posted (the post may be retrying). */
  postWaitMs?: number;
}

/**
 * Posts each card once and keeps it current with coalesced chat.update calls, honouring Slack's
 * Retry-After. Each run renders the latest stored card, so a burst of changes costs one update.
 */
export class CardPublisher {
  private readonly slots = new Map<string, Slot>();
  private readonly firstSends = new Set<string>();
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private readonly maxFailures: number;
  private readonly postWaitMs: number;
  private stopped = false;

  constructor(private readonly options: CardPublisherOptions) {
    this.now = options.now ?? Date.now;
    this.minIntervalMs = options.minIntervalMs ?? CARD_UPDATE_INTERVAL_MS;
    this.maxFailures = options.maxFailures ?? 6;
    this.postWaitMs = options.postWaitMs ?? 30_000;
  }

  private slot(cardId: string): Slot {
    let slot = this.slots.get(cardId);
    if (!slot) {
      slot = { dirty: false, lastSentAt: 0, notBefore: 0, failures: 0 };
      this.slots.set(cardId, slot);
    }
    clearTimeout(slot.forget);
    slot.forget = undefined;
    return slot;
  }

  /** Asks for the card to be shown as currently stored; cheap to call on every change. */
  publish(cardId: string): void {
    if (this.stopped) return;
    const slot = this.slot(cardId);
    slot.dirty = true;
    if (slot.lastSentAt === 0) this.firstSends.add(cardId);
    this.schedule(cardId, slot);
  }

  /** Cards asked for whose first publication (usually the post) has not gone out: work that may wait for them does. */
  postsPending(): number {
    return this.firstSends.size;
  }

  /** Publishes now (waiting for a running publication first) and resolves when Slack has the latest state. */
  async publishNow(cardId: string): Promise<void> {
    const slot = this.slot(cardId);
    if (slot.running) await slot.running;
    // Slack's Retry-After still holds for an urgent publication.
    const wait = slot.notBefore - this.now();
    if (wait > 0) await sleep(wait);
    if (this.stopped) return;
    if (slot.running) await slot.running;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.dirty = true;
    await this.run(cardId, slot);
  }

  private schedule(cardId: string, slot: Slot): void {
    if (slot.running || slot.timer || !slot.dirty || this.stopped) return;
    const wait = Math.max(0, slot.lastSentAt + this.minIntervalMs - this.now(), slot.notBefore - this.now());
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      void this.run(cardId, slot);
    }, wait);
    slot.timer.unref?.();
  }

  private run(cardId: string, slot: Slot): Promise<void> {
    if (slot.running) return slot.running;
    slot.dirty = false;
    slot.running = this.send(cardId, slot)
      .catch((error: unknown) => {
        slot.failures++;
        if (error instanceof SlackRateLimitedError) slot.notBefore = this.now() + error.retryAfterSec * 1000;
        else slot.notBefore = this.now() + Math.min(60_000, 500 * 2 ** slot.failures);
        if (slot.failures <= this.maxFailures) slot.dirty = true;
        this.options.logger.warn(
          { err: error, cardId, failures: slot.failures },
          'card publication failed; will retry',
        );
      })
      .finally(() => {
        slot.running = undefined;
        // Sent, or given up (failures past the limit, or nothing to post): no longer a pending first send.
        if (slot.lastSentAt !== 0 || !slot.dirty) this.firstSends.delete(cardId);
        if (slot.dirty) this.schedule(cardId, slot);
        else this.forgetLater(cardId, slot);
      });
    return slot.running;
  }

  /** Keeps the slot (and so the last send time) for one interval, so an update right after a quiet spell still waits its turn. */
  private forgetLater(cardId: string, slot: Slot): void {
    const wait = Math.max(0, slot.lastSentAt + this.minIntervalMs - this.now(), slot.notBefore - this.now());
    clearTimeout(slot.forget);
    slot.forget = setTimeout(() => {
      if (!slot.running && !slot.timer && !slot.dirty && this.slots.get(cardId) === slot)
        this.slots.delete(cardId);
    }, wait);
    slot.forget.unref?.();
  }

  private async send(cardId: string, slot: Slot): Promise<void> {
    const { repo, slack, render } = this.options;
    const card = await repo.get(cardId);
    // A card that ended before anyone saw it (overtaken by a newer one) stays unposted.
    if (!card || (!card.ts && TERMINAL_STATES.has(card.state))) return;
    if (card.ts) {
      const message = await render(card);
      await slack.updateMessage({ channel: card.channel, ts: card.ts, ...message });
    } else if (slot.posted) {
      // Slack has it but the store lost the ts: record it (the post lock is still ours), never post again.
      await this.recordPost(cardId, slot, slot.posted);
      slot.dirty = true;
    } else if (!(await this.post(cardId, slot))) return;
    slot.lastSentAt = this.now();
    slot.failures = 0;
  }

  /** Posts the card once across replicas; false when another replica holds the post (try again later). */
  private async post(cardId: string, slot: Slot): Promise<boolean> {
    const { repo, store, slack, render } = this.options;
    // One replica posts; the lock outlives a slow Slack call so a second poster cannot slip in.
    const token = await store.acquireLock(storeKeys.postLock(cardId), POST_LOCK_MS);
    if (!token) {
      slot.notBefore = this.now() + 1000;
      slot.dirty = true;
      return false;
    }
    try {
      const fresh = await repo.get(cardId);
      if (!fresh || (!fresh.ts && TERMINAL_STATES.has(fresh.state))) return true;
      // A card that lost the (app, revision) index race is about to be deleted: only the winner is posted.
      if (!fresh.ts && (await repo.findByRevision(fresh.app, fresh.revision))?.id !== cardId) return true;
      const message = await render(fresh);
      if (fresh.ts) {
        await slack.updateMessage({ channel: fresh.channel, ts: fresh.ts, ...message });
        return true;
      }
      const posted = await slack.postMessage({ channel: fresh.channel, ...message });
      slot.posted = { ...posted, lockToken: token };
      await this.recordPost(cardId, slot, slot.posted);
      // The card may have changed while it was being posted: show the newest state.
      const after = await repo.get(cardId);
      if (
        after &&
        JSON.stringify(after) !== JSON.stringify({ ...fresh, ts: posted.ts, channel: posted.channel })
      )
        slot.dirty = true;
      return true;
    } finally {
      // While the ts is not stored, keeping the lock is what stops another replica from posting again.
      if (!slot.posted)
        await store
          .releaseLock(storeKeys.postLock(cardId), token)
          .catch((error: unknown) =>
            this.options.logger.warn({ err: error, cardId }, 'could not release the post lock; it expires'),
          );
    }
  }

  private async recordPost(cardId: string, slot: Slot, posted: PostedMessage): Promise<void> {
    await this.options.repo.update(cardId, (c) =>
      c.ts ? undefined : { ...c, ts: posted.ts, channel: posted.channel },
    );
    slot.posted = undefined;
    await this.options.store.releaseLock(storeKeys.postLock(cardId), posted.lockToken).catch(() => {});
  }

  /**
   * Resolves with the card once it is in Slack: posts it now if nobody has, else waits for the post that
   * is under way or retrying (here or on another replica). Undefined when it is still not out in time.
   */
  async whenPosted(cardId: string, timeoutMs = this.postWaitMs): Promise<Card | undefined> {
    const deadline = this.now() + timeoutMs;
    let card = await this.options.repo.get(cardId);
    while (card && !card.ts && !TERMINAL_STATES.has(card.state) && !this.stopped && this.now() < deadline) {
      await this.publishNow(cardId);
      card = await this.options.repo.get(cardId);
      if (card && !card.ts) await sleep(Math.min(500, Math.max(0, deadline - this.now())));
    }
    return card?.ts ? card : undefined;
  }

  /** Posts a reply in the card's thread (posting the card first if it is not out yet). */
  async thread(cardId: string, message: SlackMessage): Promise<void> {
    const card = await this.whenPosted(cardId);
    if (!card?.ts) {
      this.options.logger.warn({ cardId }, 'thread note dropped: the card is not posted');
      return;
    }
    const post = () =>
      this.options.slack.postMessage({ channel: card.channel, threadTs: card.ts, ...message });
    try {
      await post();
    } catch (error) {
      // One polite retry after Slack's Retry-After; a note is not worth more than that.
      if (!(error instanceof SlackRateLimitedError) || this.stopped) throw error;
      await sleep(error.retryAfterSec * 1000);
      await post();
    }
  }

  async idle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const pending = [...this.slots.values()].filter((s) => s.running || s.timer || s.dirty);
      if (pending.length === 0) return;
      await Promise.all(pending.map((s) => s.running ?? new Promise((r) => setTimeout(r, 20))));
    }
  }

  stop(): void {
    this.stopped = true;
    this.firstSends.clear();
    for (const slot of this.slots.values()) {
      clearTimeout(slot.timer);
      clearTimeout(slot.forget);
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());
