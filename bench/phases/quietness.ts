import type { CallRecord } from '../../sandbox/fake-slack/index.js';
import { CHANNELS, PEOPLE } from '../../sandbox/world/seed.js';
import { CARD_UPDATE_INTERVAL_MS } from '../../src/cards/card-publisher.js';
import { ACTION_IDS } from '../../src/render/ids.js';
import { addSyncedApps } from '../harness/apps.js';
import { appOfMessage, findButton, findCards } from '../harness/cards.js';
import { pollUntil } from '../harness/wait.js';
import { atMost, exactly, makeRow, type ResultRow } from '../report/result.js';
import { countCatalogMessages } from './catalog-triggers.js';
import type { Phase, PhaseContext } from './phase.js';

const APP = 'lifecycle-0001-prod';
const ANNOUNCEMENT_WAIT_MS = 5000;

const mentions = (call: CallRecord, needle: string) => JSON.stringify(call.args).includes(needle);

/**
 * Metric 6: one whole deploy with Argo CD's notifications flowing as configured (new revision →
 * card → Alice approves → syncing → succeeded → announcement), counting what deploybot says in Slack.
 * Compared with the messages Argo CD Notifications' default catalog posts for the same deploy.
 */
async function run(ctx: PhaseContext): Promise<ResultRow[]> {
  const { main } = ctx;
  const { world } = main;
  const slack = world.slack;
  // The bench world's first commit moved the seed apps: let that settle before the window opens. A card
  // update can be held back for one publish interval, so quiet must last longer than that: otherwise the
  // seed apps' last updates land in this deploy's count (they did: 2 of 10 calls).
  await main.activity.waitForQuiet({
    quietMs: Math.max(ctx.sizes.settleMs, CARD_UPDATE_INTERVAL_MS + 500),
    maxMs: 30_000,
  });
  addSyncedApps(world, [APP], main.baseSha);
  const firstSeq = slack.calls.length;
  ctx.progress('quietness: one deploy, notifications on');
  world.argocd.pushRevision(APP, main.targetSha);

  const names = new Set([APP]);
  const card = await pollUntil(() => findCards(slack, CHANNELS.prodDeploys.id, names).get(APP), {
    timeoutMs: 20_000,
  });
  if (!card) throw new Error(`no card for ${APP} within 20 s of the new revision`);
  await main.activity.waitForQuiet({ quietMs: 300, maxMs: 10_000 });
  const click = await slack.clickButton({
    user: PEOPLE.alice.id,
    channel: CHANNELS.prodDeploys.id,
    ts: card.ts,
    actionId: ACTION_IDS.approve,
  });
  if (click.status !== 200) throw new Error(`Approve & Sync answered ${click.status}`);
  const deployed = await pollUntil(
    () => {
      const now = findCards(slack, CHANNELS.prodDeploys.id, names).get(APP);
      return now && (findButton(now, ACTION_IDS.rollback) || findButton(now, ACTION_IDS.revertInGit))
        ? now
        : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  if (!deployed) throw new Error(`the card of ${APP} never showed the deployed state`);
  // The announcement may follow a little later (changelog reads): wait for it, then for Slack to be still.
  const announced = () =>
    slack.channelMessages(CHANNELS.releases.id).some((m) => JSON.stringify(m).includes(APP));
  await pollUntil(announced, { timeoutMs: ANNOUNCEMENT_WAIT_MS, intervalMs: 100 });
  await main.activity.waitForQuiet({ quietMs: 1000, maxMs: 30_000 });

  const calls = slack.calls.slice(firstSeq);
  const topLevel = slack
    .channelMessages(CHANNELS.prodDeploys.id)
    .filter((m) => appOfMessage(m, names) === APP).length;
  const thread = slack.thread(CHANNELS.prodDeploys.id, card.ts).length - 1;
  const updates = calls.filter((c) => c.method === 'chat.update' && c.args.ts === card.ts).length;
  const announcements = calls.filter(
    (c) => c.method === 'chat.postMessage' && c.args.channel === CHANNELS.releases.id && mentions(c, APP),
  ).length;
  const byMethod = new Map<string, number>();
  for (const call of calls) byMethod.set(call.method, (byMethod.get(call.method) ?? 0) + 1);
  const catalog = countCatalogMessages();
  const methods = [...byMethod].map(([m, n]) => `${m} ${n}`).join(', ');
  return [
    makeRow({
      name: 'quietness: top-level messages in the deploy channel',
      unit: 'msgs/deploy',
      ours: topLevel,
      baseline: catalog.topLevel,
      target: exactly(1, 'msgs/deploy'),
      note: `baseline: Argo CD Notifications' default catalog (bench/contracts), one top-level message per trigger that fires for the same deploy: ${catalog.fired.join(', ')}`,
    }),
    makeRow({
      name: 'quietness: thread replies under the card',
      unit: 'msgs/deploy',
      ours: thread,
      baseline: 0,
    }),
    makeRow({ name: 'quietness: chat.update of the card', unit: 'calls/deploy', ours: updates, baseline: 0 }),
    makeRow({
      name: 'quietness: release announcements',
      unit: 'msgs/deploy',
      ours: announcements,
      target: exactly(1, 'msgs/deploy'),
      note:
        announcements === 0
          ? `no announcement reached ${CHANNELS.releases.name} (${CHANNELS.releases.id}) within ${ANNOUNCEMENT_WAIT_MS / 1000} s of the deploy`
          : `posted to ${CHANNELS.releases.name}`,
    }),
    makeRow({
      name: 'quietness: Slack Web API calls',
      unit: 'calls/deploy',
      ours: calls.length,
      baseline: catalog.messages,
      target: atMost(8, 'calls/deploy'),
      note: `ours by method: ${methods}; baseline: one chat.postMessage per catalog message`,
    }),
  ];
}

export const quietnessPhase: Phase = { name: 'quietness', timeoutMs: 120_000, run };
