import type { FakeSlack } from '../../sandbox/fake-slack/index.js';
import type { DelayProxy } from './delay-proxy.js';
import { sleep } from './wait.js';

export interface ActivityMonitor {
  /** Resolves when nothing moved for `quietMs` (no Argo CD request in flight, no Slack change); false on timeout. */
  waitForQuiet(options: { quietMs: number; maxMs: number }): Promise<boolean>;
  stop(): void;
}

/**
 * The bot works after its 202s and acks; before each measured step the bench waits until that work is
 * done, so a baseline is never measured while the bot still burns CPU on the previous step.
 */
export function watchActivity(slack: FakeSlack, proxy: DelayProxy): ActivityMonitor {
  let slackEvents = 0;
  const unsubscribe = slack.onChange(() => {
    slackEvents++;
  });
  const snapshot = () => `${slackEvents}/${proxy.requestCount}`;
  return {
    async waitForQuiet({ quietMs, maxMs }) {
      const deadline = Date.now() + maxMs;
      let last = snapshot();
      let since = Date.now();
      while (Date.now() < deadline) {
        await sleep(50);
        const now = snapshot();
        if (now !== last || proxy.inFlight > 0) {
          last = now;
          since = Date.now();
        } else if (Date.now() - since >= quietMs) return true;
      }
      return false;
    },
    stop: unsubscribe,
  };
}
