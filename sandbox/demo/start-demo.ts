import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream } from 'pino';
import { createDeploybot, type Deploybot } from '../../src/app/create-deploybot.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createConsole, type SandboxConsole } from '../console/index.js';
import { PEOPLE } from '../world/seed.js';
import { startWorld, type World, type WorldOptions } from '../world/start-world.js';
import { addFleetApps, DEMO_INSTANCES, FLEET_GROUPS_YAML } from './demo-fleet.js';
import { demoPolicy } from './demo-policy.js';
import { demoDeliveryHistory } from './seed-delivery-history.js';
import { addCanaryApp, argocdAppRows, createWorldScenarios, WORLD_ROLES } from './world-scenarios.js';

export interface DemoOptions {
  /** Port of the console (and of the fake Slack it lives on); 0 = any free port. Default 4000. */
  port?: number;
  host?: string;
  /** Unset: the in-memory store, as `npm run demo` without configuration. */
  redisUrl?: string;
  /** Key prefix in Redis; default one per run, so an old run's cards never point at this run's fake Slack. */
  redisKeyPrefix?: string;
  logLevel?: string;
  logDestination?: DestinationStream;
  world?: Omit<WorldOptions, 'host' | 'slackPort' | 'slackFallback' | 'instances'>;
  /**
   * Two Argo CD instances (eu, us) and the event-ingestion fleet group (sandbox/demo/demo-fleet.ts). Needs a
   * bot with multi-instance config and policy `groups`. Default off: the one-instance demo.
   */
  fleet?: boolean;
}

export interface Demo {
  consoleUrl: string;
  world: World;
  bot: Deploybot;
  console: SandboxConsole;
  stop(): Promise<void>;
}

/** The whole sandbox in one process: fakes, console (on the fake Slack's port) and the real bot. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const host = options.host ?? '127.0.0.1';
  let consoleApp: SandboxConsole | undefined;
  // The fake Slack must exist before the console that draws it, and it routes to the console from its start.
  const fallback = (req: IncomingMessage, res: ServerResponse) => {
    if (consoleApp) return consoleApp.handle(req, res);
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
    res.end('the console is starting');
  };
  const world = await startWorld({
    timing: { syncMs: 1500, healthMs: 1500 },
    ...options.world,
    ...(options.fleet ? { instances: DEMO_INSTANCES } : {}),
    host,
    slackPort: options.port ?? 4000,
    slackFallback: fallback,
  });
  try {
    addCanaryApp(world);
    const fleet = options.fleet ? addFleetApps(world) : [];
    consoleApp = await createConsole({
      slack: world.slack,
      scenarios: createWorldScenarios(world, fleet),
      ...(world.multiInstance ? { argocdApps: () => argocdAppRows(world) } : {}),
      roles: WORLD_ROLES,
      defaultUser: PEOPLE.dave.id,
      title: 'deploybot sandbox',
    });
    const env: Record<string, string | undefined> = {
      ...world.env,
      LOG_LEVEL: options.logLevel ?? 'warn',
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: options.redisUrl
        ? (options.redisKeyPrefix ?? `deploybot-demo:${Date.now().toString(36)}:`)
        : undefined,
    };
    const policy = demoPolicy(world.policyYaml, options.fleet ? { groupsYaml: FLEET_GROUPS_YAML } : {});
    const config = await loadConfig({ env, readText: async () => policy });
    const bot = await createDeploybot({ config, host, logDestination: options.logDestination });
    await bot.start(world.botPort);
    // A month of deploys, a rollback and a failed sync, so `/deploy-status stats` shows something at once.
    for (const record of demoDeliveryHistory(Date.now())) await bot.features.delivery.records.add(record);
    const started = consoleApp;
    return {
      consoleUrl: world.slack.url,
      world,
      bot,
      console: started,
      async stop() {
        started.close();
        await bot.stop(3000);
        await world.close();
      },
    };
  } catch (error) {
    consoleApp?.close();
    await world.close();
    throw error;
  }
}
