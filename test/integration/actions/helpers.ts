import { expect } from 'vitest';
import {
  buildBlockActionsPayload,
  buildSignedHeaders,
  type ChannelMessage,
  encodePayloadBody,
  type JsonObject,
} from '../../../sandbox/fake-slack/index.js';
import { APP_ID, CHANNELS, TEAM_ID } from '../../../sandbox/world/seed.js';
import type { World } from '../../../sandbox/world/start-world.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import type { Card } from '../../../src/domain/card.js';
import type { StoredAuditEntry } from '../../../src/store/store.js';
import { eventually, type WorldWithBot } from '../../helpers/start-world-bot.js';

export const PROD_APP = 'event-ingestion-prod';
export const PROD = CHANNELS.prodDeploys.id;
export const DEPLOYS = CHANNELS.deploys.id;

export const textOf = (m: { text?: string; blocks?: unknown[] }) =>
  `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`;

interface Button {
  element: JsonObject;
  blockId: string;
}

export function buttonsOf(message: { blocks?: JsonObject[] }): Button[] {
  const found: Button[] = [];
  for (const block of message.blocks ?? []) {
    const candidates = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const element of candidates)
      if (element && typeof element === 'object' && (element as JsonObject).type === 'button')
        found.push({ element: element as JsonObject, blockId: String(block.block_id) });
  }
  return found;
}

export const actionIds = (message: { blocks?: JsonObject[] }) =>
  buttonsOf(message).map((b) => String(b.element.action_id));

/** The top-level card message of an app's revision in `channel` (a thread parent has thread_ts = ts). */
export function cardMessage(
  world: World,
  channel: string,
  sha: string,
  app = PROD_APP,
): ChannelMessage | undefined {
  return world.slack
    .channelMessages(channel)
    .find((m) => (!m.thread_ts || m.thread_ts === m.ts) && m.text.startsWith(`${app} ${sha.slice(0, 7)} `));
}

export function latest(world: World, channel: string, ts: string): ChannelMessage {
  const message = world.slack.channelMessages(channel).find((m) => m.ts === ts);
  if (!message) throw new Error(`no message ${ts} in ${channel}`);
  return message;
}

/** Waits for the card of `sha` to be posted with a given button (and, to approve, its changelog). */
export async function waitForCard(
  world: World,
  channel: string,
  sha: string,
  actionId = 'deploy_approve_sync',
  app = PROD_APP,
): Promise<ChannelMessage> {
  return eventually(
    () => {
      const card = cardMessage(world, channel, sha, app);
      // Approval cards are acted on once the changelog shows: until then self-approval cannot be checked.
      const ready =
        actionId !== 'deploy_approve_sync' || /\*Changelog\* \(\d+ commit/.test(textOf(card ?? {}));
      return card && ready && actionIds(card).includes(actionId) ? card : undefined;
    },
    { timeoutMs: 10_000 },
  );
}

export function cardIdOf(message: { blocks?: JsonObject[] }): string {
  const value = buttonsOf(message).find((b) => typeof b.element.value === 'string')?.element.value;
  if (typeof value !== 'string') throw new Error('the card shows no button with a card id');
  return value;
}

export async function storedCard(env: WorldWithBot, cardId: string): Promise<Card> {
  const card = await env.bot.bot.features.cards.repo.get(cardId);
  if (!card) throw new Error(`card ${cardId} is not stored`);
  return card;
}

export function threadText(world: World, channel: string, ts: string): string {
  return world.slack
    .thread(channel, ts)
    .filter((m) => m.ts !== ts)
    .map((m) => m.text)
    .join('\n');
}

/**
 * Decisions and refusals of an app as one story, oldest first. They are two logs (so refusals cannot
 * evict decisions); a refusal appears once per card, user, action and rule, with its `count`.
 */
async function appAudit(env: WorldWithBot, app: string): Promise<StoredAuditEntry[]> {
  const [decisions, denials] = await Promise.all([
    env.bot.store.readAudit({ app, limit: 500 }),
    env.bot.store.readDenials({ app, limit: 500 }),
  ]);
  return [...decisions, ...denials].sort((a, b) => b.at - a.at).reverse();
}

export async function auditOf(env: WorldWithBot, cardId: string): Promise<StoredAuditEntry[]> {
  return (await appAudit(env, PROD_APP)).filter((e) => e.cardId === cardId);
}

export async function auditFor(env: WorldWithBot, app: string, cardId: string) {
  return (await appAudit(env, app)).filter((e) => e.cardId === cardId);
}

export interface CraftedClick {
  user: string;
  channel: string;
  ts: string;
  actionId: string;
  /** Replaces the button's value (a forged or stale interaction). */
  value?: string;
  /**
   * The bot instance to send it to (`<url>/slack/events`) over HTTP. Over Socket Mode the fake Slack
   * hands the envelope to one of the open connections, as Slack does; no URL picks the replica there.
   */
  botUrl: string;
  /** Over Socket Mode: the replica's connection (`socketOpenedBy`); default whichever Slack picks. */
  connectionId?: string;
  /** The message as the clicking client shows it; default the message as it is now. */
  message?: ChannelMessage;
  /** The clicker's own workspace (`user.team_id`); another than the app's is a Slack Connect user. */
  userTeamId?: string;
}

/**
 * A block_actions payload built like Slack builds it (a stale or forged client), sent over the world's
 * transport: signed to any bot instance over HTTP, as an `interactive` envelope over Socket Mode. Users
 * need not exist in the fake workspace: the bot identifies them from the policy's `people`.
 */
export async function craftClick(world: World, click: CraftedClick): Promise<{ status: number }> {
  const message = click.message ?? latest(world, click.channel, click.ts);
  const { replies: _replies, ...plain } = message;
  const button = buttonsOf(message).find((b) => b.element.action_id === click.actionId);
  if (!button) throw new Error(`message ${click.ts} shows no ${click.actionId} button`);
  const element = click.value === undefined ? button.element : { ...button.element, value: click.value };
  const payload = buildBlockActionsPayload({
    workspace: {
      teamId: TEAM_ID,
      teamDomain: world.slack.teamDomain,
      appId: APP_ID,
      verificationToken: 'unused',
    },
    user: { id: click.user, name: click.user.toLowerCase() },
    channel: { id: click.channel, name: click.channel.toLowerCase() },
    message: plain,
    messageTs: click.ts,
    isEphemeral: false,
    element,
    blockId: button.blockId,
    triggerId: world.slack.issueTriggerId(click.user),
    responseUrl: world.slack.createResponseUrl({
      channel: click.channel,
      user: click.user,
      messageTs: click.ts,
    }),
    actionTs: (Date.now() / 1000).toFixed(6),
  });
  if (click.userTeamId) payload.user = { ...(payload.user as JsonObject), team_id: click.userTeamId };
  if (world.slackTransport === 'socket') {
    const delivered = await world.slack.socket.deliver('interactive', payload, {
      waitForConnectionMs: 15_000,
    });
    return { status: delivered.status };
  }
  const body = encodePayloadBody(payload);
  const response = await fetch(`${click.botUrl}/slack/events`, {
    method: 'POST',
    headers: buildSignedHeaders(WORLD_SECRETS.SLACK_SIGNING_SECRET, body),
    body,
  });
  await response.text();
  return { status: response.status };
}

/**
 * Starts a replica and, over Socket Mode, waits for the connection it opened: the way to send a press
 * to that replica and no other (over HTTP its URL does that, and the id is undefined).
 */
export async function socketOpenedBy<T>(
  world: World,
  start: () => Promise<T>,
): Promise<{ started: T; connectionId: string | undefined }> {
  const before = new Set(world.slack.socket.allConnections.map((c) => c.id));
  const started = await start();
  if (world.slackTransport !== 'socket') return { started, connectionId: undefined };
  const opened = await eventually(() =>
    world.slack.socket.connections.find((c) => c.open && !before.has(c.id)),
  );
  return { started, connectionId: opened.id };
}

/** The ephemeral answers a user got through response_url. */
export function ephemeralTexts(world: World, user: string): string[] {
  return world.slack
    .ephemerals({ user })
    .filter((e) => e.source === 'response_url')
    .map((e) => e.text);
}

/** Nothing reached Argo CD that changes an application. */
export function argoWrites(world: World): { method: string; path: string }[] {
  return world.argocd.requests
    .filter((r) => r.method !== 'GET')
    .map((r) => ({ method: r.method, path: r.path }));
}

export function expectNoArgoWrites(world: World): void {
  expect(argoWrites(world)).toEqual([]);
}

/** Policy YAML of the world with one line replaced; fails loudly if the line is not there. */
export function editPolicy(yaml: string, from: string, to: string): string {
  if (!yaml.includes(from)) throw new Error(`policy has no "${from}"`);
  return yaml.replace(from, to);
}
