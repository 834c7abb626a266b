import { randomUUID } from 'node:crypto';
import { CHANNELS } from '../../sandbox/world/seed.js';
import { startWorld, type World } from '../../sandbox/world/start-world.js';
import { type ActivityMonitor, watchActivity } from './activity.js';
import { benchPolicy } from './bench-policy.js';
import { type CardWatcher, watchCards } from './card-watcher.js';
import type { SutBuild } from './compile-sut.js';
import { type DelayProxy, startDelayProxy } from './delay-proxy.js';
import { type SutProcess, startSut } from './sut-process.js';
import type { StopReport } from './sut-protocol.js';

export interface BenchWorld {
  world: World;
  /** Between the bot and the fake Argo CD: delays syncs, timestamps them, counts traffic. */
  proxy: DelayProxy;
  /** Between the bot and the fake GitHub: counts calls (passes them at once). */
  githubProxy: DelayProxy;
  bot: SutProcess;
  activity: ActivityMonitor;
  /** First top-level message per app in the prod channel, noted as the fake Slack stores it. */
  prodCards: CardWatcher;
  /** The commit every bench app is deployed at, and the newer one (dave's, green checks) they move to. */
  baseSha: string;
  targetSha: string;
  redisPrefix: string;
  /** The bot's environment, for phases that POST to it as Argo CD or GitHub would. */
  env: Record<string, string>;
  /** Stops everything; says whether the bot managed a graceful stop within the child's deadline. */
  close(): Promise<StopReport | undefined>;
}

export interface BenchWorldOptions {
  redisUrl: string;
  /** Leave Argo CD's notifications on (only the quietness phase wants them; the others send their own). */
  notifications: boolean;
  /** May still be compiling: the fakes start meanwhile. */
  build: SutBuild | Promise<SutBuild>;
  cpuProfileDir?: string;
}

/** The sandbox world, a delaying proxy in front of its Argo CD, and the real bot in its own process. */
export async function startBenchWorld({
  redisUrl,
  notifications,
  build,
  cpuProfileDir,
}: BenchWorldOptions): Promise<BenchWorld> {
  const world = await startWorld({ timing: { syncMs: 200, healthMs: 200 } });
  if (!notifications) world.argocd.pauseNotifications();
  const redisPrefix = `bench:${randomUUID()}:`;
  let proxy: DelayProxy | undefined;
  let githubProxy: DelayProxy | undefined;
  try {
    proxy = await startDelayProxy(world.argocd.url);
    githubProxy = await startDelayProxy(world.github.url);
    const env: Record<string, string> = {
      ...world.env,
      ARGOCD_URL: proxy.url,
      GITHUB_API_URL: githubProxy.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redisPrefix,
      LOG_LEVEL: 'warn',
    };
    const bot = await startSut(
      { mode: 'deploybot', env, policyYaml: benchPolicy(world.policyYaml), port: world.botPort },
      { build: await build, cpuProfileDir },
    );
    const activity = watchActivity(world.slack, proxy, githubProxy);
    const prodCards = watchCards(world.slack, CHANNELS.prodDeploys.id);
    const baseSha = world.headOf('main');
    const targetSha = await world.pushCommit({ author: 'dave', message: 'Batch inserts into ClickHouse' });
    const started = proxy;
    const startedGithub = githubProxy;
    return {
      world,
      proxy: started,
      githubProxy: startedGithub,
      bot,
      activity,
      prodCards,
      baseSha,
      targetSha,
      redisPrefix,
      env,
      async close() {
        activity.stop();
        prodCards.stop();
        const report = await bot.stop();
        await started.close();
        await startedGithub.close();
        await world.close();
        return report;
      },
    };
  } catch (error) {
    await proxy?.close();
    await githubProxy?.close();
    await world.close();
    throw error;
  }
}
