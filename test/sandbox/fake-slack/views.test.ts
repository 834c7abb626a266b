import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALICE, callError, createClient, startTestFake } from './helpers.js';

const example = JSON.parse(
  readFileSync(new URL('./fixtures/example-view-submission.json', import.meta.url), 'utf8'),
) as { view: Record<string, unknown> & { blocks: Record<string, unknown>[] } };

/** What the bot sends: the example modal without Slack's own fields and defaults. */
function reasonModal(): Record<string, unknown> {
  const plain = (text: string) => ({ type: 'plain_text', text });
  return {
    type: 'modal',
    callback_id: 'deploy_reason_modal',
    private_metadata: example.view.private_metadata,
    title: plain('Reject deploy'),
    close: plain('Cancel'),
    submit: plain('Reject'),
    blocks: [
      {
        type: 'section',
        block_id: 'reason_context',
        text: { type: 'mrkdwn', text: 'Rejecting *dep-42* (payments `abc1234` to prod).' },
      },
      {
        type: 'input',
        block_id: 'reason_block',
        label: plain('Reason'),
        element: {
          type: 'plain_text_input',
          action_id: 'reason_input',
          multiline: true,
          max_length: 500,
          placeholder: plain('Why is this deploy rejected?'),
        },
      },
    ],
  };
}

function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('views.open', () => {
  it('opens the modal for the trigger owner and stores it in the shape Slack returns', async () => {
    const fake = await startTestFake();
    const trigger = fake.issueTriggerId(ALICE.id);
    const result = await createClient(fake).views.open({ trigger_id: trigger, view: reasonModal() as never });
    expect(result.view?.id).toMatch(/^V[A-Z0-9]{10}$/);
    expect(result.view?.hash).toMatch(/^\d{10}\.\w{8}$/);
    const [stored] = fake.views;
    expect(stored).toMatchObject({ id: result.view?.id, user: ALICE.id, open: true });
    expect(stored?.view.root_view_id).toBe(stored?.id);
    expect(stored?.view.state).toEqual({ values: {} });
    // Same fields, same defaults (emoji, verbatim, optional, dispatch_action), same key order as Slack's.
    const strip = ({ id: _i, hash: _h, root_view_id: _r, state: _s, ...rest }: Record<string, unknown>) =>
      rest;
    expect(JSON.stringify(strip({ ...stored?.view }))).toBe(JSON.stringify(strip(example.view)));
  });

  it('answers expired_trigger_id after 3 s: views.open must come before slow work', async () => {
    const clock = manualClock();
    const fake = await startTestFake({ now: clock.now });
    const trigger = fake.issueTriggerId(ALICE.id);
    clock.advance(3001);
    const error = await callError(
      createClient(fake).views.open({ trigger_id: trigger, view: reasonModal() as never }),
    );
    expect(error.data?.error).toBe('expired_trigger_id');
    const fresh = fake.issueTriggerId(ALICE.id);
    clock.advance(3000);
    expect(
      (await createClient(fake).views.open({ trigger_id: fresh, view: reasonModal() as never })).ok,
    ).toBe(true);
  });

  it('answers exchanged_trigger_id on the second use and invalid_trigger_id for a made-up one', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const trigger = fake.issueTriggerId(ALICE.id);
    await client.views.open({ trigger_id: trigger, view: reasonModal() as never });
    const again = await callError(client.views.open({ trigger_id: trigger, view: reasonModal() as never }));
    expect(again.data?.error).toBe('exchanged_trigger_id');
    const madeUp = await callError(
      client.views.open({ trigger_id: '123.456.abc', view: reasonModal() as never }),
    );
    expect(madeUp.data?.error).toBe('invalid_trigger_id');
    expect(fake.views).toHaveLength(1);
  });

  it('refuses an invalid view with invalid_arguments and the rule, keeping the trigger usable', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const trigger = fake.issueTriggerId(ALICE.id);
    const tooLong = {
      ...reasonModal(),
      title: { type: 'plain_text', text: 'Reject deploy dep-42 of payments' },
    };
    const error = await callError(client.views.open({ trigger_id: trigger, view: tooLong as never }));
    expect(error.data?.error).toBe('invalid_arguments');
    expect(error.data?.response_metadata).toEqual({
      messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
    });
    expect((await client.views.open({ trigger_id: trigger, view: reasonModal() as never })).ok).toBe(true);
  });
});

describe('views.update', () => {
  it('replaces the view in place with a new hash, and answers hash_conflict for a stale hash', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const opened = await client.views.open({
      trigger_id: fake.issueTriggerId(ALICE.id),
      view: reasonModal() as never,
    });
    const viewId = opened.view?.id ?? '';
    const staleHash = opened.view?.hash ?? '';
    const next = { ...reasonModal(), title: { type: 'plain_text', text: 'Rejected' }, blocks: [] };
    const updated = await client.views.update({ view_id: viewId, hash: staleHash, view: next as never });
    expect(updated.view?.id).toBe(viewId);
    expect(updated.view?.hash).not.toBe(staleHash);
    expect(fake.views[0]?.view.title).toEqual({ type: 'plain_text', text: 'Rejected', emoji: true });
    const conflict = await callError(
      client.views.update({ view_id: viewId, hash: staleHash, view: next as never }),
    );
    expect(conflict.data?.error).toBe('hash_conflict');
  });

  it('answers not_found for an unknown view and finds one by external_id', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const error = await callError(client.views.update({ view_id: 'V0NOPE', view: reasonModal() as never }));
    expect(error.data?.error).toBe('not_found');
    const withExternal = { ...reasonModal(), external_id: 'reject:dep-42' };
    await client.views.open({ trigger_id: fake.issueTriggerId(ALICE.id), view: withExternal as never });
    const updated = await client.views.update({ external_id: 'reject:dep-42', view: withExternal as never });
    expect(updated.view?.id).toBe(fake.views[0]?.id);
  });
});
