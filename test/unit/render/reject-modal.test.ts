import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { renderDenial, renderTryAgain } from '../../../src/render/ephemeral.js';
import { REJECT_REASON_BLOCK, REJECT_REASON_INPUT, VIEW_IDS } from '../../../src/render/ids.js';
import { parseRejectModalMetadata, renderRejectModal } from '../../../src/render/reject-modal.js';
import { checkBlockKitLimits, checkModalLimits } from './block-kit-limits.js';

const INPUT = {
  cardId: 'card_event-ingestion-prod_a1b2c3d',
  app: 'event-ingestion-prod',
  environment: 'prod',
  shortSha: 'a1b2c3d',
  channel: 'C0PRODDEPLOYS',
  messageTs: '1700000000.000100',
};

describe('renderRejectModal', () => {
  const view = renderRejectModal(INPUT);

  it('fits the modal limits', () => {
    expect(checkModalLimits({ ...view })).toEqual([]);
    expect(view.title.text).toBe('Reject deploy');
    expect(view.submit.text).toBe('Reject');
    expect(view.close.text).toBe('Cancel');
  });

  it('asks for a required multiline reason of at most 500 characters under the shared ids', () => {
    expect(view.callback_id).toBe(VIEW_IDS.rejectReason);
    const input = view.blocks.find((b) => b.type === 'input');
    expect(input?.type === 'input' && input.block_id).toBe(REJECT_REASON_BLOCK);
    if (input?.type !== 'input') throw new Error('no input block');
    expect(input.optional).toBe(false);
    expect(input.element).toMatchObject({
      type: 'plain_text_input',
      action_id: REJECT_REASON_INPUT,
      multiline: true,
      max_length: 500,
    });
  });

  it('carries only the card id, channel and ts, and reads them back', () => {
    expect(JSON.parse(view.private_metadata)).toEqual({
      cardId: INPUT.cardId,
      channel: INPUT.channel,
      messageTs: INPUT.messageTs,
    });
    expect(parseRejectModalMetadata(view.private_metadata)).toEqual({
      cardId: INPUT.cardId,
      channel: INPUT.channel,
      messageTs: INPUT.messageTs,
    });
  });

  it('refuses metadata it did not write', () => {
    expect(parseRejectModalMetadata('not json')).toBeUndefined();
    expect(parseRejectModalMetadata('{"cardId":1,"channel":"C","messageTs":"1"}')).toBeUndefined();
    expect(parseRejectModalMetadata('{"cardId":"","channel":"C","messageTs":"1"}')).toBeUndefined();
    expect(parseRejectModalMetadata('null')).toBeUndefined();
  });

  it('escapes the app name and still fits with huge inputs', () => {
    const hostile = renderRejectModal({
      ...INPUT,
      app: `<!channel>${'x'.repeat(5000)}`,
      environment: 'e'.repeat(5000),
    });
    expect(JSON.stringify(hostile.blocks)).not.toContain('<!channel>');
    expect(checkModalLimits({ ...hostile })).toEqual([]);
  });

  it('throws instead of sending metadata Slack would reject', () => {
    expect(() => renderRejectModal({ ...INPUT, cardId: 'c'.repeat(3000) })).toThrow(RangeError);
  });

  it("is a view Slack's types accept", () => {
    const typed: types.ModalView = view;
    expect(typed.type).toBe('modal');
  });
});

describe('ephemeral answers', () => {
  it("renderDenial names the rule, says nothing happened and keeps the policy engine's mentions", () => {
    const message = renderDenial('Only the prod approvers (<@U0ALICE> or <!subteam^S0ONCALL>) may approve.');
    expect(message.text).toBe(
      '⛔ Not allowed: Only the prod approvers (<@U0ALICE> or <!subteam^S0ONCALL>) may approve. Nothing was done.',
    );
    expect(checkBlockKitLimits(message)).toEqual([]);
  });

  it('renderTryAgain tells the user nothing ran and to try again', () => {
    const message = renderTryAgain({ action: 'Approve & Sync', reason: 'the state store is unreachable' });
    expect(message.text).toBe(
      '⚠️ deploybot could not record *Approve &amp; Sync* right now (the state store is unreachable). Nothing was done and nothing will run later; please try again in a minute.',
    );
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(renderTryAgain().text).toContain('could not record your request right now');
  });
});
