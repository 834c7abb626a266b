import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../sandbox/world/seed.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { buttonsOf, cardPosts, messageText, sleep } from './card-helpers.js';

const APP = 'event-ingestion-prod';
const CHANNEL = CHANNELS.prodDeploys.id;

let env: WorldWithBot;
beforeAll(async () => {
  env = await startWorldWithBot();
  // The production wait is 30 s; the test cannot sit that long.
  env.bot.bot.features.cards.enrichRetryMs = 300;
});
afterAll(async () => {
  await env?.stop();
});

describe('GitHub down while a card is made', () => {
  let sha: string;

  it('posts the card anyway: changelog unavailable, checks unknown, Argo CD facts and buttons present', async () => {
    env.world.github.setDown(true);
    const pushedAt = Date.now();
    sha = await env.world.pushCommit({ message: 'Ship while GitHub is down' });
    const cardOf = () =>
      env.world.slack.channelMessages(CHANNEL).find((m) => m.text.startsWith(`${APP} ${sha.slice(0, 7)}`));
    const first = await eventually(cardOf, { timeoutMs: 10_000 });
    // Posted from Argo CD's read alone, without waiting for GitHub at all.
    expect(Date.now() - pushedAt).toBeLessThan(4000);
    expect(messageText(first)).toContain('reading the changelog');
    // Argo CD's facts are shown once GitHub has been slower than the enrichment deadline.
    const card = await eventually(
      () => {
        const c = cardOf();
        return c && messageText(c).includes('changelog unavailable') ? c : undefined;
      },
      { timeoutMs: 10_000 },
    );
    const text = messageText(card);
    expect(text).toContain('changelog unavailable');
    expect(text).toContain('❔ unknown');
    expect(text).toContain('docker.io/gamemetrics/event-consumer'); // images come from Argo CD
    expect(text).toContain('Ship while GitHub is down'); // the subject comes from Argo CD's revision metadata
    expect(buttonsOf(card)).toContain('deploy_approve_sync');
    // It stays that way while GitHub is down (retries keep failing, nothing is lost or duplicated).
    await sleep(1500);
    const still = env.world.slack.channelMessages(CHANNEL).find((m) => m.ts === card.ts)!;
    expect(messageText(still)).toContain('changelog unavailable');
  });

  it('fills the card in once GitHub is back: changelog, pull request and green checks', async () => {
    env.world.github.setDown(false);
    const filled = await eventually(
      () => {
        const card = env.world.slack
          .channelMessages(CHANNEL)
          .find((m) => m.text.startsWith(`${APP} ${sha.slice(0, 7)}`));
        return card && !messageText(card).includes('changelog unavailable') ? card : undefined;
      },
      { timeoutMs: 15_000 },
    );
    const text = messageText(filled);
    expect(text).toMatch(/Changelog\* \(1 commit\)/);
    expect(text).toContain('Pull requests* (1)');
    expect(text).toContain('✅ 2 passed');
    expect(text).not.toContain('❔ unknown');
    expect(cardPosts(env.world.slack, { channel: CHANNEL, app: APP, sha })).toHaveLength(1);
  });
});
