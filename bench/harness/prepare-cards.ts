import type { ChannelMessage } from '../../sandbox/fake-slack/index.js';
import { CHANNELS } from '../../sandbox/world/seed.js';
import { addOutOfSyncApps, appNames } from './apps.js';
import type { BenchWorld } from './bench-world.js';
import { waitForCards } from './cards.js';
import { notificationBody, postNotification } from './notify.js';
import { mapLimit } from './wait.js';

export const PROD_CHANNEL = CHANNELS.prodDeploys;

export interface PendingCards {
  names: string[];
  cards: Map<string, ChannelMessage>;
}

/** `count` new prod apps, each OutOfSync with a pending card in the prod channel, and the bot idle again. */
export async function preparePendingCards(
  bench: BenchWorld,
  prefix: string,
  count: number,
): Promise<PendingCards> {
  const names = appNames(prefix, count);
  addOutOfSyncApps(bench.world, names, bench.baseSha, bench.targetSha);
  const url = `${bench.bot.url}/argocd/events`;
  const secret = bench.env.ARGOCD_WEBHOOK_SECRET!;
  const statuses = await mapLimit(names, 20, (app) =>
    postNotification(url, secret, notificationBody({ app, revision: bench.targetSha })),
  );
  const refused = statuses.filter((s) => s !== 202).length;
  if (refused > 0)
    throw new Error(
      `${refused} of ${count} notifications were not accepted (statuses ${[...new Set(statuses)]})`,
    );
  const cards = await waitForCards(bench.world.slack, PROD_CHANNEL.id, names, 30_000 + count * 50);
  await bench.activity.waitForQuiet({ quietMs: 500, maxMs: 15_000 });
  return { names, cards };
}
