import type { Directory } from './directory.js';
import { renderEmojiCodes } from './emoji.js';
import { escapeHtml, safeUrl, unescapeSlack } from './escape-html.js';

export interface MrkdwnOptions {
  directory: Directory;
  /** Mentions of this user are highlighted, as Slack does. */
  currentUser?: string;
}

/**
 * Rendered pieces are parked in slots (indexes between private-use U+E000 marks) so that the emphasis pass, which works on
 * escaped text, can never see or break their HTML. A slot may hold others (code inside a link's label), so restoring
 * recurses; a slot only ever names earlier ones, which ends the recursion.
 */
class Slots {
  private readonly parts: { html: string; source: string }[] = [];

  hold(html: string, source: string): string {
    this.parts.push({ html, source });
    return `\uE000${this.parts.length - 1}\uE000`;
  }

  restore(text: string): string {
    return text.replace(SLOT, (_, index: string) => this.restore(this.parts[Number(index)]?.html ?? ''));
  }

  /** The text as written, for places where markup must not go (a link's URL, an id). */
  source(text: string): string {
    return text.replace(SLOT, (_, index: string) => this.source(this.parts[Number(index)]?.source ?? ''));
  }
}

const SLOT = /\uE000(\d+)\uE000/g;

function link(href: string, labelHtml: string): string {
  const url = safeUrl(unescapeSlack(href));
  if (!url) return labelHtml;
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${labelHtml}</a>`;
}

function mention(kind: string, name: string, highlight = false): string {
  const cls = highlight ? 'mention mention-me' : 'mention';
  return `<span class="${cls}" data-kind="${kind}">${escapeHtml(name)}</span>`;
}

/** `<…>` sequences: links, user/group/channel mentions, special mentions and dates. */
function renderAngle(inner: string, options: MrkdwnOptions, slots: Slots): string {
  const bar = inner.indexOf('|');
  // Code spans were parked before links were seen: a label keeps them, the target gets its text back.
  const target = slots.source(bar === -1 ? inner : inner.slice(0, bar));
  const label = bar === -1 ? undefined : unescapeSlack(inner.slice(bar + 1));
  const { directory } = options;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = label ?? directory.userName(id) ?? id;
    return mention('user', `@${name.replace(/^@/, '')}`, id === options.currentUser);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = label ?? directory.channelName(id) ?? id;
    return `<a class="mention" href="/?channel=${encodeURIComponent(id)}">#${escapeHtml(name)}</a>`;
  }
  if (target.startsWith('!subteam^')) {
    const id = target.slice('!subteam^'.length);
    const name = label ?? directory.groupHandle(id) ?? id;
    return mention('group', `@${name.replace(/^@/, '')}`);
  }
  if (target.startsWith('!date^')) {
    return escapeHtml(label ?? target.split('^')[1] ?? '');
  }
  if (/^!(here|channel|everyone)$/.test(target)) return mention('special', `@${target.slice(1)}`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    const text = escapeHtml(label ?? unescapeSlack(target));
    return link(target, text);
  }
  // Not a Slack control sequence: show it as the text it is.
  return escapeHtml(`<${unescapeSlack(inner)}>`);
}

// The emphasis pass runs on escaped text: quotes arrive as `&quot;`/`&#39;`, hence `;` before and `&` after.
const OPEN = String.raw`(^|[\s(\[{;>\uE000])`;
const CLOSE = String.raw`(?=$|[\s)\]}.,;:!?&<\uE000-])`;

function emphasis(marker: string, tag: string): [RegExp, string] {
  const m = `\\${marker}`;
  return [new RegExp(`${OPEN}${m}(?=[^\\s${m}])([^${m}\\n]*?[^\\s${m}])${m}${CLOSE}`, 'g'), tag];
}

const EMPHASIS: [RegExp, string][] = [emphasis('*', 'strong'), emphasis('_', 'em'), emphasis('~', 'del')];

function applyEmphasis(html: string): string {
  let out = html;
  for (const [pattern, tag] of EMPHASIS) {
    out = out.replace(pattern, (_, before: string, body: string) => `${before}<${tag}>${body}</${tag}>`);
  }
  return out;
}

function applyQuotes(html: string): string {
  return html
    .split('\n')
    .map((line) =>
      line.startsWith('&gt;') ? `<span class="mk-quote">${line.slice(4).trimStart()}</span>` : line,
    )
    .join('\n');
}

/** Slack mrkdwn → safe HTML: the text arrives Slack-escaped (&amp; &lt; &gt;) and leaves HTML-escaped. */
export function renderMrkdwn(text: string, options: MrkdwnOptions): string {
  const slots = new Slots();
  let s = text.replace(/\uE000/g, '');
  s = s.replace(/```\n?([\s\S]*?)```/g, (whole: string, body: string) =>
    slots.hold(`<pre class="mk-pre">${escapeHtml(unescapeSlack(body))}</pre>`, whole),
  );
  s = s.replace(/`([^`\n]+)`/g, (whole: string, body: string) =>
    slots.hold(`<code class="mk-code">${escapeHtml(unescapeSlack(body))}</code>`, whole),
  );
  s = s.replace(/<([^<>\n]+)>/g, (whole: string, inner: string) =>
    slots.hold(renderAngle(inner, options, slots), whole),
  );
  // After code spans and links are parked: `:x:` inside code stays as written, as in Slack.
  s = renderEmojiCodes(escapeHtml(unescapeSlack(s)));
  s = applyQuotes(applyEmphasis(s)).replace(/\n/g, '<br>');
  return slots.restore(s);
}

/** plain_text objects are shown as typed; only HTML escaping applies. */
export function renderPlainText(text: string): string {
  return escapeHtml(text).replace(/\n/g, '<br>');
}
