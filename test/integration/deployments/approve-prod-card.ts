import { expect } from 'vitest';
import type { ChannelMessage } from '../../../sandbox/fake-slack/types.js';
import { CHANNELS, PEOPLE } from '../../../sandbox/world/seed.js';
import { eventually, type WorldWithBot } from '../../helpers/start-world-bot.js';

/** The pending event-ingestion-prod card for `sha`, once its changelog has loaded (approval needs it). */
export async function findReadyProdCard(env: WorldWithBot, sha: string): Promise<ChannelMessage> {
  const message = await eventually(
    () =>
      env.world.slack
        .channelMessages(CHANNELS.prodDeploys.id)
        .find(
          (m) => m.text.includes(sha.slice(0, 7)) && JSON.stringify(m.blocks).includes('deploy_approve_sync'),
        ),
    { timeoutMs: 15_000 },
  );
  await eventually(
    async () =>
      (
        await env.bot.bot.features.cards.repo.findByRevision(
          { instance: 'default', namespace: 'argocd', name: 'event-ingestion-prod' },
          sha,
        )
      )?.changelog.available,
    { timeoutMs: 15_000 },
  );
  return message;
}

/** Alice approves the event-ingestion-prod card for `sha`; returns the card's ts. */
export async function approveProdCard(env: WorldWithBot, sha: string): Promise<string> {
  const card = await findReadyProdCard(env, sha);
  const click = await env.world.slack.clickButton({
    user: PEOPLE.alice.id,
    channel: CHANNELS.prodDeploys.id,
    ts: card.ts,
    actionId: 'deploy_approve_sync',
  });
  expect(click.status).toBe(200);
  return card.ts;
}
