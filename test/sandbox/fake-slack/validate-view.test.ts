import { describe, expect, it } from 'vitest';
import { validateView } from '../../../sandbox/fake-slack/index.js';
import { SECTION } from './helpers.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const reasonInput = {
  type: 'input',
  block_id: 'reason_block',
  label: plain('Reason'),
  element: { type: 'plain_text_input', action_id: 'reason_input', multiline: true, max_length: 500 },
};
const modal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  callback_id: 'deploy_reason_modal',
  title: plain('Reject deploy'),
  submit: plain('Reject'),
  close: plain('Cancel'),
  blocks: [SECTION('Rejecting *dep-42*'), reasonInput],
  ...extra,
});

describe('validateView', () => {
  it('accepts the reject-reason modal', () => {
    expect(validateView(modal())).toEqual([]);
  });

  it('refuses title, submit and close over 24 characters (Slack cuts nothing, it refuses)', () => {
    expect(validateView(modal({ title: plain('t'.repeat(25)) }))).toEqual([
      'must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
    expect(validateView(modal({ submit: plain('s'.repeat(25)) }))).toEqual([
      'must be less than 25 characters [json-pointer:/view/submit/text]',
    ]);
    expect(validateView(modal({ close: plain('c'.repeat(25)) }))).toEqual([
      'must be less than 25 characters [json-pointer:/view/close/text]',
    ]);
    expect(validateView(modal({ title: plain('t'.repeat(24)) }))).toEqual([]);
  });

  it('refuses private_metadata over 3000 characters', () => {
    expect(validateView(modal({ private_metadata: 'm'.repeat(3001) }))).toEqual([
      'must be less than 3001 characters [json-pointer:/view/private_metadata]',
    ]);
  });

  it('refuses more than 100 blocks in a modal but allows more than a message does', () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => SECTION(`b${i}`));
    expect(validateView(modal({ blocks: blocks(100) }))).toEqual([]);
    expect(validateView(modal({ blocks: blocks(101) }))).toEqual([
      'no more than 100 items allowed [json-pointer:/view/blocks]',
    ]);
  });

  it('requires a title and, with input blocks, a submit button', () => {
    const { title: _t, ...noTitle } = modal();
    expect(validateView(noTitle)).toEqual(['missing required field: title [json-pointer:/view]']);
    const { submit: _s, ...noSubmit } = modal();
    expect(validateView(noSubmit)[0]).toContain('missing required field: submit');
  });

  it('checks the blocks inside the view with the message rules', () => {
    expect(validateView(modal({ blocks: [SECTION('')] }))).toEqual([
      'must be more than 0 characters [json-pointer:/view/blocks/0/text/text]',
    ]);
    expect(validateView(modal({ blocks: [{ ...reasonInput, label: plain('') }] }))[0]).toContain(
      '/view/blocks/0/label/text',
    );
  });
});
