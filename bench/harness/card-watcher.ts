import { performance } from 'node:perf_hooks';
import type { FakeSlack, SlackMessage } from '../../sandbox/fake-slack/index.js';
import { appOfMessage } from './cards.js';
import { pollUntil } from './wait.js';

interface SeenCard {
  app: string;
  ts: string;
  /** performance.now() when the fake Slack stored the message. */
  at: number;
}

export interface CardWatcher {
  /** Names to look out for (call before the notifications go out). */
  expect(names: readonly string[]): void;
  get(app: string): SeenCard | undefined;
  /** Waits until every app has a top-level message; throws with the missing names on timeout. */
  waitFor(names: readonly string[], timeoutMs: number): Promise<Map<string, SeenCard>>;
  stop(): void;
}

/**
 * Notes the first top-level message about each app as the fake Slack stores it. Reading only the new
 * message keeps the fakes (which share this process) responsive: re-reading the whole channel while
 * the bot works would stall them and show up as bot latency.
 */
export function watchCards(slack: FakeSlack, channel: string): CardWatcher {
  const seen = new Map<string, SeenCard>();
  const expected = new Set<string>();
  const unsubscribe = slack.onChange((event) => {
    if (event.type !== 'message_posted' || event.channel !== channel) return;
    const at = performance.now();
    const message: SlackMessage | undefined = slack.thread(channel, event.ts)[0];
    if (!message || (message.thread_ts !== undefined && message.thread_ts !== message.ts)) return;
    const app = appOfMessage(message, expected);
    if (app && !seen.has(app)) seen.set(app, { app, ts: event.ts, at });
  });
  return {
    expect(names) {
      for (const name of names) expected.add(name);
    },
    get: (app) => seen.get(app),
    async waitFor(names, timeoutMs) {
      this.expect(names);
      const done = await pollUntil(() => names.every((n) => seen.has(n)), { timeoutMs, intervalMs: 50 });
      if (!done) {
        const missing = names.filter((n) => !seen.has(n));
        throw new Error(
          `${missing.length} of ${names.length} cards did not appear within ${timeoutMs} ms (e.g. ${missing.slice(0, 3).join(', ')})`,
        );
      }
      return new Map(names.map((n) => [n, seen.get(n)!]));
    },
    stop: unsubscribe,
  };
}
