import type { ChannelMessage } from '../../../../sandbox/fake-slack/index.js';
import { CHANNELS } from '../../../../sandbox/world/seed.js';
import type { World } from '../../../../sandbox/world/start-world.js';
import type { TestBot } from '../../../helpers/start-test-bot.js';
import { eventually } from '../../../helpers/start-world-bot.js';

export const PROD_CHANNEL = CHANNELS.prodDeploys.id;
export const PROD_APP = 'event-ingestion-prod';
export const SYNC_PATH = `/api/v1/applications/${PROD_APP}/sync`;
export const APP_PATH = `/api/v1/applications/${PROD_APP}`;

/** The cards (top-level messages) of one (app, revision): their text starts "<app> <short sha> →". */
export function cardsFor(
  world: World,
  sha: string,
  app = PROD_APP,
  channel = PROD_CHANNEL,
): ChannelMessage[] {
  const title = `${app} ${sha.slice(0, 7)} →`;
  return world.slack.channelMessages(channel).filter((m) => (m.text ?? '').startsWith(title));
}

export function cardMessage(world: World, ts: string, channel = PROD_CHANNEL): ChannelMessage {
  const found = world.slack.channelMessages(channel).find((m) => m.ts === ts);
  if (!found) throw new Error(`no message ${ts} in ${channel}`);
  return found;
}

/** The value of a button on a card: deploybot puts the card id there. */
export function buttonValue(message: { blocks?: unknown[] }, actionId: string): string | undefined {
  const blocks = (message.blocks ?? []) as { elements?: unknown[]; accessory?: unknown }[];
  for (const block of blocks) {
    for (const element of [...(block.elements ?? []), block.accessory]) {
      const button = element as { type?: string; action_id?: string; value?: string } | undefined;
      if (button?.type === 'button' && button.action_id === actionId) return button.value;
    }
  }
  return undefined;
}

export interface PostedCard {
  sha: string;
  ts: string;
  cardId: string;
}

/** The card shows what GitHub knows: its changelog and checks were read (or it is still being filled in). */
export function isEnriched(message: { blocks?: unknown[] }): boolean {
  const blocks = JSON.stringify(message.blocks ?? []);
  return !blocks.includes('changelog unavailable') && !blocks.includes('❔ unknown');
}

/**
 * A developer merges a change to main; waits for the pending prod card with its Approve button and,
 * unless `enriched: false`, for its changelog and checks (a click before that is refused, fail closed).
 */
export async function pushAndWaitForPendingCard(
  world: World,
  options: Parameters<World['pushCommit']>[0] = {},
  { timeoutMs = 10_000, enriched = true } = {},
): Promise<PostedCard> {
  const sha = await world.pushCommit({ author: 'dave', ...options });
  const message = await eventually(
    () =>
      cardsFor(world, sha).find(
        (m) => buttonValue(m, 'deploy_approve_sync') !== undefined && (!enriched || isEnriched(m)),
      ),
    { timeoutMs },
  );
  return { sha, ts: message.ts, cardId: buttonValue(message, 'deploy_approve_sync') as string };
}

/** Waits until the bot has nothing queued and every card publication has landed. */
export async function settle(bot: TestBot): Promise<void> {
  const { cards } = bot.bot.features;
  for (let i = 0; i < 3; i++) {
    await cards.queue.idle();
    await cards.publisher.idle();
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function waitForCardText(
  world: World,
  ts: string,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<ChannelMessage> {
  return eventually(
    () => {
      const message = cardMessage(world, ts);
      return pattern.test(message.text ?? '') ? message : undefined;
    },
    { timeoutMs },
  );
}
