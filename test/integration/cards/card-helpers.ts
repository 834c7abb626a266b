import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallRecord, ChannelMessage, FakeSlack } from '../../../sandbox/fake-slack/index.js';
import type { World } from '../../../sandbox/world/start-world.js';

const EXAMPLES = fileURLToPath(new URL('../../contracts/argocd/notifications/', import.meta.url));

export type ExampleName =
  | 'on-out-of-sync'
  | 'on-sync-running'
  | 'on-deployed'
  | 'on-sync-failed'
  | 'on-sync-failed-terminated'
  | 'on-health-degraded';

/** A rendered body of our recommended notification templates (test/contracts/argocd/notifications). */
export function loadExample(name: ExampleName): Record<string, unknown> {
  return JSON.parse(readFileSync(`${EXAMPLES}example-${name}.json`, 'utf8')) as Record<string, unknown>;
}

/** The example body, re-pointed at another app/revision (what the templates would render for it). */
export function notificationFor(
  name: ExampleName,
  app: { name: string; project: string; revision: string },
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...loadExample(name), app: app.name, project: app.project, revision: app.revision, ...overrides };
}

/** POSTs a body to /argocd/events as argocd-notifications does: Bearer secret, JSON. */
export async function postNotification(
  botUrl: string,
  secret: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; body: { status?: string } }> {
  const response = await fetch(`${botUrl}/argocd/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
    body: JSON.stringify(body),
    signal,
  });
  return { status: response.status, body: (await response.json()) as { status?: string } };
}

/** Calls the fake Argo CD's API directly, as a human with the CLI or UI would (not through the bot). */
export async function callArgo(
  world: World,
  method: 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${world.argocd.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${world.argocd.token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export function syncInArgo(world: World, app: { name: string; project: string }, revision: string) {
  return callArgo(world, 'POST', `/api/v1/applications/${app.name}/sync`, {
    name: app.name,
    appNamespace: 'argocd',
    project: app.project,
    revision,
  });
}

export const messageText = (m: { text?: string; blocks?: unknown[] }): string =>
  `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`;

/** action_ids of the buttons a message shows. */
export function buttonsOf(m: { blocks?: unknown[] }): string[] {
  const ids: string[] = [];
  for (const block of (m.blocks ?? []) as { type?: string; elements?: { action_id?: string }[] }[])
    if (block.type === 'actions')
      for (const e of block.elements ?? []) if (e.action_id) ids.push(e.action_id);
  return ids;
}

/** Top-level messages (cards) of a channel that mention a revision. */
export function cardsFor(slack: FakeSlack, channel: string, sha: string): ChannelMessage[] {
  return slack.channelMessages(channel).filter((m) => messageText(m).includes(sha.slice(0, 7)));
}

/** chat.postMessage calls that posted a card (not a thread reply), optionally of one app and revision. */
export function cardPosts(
  slack: FakeSlack,
  filter: { channel?: string; app?: string; sha?: string; ok?: boolean } = {},
): CallRecord[] {
  return (
    slack
      .callsTo('chat.postMessage')
      .filter((c) => !c.args.thread_ts)
      .filter((c) => !filter.channel || c.args.channel === filter.channel)
      .filter((c) => !filter.app || String(c.args.text).startsWith(`${filter.app} `))
      // The fallback text names the card's own revision ("app a1b2c3d → prod ..."); blocks also list other commits.
      .filter((c) => !filter.sha || String(c.args.text).includes(filter.sha.slice(0, 7)))
      .filter((c) => filter.ok === undefined || (c.response.ok === true) === filter.ok)
  );
}

/** chat.update calls for one message. */
export function updatesOf(slack: FakeSlack, ts: string): CallRecord[] {
  return slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
