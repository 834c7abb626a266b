/**
 * `npm run bench [-- --quick] [-- --only=phase,…]`: deploybot measured side by side with baselines in
 * one run on this machine. Prints a table on stdout, writes bench/results/latest.json. Exits 0 when
 * targets are missed; non-zero only when the bench itself could not run a phase.
 */
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNELS } from '../sandbox/world/seed.js';
import { ACTION_IDS } from '../src/render/ids.js';
import { type BenchWorld, startBenchWorld } from './harness/bench-world.js';
import { buildSut, type SutBuild } from './harness/compile-sut.js';
import { parseOptions } from './harness/options.js';
import { type BenchRedis, provideRedis } from './harness/redis.js';
import { type SutProcess, startSut } from './harness/sut-process.js';
import { withTimeout } from './harness/wait.js';
import { clickAckPhase } from './phases/click-ack.js';
import { clickSyncPhase } from './phases/click-sync.js';
import { deployStatusPhase } from './phases/deploy-status.js';
import { fleetPhase } from './phases/fleet.js';
import { ingestPhase } from './phases/ingest.js';
import { memoryPhase } from './phases/memory.js';
import { notificationCardPhase } from './phases/notification-card.js';
import type { Phase, PhaseContext } from './phases/phase.js';
import { quietnessPhase } from './phases/quietness.js';
import { formatTable } from './report/format-table.js';
import { describeMachine } from './report/machine.js';
import { makeRow, type ResultRow } from './report/result.js';
import { formatProfileSummary } from './report/summarize-profile.js';

const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));

/**
 * Quietness needs Argo CD's own notifications and runs first; the rest send their own. The click bursts
 * leave hundreds of deploys finishing in the background, so the phases that need a calm bot go before
 * them. Memory has its own world and runs alone at the end; fleet has its own world and bot too (its policy
 * has `groups`), after memory so the memory numbers stay those of a bot alone on the machine.
 */
const MAIN_PHASES: Phase[] = [
  quietnessPhase,
  clickSyncPhase,
  notificationCardPhase,
  clickAckPhase,
  ingestPhase,
  deployStatusPhase,
];
const OWN_WORLD_PHASES: Phase[] = [memoryPhase, fleetPhase];

const benchStarted = Date.now();
const progress = (message: string) =>
  process.stderr.write(`[bench +${((Date.now() - benchStarted) / 1000).toFixed(1)}s] ${message}\n`);

async function startBaselines(
  main: BenchWorld,
  build: SutBuild,
): Promise<{ bolt: SutProcess; http: SutProcess }> {
  const { env } = main;
  const [bolt, http] = await Promise.all([
    startSut(
      {
        mode: 'bare-bolt',
        signingSecret: env.SLACK_SIGNING_SECRET!,
        botToken: env.SLACK_BOT_TOKEN!,
        slackApiUrl: env.SLACK_API_URL!,
        approveActionId: ACTION_IDS.approve,
        argocdUrl: main.proxy.url,
        argocdToken: env.ARGOCD_TOKEN!,
      },
      { build },
    ),
    startSut(
      {
        mode: 'bare-http',
        argocdSecret: env.ARGOCD_WEBHOOK_SECRET!,
        githubSecret: env.GITHUB_WEBHOOK_SECRET!,
        slackApiUrl: env.SLACK_API_URL!,
        slackToken: env.SLACK_BOT_TOKEN!,
        slackChannel: CHANNELS.prodDeploys.id,
      },
      { build },
    ),
  ]);
  return { bolt, http };
}

async function runPhase(phase: Phase, ctx: PhaseContext): Promise<{ rows: ResultRow[]; crashed: boolean }> {
  const started = Date.now();
  try {
    const rows = await withTimeout(phase.run(ctx), phase.timeoutMs, `phase ${phase.name}`);
    progress(`${phase.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { rows, crashed: false };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    progress(`${phase.name} FAILED: ${message}`);
    return {
      rows: [
        makeRow({
          name: `${phase.name}: could not be measured`,
          unit: '',
          ours: null,
          note: `the bench phase failed: ${message}`,
        }),
      ],
      crashed: true,
    };
  }
}

function reportLogs(label: string, counts: Record<string, number>): void {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return;
  progress(`${label} logged (warn/error, by message):`);
  for (const [message, count] of entries.slice(0, 15))
    progress(`  ${String(count).padStart(6)} × ${message}`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const selected = (phases: Phase[]) =>
    phases.filter((p) => options.only.length === 0 || options.only.includes(p.name));
  const machine = describeMachine();
  const startedAt = Date.now();
  // Compiling the systems under test takes seconds: it runs while Redis is found and the fakes start.
  const building = buildSut();
  let redis: BenchRedis;
  try {
    redis = await provideRedis();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    await (await building).cleanup();
    return 2;
  }
  progress(`Redis: ${redis.url} (${redis.source}); ${options.quick ? 'quick' : 'full'} run`);
  const rows: ResultRow[] = [];
  let crashed = false;
  const cpuProfileDir = options.profile
    ? await mkdtemp(join(tmpdir(), 'deploybot-bench-profile-'))
    : undefined;
  const describeBuild = (build: SutBuild) =>
    progress(
      build.kind === 'compiled'
        ? 'systems under test run as compiled JS'
        : `could not compile the systems under test (${build.problem}); running them under tsx, which inflates memory`,
    );
  void building.then(describeBuild);
  let main: BenchWorld | undefined;
  let baselines: { bolt: SutProcess; http: SutProcess } | undefined;
  let mainStopped: Promise<void> | undefined;
  const stopMain = () => {
    mainStopped ??= closeMain();
    return mainStopped;
  };
  const closeMain = async () => {
    await baselines?.bolt.stop();
    await baselines?.http.stop();
    const stopped = await main?.close().catch(() => undefined);
    if (stopped && !stopped.graceful)
      progress(
        `deploybot did not stop gracefully within ${stopped.ms} ms (bot.stop() still waiting); the bench ended its process`,
      );
    if (main) await redis.deletePrefix(main.redisPrefix).catch(() => 0);
  };
  try {
    const mainPhases = selected(MAIN_PHASES);
    if (mainPhases.length > 0) {
      main = await startBenchWorld({
        redisUrl: redis.url,
        notifications: mainPhases.includes(quietnessPhase),
        build: building,
        cpuProfileDir,
      });
      baselines = await startBaselines(main, await building);
    }
    const build = await building;
    const context = (): PhaseContext => ({
      main: main!,
      baselines: baselines!,
      sizes: options.sizes,
      build,
      quick: options.quick,
      redisUrl: redis.url,
      deletePrefix: (prefix) => redis.deletePrefix(prefix),
      progress,
    });
    for (const phase of mainPhases) {
      const result = await runPhase(phase, context());
      rows.push(...result.rows);
      crashed ||= result.crashed;
      // Only the quietness phase listens to Argo CD; the others drive notifications themselves.
      if (phase === quietnessPhase) main!.world.argocd.pauseNotifications();
    }
    if (main) reportLogs('deploybot', await main.bot.logCounts().catch(() => ({})));
    // The main bot may take its whole stop deadline (it waits for queued work): its own-world successors
    // do not wait for that, the stopping bot is idle.
    const stopping = stopMain();
    for (const phase of selected(OWN_WORLD_PHASES)) {
      const result = await runPhase(phase, context());
      rows.push(...result.rows);
      crashed ||= result.crashed;
    }
    await stopping;
  } finally {
    await stopMain();
    await redis.close();
    await (await building).cleanup();
  }
  if (cpuProfileDir) {
    for (const file of (await readdir(cpuProfileDir)).filter((f) => f.endsWith('.cpuprofile')))
      progress(formatProfileSummary(join(cpuProfileDir, file)));
  }
  process.stdout.write(formatTable(rows, machine));
  progress(`finished in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  await writeFile(
    RESULTS,
    `${JSON.stringify({ machine, mode: options.quick ? 'quick' : 'full', results: rows }, null, 2)}\n`,
  );
  progress(`wrote ${RESULTS}`);
  return crashed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
