import { describe, expect, it } from 'vitest';
import { ALICE, callError, createClient, DEPLOYS, startTestFake } from './helpers.js';

const errorOf = async (call: Promise<unknown>) => (await callError(call)).data?.error;

const home = { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] };

describe('fake Slack: views.publish', () => {
  it('publishes a home view per user; the hash of the last publish guards the next', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const first = await client.views.publish({ user_id: ALICE.id, view: home as never });
    expect(first.view?.type).toBe('home');
    expect(fake.homeView(ALICE.id)?.blocks).toHaveLength(1);
    expect(
      await errorOf(client.views.publish({ user_id: ALICE.id, view: home as never, hash: 'stale.hash' })),
    ).toBe('hash_conflict');
    await client.views.publish({ user_id: ALICE.id, view: home as never, hash: first.view?.hash });
  });

  it('refuses a modal, an unknown user and over 100 blocks, as Slack does', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const modal = { ...home, type: 'modal', title: { type: 'plain_text', text: 'x' } };
    expect(await errorOf(client.views.publish({ user_id: ALICE.id, view: modal as never }))).toBe(
      'invalid_arguments',
    );
    expect(await errorOf(client.views.publish({ user_id: 'U0NOBODY', view: home as never }))).toBe(
      'user_not_found',
    );
    const big = { type: 'home', blocks: Array.from({ length: 101 }, () => home.blocks[0]) };
    expect(await errorOf(client.views.publish({ user_id: ALICE.id, view: big as never }))).toBe(
      'invalid_arguments',
    );
  });
});

describe('fake Slack: message metadata', () => {
  it('keeps { event_type, event_payload } on post and update (an update without it keeps it)', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const metadata = { event_type: 'deploybot_card', event_payload: { app: 'a', state: 'pending' } };
    const posted = await client.chat.postMessage({ channel: DEPLOYS, text: 'x', metadata });
    expect(fake.channelMessages(DEPLOYS)[0]?.metadata).toEqual(metadata);
    const next = { event_type: 'deploybot_card', event_payload: { app: 'a', state: 'syncing' } };
    await client.chat.update({ channel: DEPLOYS, ts: posted.ts as string, text: 'y', metadata: next });
    expect(fake.channelMessages(DEPLOYS)[0]?.metadata).toEqual(next);
    await client.chat.update({ channel: DEPLOYS, ts: posted.ts as string, text: 'z' });
    expect(fake.channelMessages(DEPLOYS)[0]?.metadata).toEqual(next);
  });

  it('answers invalid_metadata_format for a malformed shape', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    for (const metadata of [
      { event_type: 'has space', event_payload: {} },
      { event_type: 'ok' },
      { event_type: 'ok', event_payload: 'text' },
      { event_payload: {} },
      { event_type: 'ok', event_payload: {}, extra: 1 },
    ]) {
      expect(
        await errorOf(client.chat.postMessage({ channel: DEPLOYS, text: 'x', metadata: metadata as never })),
      ).toBe('invalid_metadata_format');
    }
    const raw = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fake.botToken}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ channel: DEPLOYS, text: 'x', metadata: '{not json' }),
    });
    expect(await raw.json()).toMatchObject({ ok: false, error: 'invalid_metadata_format' });
  });
});
