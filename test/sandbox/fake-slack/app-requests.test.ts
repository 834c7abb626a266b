import { describe, expect, it } from 'vitest';
import type { FakeSlack, JsonObject } from '../../../sandbox/fake-slack/index.js';
import {
  ALICE,
  BOB,
  createClient,
  DEPLOYS,
  deployCardBlocks,
  SECTION,
  startStubApp,
  startTestFake,
} from './helpers.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const decodePayload = (body: string) =>
  JSON.parse(new URLSearchParams(body).get('payload') ?? '') as JsonObject;
const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });

function approvalModal(title = 'Approve deploy'): JsonObject {
  return {
    type: 'modal',
    callback_id: 'approve_modal',
    title: plain(title),
    submit: plain('Approve'),
    blocks: [
      {
        type: 'input',
        block_id: 'env_block',
        label: plain('Environment'),
        element: {
          type: 'static_select',
          action_id: 'env',
          options: [
            { text: plain('prod'), value: 'prod' },
            { text: plain('staging'), value: 'staging' },
          ],
        },
      },
      {
        type: 'input',
        block_id: 'note_block',
        optional: true,
        label: plain('Note'),
        element: { type: 'plain_text_input', action_id: 'note', max_length: 20 },
      },
    ],
  };
}

async function openModal(fake: FakeSlack, user = ALICE.id): Promise<string> {
  const opened = await createClient(fake).views.open({
    trigger_id: fake.issueTriggerId(user),
    view: approvalModal() as never,
  });
  return opened.view?.id ?? '';
}

describe('submitView', () => {
  it('fills state.values like Slack: the chosen option object, null for an empty optional input', async () => {
    const fake = await startTestFake();
    const stub = await startStubApp(fake);
    const viewId = await openModal(fake);
    await fake.submitView({ user: ALICE.id, viewId, values: { env_block: { env: 'staging' } } });
    const view = decodePayload(stub.received[0]?.body ?? '').view as JsonObject;
    expect(view.state).toEqual({
      values: {
        env_block: {
          env: {
            type: 'static_select',
            selected_option: { text: { ...plain('staging'), emoji: true }, value: 'staging' },
          },
        },
        note_block: { note: { type: 'plain_text_input', value: null } },
      },
    });
  });

  it('refuses what the Slack UI would refuse: an unknown option or input, text over max_length, another user', async () => {
    const fake = await startTestFake();
    await startStubApp(fake);
    const viewId = await openModal(fake);
    await expect(
      fake.submitView({ user: ALICE.id, viewId, values: { env_block: { env: 'qa' } } }),
    ).rejects.toThrow('no option with value "qa"');
    await expect(
      fake.submitView({ user: ALICE.id, viewId, values: { env_block: { env: 'prod' }, nope: { x: 'y' } } }),
    ).rejects.toThrow('no input nope/x');
    await expect(
      fake.submitView({
        user: ALICE.id,
        viewId,
        values: { env_block: { env: 'prod' }, note_block: { note: 'n'.repeat(21) } },
      }),
    ).rejects.toThrow('the input allows 20');
    await expect(
      fake.submitView({ user: BOB.id, viewId, values: { env_block: { env: 'prod' } } }),
    ).rejects.toThrow(`open for ${ALICE.id}`);
  });

  it('response_action update replaces the view in place; push stacks a new one; clear closes all', async () => {
    const fake = await startTestFake();
    const stub = await startStubApp(fake);
    const viewId = await openModal(fake);
    const values = { env_block: { env: 'prod' } };
    stub.answers.push(json(200, { response_action: 'update', view: approvalModal('Step 2') }));
    expect(await fake.submitView({ user: ALICE.id, viewId, values })).toMatchObject({
      responseAction: 'update',
      viewOpen: true,
    });
    expect(fake.views.map((v) => [v.id, v.view.title.text, v.open])).toEqual([[viewId, 'Step 2', true]]);
    stub.answers.push(json(200, { response_action: 'push', view: approvalModal('Confirm') }));
    await fake.submitView({ user: ALICE.id, viewId, values });
    expect(fake.views[1]?.view).toMatchObject({ previous_view_id: viewId, root_view_id: viewId });
    stub.answers.push(json(200, { response_action: 'clear' }));
    await fake.submitView({ user: ALICE.id, viewId: fake.views[1]?.id ?? '', values });
    expect(fake.views.map((v) => v.open)).toEqual([false, false]);
  });

  it('keeps the view when the ack view is invalid, the ack fails, or errors name a block that is not an input', async () => {
    const fake = await startTestFake();
    const stub = await startStubApp(fake);
    const viewId = await openModal(fake);
    const values = { env_block: { env: 'prod' } };
    stub.answers.push(
      json(200, { response_action: 'update', view: approvalModal('A title far over 24 chars') }),
    );
    const invalid = await fake.submitView({ user: ALICE.id, viewId, values });
    expect(invalid.problems).toEqual(['must be less than 25 characters [json-pointer:/view/title/text]']);
    expect(fake.views[0]?.view.title.text).toBe('Approve deploy');
    stub.answers.push({ status: 500, body: '' });
    expect((await fake.submitView({ user: ALICE.id, viewId, values })).viewOpen).toBe(true);
    stub.answers.push(json(200, { response_action: 'errors', errors: { reason: 'Required' } }));
    expect((await fake.submitView({ user: ALICE.id, viewId, values })).unknownErrorBlocks).toEqual([
      'reason',
    ]);
    expect(fake.views[0]?.open).toBe(true);
  });
});

describe('clickButton on ephemerals and thread replies', () => {
  it('sends is_ephemeral and no message for the user’s ephemeral; replace_original then rewrites that ephemeral', async () => {
    const fake = await startTestFake();
    const stub = await startStubApp(fake);
    const client = createClient(fake);
    const eph = await client.chat.postEphemeral({
      channel: DEPLOYS,
      user: ALICE.id,
      text: 'Confirm?',
      blocks: deployCardBlocks(),
    });
    const ts = eph.message_ts ?? '';
    await expect(
      fake.clickButton({ user: BOB.id, channel: DEPLOYS, ts, actionId: 'deploy_reject' }),
    ).rejects.toThrow('sees no message');
    const click = await fake.clickButton({ user: ALICE.id, channel: DEPLOYS, ts, actionId: 'deploy_reject' });
    const payload = decodePayload(stub.received[0]?.body ?? '');
    expect(payload.container).toEqual({
      type: 'message',
      message_ts: ts,
      channel_id: DEPLOYS,
      is_ephemeral: true,
    });
    expect(payload).not.toHaveProperty('message');
    await fetch(click.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Rejected' }),
    });
    expect(fake.ephemerals({ user: ALICE.id })).toEqual([
      expect.objectContaining({ ts, text: 'Rejected', blocks: undefined }),
    ]);
  });

  it('puts thread_ts in the container for a button in a thread reply', async () => {
    const fake = await startTestFake();
    const stub = await startStubApp(fake);
    const client = createClient(fake);
    const parent = await client.chat.postMessage({ channel: DEPLOYS, text: 'card' });
    const reply = await client.chat.postMessage({
      channel: DEPLOYS,
      text: 'Roll back?',
      blocks: deployCardBlocks(),
      thread_ts: parent.ts,
    });
    await fake.clickButton({
      user: ALICE.id,
      channel: DEPLOYS,
      ts: reply.ts ?? '',
      actionId: 'deploy_reject',
    });
    const payload = decodePayload(stub.received[0]?.body ?? '');
    expect(payload.container).toMatchObject({ message_ts: reply.ts, thread_ts: parent.ts });
    expect(payload.message).toMatchObject({ ts: reply.ts, thread_ts: parent.ts });
  });

  it('asks for a blockId when two blocks show the same action_id', async () => {
    const fake = await startTestFake();
    await startStubApp(fake);
    const blocks = [...deployCardBlocks('dep-1'), ...deployCardBlocks('dep-2').slice(2)];
    const card = await createClient(fake).chat.postMessage({
      channel: DEPLOYS,
      text: 'two',
      blocks: blocks.map((b, i) => ({ ...b, block_id: `b${i}` })),
    });
    const ts = card.ts ?? '';
    await expect(
      fake.clickButton({ user: ALICE.id, channel: DEPLOYS, ts, actionId: 'deploy_reject' }),
    ).rejects.toThrow('pass blockId');
    const click = await fake.clickButton({
      user: ALICE.id,
      channel: DEPLOYS,
      ts,
      actionId: 'deploy_reject',
      blockId: 'b3',
    });
    expect((click.payload.actions as JsonObject[])[0]).toMatchObject({
      block_id: 'b3',
      value: JSON.stringify({ deployId: 'dep-2' }),
    });
  });
});

describe('slashCommand acks', () => {
  it('shows an in_channel ack to everyone, with the invocation', async () => {
    const fake = await startTestFake();
    const stub = await startStubApp(fake);
    stub.answers.push(json(200, { response_type: 'in_channel', text: 'payments: prod at abc1234' }));
    await fake.slashCommand({
      user: ALICE.id,
      channel: DEPLOYS,
      command: '/deploy-status',
      text: 'payments',
    });
    expect(fake.channelMessages(DEPLOYS).map((m) => [m.user, m.text])).toEqual([
      [ALICE.id, '/deploy-status payments'],
      [fake.botUserId, 'payments: prod at abc1234'],
    ]);
  });

  it('reports an ack Slack could not show, and replace_original on the command URL rewrites its last ephemeral', async () => {
    const fake = await startTestFake();
    const stub = await startStubApp(fake);
    stub.answers.push(json(200, { text: 'x', blocks: [SECTION('')] }));
    const bad = await fake.slashCommand({
      user: ALICE.id,
      channel: DEPLOYS,
      command: '/deploy-status',
      text: '',
    });
    expect(bad.problems?.[0]).toBe('invalid_blocks');
    expect(fake.ephemerals()).toEqual([]);
    const post = (body: JsonObject) =>
      fetch(bad.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post({ text: 'Working…' });
    await post({ replace_original: true, text: 'Done' });
    expect(fake.ephemerals({ user: ALICE.id }).map((e) => e.text)).toEqual(['Done']);
  });
});
