import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { CallCounts } from '../harness/activity.js';
import { addOutOfSyncApps, appNames } from '../harness/apps.js';
import { notificationBody, postNotification } from '../harness/notify.js';
import { meterCpu, meterOwnCpu } from '../harness/sut-process.js';
import { sleep } from '../harness/wait.js';
import { atMost, makeRow, type ResultRow } from '../report/result.js';
import { summarize } from '../report/stats.js';
import type { Phase, PhaseContext } from './phase.js';

interface Block {
  latencies: number[];
  missing: number;
  refused: number;
  /** Share of one core the receiver and this process used from the first POST to the last card. */
  receiverCpu: number;
  benchCpu: number;
  /** p99 event-loop delay of this process (fakes + sender), ms: high means the harness, not the bot, lagged. */
  benchLagP99: number;
  /** Calls the receiver made from the first POST until the last card was posted. */
  calls: CallCounts;
}

/**
 * Sends one notification per app at a fixed rate (open loop) and times each to the moment the fake
 * Slack stores the first top-level message about that app.
 */
async function sendBlock(
  ctx: PhaseContext,
  receiver: PhaseContext['main']['bot'],
  path: string,
  names: readonly string[],
  revision: string,
): Promise<Block> {
  const { main, sizes } = ctx;
  const cards = main.prodCards;
  cards.expect(names);
  const secret = main.env.ARGOCD_WEBHOOK_SECRET!;
  const sentAt = new Map<string, number>();
  const statuses: Promise<number>[] = [];
  const interval = 1000 / sizes.notifyPerSecond;
  const receiverCpu = await meterCpu(receiver);
  const benchCpu = meterOwnCpu();
  const callsBefore = main.activity.counts();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const start = performance.now();
  for (let i = 0; i < names.length; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    const app = names[i]!;
    sentAt.set(app, performance.now());
    statuses.push(postNotification(`${receiver.url}${path}`, secret, notificationBody({ app, revision })));
  }
  const refused = (await Promise.all(statuses)).filter((s) => s !== 202).length;
  await cards.waitFor(names, 30_000).catch(() => undefined);
  lag.disable();
  const callsAfter = main.activity.counts();
  const calls: CallCounts = {
    slack: callsAfter.slack - callsBefore.slack,
    argocd: callsAfter.argocd - callsBefore.argocd,
    github: callsAfter.github - callsBefore.github,
  };
  const cpu = {
    receiverCpu: await receiverCpu(),
    benchCpu: benchCpu(),
    benchLagP99: lag.percentile(99) / 1e6,
  };
  const latencies: number[] = [];
  for (const app of names) {
    const seen = cards.get(app);
    if (seen) latencies.push(seen.at - sentAt.get(app)!);
  }
  return { latencies, missing: names.length - latencies.length, refused, calls, ...cpu };
}

const pct = (list: Block[], pick: (b: Block) => number) =>
  `${Math.round((100 * list.reduce((n, b) => n + pick(b), 0)) / list.length)} %`;

/** Metric 2: notification → card at 50 events/s over distinct apps; floor: a server that posts at once. */
async function run(ctx: PhaseContext): Promise<ResultRow[]> {
  const { main, baselines, sizes } = ctx;
  const perBlock = sizes.notifyPerSecond * sizes.notifySeconds;
  const all = appNames('n2c', perBlock * sizes.notifyBlocks);
  addOutOfSyncApps(main.world, all, main.baseSha, main.targetSha);
  await main.activity.waitForQuiet({ quietMs: 500, maxMs: 15_000 });
  const ours: Block[] = [];
  const floor: Block[] = [];
  for (let b = 0; b < sizes.notifyBlocks; b++) {
    const names = all.slice(b * perBlock, (b + 1) * perBlock);
    ctx.progress(
      `notification → card: block ${b + 1}/${sizes.notifyBlocks}, ${names.length} apps at ${sizes.notifyPerSecond}/s`,
    );
    ours.push(await sendBlock(ctx, main.bot, '/argocd/events', names, main.targetSha));
    await main.activity.waitForQuiet({ quietMs: sizes.settleMs, maxMs: 30_000 });
    const floorNames = appNames(`floor${b}`, perBlock, '-n2c');
    floor.push(await sendBlock(ctx, baselines.http, '/floor/argocd/events', floorNames, main.targetSha));
    await main.activity.waitForQuiet({ quietMs: 500, maxMs: 15_000 });
  }
  const o = summarize(ours.flatMap((b) => b.latencies));
  const f = summarize(floor.flatMap((b) => b.latencies));
  const missing = ours.reduce((n, b) => n + b.missing, 0);
  const refused = ours.reduce((n, b) => n + b.refused, 0);
  const perCard = (pick: (c: CallCounts) => number) =>
    (ours.reduce((n, b) => n + pick(b.calls), 0) / Math.max(1, o.count)).toFixed(1);
  const note =
    `${o.count} cards, ${sizes.notifyPerSecond} notifications/s to distinct OutOfSync prod apps, fakes answering at once` +
    `${missing ? `; ${missing} cards missing after 30 s` : ''}${refused ? `; ${refused} POSTs not 202` : ''}` +
    '; baseline = floor: node:http that answers 202 and posts one chat.postMessage' +
    `; CPU from first POST to last card: bot ${pct(ours, (b) => b.receiverCpu)} of a core, bench process (fakes + sender) ${pct(ours, (b) => b.benchCpu)} with event-loop delay p99 ${Math.max(...ours.map((b) => b.benchLagP99)).toFixed(0)} ms` +
    `; calls per card until posted: Argo CD ${perCard((c) => c.argocd)}, GitHub ${perCard((c) => c.github)}, Slack ${perCard((c) => c.slack)}`;
  return [
    makeRow({ name: 'notification → card p50', unit: 'ms', ours: o.p50, baseline: f.p50 }),
    makeRow({ name: 'notification → card p95', unit: 'ms', ours: o.p95, baseline: f.p95 }),
    makeRow({
      name: 'notification → card p99',
      unit: 'ms',
      ours: o.p99,
      baseline: f.p99,
      target: atMost(150, 'ms'),
      note,
    }),
  ];
}

export const notificationCardPhase: Phase = { name: 'notification-card', timeoutMs: 150_000, run };
