import type { SlackClient } from '../clients/slack/slack-client.js';
import { SlackRateLimitedError } from '../clients/slack/slack-client.js';
import type { Logger } from '../logging/create-logger.js';
import type { SlackMessage } from '../render/block-kit.js';

const POST_ATTEMPTS = 3;

/**
 * Posts an announcement whose once-claim is already taken: a few retries (Slack's Retry-After when it
 * rate-limits), then it is lost and logged, never posted twice.
 */
export async function postAnnouncement(
  slack: SlackClient,
  channel: string,
  message: SlackMessage,
  log: Logger,
): Promise<boolean> {
  for (let attempt = 1; attempt <= POST_ATTEMPTS; attempt++) {
    try {
      await slack.postMessage({ channel, ...message });
      log.info({ channel }, 'release announced');
      return true;
    } catch (error) {
      const waitMs = error instanceof SlackRateLimitedError ? error.retryAfterSec * 1000 : 500 * attempt;
      log.warn({ err: error, attempt }, 'release announcement could not be posted');
      if (attempt < POST_ATTEMPTS) await new Promise((r) => setTimeout(r, Math.min(waitMs, 10_000)).unref());
    }
  }
  return false;
}
