import { performance } from 'node:perf_hooks';
import { PEOPLE } from '../../sandbox/world/seed.js';
import { buildApproveClick, postTimed, type SignedRequest, type TimedResponse } from '../harness/clicks.js';
import { PROD_CHANNEL, preparePendingCards } from '../harness/prepare-cards.js';
import { pollUntil, sleep } from '../harness/wait.js';
import { atMost, makeRow, type ResultRow } from '../report/result.js';
import { summarize } from '../report/stats.js';
import type { Phase, PhaseContext } from './phase.js';

const ALICE = { id: PEOPLE.alice.id, name: PEOPLE.alice.name };

/** Open loop: request i leaves at start + i × interval whatever the earlier answers did. */
async function sendSpaced(
  url: string,
  requests: readonly SignedRequest[],
  intervalMs: number,
): Promise<TimedResponse[]> {
  const start = performance.now();
  const answers: Promise<TimedResponse>[] = [];
  for (let i = 0; i < requests.length; i++) {
    const wait = start + i * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    answers.push(postTimed(url, requests[i]!));
  }
  return Promise.all(answers);
}

/**
 * Metric 3: a sufficient approval (one of one) → the sync request at Argo CD, clicks spaced out so each
 * is measured on its own. Floor: a bare Bolt app that acks and POSTs a sync at once.
 */
async function run(ctx: PhaseContext): Promise<ResultRow[]> {
  const { main, baselines, sizes } = ctx;
  const count = sizes.spacedClicks;
  ctx.progress(`click → sync: preparing ${count} pending cards`);
  const { names, cards } = await preparePendingCards(main, 'spaced', count);
  const secret = main.env.SLACK_SIGNING_SECRET!;
  const slack = main.world.slack;
  const requests = names.map((app) =>
    buildApproveClick({
      slack,
      card: cards.get(app)!,
      channel: PROD_CHANNEL,
      user: ALICE,
      signingSecret: secret,
    }),
  );
  const ours = await sendSpaced(`${main.bot.url}/slack/events`, requests, sizes.spacedClickIntervalMs);
  const seen = await pollUntil(
    () => {
      const found = names.map((app, i) =>
        main.proxy.syncArrivals.find((a) => a.app === app && a.at >= ours[i]!.sentAt),
      );
      return found.every(Boolean) ? found : undefined;
    },
    { timeoutMs: 15_000 },
  );
  const oursLatencies = names
    .map((app, i) => main.proxy.syncArrivals.find((a) => a.app === app && a.at >= ours[i]!.sentAt))
    .map((arrival, i) => (arrival ? arrival.at - ours[i]!.sentAt : Number.NaN))
    .filter((ms) => Number.isFinite(ms));
  await main.activity.waitForQuiet({ quietMs: sizes.settleMs, maxMs: 15_000 });

  const anyCard = cards.get(names[0]!)!;
  const floorRequests = Array.from({ length: count }, (_, i) =>
    buildApproveClick({
      slack,
      card: anyCard,
      channel: PROD_CHANNEL,
      user: ALICE,
      signingSecret: secret,
      value: `floor:${i}`,
    }),
  );
  const floorStart = performance.now();
  const floor = await sendSpaced(
    `${baselines.bolt.url}/slack/events`,
    floorRequests,
    sizes.spacedClickIntervalMs,
  );
  const floorArrivals = () =>
    main.proxy.syncArrivals.filter((a) => a.app === 'floor-sync' && a.at >= floorStart);
  await pollUntil(() => floorArrivals().length >= count, { timeoutMs: 10_000 });
  // One click at a time, each answered within its interval: the i-th floor sync belongs to the i-th click.
  const floorLatencies = floorArrivals()
    .slice(0, count)
    .map((arrival, i) => arrival.at - floor[i]!.sentAt);

  const o = summarize(oursLatencies);
  const f = summarize(floorLatencies);
  const note = `${o.count}/${count} syncs seen${seen ? '' : ' (some never arrived)'}; one click every ${sizes.spacedClickIntervalMs} ms; baseline = floor: bare Bolt App that acks and POSTs the sync at once`;
  return [
    makeRow({ name: 'click → sync request p50', unit: 'ms', ours: o.p50, baseline: f.p50 }),
    makeRow({
      name: 'click → sync request p99',
      unit: 'ms',
      ours: o.p99,
      baseline: f.p99,
      target: atMost(100, 'ms'),
      note,
    }),
  ];
}

export const clickSyncPhase: Phase = { name: 'click-sync', timeoutMs: 120_000, run };
