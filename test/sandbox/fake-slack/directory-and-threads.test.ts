import { describe, expect, it } from 'vitest';
import { ALICE, BOB, callError, createClient, DEPLOYS, startTestFake } from './helpers.js';

describe('users and user groups', () => {
  it('usergroups.users.list returns the member ids and no_such_subteam for an unknown group', async () => {
    const fake = await startTestFake({
      usergroups: [
        { id: 'S0ONCALL001', handle: 'oncall', users: [ALICE.id, BOB.id] },
        { id: 'S0RETIRED01', handle: 'retired', users: [BOB.id], disabled: true },
      ],
    });
    const client = createClient(fake);
    expect((await client.usergroups.users.list({ usergroup: 'S0ONCALL001' })).users).toEqual([
      ALICE.id,
      BOB.id,
    ]);
    const unknown = await callError(client.usergroups.users.list({ usergroup: 'S0NOPE' }));
    expect(unknown.data?.error).toBe('no_such_subteam');
    // A disabled group must not silently keep granting approval rights.
    expect((await callError(client.usergroups.users.list({ usergroup: 'S0RETIRED01' }))).data?.error).toBe(
      'no_such_subteam',
    );
    const withDisabled = await client.usergroups.users.list({
      usergroup: 'S0RETIRED01',
      include_disabled: true,
    });
    expect(withDisabled.users).toEqual([BOB.id]);
  });

  it('users.info returns the flags an authorizer checks, and user_not_found', async () => {
    const fake = await startTestFake({
      users: [
        ALICE,
        { ...BOB, deleted: true },
        { id: 'U0GUEST0001', name: 'g', realName: 'G', email: 'g@x', isRestricted: true },
      ],
    });
    const client = createClient(fake);
    const alice = await client.users.info({ user: ALICE.id });
    expect(alice.user).toMatchObject({
      id: ALICE.id,
      name: 'alice',
      real_name: ALICE.realName,
      is_bot: false,
      deleted: false,
    });
    expect(alice.user?.profile?.email).toBe(ALICE.email);
    expect((await client.users.info({ user: BOB.id })).user?.deleted).toBe(true);
    expect((await client.users.info({ user: 'U0GUEST0001' })).user?.is_restricted).toBe(true);
    expect((await client.users.info({ user: fake.botUserId })).user?.is_bot).toBe(true);
    expect((await callError(client.users.info({ user: 'U0NOPE' }))).data?.error).toBe('user_not_found');
  });

  it('users.lookupByEmail matches case-insensitively and answers users_not_found', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    expect((await client.users.lookupByEmail({ email: 'bob@example.com' })).user?.id).toBe(BOB.id);
    expect((await callError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).data?.error).toBe(
      'users_not_found',
    );
  });
});

describe('conversations.replies and reactions.add', () => {
  it('returns the parent then its replies, paginated with cursors the SDK follows', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const parent = await client.chat.postMessage({ channel: DEPLOYS, text: 'card' });
    for (const text of ['one', 'two', 'three']) {
      await client.chat.postMessage({ channel: DEPLOYS, text, thread_ts: parent.ts });
    }
    const all = await client.conversations.replies({ channel: DEPLOYS, ts: parent.ts ?? '' });
    expect(all.messages?.map((m) => m.text)).toEqual(['card', 'one', 'two', 'three']);
    expect(all.messages?.[0]).toMatchObject({ reply_count: 3, thread_ts: parent.ts });
    expect(all.messages?.[1]).toMatchObject({ thread_ts: parent.ts, parent_user_id: fake.botUserId });
    const pages: string[][] = [];
    for await (const page of client.paginate('conversations.replies', {
      channel: DEPLOYS,
      ts: parent.ts,
      limit: 3,
    })) {
      pages.push(((page as { messages?: { text: string }[] }).messages ?? []).map((m) => m.text));
    }
    expect(pages).toEqual([['card', 'one', 'two'], ['three']]);
    const missing = await callError(client.conversations.replies({ channel: DEPLOYS, ts: '1.000001' }));
    expect(missing.data?.error).toBe('thread_not_found');
  });

  it('adds a reaction once and answers already_reacted the second time', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const card = await client.chat.postMessage({ channel: DEPLOYS, text: 'card' });
    await client.reactions.add({ channel: DEPLOYS, timestamp: card.ts ?? '', name: 'white_check_mark' });
    expect(fake.channelMessages(DEPLOYS)[0]?.reactions).toEqual([
      { name: 'white_check_mark', users: [fake.botUserId], count: 1 },
    ]);
    const again = await callError(
      client.reactions.add({ channel: DEPLOYS, timestamp: card.ts ?? '', name: 'white_check_mark' }),
    );
    expect(again.data?.error).toBe('already_reacted');
    const colons = await callError(
      client.reactions.add({ channel: DEPLOYS, timestamp: card.ts ?? '', name: ':rocket:' }),
    );
    expect(colons.data?.error).toBe('invalid_name');
    const gone = await callError(
      client.reactions.add({ channel: DEPLOYS, timestamp: '1.000001', name: 'rocket' }),
    );
    expect(gone.data?.error).toBe('message_not_found');
  });
});
