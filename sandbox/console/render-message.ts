import type { EphemeralMessage, FakeSlackUser, JsonObject, SlackMessage } from '../fake-slack/index.js';
import { type ConsoleLocation, consoleHref, messageAnchor } from './console-href.js';
import type { ConsoleNotice } from './console-state.js';
import { escapeHtml } from './escape-html.js';
import { renderBlocks } from './render-blocks.js';
import { type MrkdwnOptions, renderMrkdwn } from './render-mrkdwn.js';

export interface MessageRenderContext extends MrkdwnOptions {
  users: FakeSlackUser[];
  location: ConsoleLocation;
  /** Thread panes do not link to themselves. */
  inThread?: boolean;
}

/** One row of a channel or thread: a stored message, the user's ephemeral, or a console notice. */
export type TimelineItem =
  | { kind: 'message'; message: SlackMessage }
  | { kind: 'ephemeral'; message: EphemeralMessage }
  | { kind: 'notice'; notice: ConsoleNotice };

const AVATAR_COLORS = ['#4a154b', '#1264a3', '#2eb67d', '#e01e5a', '#ecb22e', '#36c5f0', '#7c3085'];

function colorOf(id: string): string {
  let hash = 0;
  for (const c of id) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return AVATAR_COLORS[hash % AVATAR_COLORS.length] ?? '#4a154b';
}

function formatTime(ts: string): { short: string; iso: string } {
  const date = new Date(Number(ts.split('.')[0]) * 1000);
  if (Number.isNaN(date.getTime())) return { short: ts, iso: ts };
  const short = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return { short, iso: date.toISOString() };
}

interface Author {
  name: string;
  id: string;
  isApp: boolean;
}

function authorOf(message: SlackMessage, users: FakeSlackUser[]): Author {
  const id = message.user ?? message.bot_id ?? 'unknown';
  const user = users.find((u) => u.id === id);
  return {
    id,
    name: user?.realName || user?.name || id,
    isApp: Boolean(message.bot_id) || user?.isBot === true,
  };
}

function renderAvatar(author: Author): string {
  const initial = author.isApp ? '🤖' : escapeHtml(author.name.slice(0, 1).toUpperCase());
  return `<div class="avatar" style="background:${colorOf(author.id)}" aria-hidden="true">${initial}</div>`;
}

function renderHead(author: Author, ts: string, edited: boolean): string {
  const time = formatTime(ts);
  const badge = author.isApp ? '<span class="app-badge">APP</span>' : '';
  const editedMark = edited ? '<span class="edited">(edited)</span>' : '';
  return `<div class="msg-head"><span class="author">${escapeHtml(author.name)}</span>${badge}<time datetime="${time.iso}" title="${time.iso}">${time.short}</time>${editedMark}</div>`;
}

function renderAttachments(attachments: JsonObject[] | undefined, context: MessageRenderContext): string {
  if (!attachments?.length) return '';
  return attachments
    .map((a) => {
      const color = typeof a.color === 'string' && /^#?[0-9a-f]{3,8}$/i.test(a.color) ? a.color : '#ddd';
      const bar = color.startsWith('#') ? color : `#${color}`;
      const body = Array.isArray(a.blocks)
        ? renderBlocks(a.blocks, context)
        : renderMrkdwn(String(a.text ?? a.fallback ?? ''), context);
      return `<div class="attachment" style="border-left-color:${escapeHtml(bar)}">${body}</div>`;
    })
    .join('');
}

/** Blocks when the message has them (what Slack shows), else the top-level text. */
function renderMessageBody(
  content: { text: string; blocks?: JsonObject[]; attachments?: JsonObject[] },
  context: MessageRenderContext,
): string {
  const main =
    content.blocks && content.blocks.length > 0
      ? renderBlocks(content.blocks, context)
      : `<div class="msg-text">${renderMrkdwn(content.text, context)}</div>`;
  return `<div class="msg-body">${main}${renderAttachments(content.attachments, context)}</div>`;
}

function renderReactions(message: SlackMessage): string {
  if (!message.reactions?.length) return '';
  const chips = message.reactions
    .map((r) => `<span class="reaction">:${escapeHtml(r.name)}: ${r.count}</span>`)
    .join('');
  return `<div class="reactions">${chips}</div>`;
}

function renderReplies(message: SlackMessage, context: MessageRenderContext): string {
  if (context.inThread || !message.reply_count) return '';
  const href = consoleHref({ ...context.location, thread: message.ts });
  const label = `${message.reply_count} ${message.reply_count === 1 ? 'reply' : 'replies'}`;
  return `<a class="replies" href="${escapeHtml(href)}" data-thread-ts="${escapeHtml(message.ts)}">${label}</a>`;
}

function article(attributes: string, inner: string, extraClass = ''): string {
  return `<article class="msg${extraClass}" ${attributes}>${inner}</article>`;
}

function renderStored(message: SlackMessage, context: MessageRenderContext): string {
  const author = authorOf(message, context.users);
  const attributes = `id="${messageAnchor(message.ts)}" data-channel="${escapeHtml(context.location.channel)}" data-ts="${escapeHtml(message.ts)}"`;
  const inner = `${renderAvatar(author)}<div class="msg-main">${renderHead(author, message.ts, Boolean(message.edited))}${renderMessageBody(message, context)}${renderReactions(message)}${renderReplies(message, context)}</div>`;
  return article(attributes, inner, message.subtype === 'tombstone' ? ' msg-tombstone' : '');
}

const ONLY_YOU = '<div class="only-you">👁 Only visible to you</div>';

function renderEphemeral(message: EphemeralMessage, context: MessageRenderContext): string {
  // Ephemerals carry no author; in this workspace only the app posts them.
  const bot = context.users.find((u) => u.isBot);
  const author: Author = { id: bot?.id ?? 'app', name: bot?.realName || bot?.name || 'app', isApp: true };
  const attributes = `data-channel="${escapeHtml(message.channel)}" data-ts="${escapeHtml(message.ts)}" data-ephemeral="true"`;
  const inner = `${renderAvatar(author)}<div class="msg-main">${ONLY_YOU}${renderHead(author, message.ts, false)}${renderMessageBody(message, context)}</div>`;
  return article(attributes, inner, ' msg-ephemeral');
}

function renderNotice(notice: ConsoleNotice, context: MessageRenderContext): string {
  const author: Author = { id: 'USLACKBOT', name: 'Slackbot', isApp: false };
  const inner = `${renderAvatar(author)}<div class="msg-main">${ONLY_YOU}${renderHead(author, notice.ts, false)}<div class="msg-body"><div class="msg-text">${renderMrkdwn(notice.text, context)}</div></div></div>`;
  return article(`data-ts="${escapeHtml(notice.ts)}" data-notice="true"`, inner, ' msg-ephemeral msg-notice');
}

function tsOf(item: TimelineItem): string {
  return item.kind === 'notice' ? item.notice.ts : item.message.ts;
}

/** Slack ts strings have six-digit fractions, so padded strings sort like the numbers (doubles lose digits). */
export function sortTimeline(items: TimelineItem[]): TimelineItem[] {
  const key = (item: TimelineItem) => tsOf(item).padStart(20, '0');
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function renderTimelineItem(item: TimelineItem, context: MessageRenderContext): string {
  if (item.kind === 'message') return renderStored(item.message, context);
  if (item.kind === 'ephemeral') return renderEphemeral(item.message, context);
  return renderNotice(item.notice, context);
}
