import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FakeSlack, JsonObject, SlackMessage } from '../../sandbox/fake-slack/index.js';
import { CHANNELS, PEOPLE } from '../../sandbox/world/seed.js';
import { startWorld, type World } from '../../sandbox/world/start-world.js';
import { ACTION_IDS } from '../../src/render/ids.js';
import { type ActivityMonitor, watchActivity } from '../harness/activity.js';
import { addOutOfSyncApps, appNames } from '../harness/apps.js';
import { FLEET_BENCH_GROUP, fleetBenchPolicy } from '../harness/bench-policy.js';
import { findButton } from '../harness/cards.js';
import { buildApproveClick, postTimed } from '../harness/clicks.js';
import { type DelayProxy, startDelayProxy } from '../harness/delay-proxy.js';
import {
  cardCoverage,
  maxInWindow,
  minGap,
  tallySyncs,
  waveOrderViolations,
} from '../harness/fleet-measures.js';
import { notificationBody, postNotification } from '../harness/notify.js';
import { type SutProcess, startSut } from '../harness/sut-process.js';
import { mapLimit, pollUntil } from '../harness/wait.js';
import { type FleetMeasures, fleetRows } from '../report/fleet-rows.js';
import type { ResultRow } from '../report/result.js';
import type { Phase, PhaseContext } from './phase.js';

const PROD = CHANNELS.prodDeploys;
const ALICE = { id: PEOPLE.alice.id, name: PEOPLE.alice.name };
const FAKE_SYNC_MS = 200;
const WAVES = FLEET_BENCH_GROUP.waves.length;

interface FleetApps {
  all: string[];
  canaries: ReadonlySet<string>;
}

const textOf = (message: SlackMessage) => `${message.text}\n${JSON.stringify(message.blocks ?? [])}`;

/** The first top-level message of the prod channel about the group, and when it first listed every app at `sha`. */
function watchFleetCard(slack: FakeSlack, apps: FleetApps, sha: string) {
  const topLevel: string[] = [];
  let cardTs: string | undefined;
  let completeAt: number | undefined;
  const about = (text: string) =>
    text.includes(FLEET_BENCH_GROUP.name) || apps.all.some((app) => text.includes(app));
  const unsubscribe = slack.onChange((event) => {
    if (event.type !== 'message_posted' && event.type !== 'message_updated') return;
    if (event.channel !== PROD.id) return;
    const at = performance.now();
    const message = slack.thread(PROD.id, event.ts)[0];
    if (!message || (message.thread_ts !== undefined && message.thread_ts !== message.ts)) return;
    if (event.type === 'message_posted') topLevel.push(event.ts);
    const text = textOf(message);
    if (cardTs === undefined && about(text)) cardTs = event.ts;
    if (event.ts !== cardTs || completeAt !== undefined) return;
    if (text.includes(sha.slice(0, 7)) && cardCoverage(text, apps.all) >= apps.all.length) completeAt = at;
  });
  return {
    topLevel: () => topLevel.length,
    cardTs: () => cardTs,
    completeAt: () => completeAt,
    stop: unsubscribe,
  };
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > 400 ? `${oneLine.slice(0, 400)}…` : oneLine;
}

/** The Approve button of the fleet card: Approve & Sync as on app cards, or any button whose action id says approve. */
function approveButtonOf(card: SlackMessage): string | undefined {
  if (findButton(card, ACTION_IDS.approve)) return ACTION_IDS.approve;
  for (const block of card.blocks ?? []) {
    const elements = Array.isArray(block.elements) ? (block.elements as JsonObject[]) : [];
    for (const element of [...elements, block.accessory as JsonObject | undefined]) {
      const id = element?.action_id;
      if (typeof id === 'string' && /approve/i.test(id)) return id;
    }
  }
  return undefined;
}

interface Bench {
  world: World;
  proxy: DelayProxy;
  activity: ActivityMonitor;
  bot: SutProcess;
  env: Record<string, string>;
}

async function measure(ctx: PhaseContext, bench: Bench): Promise<ResultRow[]> {
  const { world, proxy, activity, bot, env } = bench;
  const { fleetApps: total, fleetCanaries } = ctx.sizes;
  const canaries = appNames('fleet-canary', fleetCanaries);
  const apps: FleetApps = {
    all: [...canaries, ...appNames('fleet-main', total - fleetCanaries)],
    canaries: new Set(canaries),
  };
  await activity.waitForQuiet({ quietMs: 1000, maxMs: 30_000 });
  const base = world.headOf('main');
  // Only the fleet moves: the seed's apps would post cards of their own into the channel being counted.
  const sha = await world.pushCommit({
    author: 'dave',
    message: 'Fleet: raise the consumer batch size',
    moveSeedApps: false,
  });
  const card = watchFleetCard(world.slack, apps, sha);
  try {
    addOutOfSyncApps(world, apps.all, base, sha);
    ctx.progress(`fleet: ${total} apps of group ${FLEET_BENCH_GROUP.name} move to ${sha.slice(0, 7)}`);
    let lastSentAt = 0;
    const url = `${bot.url}/argocd/events`;
    const statuses = await mapLimit(apps.all, 20, (app) => {
      lastSentAt = Math.max(lastSentAt, performance.now());
      return postNotification(url, env.ARGOCD_WEBHOOK_SECRET!, notificationBody({ app, revision: sha }));
    });
    const refused = statuses.filter((s) => s !== 202).length;
    await pollUntil(() => card.completeAt() !== undefined, { timeoutMs: 30_000 });
    await activity.waitForQuiet({ quietMs: 1500, maxMs: 30_000 });
    const completeAt = card.completeAt();
    const cardTs = card.cardTs();
    const measured: FleetMeasures = {
      topLevel: {
        ours: card.topLevel(),
        note: `top-level messages in #${PROD.name} after ${total} on-out-of-sync notifications${refused ? ` (${refused} not 202)` : ''}`,
      },
      cardComplete: {
        ours: completeAt === undefined ? null : Math.max(0, completeAt - lastSentAt),
        note:
          completeAt === undefined
            ? `the card never listed all ${total} apps at ${sha.slice(0, 7)} (named, or counted as "${total} apps") within 30 s`
            : `complete = the card names the revision and lists (or counts) all ${total} apps; 0 when it was complete before the last notification`,
      },
    };
    const cardMessage = cardTs ? world.slack.thread(PROD.id, cardTs)[0] : undefined;
    const actionId = cardMessage && approveButtonOf(cardMessage);
    if (!cardMessage || !actionId)
      return fleetRows(
        total,
        WAVES,
        measured,
        cardMessage ? 'the fleet card shows no Approve button' : 'no fleet card was posted',
      );

    world.argocd.resumeNotifications();
    world.argocd.clearRequests();
    const postsBefore = world.slack.callsTo('chat.postMessage').length;
    const click = await postTimed(
      `${bot.url}/slack/events`,
      buildApproveClick({
        slack: world.slack,
        card: cardMessage,
        channel: PROD,
        user: ALICE,
        signingSecret: env.SLACK_SIGNING_SECRET!,
        actionId,
      }),
    );
    const arrivals = () => proxy.syncArrivals.filter((a) => a.at >= click.sentAt && apps.all.includes(a.app));
    const allSynced = await pollUntil(
      () => {
        const seen = new Set(arrivals().map((a) => a.app));
        return apps.all.every((app) => seen.has(app));
      },
      { timeoutMs: 60_000 + total * 300 },
    );
    // The last wave's end: every app Synced and Healthy at the revision, then the card's last updates.
    await pollUntil(
      () =>
        world.argocd
          .apps()
          .filter((a) => apps.all.includes(a.metadata.name))
          .every(
            (a) =>
              a.status.sync.status === 'Synced' &&
              a.status.health.status === 'Healthy' &&
              a.status.history?.at(-1)?.revision === sha,
          ),
      { timeoutMs: 30_000 },
    );
    await activity.waitForQuiet({ quietMs: 2000, maxMs: 30_000 });

    const syncs = world.argocd.syncRequests().map((r) => ({
      app: decodeURIComponent(/^\/api\/v1\/applications\/([^/]+)\/sync$/.exec(r.path)?.[1] ?? ''),
      revision: (r.body as { revision?: string } | undefined)?.revision,
    }));
    const tally = tallySyncs(syncs, apps.all, sha);
    const seen = arrivals();
    const firstSyncOf = new Map<string, number>();
    for (const a of seen) if (!firstSyncOf.has(a.app)) firstSyncOf.set(a.app, a.at);
    const lastSync = Math.max(...firstSyncOf.values());
    const waveOf = (app: string) => (apps.canaries.has(app) ? 0 : 1);
    const lastCanary = Math.max(...seen.filter((a) => waveOf(a.app) === 0).map((a) => a.at));
    const firstMain = Math.min(...seen.filter((a) => waveOf(a.app) === 1).map((a) => a.at));
    const updates = world.slack
      .callsTo('chat.update')
      .filter((c) => c.args.channel === PROD.id && c.args.ts === cardTs && c.status === 200)
      .map((c) => c.at);
    const gap = minGap(updates);
    const posted = world.slack.callsTo('chat.postMessage').length - postsBefore;
    const list = (names: string[]) =>
      `${names.length}${names.length ? ` (e.g. ${names.slice(0, 3).join(', ')})` : ''}`;
    return fleetRows(total, WAVES, {
      ...measured,
      topLevel: { ...measured.topLevel!, ours: card.topLevel() },
      approveToSyncs: {
        ours: allSynced && seen.length > 0 ? lastSync - click.sentAt : null,
        note: `${firstSyncOf.size}/${total} apps got a sync; click answered ${click.status}; wave 1 (${fleetCanaries} canaries) last sync → wave 2 first sync: ${Number.isFinite(firstMain - lastCanary) ? `${Math.round(firstMain - lastCanary)} ms` : 'n/a'}; the fake Argo CD takes ${FAKE_SYNC_MS} ms to sync and ${FAKE_SYNC_MS} ms to turn Healthy`,
      },
      syncedOnce: {
        ours: tally.exactlyOnce,
        note: `missing ${list(tally.missing)}, repeated ${list(tally.repeated)}, not pinned to ${sha.slice(0, 7)} ${list(tally.unpinned)}`,
      },
      waveOrder: {
        ours: seen.length > 0 ? waveOrderViolations(seen, waveOf) : null,
        note: `waves ${FLEET_BENCH_GROUP.waves.map((w) => `"${w}"`).join(' then ')}; a sync counts when Argo CD received it`,
      },
      messagesDuringWaves: {
        ours: posted,
        note: `chat.postMessage calls (any channel, threads included) from the click to the last wave's end; one per app would be ≥ ${total}`,
      },
      updateRate: {
        ours: maxInWindow(updates, 1000),
        note: `${updates.length} chat.update calls of the card over the phase; shortest gap ${gap === undefined ? 'n/a' : `${Math.round(gap)} ms`} (as the fake Slack received them)`,
      },
    });
  } finally {
    card.stop();
  }
}

/**
 * Fleet cards (INTERFACE.md "Fleet cards"): one revision moves every app of one group (two waves) → one
 * top-level card, complete soon after the last notification; Approve & Sync → every app synced once, pinned,
 * wave by wave, with no Slack message per app and the card's updates coalesced. Own world and bot: the policy
 * has `groups`, which a bot without fleet cards refuses — then the phase reports "not run" and the bench goes on.
 */
async function run(ctx: PhaseContext): Promise<ResultRow[]> {
  const total = ctx.sizes.fleetApps;
  const world = await startWorld({ timing: { syncMs: FAKE_SYNC_MS, healthMs: FAKE_SYNC_MS } });
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
  let bot: SutProcess | undefined;
  try {
    try {
      bot = await startSut(
        { mode: 'deploybot', env, policyYaml: fleetBenchPolicy(world.policyYaml), port: world.botPort },
        { build: ctx.build },
      );
    } catch (error) {
      const reason = `the bot did not start with the fleet policy: ${reasonOf(error)}`;
      ctx.progress(`fleet: not run: ${reason}`);
      return fleetRows(total, WAVES, {}, reason);
    }
    return await measure(ctx, { world, proxy, activity, bot, env });
  } finally {
    activity.stop();
    const stopped = await bot?.stop();
    if (stopped && !stopped.graceful)
      ctx.progress(`fleet: the bot did not stop gracefully within ${stopped.ms} ms; its process was ended`);
    await proxy.close();
    await githubProxy.close();
    await world.close();
    await ctx.deletePrefix(prefix);
  }
}

export const fleetPhase: Phase = { name: 'fleet', timeoutMs: 240_000, run };
