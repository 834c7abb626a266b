import type { SlackMessage } from '../../sandbox/fake-slack/index.js';
import { CHANNELS } from '../../sandbox/world/seed.js';
import { ACTION_IDS } from '../../src/render/ids.js';
import { addOutOfSyncApps, appNames } from './apps.js';
import type { BenchWorld } from './bench-world.js';
import { readMessageWithButton } from './cards.js';
import { notificationBody, postNotification } from './notify.js';
import { mapLimit } from './wait.js';

export const PROD_CHANNEL = CHANNELS.prodDeploys;

export interface PendingCards {
  names: string[];
  /** Each app's card as it reads once it shows Approve & Sync. */
  cards: Map<string, SlackMessage>;
}

/** `count` new prod apps, each OutOfSync with a pending card in the prod channel, and the bot idle again. */
export async function preparePendingCards(
  bench: BenchWorld,
  prefix: string,
  count: number,
): Promise<PendingCards> {
  const names = appNames(prefix, count);
  addOutOfSyncApps(bench.world, names, bench.baseSha, bench.targetSha);
  bench.prodCards.expect(names);
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
  const seen = await bench.prodCards.waitFor(names, 30_000 + count * 50);
  const cards = new Map<string, SlackMessage>();
  for (const [app, card] of seen) {
    const message = await readMessageWithButton(
      bench.world.slack,
      PROD_CHANNEL.id,
      card.ts,
      ACTION_IDS.approve,
    );
    cards.set(app, message);
  }
  // Card updates are coalesced to one a second: wait past that so no update races the measurement.
  await bench.activity.waitForQuiet({ quietMs: 1200, maxMs: 15_000 });
  return { names, cards };
}
