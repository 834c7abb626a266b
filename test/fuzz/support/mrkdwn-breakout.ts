import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Text from Git, GitHub, Argo CD and users, at its most hostile. The ids are sentinels nothing of ours
 * ever renders, so finding one raw in the output means outside text broke out of its escaping.
 */
const HOSTILE_PIECES = [
  '<!channel>',
  '<!here|here>',
  '<@U0EVIL0001>',
  '<#C0EVIL0001>',
  '<!subteam^S0EVIL0001>',
  '<https://evil.example|x>',
  '<mailto:evil@example.com|mail>',
  '&lt;!everyone&gt;',
  '&amp;',
  '&',
  '>',
  '<',
  '|',
  '*bold*',
  '`tick`',
  '\n',
  '<'.repeat(4096),
];
export const hostile = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 20 })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => parts.join(''));

/** The control sequences we render ourselves: real mentions, date tokens, the policy's groups, links. */
const OUR_TOKENS =
  /<(?:@U0[A-Z0-9]+|!date\^\d+\^[^|<>]*\|[^<>]*|!subteam\^S0ONCALL|https?:\/\/[^\s<>|]+(?:\|[^<>]*)?)>/g;

/** Every mrkdwn text and the fallback text of a message or view, as Slack would parse them. */
function mrkdwnTexts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) mrkdwnTexts(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
    for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') mrkdwnTexts(v, out);
  }
  return out;
}

export function expectNoBreakout(message: { text?: string; blocks: unknown[] }): void {
  for (const text of [message.text ?? '', ...mrkdwnTexts(message.blocks)]) {
    // Our own token shapes must not be how a hostile one got through.
    expect(text).not.toMatch(/<@U0EVIL|<https?:\/\/evil|<mailto|&lt;!everyone&gt;/);
    // Our own syntax: a `> ` quote at the start of a line.
    const rest = text.replace(OUR_TOKENS, '').replace(/(^|\n)> /g, '$1');
    expect(rest, text.slice(0, 300)).not.toMatch(/[<>]/);
    // An & that is not one of Slack's three escapes would let `&lt;` arrive pre-escaped.
    expect(rest).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }
}
