import { randomUUID } from 'node:crypto';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../../sandbox/fake-slack/index.js';
import { CardPublisher } from '../../../src/cards/card-publisher.js';
import { CardRepository } from '../../../src/cards/card-repository.js';
import { createSlackClient } from '../../../src/clients/slack/slack-client.js';
import type { Card, CardState } from '../../../src/domain/card.js';
import { createLogger } from '../../../src/logging/create-logger.js';
import { RedisStore } from '../../../src/store/redis-store.js';
import { bareCard } from '../../helpers/bare-card.js';

const TOKEN = 'xoxb-publisher-test';
const CHANNEL = 'C0DEPLOYS';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let slack: FakeSlack;
let stores: RedisStore[] = [];
let repo: CardRepository;
const publishers: CardPublisher[] = [];

function newPublisher(store: RedisStore): CardPublisher {
  const client = new webApi.WebClient(TOKEN, {
    slackApiUrl: slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
  const publisher = new CardPublisher({
    repo: new CardRepository(store),
    store,
    slack: createSlackClient(client),
    render: async (card) => ({
      text: `${card.app.name} ${card.revision.slice(0, 7)} is ${card.state} (${card.health ?? '-'})`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `state *${card.state}*` } }],
    }),
    logger: createLogger({ level: 'silent' }),
    postWaitMs: 5000,
    // The mechanism at 1 s, to keep these tests short; production uses CARD_UPDATE_INTERVAL_MS (2 s).
    minIntervalMs: 1000,
  });
  publishers.push(publisher);
  return publisher;
}

let seq = 0;
async function storedCard(overrides: Partial<Card> = {}): Promise<Card> {
  seq++;
  const revision = `${seq.toString(16).padStart(8, '0')}${'f'.repeat(32)}`;
  const card = bareCard(revision, { channel: CHANNEL, ...overrides });
  return (await repo.create(card)).card;
}

const postsOf = (card: Card) =>
  slack
    .callsTo('chat.postMessage')
    .filter((c) => !c.args.thread_ts && String(c.args.text).includes(card.revision.slice(0, 7)));
const updatesOf = (ts: string) => slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
const setState = (card: Card, state: CardState, health?: string) =>
  repo.update(card.id, (c) => ({ ...c, state, health }));

beforeAll(async () => {
  slack = await startFakeSlack({ botToken: TOKEN, channels: [{ id: CHANNEL, name: 'deploys' }] });
  const prefix = `test:${randomUUID()}:`;
  stores = [0, 1].map(() => new RedisStore({ url: inject('redisUrl'), prefix }));
  await Promise.all(stores.map((s) => s.ready()));
  repo = new CardRepository(stores[0]!);
});
afterAll(async () => {
  for (const p of publishers) p.stop();
  await Promise.all(stores.map((s) => s.close()));
  await slack?.close();
});
beforeEach(() => slack.reset());

describe('CardPublisher (fake Slack over HTTP, real Redis)', () => {
  it('posts a card once although two replicas publish it 20 times at once', async () => {
    const [a, b] = [newPublisher(stores[0]!), newPublisher(stores[1]!)];
    const card = await storedCard();
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).publishNow(card.id)));
    await Promise.all([a.idle(), b.idle()]);
    expect(postsOf(card)).toHaveLength(1);
    expect((await repo.get(card.id))?.ts).toBe(postsOf(card)[0]?.response.ts);
  });

  it('coalesces a burst of changes into few chat.update calls, the last state always landing', async () => {
    const publisher = newPublisher(stores[0]!);
    const card = await storedCard();
    await publisher.publishNow(card.id);
    const ts = (await repo.get(card.id))!.ts!;
    for (let i = 0; i < 50; i++) {
      await setState(card, i % 2 ? 'syncing' : 'approved', `h${i}`);
      publisher.publish(card.id);
    }
    await sleep(1300);
    await publisher.idle();
    const updates = updatesOf(ts);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(2);
    expect(String(updates.at(-1)?.args.text)).toContain('is syncing (h49)');
  });

  it('keeps one update per second per card across a quiet spell', async () => {
    const publisher = newPublisher(stores[0]!);
    const card = await storedCard();
    await publisher.publishNow(card.id);
    const ts = (await repo.get(card.id))!.ts!;
    await sleep(1100); // past the post's interval: this update goes at once
    await setState(card, 'approved');
    publisher.publish(card.id);
    await sleep(100); // the first update is done: the card is quiet
    await setState(card, 'syncing');
    publisher.publish(card.id);
    await sleep(1400);
    const updates = updatesOf(ts);
    expect(updates).toHaveLength(2);
    expect(updates[1]!.at - updates[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('honours Retry-After on a 429, then lands the newest state', async () => {
    const publisher = newPublisher(stores[0]!);
    const card = await storedCard();
    await publisher.publishNow(card.id);
    const ts = (await repo.get(card.id))!.ts!;
    slack.rateLimit('chat.update', { calls: 1, retryAfterSec: 1 });
    await setState(card, 'approved');
    publisher.publish(card.id);
    await sleep(300);
    await setState(card, 'syncing');
    publisher.publish(card.id);
    await sleep(1800);
    const updates = updatesOf(ts);
    expect(updates.map((u) => u.status)).toEqual([429, 200]);
    expect(updates[1]!.at - updates[0]!.at).toBeGreaterThanOrEqual(950);
    expect(String(updates[1]!.args.text)).toContain('is syncing');
  });

  it('a thread note waits for a card whose first post failed, instead of being dropped', async () => {
    const publisher = newPublisher(stores[0]!);
    const card = await storedCard();
    slack.failNext('chat.postMessage', 'internal_error');
    await publisher.thread(card.id, { text: 'note after a failed post', blocks: [] });
    const posted = await repo.get(card.id);
    expect(posted?.ts).toBeDefined();
    expect(postsOf(card).map((c) => c.response.ok)).toEqual([false, true]);
    const replies = slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === posted?.ts);
    expect(replies.map((c) => c.args.text)).toEqual(['note after a failed post']);
  });

  it('never posts a card that ended unseen, nor one that lost the (app, revision) index', async () => {
    const publisher = newPublisher(stores[0]!);
    const overtaken = await storedCard({ state: 'superseded' });
    await publisher.publishNow(overtaken.id);
    expect(postsOf(overtaken)).toEqual([]);
    expect(await publisher.whenPosted(overtaken.id, 200)).toBeUndefined();

    const winner = await storedCard();
    // A loser's record, written just before its index write failed (and before its clean-up).
    const loser: Card = { ...winner, id: CardRepository.newId() };
    await stores[0]!.compareAndSet(`card:${loser.id}`, loser, 0);
    await publisher.publishNow(loser.id);
    await publisher.publishNow(winner.id);
    expect(postsOf(winner)).toHaveLength(1);
    expect((await repo.get(loser.id))?.ts).toBeUndefined();
  });
});
