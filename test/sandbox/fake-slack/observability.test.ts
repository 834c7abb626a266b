import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../sandbox/fake-slack/index.js';
import { ALICE, createClient, DEPLOYS, startTestFake } from './helpers.js';

describe('observing the fake', () => {
  it('onChange reports every store change and API call until unsubscribed', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const events: ChangeEvent[] = [];
    const unsubscribe = fake.onChange((event) => events.push(event));
    const card = await client.chat.postMessage({ channel: DEPLOYS, text: 'card' });
    await client.chat.update({ channel: DEPLOYS, ts: card.ts ?? '', text: 'card v2' });
    await client.chat.postEphemeral({ channel: DEPLOYS, user: ALICE.id, text: 'psst' });
    expect(events.map((e) => e.type)).toEqual([
      'message_posted',
      'api_call',
      'message_updated',
      'api_call',
      'ephemeral_posted',
      'api_call',
    ]);
    expect(events[0]).toEqual({ type: 'message_posted', channel: DEPLOYS, ts: card.ts });
    unsubscribe();
    await client.chat.postMessage({ channel: DEPLOYS, text: 'unseen' });
    expect(events).toHaveLength(6);
  });

  it('a throwing listener does not break the API answer', async () => {
    const fake = await startTestFake();
    fake.onChange(() => {
      throw new Error('console crashed');
    });
    const result = await createClient(fake).chat.postMessage({ channel: DEPLOYS, text: 'still posted' });
    expect(result.ok).toBe(true);
  });

  it('reset clears messages, calls, views and test hooks but keeps the workspace', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    await client.chat.postMessage({ channel: DEPLOYS, text: 'card' });
    await client.views.open({
      trigger_id: fake.issueTriggerId(ALICE.id),
      view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] },
    });
    fake.failNext('auth.test', 'account_inactive');
    const events: ChangeEvent[] = [];
    fake.onChange((event) => events.push(event));
    fake.reset();
    expect(events).toEqual([{ type: 'reset' }]);
    expect(fake.channelMessages(DEPLOYS)).toEqual([]);
    expect(fake.views).toEqual([]);
    expect(fake.calls).toEqual([]);
    expect((await client.auth.test()).ok).toBe(true);
    expect(fake.users.map((u) => u.id)).toContain(ALICE.id);
    expect(fake.channels.map((c) => c.id)).toContain(DEPLOYS);
  });

  it('deleting a parent with replies leaves a tombstone so the thread stays readable', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const card = await client.chat.postMessage({ channel: DEPLOYS, text: 'card', blocks: [] });
    await client.chat.postMessage({ channel: DEPLOYS, text: 'progress', thread_ts: card.ts });
    const url = fake.createResponseUrl({ channel: DEPLOYS, user: ALICE.id, messageTs: card.ts ?? '' });
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"delete_original":true}',
    });
    const [tombstone] = fake.channelMessages(DEPLOYS);
    expect(tombstone).toMatchObject({
      subtype: 'tombstone',
      text: 'This message was deleted.',
      reply_count: 1,
    });
    expect(tombstone?.replies.map((r) => r.text)).toEqual(['progress']);
  });
});
