import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDeploybot, type Deploybot } from '../../src/app/create-deploybot.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { HttpTimeouts } from '../../src/http/create-http-server.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { recordForScan, SUITE_SECRETS } from './secret-scan.js';

export const TEST_SECRETS = SUITE_SECRETS;

export const DEFAULT_TEST_POLICY = `
channels: { deploys: C0DEPLOYS, releases: C0RELEASES }
github: { repo: sheeffii/RealtimeGaming }
people:
  - { slack: U0ALICE, github: alice, email: alice@gamemetrics.example }
  - { slack: U0BOB, github: bob, email: bob@gamemetrics.example }
  - { slack: U0DAVE, github: dave, email: dave@gamemetrics.example }
environments:
  prod:
    channel: C0PRODDEPLOYS
    approvers: { users: [U0ALICE, U0BOB], groups: [S0ONCALL] }
    requiredApprovals: 1
    rollback: { users: [U0ALICE, U0BOB] }
  dev:
    approvers: { users: ["*"] }
    requiredApprovals: 0
apps:
  - { match: "*-prod", environment: prod }
  - { match: "*", environment: dev }
`;

export interface TestBot {
  bot: Deploybot;
  url: string;
  port: number;
  logs: string[];
  store: Store;
  stop(): Promise<void>;
}

export interface StartTestBotOptions {
  env?: Record<string, string | undefined>;
  policy?: string;
  /** Share one store between instances (two replicas); default: a fresh Redis prefix. */
  store?: Store;
  prefix?: string;
  now?: () => number;
  logs?: string[];
  port?: number;
  reconcileIntervalMs?: number;
  httpTimeouts?: HttpTimeouts;
}

/** Starts the real app on port 0 with Redis and the given fakes' URLs; logs are captured for assertions. */
export async function startTestBot(options: StartTestBotOptions = {}): Promise<TestBot> {
  const logs = options.logs ?? [];
  const scanFile = `bot-${process.pid}-${randomUUID()}.log`;
  const prefix = options.prefix ?? `test:${randomUUID()}:`;
  const env = {
    ...TEST_SECRETS,
    ARGOCD_URL: 'http://127.0.0.1:9',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const config = await loadConfig({ env, readText: async () => options.policy ?? DEFAULT_TEST_POLICY });
  const store = options.store ?? new RedisStore({ url: env.REDIS_URL as string, prefix });
  const bot = await createDeploybot({
    config,
    store,
    now: options.now,
    logDestination: {
      write: (line: string) => {
        logs.push(line);
        recordForScan(scanFile, line);
      },
    },
    argocdTimeoutMs: 3000,
    host: '127.0.0.1',
    reconcileIntervalMs: options.reconcileIntervalMs,
    httpTimeouts: options.httpTimeouts,
  });
  const port = await bot.start(options.port ?? 0);
  return {
    bot,
    url: `http://127.0.0.1:${port}`,
    port,
    logs,
    store,
    stop: () => bot.stop(2000),
  };
}
