import type { FakeSlack } from '../../sandbox/fake-slack/index.js';
import type { DelayProxy } from './delay-proxy.js';
import { sleep } from './wait.js';

/** Calls the bot made so far, to turn a step's work into calls per click or per event. */
export interface CallCounts {
  slack: number;
  argocd: number;
  github: number;
}

export interface ActivityMonitor {
  counts(): CallCounts;
  /** Resolves when nothing moved for `quietMs` (no Argo CD request in flight, no Slack change); false on timeout. */
  waitForQuiet(options: { quietMs: number; maxMs: number }): Promise<boolean>;
  stop(): void;
}

/**
 * The bot works after its 202s and acks; before each measured step the bench waits until that work is
 * done, so a baseline is never measured while the bot still burns CPU on the previous step.
 */
export function watchActivity(slack: FakeSlack, proxy: DelayProxy, github?: DelayProxy): ActivityMonitor {
  let slackEvents = 0;
  let slackCalls = 0;
  const unsubscribe = slack.onChange((event) => {
    slackEvents++;
    if (event.type === 'api_call') slackCalls++;
  });
  const snapshot = () => `${slackEvents}/${proxy.requestCount}`;
  // GitHub traffic is counted but not waited for: GitHub writes trickle out at one a second (octokit's
  // write throttle), so after many deploys it never goes quiet.
  return {
    counts: () => ({ slack: slackCalls, argocd: proxy.requestCount, github: github?.requestCount ?? 0 }),
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
