import { App, type Authorize, HTTPReceiver, webApi } from '@slack/bolt';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/create-logger.js';
import { boltLogger } from '../slack/bolt-logger.js';

export interface BoltSetup {
  bolt: App;
  /** The bot-token Web API client the workers use (cards, threads, modals). */
  client: webApi.WebClient;
  /** Present in HTTP mode: the request listener behind POST /slack/events. */
  receiver?: HTTPReceiver;
  socketMode: boolean;
  /**
   * Asks Slack who the bot is once at start, so the first click does not wait for auth.test; resolves
   * with the workspace URL auth.test gives (permalinks of cards are built from it).
   */
  warmUp(): Promise<{ url?: string }>;
}

/**
 * Bolt's single-workspace authorize calls auth.test on every request when token verification is
 * off; we ask once, keep the answer, and ask again only after a failure (Slack down at start-up).
 */
function cachedAuthorize(client: webApi.WebClient, botToken: string): Authorize<boolean> {
  let identity: Promise<{ botUserId?: string; botId?: string; url?: string }> | undefined;
  return async () => {
    identity ??= client.auth
      .test()
      .then((r) => ({ botUserId: r.user_id, botId: r.bot_id, url: r.url }))
      .catch((error: unknown) => {
        identity = undefined;
        throw error;
      });
    const { botUserId, botId, url } = await identity;
    return { botToken, botUserId, botId, url } as never;
  };
}

export function createBoltApp(config: Config, logger: Logger): BoltSetup {
  const { env } = config;
  const log = boltLogger(logger);
  const clientOptions = {
    slackApiUrl: env.SLACK_API_URL,
    // 429s come back to us (cards are coalesced and retried after Retry-After); 5xx get two quick retries.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
    timeout: 10_000,
    logger: log,
  };
  const client = new webApi.WebClient(env.SLACK_BOT_TOKEN, clientOptions);
  const authorize = cachedAuthorize(client, env.SLACK_BOT_TOKEN);
  const warmUp = async () => {
    const { url } = (await (authorize as () => Promise<{ url?: string }>)()) ?? {};
    return { url };
  };
  if (env.SLACK_APP_TOKEN) {
    const bolt = new App({
      authorize,
      appToken: env.SLACK_APP_TOKEN,
      socketMode: true,
      logger: log,
      clientOptions,
      extendedErrorHandler: true,
    });
    return { bolt, client, socketMode: true, warmUp };
  }
  const receiver = new HTTPReceiver({
    signingSecret: env.SLACK_SIGNING_SECRET ?? '',
    logger: log,
    processBeforeResponse: false,
  });
  const bolt = new App({ authorize, receiver, logger: log, clientOptions, extendedErrorHandler: true });
  return { bolt, client, receiver, socketMode: false, warmUp };
}
