import { describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../../../sandbox/fake-slack/index.js';
import { deployCardBlocks, SECTION } from './helpers.js';

const button = (extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'go',
  text: { type: 'plain_text', text: 'Go' },
  ...extra,
});
const actions = (...elements: unknown[]) => [{ type: 'actions', block_id: 'a', elements }];
const plain = (text: string) => ({ type: 'plain_text', text });
const goodConfirm = {
  title: plain('Sure?'),
  text: plain('This syncs prod.'),
  confirm: plain('Yes'),
  deny: plain('No'),
};

/** The single problem a block list produces, so each test pins one rule. */
function onlyProblem(blocks: unknown): string {
  const problems = validateMessageBlocks(blocks);
  expect(problems).toHaveLength(1);
  return problems[0] ?? '';
}

describe('validateMessageBlocks', () => {
  it('accepts a real deploy card, confirm dialogs included', () => {
    const card = deployCardBlocks();
    const withConfirm = actions(button({ confirm: goodConfirm, style: 'primary' }));
    expect(validateMessageBlocks(card)).toEqual([]);
    expect(validateMessageBlocks(withConfirm)).toEqual([]);
  });

  it('refuses more than 50 blocks in a message', () => {
    const blocks = Array.from({ length: 51 }, (_, i) => SECTION(`line ${i}`));
    expect(onlyProblem(blocks)).toBe('no more than 50 items allowed [json-pointer:/blocks]');
    expect(validateMessageBlocks(blocks.slice(0, 50))).toEqual([]);
  });

  it('refuses section text over 3000 characters and empty section text', () => {
    expect(onlyProblem([SECTION('x'.repeat(3001))])).toBe(
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    );
    expect(validateMessageBlocks([SECTION('x'.repeat(3000))])).toEqual([]);
    expect(onlyProblem([SECTION('')])).toBe(
      'must be more than 0 characters [json-pointer:/blocks/0/text/text]',
    );
  });

  it('refuses more than 10 section fields and a field over 2000 characters', () => {
    const fields = (n: number, len = 5) =>
      Array.from({ length: n }, () => ({ type: 'mrkdwn', text: 'f'.repeat(len) }));
    expect(onlyProblem([{ type: 'section', fields: fields(11) }])).toBe(
      'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
    );
    expect(onlyProblem([{ type: 'section', fields: [...fields(1), ...fields(1, 2001)] }])).toBe(
      'must be less than 2001 characters [json-pointer:/blocks/0/fields/1/text]',
    );
  });

  it('refuses a header over 150 characters or in mrkdwn', () => {
    expect(onlyProblem([{ type: 'header', text: plain('h'.repeat(151)) }])).toBe(
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    );
    expect(onlyProblem([{ type: 'header', text: { type: 'mrkdwn', text: '*h*' } }])).toBe(
      'must be one of plain_text [json-pointer:/blocks/0/text/type]',
    );
  });

  it('enforces the button limits: text 75, value 2000, url 3000, style', () => {
    expect(onlyProblem(actions(button({ text: plain('b'.repeat(76)) })))).toContain(
      '/blocks/0/elements/0/text/text',
    );
    expect(onlyProblem(actions(button({ value: 'v'.repeat(2001) })))).toBe(
      'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    );
    expect(onlyProblem(actions(button({ url: `https://x/${'u'.repeat(3000)}` })))).toContain(
      '/elements/0/url',
    );
    expect(onlyProblem(actions(button({ style: 'warning' })))).toBe(
      'must be one of primary, danger [json-pointer:/blocks/0/elements/0/style]',
    );
  });

  it('refuses action_id and block_id over 255 characters', () => {
    expect(onlyProblem(actions(button({ action_id: 'a'.repeat(256) })))).toContain('/elements/0/action_id');
    expect(onlyProblem([{ ...SECTION('x'), block_id: 'b'.repeat(256) }])).toBe(
      'must be less than 256 characters [json-pointer:/blocks/0/block_id]',
    );
  });

  it('refuses a duplicate block_id in one message and a duplicate action_id in one block', () => {
    expect(onlyProblem([SECTION('a', 'same'), SECTION('b', 'same')])).toBe(
      'duplicate block_id: same [json-pointer:/blocks/1/block_id]',
    );
    expect(onlyProblem(actions(button(), button()))).toBe(
      'duplicate action_id: go [json-pointer:/blocks/0/elements/1/action_id]',
    );
  });

  it('refuses more than 25 elements in an actions block', () => {
    const elements = Array.from({ length: 26 }, (_, i) => button({ action_id: `b${i}` }));
    expect(onlyProblem(actions(...elements))).toBe(
      'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
    );
  });

  it('refuses a confirm object missing title, text, confirm or deny', () => {
    for (const missing of ['title', 'text', 'confirm', 'deny'] as const) {
      const { [missing]: _dropped, ...confirm } = goodConfirm;
      expect(onlyProblem(actions(button({ confirm })))).toBe(
        `missing required field: ${missing} [json-pointer:/blocks/0/elements/0/confirm]`,
      );
    }
  });

  it('refuses more than 10 context elements', () => {
    const elements = Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' }));
    expect(onlyProblem([{ type: 'context', elements }])).toBe(
      'no more than 10 items allowed [json-pointer:/blocks/0/elements]',
    );
  });

  it('refuses unknown block and element types (a typo is not rendered by Slack)', () => {
    expect(onlyProblem([{ type: 'sektion', text: plain('x') }])).toBe(
      'unsupported block type: sektion [json-pointer:/blocks/0/type]',
    );
    expect(onlyProblem(actions({ type: 'buton', text: plain('x') }))).toBe(
      'unsupported element type: buton [json-pointer:/blocks/0/elements/0/type]',
    );
  });
});
