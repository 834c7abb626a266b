import { createArgoCdClient } from '../clients/argocd/argocd-client.js';
import { createOctokit } from '../clients/github/create-octokit.js';
import { createGitHubClient } from '../clients/github/github-client.js';
import { createSlackClient } from '../clients/slack/slack-client.js';
import { SECRET_ENV_NAMES } from '../config/env-schema.js';
import { Dispatcher } from '../events/dispatcher.js';
import { createHttpServer } from '../http/create-http-server.js';
import { createHttpMetrics } from '../http/http-metrics.js';
import { argocdEventsRoute } from '../inbound/argocd-events.js';
import { githubEventsRoute } from '../inbound/github-events.js';
import { healthzRoute, metricsRoute, readyzRoute } from '../inbound/health.js';
import { slackEventsRoute } from '../inbound/slack-events.js';
import { createLogger } from '../logging/create-logger.js';
import { createStore } from '../store/create-store.js';
import { RedisStore } from '../store/redis-store.js';
import { watchRedisConnection } from '../store/watch-redis-connection.js';
import { createBoltApp } from './create-bolt-app.js';
import { registerFeatures } from './register-features.js';
export function secretValues(config) {
    const values = SECRET_ENV_NAMES.map((name) => config.env[name]).filter((v) => typeof v === 'string');
    // A Redis password inside REDIS_URL may also be printed on its own (client errors quote it).
    const redisPassword = config.env.REDIS_URL ? URL.parse(config.env.REDIS_URL)?.password : undefined;
    if (redisPassword)
        values.push(decodeURIComponent(redisPassword));
    return values;
}
export async function createDeploybot(options) {
    const { config } = options;
    const { env } = config;
    const now = options.now ?? Date.now;
    const logger = options.logger ??
        createLogger({
            level: env.LOG_LEVEL,
            secrets: secretValues(config),
            destination: options.logDestination,
        });
    const store = options.store ?? createStore({ redisUrl: env.REDIS_URL, prefix: env.REDIS_KEY_PREFIX });
    if (store.kind === 'memory')
        logger.warn('REDIS_URL is unset: using the in-memory store; run ONE replica only');
    if (store instanceof RedisStore) {
        await store.ready();
        watchRedisConnection(store, logger);
    }
    const argocd = createArgoCdClient({
        baseUrl: env.ARGOCD_URL,
        token: env.ARGOCD_TOKEN,
        timeoutMs: options.argocdTimeoutMs,
    });
    let github;
    if (env.GITHUB_TOKEN || env.GITHUB_APP_ID) {
        const octokit = await createOctokit({
            auth: {
                token: env.GITHUB_TOKEN,
                app: env.GITHUB_APP_ID && env.GITHUB_APP_PRIVATE_KEY && env.GITHUB_APP_INSTALLATION_ID
                    ? {
                        appId: env.GITHUB_APP_ID,
                        privateKey: env.GITHUB_APP_PRIVATE_KEY,
                        installationId: env.GITHUB_APP_INSTALLATION_ID,
                    }
                    : undefined,
            },
            baseUrl: env.GITHUB_API_URL,
            logger,
        });
        github = createGitHubClient(octokit);
    }
    else
        logger.warn('GITHUB_TOKEN is unset: cards show no changelog or checks');
    const { bolt, receiver, socketMode } = createBoltApp(config, logger);
    const dispatcher = new Dispatcher(logger);
    const shutdownTasks = [];
    const context = {
        config,
        logger,
        store,
        argocd,
        github,
        slack: createSlackClient(bolt.client),
        bolt,
        dispatcher,
        now,
        argoUiUrl: (env.ARGOCD_UI_URL ?? env.ARGOCD_URL).replace(/\/+$/, ''),
        onShutdown: (task) => shutdownTasks.push(task),
    };
    const features = registerFeatures(context, { reconcileIntervalMs: options.reconcileIntervalMs });
    let shuttingDown = false;
    const metrics = createHttpMetrics();
    const routes = [
        argocdEventsRoute({ secret: env.ARGOCD_WEBHOOK_SECRET, store, dispatcher, logger }),
        githubEventsRoute({ secret: env.GITHUB_WEBHOOK_SECRET, store, dispatcher, logger }),
        healthzRoute(),
        readyzRoute({ store, isShuttingDown: () => shuttingDown }),
        metricsRoute(metrics.registry),
    ];
    if (receiver && env.SLACK_SIGNING_SECRET) {
        routes.push(slackEventsRoute({
            signingSecret: env.SLACK_SIGNING_SECRET,
            boltListener: receiver.requestListener,
            store,
            logger,
            teamId: env.SLACK_TEAM_ID,
            appId: env.SLACK_APP_ID,
            now,
        }));
    }
    const http = createHttpServer({ routes, metrics, logger });
    return {
        context,
        features,
        async start(port = env.PORT) {
            const bound = await http.listen(port, options.host);
            if (socketMode)
                await bolt.start();
            logger.info({ port: bound, mode: socketMode ? 'socket' : 'http', store: store.kind }, 'deploybot is listening');
            return bound;
        },
        async stop(deadlineMs = 10_000) {
            shuttingDown = true;
            await http.close(deadlineMs);
            if (socketMode)
                await bolt.stop();
            for (const task of shutdownTasks.reverse()) {
                await task().catch((error) => logger.error({ err: error }, 'shutdown task failed'));
            }
            await store.close();
            logger.info('deploybot stopped');
        },
    };
}
