import { PEOPLE } from '../../sandbox/world/seed.js';
import { buildApproveClick, postTimed, type SignedRequest, type TimedResponse } from '../harness/clicks.js';
import { PROD_CHANNEL, preparePendingCards } from '../harness/prepare-cards.js';
import { atMost, atMostTimesBaseline, makeRow, type ResultRow } from '../report/result.js';
import { summarize } from '../report/stats.js';
import type { Phase, PhaseContext } from './phase.js';

const SYNC_DELAY_MS = 2000;
const ALICE = { id: PEOPLE.alice.id, name: PEOPLE.alice.name };

interface Click {
  app: string;
  request: SignedRequest;
}

const burst = (url: string, clicks: readonly Click[]) =>
  Promise.all(clicks.map((c) => postTimed(url, c.request)));

/** Time from each click to the first sync request Argo CD saw for that app after it. */
function clickToSync(
  ctx: PhaseContext,
  clicks: readonly Click[],
  answers: readonly TimedResponse[],
): number[] {
  const latencies: number[] = [];
  clicks.forEach((click, i) => {
    const sentAt = answers[i]!.sentAt;
    const arrival = ctx.main.proxy.syncArrivals.find((a) => a.app === click.app && a.at >= sentAt);
    if (arrival) latencies.push(arrival.at - sentAt);
  });
  return latencies;
}

/**
 * Metric 1: Approve & Sync bursts of 20 and 100 concurrent clicks while Argo CD holds every sync for 2 s.
 * Each burst goes to the bot and, with the same signed bytes, to a bare Bolt app that only acks; the
 * order alternates per round and both start from a quiet bot.
 */
async function run(ctx: PhaseContext): Promise<ResultRow[]> {
  const { main, baselines, sizes } = ctx;
  const total = sizes.clickBursts.reduce((sum, b) => sum + b.concurrency * b.rounds, 0);
  ctx.progress(`click → ack: preparing ${total} pending cards`);
  const { names, cards } = await preparePendingCards(main, 'click', total);
  const secret = main.env.SLACK_SIGNING_SECRET!;
  const slack = main.world.slack;
  const clicks: Click[] = names.map((app) => ({
    app,
    request: buildApproveClick({
      slack,
      card: cards.get(app)!,
      channel: PROD_CHANNEL,
      user: ALICE,
      signingSecret: secret,
    }),
  }));
  const oursUrl = `${main.bot.url}/slack/events`;
  const baseUrl = `${baselines.bolt.url}/slack/events`;

  // Warm-up (not counted): open connections and JIT both paths with clicks on a card nobody knows.
  const anyCard = cards.get(names[0]!)!;
  const warmups = Array.from({ length: 20 }, (_, i) => ({
    app: 'warmup',
    request: buildApproveClick({
      slack,
      card: anyCard,
      channel: PROD_CHANNEL,
      user: ALICE,
      signingSecret: secret,
      value: `warmup-${i}`,
    }),
  }));
  await burst(oursUrl, warmups);
  await burst(baseUrl, warmups);
  await main.activity.waitForQuiet({ quietMs: 500, maxMs: 10_000 });

  main.proxy.setSyncDelay(SYNC_DELAY_MS);
  await main.activity.waitForQuiet({ quietMs: sizes.settleMs, maxMs: 15_000 });
  const rows: ResultRow[] = [];
  let next = 0;
  try {
    for (const { concurrency, rounds } of sizes.clickBursts) {
      const ours: TimedResponse[] = [];
      const base: TimedResponse[] = [];
      const oursClicks: Click[] = [];
      const cpuMicros = { ours: 0, base: 0 };
      const calls = { slack: 0, argocd: 0, github: 0 };
      for (let round = 0; round < rounds; round++) {
        const slice = clicks.slice(next, next + concurrency);
        next += concurrency;
        const sides = round % 2 === 0 ? (['ours', 'base'] as const) : (['base', 'ours'] as const);
        for (const side of sides) {
          const sut = side === 'ours' ? main.bot : baselines.bolt;
          const before = (await sut.memory({ gc: false })).cpuMicros;
          const callsBefore = main.activity.counts();
          if (side === 'ours') {
            ours.push(...(await burst(oursUrl, slice)));
            oursClicks.push(...slice);
          } else base.push(...(await burst(baseUrl, slice)));
          // CPU per click, including what the click sets off after its ack (the approval, the sync call).
          await main.activity.waitForQuiet({ quietMs: sizes.settleMs, maxMs: 15_000 });
          cpuMicros[side] += (await sut.memory({ gc: false })).cpuMicros - before;
          if (side === 'ours') {
            const callsAfter = main.activity.counts();
            for (const key of ['slack', 'argocd', 'github'] as const)
              calls[key] += callsAfter[key] - callsBefore[key];
          }
        }
        ctx.progress(`click → ack: ${concurrency} concurrent, round ${round + 1}/${rounds} done`);
      }
      const o = summarize(ours.map((r) => r.ms));
      const b = summarize(base.map((r) => r.ms));
      const failures = (list: TimedResponse[]) => {
        const bad = list
          .filter((r) => r.status !== 200)
          .map((r) => (r.status === 0 ? 'network error' : `HTTP ${r.status}`));
        return bad.length ? `${bad.length} (${[...new Set(bad)].join(', ')})` : '';
      };
      const failed = [
        failures(ours) && `bot ${failures(ours)}`,
        failures(base) && `baseline ${failures(base)}`,
      ]
        .filter(Boolean)
        .join(', ');
      const note = `${o.count} clicks each side, ${rounds} bursts of ${concurrency}; Argo CD holds each sync ${SYNC_DELAY_MS} ms; baseline: bare Bolt App on HTTPReceiver, handler only acks; CPU per click: bot ${(cpuMicros.ours / 1000 / o.count).toFixed(1)} ms (ack + approval + sync + card update), baseline ${(cpuMicros.base / 1000 / b.count).toFixed(1)} ms; calls per click until the bot settled: Slack ${(calls.slack / o.count).toFixed(1)}, Argo CD ${(calls.argocd / o.count).toFixed(1)}, GitHub ${(calls.github / o.count).toFixed(1)}${failed ? `; answers that were not 200: ${failed}` : ''}`;
      rows.push(
        makeRow({
          name: `click → ack p50, ${concurrency} concurrent`,
          unit: 'ms',
          ours: o.p50,
          baseline: b.p50,
        }),
        makeRow({
          name: `click → ack p95, ${concurrency} concurrent`,
          unit: 'ms',
          ours: o.p95,
          baseline: b.p95,
        }),
        makeRow({
          name: `click → ack p99, ${concurrency} concurrent`,
          unit: 'ms',
          ours: o.p99,
          baseline: b.p99,
          target: atMostTimesBaseline(1.2),
          note,
        }),
      );
      const toSync = summarize(clickToSync(ctx, oursClicks, ours));
      rows.push(
        makeRow({
          name: `click → sync request p99, ${concurrency}-click bursts`,
          unit: 'ms',
          ours: toSync.p99,
          // The issue's target is for 100-click bursts; smaller bursts are shown as context.
          target: concurrency >= 100 ? atMost(1000, 'ms') : undefined,
          note: `context for the click → sync target: ${toSync.count}/${oursClicks.length} syncs seen; time to the request reaching Argo CD (before the 2 s hold)`,
        }),
      );
    }
  } finally {
    main.proxy.setSyncDelay(0);
  }
  return rows;
}

export const clickAckPhase: Phase = { name: 'click-ack', timeoutMs: 180_000, run };
