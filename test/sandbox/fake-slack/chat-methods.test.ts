import { describe, expect, it } from 'vitest';
import { MISSING_TEXT_WARNING } from '../../../sandbox/fake-slack/index.js';
import {
  ALICE,
  BOB,
  callError,
  createClient,
  DEPLOYS,
  deployCardBlocks,
  RANDOM,
  SECTION,
  startTestFake,
} from './helpers.js';

describe('chat.postMessage', () => {
  it('answers channel_not_found for a channel that does not exist, and takes a #name like Slack', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    expect((await callError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).data?.error).toBe(
      'channel_not_found',
    );
    const byName = await client.chat.postMessage({ channel: '#deploys', text: 'x' });
    // The ID is what chat.update needs later; a bot that stores the name cannot update its card.
    expect(byName.channel).toBe(DEPLOYS);
  });

  it('answers no_text when neither text nor blocks are sent', async () => {
    const fake = await startTestFake();
    const error = await callError(createClient(fake).apiCall('chat.postMessage', { channel: DEPLOYS }));
    expect(error.data?.error).toBe('no_text');
  });

  it('posts blocks without text but warns and flags the call: notifications would be empty', async () => {
    const fake = await startTestFake();
    const result = await createClient(fake).chat.postMessage({
      channel: DEPLOYS,
      blocks: deployCardBlocks(),
    });
    expect(result.ok).toBe(true);
    expect(result.warning).toBe(MISSING_TEXT_WARNING);
    expect(result.response_metadata?.warnings).toEqual([MISSING_TEXT_WARNING]);
    expect(fake.callsTo('chat.postMessage')[0]?.missingTextFallback).toBe(true);
    await createClient(fake).chat.postMessage({
      channel: DEPLOYS,
      text: 'Deploy',
      blocks: deployCardBlocks(),
    });
    expect(fake.callsTo('chat.postMessage')[1]?.missingTextFallback).toBeUndefined();
  });

  it('refuses invalid Block Kit with invalid_blocks and the rule, and stores nothing', async () => {
    const fake = await startTestFake();
    const error = await callError(
      createClient(fake).chat.postMessage({
        channel: DEPLOYS,
        text: 'x',
        blocks: [SECTION('x'.repeat(3001))],
      }),
    );
    expect(error.data?.error).toBe('invalid_blocks');
    expect(error.data?.errors).toEqual([
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(fake.channelMessages(DEPLOYS)).toEqual([]);
  });

  it('stores the bot identity and Slack-format, unique, increasing ts values', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const posted = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.chat.postMessage({ channel: DEPLOYS, text: `m${i}` })),
    );
    const stamps = fake.channelMessages(DEPLOYS).map((m) => m.ts);
    expect(new Set(posted.map((p) => p.ts)).size).toBe(20);
    for (const ts of stamps) expect(ts).toMatch(/^\d{10}\.\d{6}$/);
    expect([...stamps].sort()).toEqual(stamps);
    expect(fake.channelMessages(DEPLOYS)[0]).toMatchObject({
      user: fake.botUserId,
      bot_id: fake.botId,
      app_id: fake.appId,
    });
  });

  it('threads replies, counts them on the parent, and refuses an unknown thread_ts', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const parent = await client.chat.postMessage({ channel: DEPLOYS, text: 'card' });
    const first = await client.chat.postMessage({ channel: DEPLOYS, text: 'syncing', thread_ts: parent.ts });
    // A reply to a reply lands in the parent's thread, as in Slack.
    await client.chat.postMessage({ channel: DEPLOYS, text: 'synced', thread_ts: first.ts });
    const [card] = fake.channelMessages(DEPLOYS);
    expect(card).toMatchObject({
      ts: parent.ts,
      thread_ts: parent.ts,
      reply_count: 2,
      reply_users: [fake.botUserId],
    });
    expect(card?.replies.map((r) => r.text)).toEqual(['syncing', 'synced']);
    expect(fake.thread(DEPLOYS, parent.ts ?? '').map((m) => m.text)).toEqual(['card', 'syncing', 'synced']);
    const error = await callError(
      client.chat.postMessage({ channel: DEPLOYS, text: 'x', thread_ts: '1000000000.000001' }),
    );
    expect(error.data?.error).toBe('thread_not_found');
  });

  it('opens a DM when the channel is a user ID', async () => {
    const fake = await startTestFake();
    const result = await createClient(fake).chat.postMessage({ channel: ALICE.id, text: 'reminder' });
    expect(result.channel).toMatch(/^D/);
    expect(fake.channelMessages(result.channel ?? '')[0]?.text).toBe('reminder');
  });
});

describe('chat.update', () => {
  it('removes the blocks when only text is sent: the card loses its buttons', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const card = await client.chat.postMessage({
      channel: DEPLOYS,
      text: 'Deploy',
      blocks: deployCardBlocks(),
    });
    await client.chat.update({ channel: DEPLOYS, ts: card.ts ?? '', text: 'Deploy approved' });
    const [message] = fake.channelMessages(DEPLOYS);
    expect(message?.text).toBe('Deploy approved');
    expect(message?.blocks).toBeUndefined();
    expect(message?.edited).toEqual({ user: fake.botUserId, ts: expect.stringMatching(/^\d{10}\.\d{6}$/) });
    expect(message?.ts).toBe(card.ts);
  });

  it('keeps new blocks when both are sent, and flags blocks without text', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const card = await client.chat.postMessage({
      channel: DEPLOYS,
      text: 'Deploy',
      blocks: deployCardBlocks(),
    });
    await client.chat.update({
      channel: DEPLOYS,
      ts: card.ts ?? '',
      blocks: [SECTION('Approved by <@U0ALICE0001>')],
    });
    expect(fake.channelMessages(DEPLOYS)[0]?.blocks).toHaveLength(1);
    expect(fake.channelMessages(DEPLOYS)[0]?.text).toBe('');
    expect(fake.callsTo('chat.update')[0]?.missingTextFallback).toBe(true);
  });

  it('needs the channel ID, not its name (channel_not_found)', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const card = await client.chat.postMessage({ channel: DEPLOYS, text: 'Deploy' });
    const error = await callError(client.chat.update({ channel: '#deploys', ts: card.ts ?? '', text: 'x' }));
    expect(error.data?.error).toBe('channel_not_found');
  });

  it('answers message_not_found for an unknown ts or an ephemeral message ts', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    await client.chat.postMessage({ channel: DEPLOYS, text: 'card' });
    expect(
      (await callError(client.chat.update({ channel: DEPLOYS, ts: '1.000001', text: 'x' }))).data?.error,
    ).toBe('message_not_found');
    const ephemeral = await client.chat.postEphemeral({ channel: DEPLOYS, user: ALICE.id, text: 'only you' });
    const error = await callError(
      client.chat.update({ channel: DEPLOYS, ts: ephemeral.message_ts ?? '', text: 'x' }),
    );
    expect(error.data?.error).toBe('message_not_found');
  });

  it('answers cant_update_message for a message the bot did not post', async () => {
    const fake = await startTestFake();
    const human = fake.postUserMessage({ channel: DEPLOYS, user: ALICE.id, text: 'ship it' });
    const error = await callError(
      createClient(fake).chat.update({ channel: DEPLOYS, ts: human.ts, text: 'x' }),
    );
    expect(error.data?.error).toBe('cant_update_message');
    expect(fake.channelMessages(DEPLOYS)[0]?.text).toBe('ship it');
  });
});

describe('chat.postEphemeral and chat.getPermalink', () => {
  it('stores ephemerals per channel and user, and only for channel members', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const denial = await client.chat.postEphemeral({ channel: DEPLOYS, user: BOB.id, text: 'Not allowed' });
    expect(denial.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.ephemerals({ user: BOB.id })).toEqual([
      expect.objectContaining({
        channel: DEPLOYS,
        user: BOB.id,
        text: 'Not allowed',
        source: 'chat.postEphemeral',
      }),
    ]);
    expect(fake.ephemerals({ user: ALICE.id })).toEqual([]);
    expect(fake.channelMessages(DEPLOYS)).toEqual([]);
    const error = await callError(client.chat.postEphemeral({ channel: RANDOM, user: BOB.id, text: 'x' }));
    expect(error.data?.error).toBe('user_not_in_channel');
  });

  it('builds permalinks to the console, with thread_ts for replies', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const parent = await client.chat.postMessage({ channel: DEPLOYS, text: 'card' });
    const reply = await client.chat.postMessage({ channel: DEPLOYS, text: 'r', thread_ts: parent.ts });
    const link = await client.chat.getPermalink({ channel: DEPLOYS, message_ts: parent.ts ?? '' });
    expect(link.permalink).toBe(`${fake.url}/archives/${DEPLOYS}/p${parent.ts?.replace('.', '')}`);
    const replyLink = await client.chat.getPermalink({ channel: DEPLOYS, message_ts: reply.ts ?? '' });
    expect(replyLink.permalink).toBe(
      `${fake.url}/archives/${DEPLOYS}/p${reply.ts?.replace('.', '')}?thread_ts=${parent.ts}&cid=${DEPLOYS}`,
    );
    const error = await callError(client.chat.getPermalink({ channel: DEPLOYS, message_ts: '1.000001' }));
    expect(error.data?.error).toBe('message_not_found');
  });
});
