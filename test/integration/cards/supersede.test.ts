import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../sandbox/world/seed.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { buttonsOf, cardPosts, messageText } from './card-helpers.js';

const APP = 'event-ingestion-prod';
const CHANNEL = CHANNELS.prodDeploys.id;

let env: WorldWithBot;
beforeAll(async () => {
  env = await startWorldWithBot();
});
afterAll(async () => {
  await env?.stop();
});

const cardOf = (sha: string) =>
  env.world.slack.channelMessages(CHANNEL).find((m) => m.text.startsWith(`${APP} ${sha.slice(0, 7)}`));

describe('a newer revision supersedes the pending card', () => {
  let first: string;
  let second: string;

  it('push twice: the first card turns superseded, without buttons, linking to the second', async () => {
    first = await env.world.pushCommit({ message: 'First change, soon outdated' });
    const firstCard = await eventually(() => cardOf(first));
    expect(buttonsOf(firstCard)).toContain('deploy_approve_sync');

    second = await env.world.pushCommit({ message: 'Second change, the one to ship' });
    const secondCard = await eventually(() => {
      const card = cardOf(second);
      return card?.text.includes('waiting for approval') ? card : undefined;
    });
    expect(buttonsOf(secondCard)).toEqual(['deploy_approve_sync', 'deploy_reject', 'deploy_open_argocd']);

    const superseded = await eventually(() => {
      const card = cardOf(first);
      // The link needs the newer card's ts, so it may come in a second update.
      return card && messageText(card).includes('see the newer card') ? card : undefined;
    });
    expect(superseded.ts).toBe(firstCard.ts);
    expect(superseded.text).toBe(
      `${APP} ${first.slice(0, 7)} → prod was superseded by ${second.slice(0, 7)}`,
    );
    expect(messageText(superseded)).toContain(`Superseded* by \`${second.slice(0, 7)}\``);
    expect(buttonsOf(superseded)).toEqual([]);
    const permalink = /<(http[^|>]+)\|see the newer card>/.exec(messageText(superseded))?.[1];
    expect(permalink).toContain(secondCard.ts.replace('.', ''));
  });

  it('notes the supersession in the old card’s thread, with the link', async () => {
    const old = cardOf(first)!;
    const replies = (ts: string) => env.world.slack.thread(CHANNEL, ts).filter((m) => m.ts !== ts);
    const note = await eventually(() => replies(old.ts).find((m) => /Superseded/.test(m.text)));
    expect(note.text).toContain(`Superseded by \`${second.slice(0, 7)}\``);
    expect(note.text).toMatch(/<http[^|>]+\|newer card>/);
    // Exactly one note, and nothing about it in the new card's thread.
    expect(replies(old.ts).filter((m) => /Superseded/.test(m.text))).toHaveLength(1);
    expect(replies(cardOf(second)!.ts).filter((m) => /Superseded/.test(m.text))).toEqual([]);
  });

  it('a third push supersedes the second; each revision keeps exactly one card', async () => {
    const third = await env.world.pushCommit({ message: 'Third change' });
    await eventually(() => cardOf(second)?.text.includes('superseded by'));
    await eventually(() => cardOf(third)?.text.includes('waiting for approval'));
    for (const sha of [first, second, third])
      expect(cardPosts(env.world.slack, { channel: CHANNEL, app: APP, sha })).toHaveLength(1);
    const waiting = env.world.slack
      .channelMessages(CHANNEL)
      .filter((m) => m.text.startsWith(APP) && m.text.includes('waiting for approval'));
    expect(waiting.map((m) => m.text)).toEqual([
      `${APP} ${third.slice(0, 7)} → prod is waiting for approval`,
    ]);
  });
});
