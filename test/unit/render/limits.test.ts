import { describe, expect, it } from 'vitest';
import {
  buildMessage,
  button,
  confirmDialog,
  context,
  header,
  section,
} from '../../../src/render/block-kit.js';
import { joinCapped, truncate, truncateMrkdwn } from '../../../src/render/limits.js';
import { escapeMrkdwn, link, mentionUser } from '../../../src/render/mrkdwn.js';
import { checkBlockKitLimits } from './block-kit-limits.js';

describe('truncate', () => {
  it('keeps short text as is and cuts long text to exactly max with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('abcdefghij', 5)).toHaveLength(5);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncate('ab😀😀😀', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });
});

describe('truncateMrkdwn', () => {
  it('does not leave half an entity', () => {
    const text = `${'a'.repeat(8)}&amp;bbbb`;
    expect(truncateMrkdwn(text, 11)).toBe(`${'a'.repeat(8)}…`);
  });

  it('does not leave half a link or mention', () => {
    const text = `see <https://example.com/very/long|the link> now`;
    expect(truncateMrkdwn(text, 20)).toBe('see …');
    expect(truncateMrkdwn('hi <@U0ALICE> there', 9)).toBe('hi …');
  });
});

describe('joinCapped', () => {
  it('caps by item count and says how many were left out, including unfetched ones', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const joined = joinCapped(lines, { maxChars: 3000, maxItems: 10, hiddenExtra: 5 });
    expect(joined.split('\n')).toHaveLength(11);
    expect(joined.endsWith('_and 25 more_')).toBe(true);
  });

  it('caps by characters, leaving room for the "more" line', () => {
    const lines = Array.from({ length: 30 }, () => 'x'.repeat(100));
    const joined = joinCapped(lines, { maxChars: 500, maxItems: 30 });
    expect(joined.length).toBeLessThanOrEqual(500);
    expect(joined).toMatch(/_and 2\d more_$/);
  });
});

describe('mrkdwn helpers', () => {
  it('escapes the three control characters', () => {
    expect(escapeMrkdwn('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });

  it('links only to http(s) urls that cannot break out of the link', () => {
    expect(link('https://ok.example/x', 'label')).toBe('<https://ok.example/x|label>');
    expect(link('javascript:alert(1)', 'label')).toBe('label');
    expect(link('https://x.example/a|<!channel>', 'label')).toBe('label');
  });

  it('mentions only Slack user ids', () => {
    expect(mentionUser('U0ALICE')).toBe('<@U0ALICE>');
    expect(mentionUser('<!channel>')).toBe('&lt;!channel&gt;');
  });
});

describe('builders always fit', () => {
  it('cut every text to its limit', () => {
    const long = 'x'.repeat(10_000);
    const message = buildMessage(long, [
      header('h', long),
      section('s', long),
      context(
        'c',
        Array.from({ length: 20 }, () => long),
      ),
      {
        type: 'actions',
        block_id: 'a',
        elements: [
          button({
            actionId: 'act',
            text: long,
            value: 'id',
            confirm: confirmDialog({ title: long, text: long, confirm: long, deny: long }),
          }),
        ],
      },
    ]);
    expect(checkBlockKitLimits(message)).toEqual([]);
  });

  it('keep at most 50 blocks, the actions block included, and unique block ids', () => {
    const blocks = Array.from({ length: 80 }, () => section('same', 'x'));
    blocks.push({ type: 'section', block_id: 'tail', text: { type: 'mrkdwn', text: 'y' } });
    const message = buildMessage('t', [
      ...blocks,
      { type: 'actions', block_id: 'act', elements: [button({ actionId: 'a', text: 'A', value: '1' })] },
    ]);
    expect(message.blocks).toHaveLength(50);
    expect(message.blocks.at(-1)?.type).toBe('actions');
    expect(checkBlockKitLimits(message)).toEqual([]);
  });
});

describe('checkBlockKitLimits (the test helper) catches violations', () => {
  it('reports missing text, too many blocks, long sections, duplicate ids and incomplete confirms', () => {
    const violations = checkBlockKitLimits({
      text: '',
      blocks: [
        ...Array.from({ length: 51 }, (_, i) => ({ type: 'divider', block_id: `d${i}` })),
        { type: 'section', block_id: 'd0', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } },
        { type: 'header', text: { type: 'mrkdwn', text: 'x' } },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'a',
              text: { type: 'plain_text', text: 'x'.repeat(76) },
              value: 'v'.repeat(2001),
            },
            {
              type: 'button',
              action_id: 'a',
              text: { type: 'plain_text', text: 'ok' },
              confirm: { text: { type: 'plain_text', text: 'x' } },
            },
          ],
        },
        { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) },
        { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) },
      ],
    });
    const joined = violations.join('\n');
    for (const expected of [
      'text: missing fallback text',
      'blocks: 56 > 50',
      '3001 chars > 3000',
      'duplicate block_id d0',
      'must be plain_text',
      '76 chars > 75',
      'value > 2000',
      'duplicate action_id a',
      'confirm.title: missing text object',
      'context needs 1..10 elements',
      '11 fields',
    ]) {
      expect(joined).toContain(expected);
    }
  });
});
