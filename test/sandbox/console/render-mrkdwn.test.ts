import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDirectory } from '../../../sandbox/console/directory.js';
import { renderMrkdwn } from '../../../sandbox/console/render-mrkdwn.js';

const directory = createDirectory({
  users: [
    { id: 'U0ALICE', name: 'alice', realName: 'Alice Approver', email: 'a@example.com' },
    { id: 'U0DAVE', name: 'dave', realName: 'Dave Developer', email: 'd@example.com' },
  ],
  usergroups: [{ id: 'S0ONCALL', handle: 'oncall', users: [] }],
  channels: [{ id: 'C0DEPLOYS', name: 'deploys' }],
});
const render = (text: string, currentUser?: string) => renderMrkdwn(text, { directory, currentUser });

/** Every tag the renderer may emit; anything else in the output would be markup smuggled in by the text. */
const ALLOWED_TAGS = [
  /^<\/?(strong|em|del)>$/,
  /^<br>$/,
  /^<code class="mk-code">$/,
  /^<pre class="mk-pre">$/,
  /^<\/(code|pre|a|span)>$/,
  /^<span class="mk-quote">$/,
  /^<span class="mention( mention-me)?" data-kind="(user|group|special)">$/,
  /^<a href="(https?:\/\/|mailto:)[^"<>]*" target="_blank" rel="noopener noreferrer">$/,
  /^<a class="mention" href="\/\?channel=[^"<>]*">$/,
];

function strayMarkup(html: string): string[] {
  const tags = html.match(/<[^>]*>/g) ?? [];
  const bad = tags.filter((tag) => !ALLOWED_TAGS.some((allowed) => allowed.test(tag)));
  const text = html.replace(/<[^>]*>/g, '');
  if (/[<>"]/.test(text)) bad.push(`unescaped text: ${text}`);
  return bad;
}

describe('renderMrkdwn: formatting', () => {
  it('renders bold, italic, strike, code and pre', () => {
    expect(render('*Waiting for approval* to _sync_ ~old~ `abc1234`')).toBe(
      '<strong>Waiting for approval</strong> to <em>sync</em> <del>old</del> <code class="mk-code">abc1234</code>',
    );
    expect(render('```line 1\n*not bold*```')).toBe('<pre class="mk-pre">line 1\n*not bold*</pre>');
  });

  it('leaves markers inside words and code alone', () => {
    expect(render('deploy_approve_sync and 2*3*4')).toBe('deploy_approve_sync and 2*3*4');
    expect(render('`*x*` and `_y_`')).toBe(
      '<code class="mk-code">*x*</code> and <code class="mk-code">_y_</code>',
    );
  });

  it('turns newlines into breaks and > lines into quotes', () => {
    expect(render('*Approvals*\n0 of 1')).toBe('<strong>Approvals</strong><br>0 of 1');
    expect(render('&gt; quoted\nnot')).toBe('<span class="mk-quote">quoted</span><br>not');
  });

  it('unescapes Slack entities once and escapes for HTML', () => {
    expect(render('a &amp; b &lt;c&gt; &amp;lt;')).toBe('a &amp; b &lt;c&gt; &amp;lt;');
    expect(render('"quotes" and \'apostrophes\'')).toBe('&quot;quotes&quot; and &#39;apostrophes&#39;');
  });

  it('draws the emoji codes deploybot writes, as Slack does, and leaves others and code alone', () => {
    expect(render(':white_check_mark: *Deployed* · :x: `:x:` :custom_party: 12:30:45')).toBe(
      '✅ <strong>Deployed</strong> · ❌ <code class="mk-code">:x:</code> :custom_party: 12:30:45',
    );
  });
});

describe('renderMrkdwn: links, mentions, dates', () => {
  it('renders labelled and bare links, keeping & in the URL', () => {
    expect(render('<https://github.com/o/r/compare/a...b?x=1&amp;y=2|Compare on GitHub>')).toBe(
      '<a href="https://github.com/o/r/compare/a...b?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">Compare on GitHub</a>',
    );
    expect(render('see <https://example.com/x>')).toBe(
      'see <a href="https://example.com/x" target="_blank" rel="noopener noreferrer">https://example.com/x</a>',
    );
  });

  it('keeps bold around a link', () => {
    expect(render('*<https://e.com|98041a9>*')).toBe(
      '<strong><a href="https://e.com" target="_blank" rel="noopener noreferrer">98041a9</a></strong>',
    );
  });

  it('renders inline code inside a link label as code, not as its placeholder', () => {
    expect(render('<https://x.example/c/abc|`abc1234`>')).toBe(
      '<a href="https://x.example/c/abc" target="_blank" rel="noopener noreferrer"><code class="mk-code">abc1234</code></a>',
    );
    expect(render('*<https://e.com|`event-ingestion-prod` `98041a9`>*')).toBe(
      '<strong><a href="https://e.com" target="_blank" rel="noopener noreferrer"><code class="mk-code">event-ingestion-prod</code> <code class="mk-code">98041a9</code></a></strong>',
    );
    expect(render('<@U0ALICE|`alice`>')).toBe(
      '<span class="mention" data-kind="user">@<code class="mk-code">alice</code></span>',
    );
  });

  it('keeps backticks in a link target as text: markup never reaches an href', () => {
    const html = render('<https://e.com/`"onclick="x`|label> <https://e.com/`a`>');
    expect(html).toBe(
      '<a href="https://e.com/`&quot;onclick=&quot;x`" target="_blank" rel="noopener noreferrer">label</a> ' +
        '<a href="https://e.com/`a`" target="_blank" rel="noopener noreferrer">https://e.com/`a`</a>',
    );
    expect(strayMarkup(html)).toEqual([]);
  });

  it('never makes a javascript: or data: link', () => {
    expect(render('<javascript:alert(1)|click me>')).toBe('click me');
    expect(render('<data:text/html;base64,PHNjcmlwdD4=|x>')).toBe('x');
  });

  it('shows user, group and channel mentions by name, and highlights the current user', () => {
    expect(render('<@U0ALICE> or <!subteam^S0ONCALL>')).toBe(
      '<span class="mention" data-kind="user">@alice</span> or <span class="mention" data-kind="group">@oncall</span>',
    );
    expect(render('<@U0DAVE>', 'U0DAVE')).toBe(
      '<span class="mention mention-me" data-kind="user">@dave</span>',
    );
    expect(render('<@U0NOBODY> <!subteam^S0X|@release-team>')).toBe(
      '<span class="mention" data-kind="user">@U0NOBODY</span> <span class="mention" data-kind="group">@release-team</span>',
    );
    expect(render('<#C0DEPLOYS> <!here>')).toBe(
      '<a class="mention" href="/?channel=C0DEPLOYS">#deploys</a> <span class="mention" data-kind="special">@here</span>',
    );
  });

  it('shows a date by its fallback text', () => {
    expect(
      render('⌛ Expires <!date^1795753298^{date_short_pretty} {time}|2026-11-27T04:21:38Z> (in 1d)'),
    ).toBe('⌛ Expires 2026-11-27T04:21:38Z (in 1d)');
  });
});

describe('renderMrkdwn: hostile text stays text', () => {
  it('keeps a <script> commit message as text, escaped or not by the sender', () => {
    const escaped = render('Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(escaped).toBe('Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    const raw = render('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(raw).not.toMatch(/<script|<img/i);
    expect(raw).toContain('&lt;script&gt;');
  });

  it('cannot break out of an href or a label', () => {
    const html = render('<https://e.com/"onmouseover="alert(1)|a"b> <https://e.com|<b>>');
    expect(html).not.toContain('"onmouseover');
    expect(strayMarkup(html)).toEqual([]);
  });

  it('emits only its own tags for any input', () => {
    const pieces = fc.constantFrom(
      '<',
      '>',
      '&',
      '&lt;',
      '&gt;',
      '&amp;',
      '"',
      "'",
      '*',
      '_',
      '~',
      '`',
      '```',
      '|',
      '\n',
      ' ',
      'a',
      '<@U0ALICE>',
      '<!subteam^S0ONCALL',
      '<!date^1^x',
      '<#C0DEPLOYS',
      'https://e.com/',
      'javascript:',
      '<script>',
      'onerror=',
      '\uE000',
      '0',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        expect(strayMarkup(render(parts.join('')))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});
