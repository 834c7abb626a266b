import { randomUUID } from 'node:crypto';
import { startWorld } from '../../sandbox/world/start-world.js';
import { type ActivityMonitor, watchActivity } from '../harness/activity.js';
import { addOutOfSyncApps, appNames } from '../harness/apps.js';
import { benchPolicy } from '../harness/bench-policy.js';
import { type DelayProxy, startDelayProxy } from '../harness/delay-proxy.js';
import { notificationBody, postNotification } from '../harness/notify.js';
import { type SutProcess, startSut, waitForIdleCpu } from '../harness/sut-process.js';
import type { MemorySample } from '../harness/sut-protocol.js';
import { mapLimit, sleep } from '../harness/wait.js';
import { atMost, makeRow, type ResultRow } from '../report/result.js';
import type { Phase, PhaseContext } from './phase.js';

const MiB = 1024 * 1024;
const mb = (bytes: number) => bytes / MiB;
/** Where the RSS is: the JS heap, or memory outside it (buffers, sockets, native allocations, code). */
const breakdown = (m: MemorySample) =>
  [
    `heap used ${mb(m.heapUsed).toFixed(0)} of ${mb(m.heapTotal).toFixed(0)} MB`,
    `external ${mb(m.external).toFixed(0)} MB`,
    m.rssAnon !== undefined ? `anonymous RSS ${mb(m.rssAnon).toFixed(0)} MB` : '',
    m.rssFile !== undefined ? `file-backed RSS (node binary, libraries) ${mb(m.rssFile).toFixed(0)} MB` : '',
    m.peakRss !== undefined ? `peak RSS so far ${mb(m.peakRss).toFixed(0)} MB` : '',
  ]
    .filter(Boolean)
    .join(', ');
/** Heap growth between the two rounds (after GC) that still counts as "no growth". */
const GROWTH_TOLERANCE = 0.05;

async function waitForQuietAndIdle(
  activity: ActivityMonitor,
  github: DelayProxy,
  bot: SutProcess,
): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const githubBefore = github.requestCount;
    await activity.waitForQuiet({ quietMs: 1200, maxMs: 120_000 });
    await waitForIdleCpu(bot, { maxMs: 30_000 });
    if (github.requestCount === githubBefore && github.inFlight === 0) return;
  }
}

interface Round {
  before: MemorySample;
  after: MemorySample;
  refused: number;
  /** How fast the notifications went in (answered 202s per second), and how long the bot worked after. */
  perSecond: number;
  settleMs: number;
}

/**
 * Metric 5: a fresh bot (own world, own Redis prefix, --expose-gc) takes two rounds of notifications
 * over many apps. Each round first moves every app to a new commit, so each round makes a new card per
 * app and supersedes the last one; the rest of the round's notifications are distinct refreshes.
 */
async function run(ctx: PhaseContext): Promise<ResultRow[]> {
  const { sizes } = ctx;
  const world = await startWorld({ timing: { syncMs: 200, healthMs: 200 } });
  world.argocd.pauseNotifications();
  const proxy = await startDelayProxy(world.argocd.url);
  const githubProxy = await startDelayProxy(world.github.url);
  const activity = watchActivity(world.slack, proxy);
  const prefix = `bench:${randomUUID()}:`;
  const env: Record<string, string> = {
    ...world.env,
    ARGOCD_URL: proxy.url,
    GITHUB_API_URL: githubProxy.url,
    REDIS_URL: ctx.redisUrl,
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  };
  const bot = await startSut(
    { mode: 'deploybot', env, policyYaml: benchPolicy(world.policyYaml), port: world.botPort },
    { build: ctx.build },
  );
  try {
    const bare = await startSut(
      {
        mode: 'bare-bolt',
        signingSecret: env.SLACK_SIGNING_SECRET!,
        botToken: env.SLACK_BOT_TOKEN!,
        slackApiUrl: env.SLACK_API_URL!,
        approveActionId: 'unused',
        argocdUrl: proxy.url,
        argocdToken: env.ARGOCD_TOKEN!,
      },
      { build: ctx.build },
    );
    await sleep(500);
    const bareStart = await bare.memory({ gc: false });
    await bare.stop();
    await activity.waitForQuiet({ quietMs: 500, maxMs: 10_000 });
    const atStart = await bot.memory({ gc: false });

    const apps = appNames('mem', sizes.memoryApps);
    const url = `${bot.url}/argocd/events`;
    const rounds: Round[] = [];
    let from = world.headOf('main');
    let serial = 0;
    for (let round = 1; round <= 2; round++) {
      const sha = await world.pushCommit({ author: 'dave', message: `Memory round ${round}` });
      if (round === 1) addOutOfSyncApps(world, apps, from, sha);
      else for (const app of apps) world.argocd.pushRevision(app, sha);
      from = sha;
      ctx.progress(
        `memory: round ${round}, ${sizes.memoryNotifications} notifications over ${apps.length} apps`,
      );
      const jobs = Array.from({ length: sizes.memoryNotifications }, (_, i) => i);
      const sendStart = Date.now();
      const statuses = await mapLimit(jobs, 50, (i) => {
        const app = apps[i % apps.length]!;
        const startedAt = new Date(Date.UTC(2026, 0, 1) + ++serial * 1000).toISOString();
        return postNotification(
          url,
          env.ARGOCD_WEBHOOK_SECRET!,
          notificationBody({ app, revision: sha, operationStartedAt: startedAt }),
        ).catch(() => 0);
      });
      // Quiet means: no Slack or Argo CD call, no GitHub call (no deploys here, so no write trickle) and an
      // idle CPU, so every sample is taken with the round's work finished.
      const sent = Date.now();
      await waitForQuietAndIdle(activity, githubProxy, bot);
      const settleMs = Date.now() - sent;
      const before = await bot.memory({ gc: false });
      const after = await bot.memory({ gc: true });
      rounds.push({
        before,
        after,
        refused: statuses.filter((s) => s !== 202).length,
        perSecond: (sizes.memoryNotifications * 1000) / Math.max(1, sent - sendStart),
        settleMs,
      });
    }
    const [first, second] = rounds as [Round, Round];
    const growth = (second.after.heapUsed - first.after.heapUsed) / first.after.heapUsed;
    const refused = first.refused + second.refused;
    const label = `${sizes.memoryNotifications.toLocaleString('en')} notifications / ${apps.length} apps`;
    return [
      makeRow({
        name: 'memory: RSS after start',
        unit: 'MB',
        ours: mb(atStart.rss),
        baseline: mb(bareStart.rss),
        target: atMost(150, 'MB'),
        note: `${breakdown(atStart)}; baseline: a bare Bolt App in a child started the same way (${ctx.build.kind === 'compiled' ? 'compiled JS, node --expose-gc' : 'tsx loader, which adds tens of MB to both'})`,
      }),
      makeRow({
        name: `memory: RSS after round 1 (${label}), before GC`,
        unit: 'MB',
        ours: mb(first.before.rss),
        note: `sent 50 at a time, as fast as the bot answered: ${Math.round(first.perSecond)}/s in round 1, ${Math.round(second.perSecond)}/s in round 2; the bot then worked ${(first.settleMs / 1000).toFixed(0)} s and ${(second.settleMs / 1000).toFixed(0)} s more (cards, enrichment)`,
        target: atMost(150, 'MB'),
      }),
      makeRow({
        name: 'memory: RSS after round 1 + GC',
        unit: 'MB',
        ours: mb(first.after.rss),
        note: breakdown(first.after),
        target: atMost(150, 'MB'),
      }),
      makeRow({
        name: `memory: RSS after round 2 (${label}), before GC`,
        unit: 'MB',
        ours: mb(second.before.rss),
        target: atMost(150, 'MB'),
      }),
      makeRow({
        name: 'memory: RSS after round 2 + GC',
        unit: 'MB',
        ours: mb(second.after.rss),
        note: breakdown(second.after),
        target: atMost(150, 'MB'),
      }),
      makeRow({
        name: 'memory: heap after GC, round 2 vs round 1',
        unit: 'MB',
        ours: mb(second.after.heapUsed),
        baseline: mb(first.after.heapUsed),
        target: {
          text: `≤ ${1 + GROWTH_TOLERANCE}× round 1`,
          check: (o, b) => b !== null && o <= b * (1 + GROWTH_TOLERANCE),
        },
        note: `each round moves all apps to a new commit (a new card each, the old one superseded) and sends distinct notifications; heap growth ${(growth * 100).toFixed(1)} %${refused ? `; ${refused} POSTs not 202` : ''}`,
      }),
    ];
  } finally {
    activity.stop();
    const stopped = await bot.stop();
    if (stopped && !stopped.graceful)
      ctx.progress(`memory: the bot did not stop gracefully within ${stopped.ms} ms; its process was ended`);
    await proxy.close();
    await githubProxy.close();
    await world.close();
    await ctx.deletePrefix(prefix);
  }
}

export const memoryPhase: Phase = { name: 'memory', timeoutMs: 240_000, run };
