import type { DestinationStream } from 'pino';
import { type ArgoCdClient, createArgoCdClient } from '../clients/argocd/argocd-client.js';
import { routeByInstance } from '../clients/argocd/instance-router.js';
import { createOctokit } from '../clients/github/create-octokit.js';
import { createGitHubClient, type GitHubClient } from '../clients/github/github-client.js';
import { createSlackClient } from '../clients/slack/slack-client.js';
import { instanceEnvPrefix } from '../config/argocd-instances.js';
import { SECRET_ENV_NAMES } from '../config/env-schema.js';
import type { Config } from '../config/load-config.js';
import { redisUrlSecrets } from '../config/redis-url.js';
import { DEFAULT_INSTANCE } from '../domain/card.js';
import { createHttpServer, type HttpServer, type HttpTimeouts } from '../http/create-http-server.js';
import { createHttpMetrics } from '../http/http-metrics.js';
import type { Route } from '../http/route.js';
import { argocdEventsRoute } from '../inbound/argocd-events.js';
import { Dispatcher } from '../inbound/dispatcher.js';
import { githubEventsRoute } from '../inbound/github-events.js';
import { healthzRoute, metricsRoute, readyzRoute } from '../inbound/health.js';
import { slackEventsRoute } from '../inbound/slack-events.js';
import { socketGuard } from '../inbound/slack-socket-guard.js';
import { createLogger, type Logger } from '../logging/create-logger.js';
import { createStore } from '../store/create-store.js';
import { RedisStore } from '../store/redis-store.js';
import type { Store } from '../store/store.js';
import { watchRedisConnection } from '../store/watch-redis-connection.js';
import type { AppContext } from './context.js';
import { createBoltApp } from './create-bolt-app.js';
import { type Features, registerFeatures } from './register-features.js';

export interface DeploybotOptions {
  config: Config;
  logger?: Logger;
  logDestination?: DestinationStream;
  store?: Store;
  now?: () => number;
  /** Overrides for tests and the sandbox (e.g. shorter Argo CD timeouts). */
  argocdTimeoutMs?: number;
  host?: string;
  /** Overrides the policy's reconcileInterval (tests of expiry and reminders). */
  reconcileIntervalMs?: number;
  /** Overrides the HTTP server's timeouts (tests of slow clients); default HTTP_TIMEOUTS. */
  httpTimeouts?: HttpTimeouts;
}

export interface Deploybot {
  context: AppContext;
  features: Features;
  start(port?: number): Promise<number>;
  stop(deadlineMs?: number): Promise<void>;
}

export function secretValues(config: Config): string[] {
  const values = SECRET_ENV_NAMES.map((name) => config.env[name]).filter(
    (v): v is string => typeof v === 'string',
  );
  for (const instance of config.argocd) values.push(instance.token, instance.webhookSecret);
  // A Redis password inside REDIS_URL (also a Sentinel's) may be printed on its own (client errors quote it).
  if (config.env.REDIS_URL) values.push(...redisUrlSecrets(config.env.REDIS_URL));
  return values;
}

export async function createDeploybot(options: DeploybotOptions): Promise<Deploybot> {
  const { config } = options;
  const { env } = config;
  const now = options.now ?? Date.now;
  const logger =
    options.logger ??
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

  // One client per instance (its URL, its token); the router sends each call to the app's instance.
  const clients = new Map<string, ArgoCdClient>();
  for (const instance of config.argocd) {
    const tokenVar =
      instance.name === DEFAULT_INSTANCE && !env.ARGOCD_INSTANCES
        ? 'ARGOCD_TOKEN'
        : `${instanceEnvPrefix(instance.name)}_TOKEN`;
    clients.set(
      instance.name,
      createArgoCdClient({
        instance: instance.name,
        baseUrl: instance.url,
        token: instance.token,
        timeoutMs: options.argocdTimeoutMs,
        onUnauthenticated: (message) =>
          logger.error(
            { argocd: message, instance: instance.name },
            `Argo CD rejected the token: renew ${tokenVar} (see docs/install.md step 3)`,
          ),
      }),
    );
  }
  const argocd = routeByInstance(clients);
  const uiUrls = new Map(config.argocd.map((instance) => [instance.name, instance.uiUrl]));
  let github: GitHubClient | undefined;
  if (env.GITHUB_TOKEN || env.GITHUB_APP_ID) {
    const octokit = await createOctokit({
      auth: {
        token: env.GITHUB_TOKEN,
        app:
          env.GITHUB_APP_ID && env.GITHUB_APP_PRIVATE_KEY && env.GITHUB_APP_INSTALLATION_ID
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
  } else logger.warn('GITHUB_TOKEN is unset: cards show no changelog or checks');

  const { bolt, client, receiver, socketMode, warmUp } = createBoltApp(config, logger);
  let workspaceUrl: string | undefined;
  const dispatcher = new Dispatcher(logger);
  const shutdownTasks: (() => Promise<void>)[] = [];
  const context: AppContext = {
    config,
    logger,
    store,
    argocd,
    github,
    slack: createSlackClient(client, {
      workspaceUrl: () => workspaceUrl,
      onPermalinkError: (error, channel, ts) =>
        logger.warn({ err: error, channel, ts }, 'no permalink for a message; posting without it'),
    }),
    bolt,
    dispatcher,
    now,
    // An instance without a client has no URL either; its links fall back to the first instance's base.
    argoUiUrl: (instance) => uiUrls.get(instance) ?? config.argocd[0]?.uiUrl ?? '',
    onShutdown: (task) => shutdownTasks.push(task),
  };
  if (socketMode) {
    bolt.use(
      socketGuard({
        store,
        logger: logger.child({ component: 'slack' }),
        teamId: env.SLACK_TEAM_ID,
        appId: env.SLACK_APP_ID,
      }),
    );
  }
  // The HTTP server is built after the features (its routes need them); the click queue asks it lazily.
  let http: HttpServer | undefined;
  const metrics = createHttpMetrics();
  const features = registerFeatures(context, {
    reconcileIntervalMs: options.reconcileIntervalMs,
    isBusy: () => (http?.inFlight() ?? 0) > 0,
    metricsRegistry: metrics.registry,
  });

  let shuttingDown = false;
  const routes: Route[] = [
    argocdEventsRoute({
      secrets: config.argocd.map(({ name, webhookSecret }) => ({ instance: name, secret: webhookSecret })),
      store,
      dispatcher,
      logger,
    }),
    githubEventsRoute({ secret: env.GITHUB_WEBHOOK_SECRET, store, dispatcher, logger }),
    healthzRoute(),
    readyzRoute({ store, isShuttingDown: () => shuttingDown }),
    metricsRoute(metrics.registry),
  ];
  if (receiver && env.SLACK_SIGNING_SECRET) {
    routes.push(
      slackEventsRoute({
        signingSecret: env.SLACK_SIGNING_SECRET,
        boltListener: receiver.requestListener,
        store,
        logger,
        teamId: env.SLACK_TEAM_ID,
        appId: env.SLACK_APP_ID,
        now,
      }),
    );
  }
  http = createHttpServer({ routes, metrics, logger, timeouts: options.httpTimeouts });
  const server = http;

  return {
    context,
    features,
    async start(port = env.PORT) {
      const bound = await server.listen(port, options.host);
      // Not awaited: Slack being down at start-up must not stop the webhooks; Bolt asks again on the first click.
      warmUp()
        .then(({ url }) => {
          workspaceUrl = url;
        })
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'auth.test failed at start; Slack is asked again on the first request'),
        );
      if (socketMode) await bolt.start();
      logger.info(
        { port: bound, mode: socketMode ? 'socket' : 'http', store: store.kind },
        'deploybot is listening',
      );
      return bound;
    },
    async stop(deadlineMs = 10_000) {
      shuttingDown = true;
      const deadline = Date.now() + deadlineMs;
      await server.close(deadlineMs);
      if (socketMode) await bolt.stop();
      // In-flight work gets what is left of the deadline; then we close anyway (Kubernetes will not wait longer).
      for (const task of shutdownTasks.reverse()) {
        const left = Math.max(100, deadline - Date.now());
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warn('a shutdown task did not finish before the deadline');
            resolve();
          }, left);
        });
        await Promise.race([
          task().catch((error: unknown) => logger.error({ err: error }, 'shutdown task failed')),
          timeout,
        ]);
        clearTimeout(timer);
      }
      await store.close();
      logger.info('deploybot stopped');
    },
  };
}
