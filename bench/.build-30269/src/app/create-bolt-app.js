import { App, HTTPReceiver } from '@slack/bolt';
import { boltLogger } from '../slack/bolt-logger.js';
export function createBoltApp(config, logger) {
    const { env } = config;
    const log = boltLogger(logger);
    const clientOptions = {
        slackApiUrl: env.SLACK_API_URL,
        // 429s come back to us (cards are coalesced and retried after Retry-After); 5xx get two quick retries.
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
        timeout: 10_000,
    };
    if (env.SLACK_APP_TOKEN) {
        const bolt = new App({
            token: env.SLACK_BOT_TOKEN,
            appToken: env.SLACK_APP_TOKEN,
            socketMode: true,
            logger: log,
            clientOptions,
            tokenVerificationEnabled: false,
            extendedErrorHandler: true,
        });
        return { bolt, socketMode: true };
    }
    const receiver = new HTTPReceiver({
        signingSecret: env.SLACK_SIGNING_SECRET ?? '',
        logger: log,
        processBeforeResponse: false,
    });
    const bolt = new App({
        token: env.SLACK_BOT_TOKEN,
        receiver,
        logger: log,
        clientOptions,
        tokenVerificationEnabled: false,
        extendedErrorHandler: true,
    });
    return { bolt, receiver, socketMode: false };
}
