import type { ConsoleLocation } from './console-href.js';
import { consoleHref } from './console-href.js';
import { type ConsoleModel, renderContextFor, visibleChannels } from './console-model.js';
import { escapeHtml } from './escape-html.js';
import { renderArgoCdApps } from './render-argocd.js';
import { renderTimelineItem, sortTimeline, type TimelineItem } from './render-message.js';
import { renderView } from './render-view.js';

/** The parts of a page that change live; the client swaps each one whose HTML (or key) changed. */
export interface Regions {
  channels: string;
  /** The Argo CD panel's rows; empty when the console has no `argocdApps`. */
  argocd: string;
  timeline: string;
  thread: string;
  modal: string;
  /** Changes only when a different view, version or error set is shown, so typing is not wiped by refreshes. */
  modalKey: string;
}

function renderChannels(model: ConsoleModel, location: ConsoleLocation): string {
  return visibleChannels(model, location.user)
    .map((c) => {
      const count = model.slack.channelMessages(c.id).length;
      const current = c.id === location.channel ? ' aria-current="page" class="current"' : '';
      const badge = count > 0 ? `<span class="count">${count}</span>` : '';
      const prefix = c.id.startsWith('D') ? '@' : '#';
      const href = consoleHref({ user: location.user, channel: c.id });
      return `<a href="${escapeHtml(href)}"${current} data-channel-name="${escapeHtml(c.name)}"><span class="hash">${prefix}</span>${escapeHtml(c.name)}${badge}</a>`;
    })
    .join('');
}

function renderTimeline(model: ConsoleModel, location: ConsoleLocation): string {
  const { slack, state } = model;
  const { channel, user } = location;
  const items: TimelineItem[] = [
    ...slack.channelMessages(channel).map((message) => ({ kind: 'message' as const, message })),
    ...slack
      .ephemerals({ channel, user })
      .filter((e) => e.thread_ts === undefined)
      .map((message) => ({ kind: 'ephemeral' as const, message })),
    ...state
      .notices({ channel, user })
      .filter((n) => n.threadTs === undefined)
      .map((notice) => ({ kind: 'notice' as const, notice })),
  ];
  if (items.length === 0) {
    return '<div class="empty">No messages yet. Use the scenario buttons on the left to make something happen.</div>';
  }
  const context = renderContextFor(model, location);
  return sortTimeline(items)
    .map((item) => renderTimelineItem(item, context))
    .join('');
}

function renderThread(model: ConsoleModel, location: ConsoleLocation): string {
  const { thread, channel, user } = location;
  if (!thread) return '';
  const { slack, state } = model;
  const [parent, ...replies] = slack.thread(channel, thread);
  const context = { ...renderContextFor(model, location), inThread: true };
  const closeHref = consoleHref({ user, channel });
  const head = `<header class="thread-head"><h2>Thread</h2><a class="thread-close" href="${escapeHtml(closeHref)}" aria-label="Close thread">×</a></header>`;
  if (!parent) return `${head}<div class="empty">This message is gone.</div>`;
  const items: TimelineItem[] = [
    ...replies.map((message) => ({ kind: 'message' as const, message })),
    ...slack
      .ephemerals({ channel, user })
      .filter((e) => e.thread_ts === thread)
      .map((message) => ({ kind: 'ephemeral' as const, message })),
    ...state
      .notices({ channel, user })
      .filter((n) => n.threadTs === thread)
      .map((notice) => ({ kind: 'notice' as const, notice })),
  ];
  const count = `<div class="thread-count">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>`;
  const body = sortTimeline(items)
    .map((item) => renderTimelineItem(item, context))
    .join('');
  return `${head}<div class="thread-body">${renderTimelineItem({ kind: 'message', message: parent }, context)}${count}${body}</div>`;
}

function renderModal(model: ConsoleModel, location: ConsoleLocation): { modal: string; modalKey: string } {
  const open = model.slack.views.filter(
    (v) => v.open && v.user === location.user && !model.state.isDismissed(v.id),
  );
  const top = open.at(-1);
  if (!top) return { modal: '', modalKey: '' };
  const form = model.state.form(top.id);
  const modalKey = `${top.id}:${top.view.hash}:${JSON.stringify(form?.errors ?? {})}`;
  return { modal: renderView(top, form, renderContextFor(model, location)), modalKey };
}

export function renderRegions(model: ConsoleModel, location: ConsoleLocation): Regions {
  return {
    channels: renderChannels(model, location),
    argocd: model.argocdApps ? renderArgoCdApps(model.argocdApps()) : '',
    timeline: renderTimeline(model, location),
    thread: renderThread(model, location),
    ...renderModal(model, location),
  };
}
