import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;

export interface SlackMessageContent {
  text: string;
  blocks?: unknown[];
  /** Message metadata `{ event_type, event_payload }` (deploy cards). */
  metadata?: { event_type: string; event_payload: Record<string, string | number | boolean> };
}

/** Slack answered 429: the caller decides when to try again (card updates are coalesced, not queued blindly). */
export class SlackRateLimitedError extends Error {
  readonly code = 'slack_rate_limited';
  constructor(
    readonly retryAfterSec: number,
    options?: { cause?: unknown },
  ) {
    super(`Slack rate limited the call; retry after ${retryAfterSec}s`, options);
  }
}

export class SlackApiError extends Error {
  readonly code = 'slack_api_error';
  constructor(
    readonly slackError: string,
    options?: { cause?: unknown },
  ) {
    super(`Slack API error: ${slackError}`, options);
  }
}

/** The Slack port used by the domain workers; Bolt listeners keep their own client for acks and respond(). */
export interface SlackClient {
  postMessage(
    input: SlackMessageContent & { channel: string; threadTs?: string },
  ): Promise<{ channel: string; ts: string }>;
  updateMessage(input: SlackMessageContent & { channel: string; ts: string }): Promise<void>;
  postEphemeral(input: SlackMessageContent & { channel: string; user: string }): Promise<void>;
  /** The permalink of a top-level message (cards); undefined when Slack could not give one. */
  permalink(channel: string, ts: string): Promise<string | undefined>;
  openView(triggerId: string, view: unknown): Promise<void>;
  /** views.publish: the user's Home tab. */
  publishHome(userId: string, view: unknown): Promise<void>;
  groupMembers(groupId: string): Promise<string[]>;
  userEmail(userId: string): Promise<string | undefined>;
  /** The Slack user with this e-mail (`users.lookupByEmail`), undefined when there is none. */
  userIdByEmail(email: string): Promise<string | undefined>;
  /** The same lookup with what a DM needs to know: a bot or a deactivated account gets none. */
  userByEmail(email: string): Promise<SlackUserSummary | undefined>;
  /** Opens (or finds) the app's DM with a user (`conversations.open`, scope im:write); its channel id. */
  openDirectMessage(userId: string): Promise<string>;
}

export interface SlackUserSummary {
  id: string;
  isBot: boolean;
  deleted: boolean;
}

interface CacheEntry<T> {
  value: T;
  until: number;
}

function wrap(error: unknown): Error {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (e?.code === 'slack_webapi_rate_limited_error')
    return new SlackRateLimitedError(e.retryAfter ?? 1, { cause: error });
  if (e?.code === 'slack_webapi_platform_error')
    return new SlackApiError(e.data?.error ?? 'unknown_error', { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * How long a user group's member list is reused. It decides who may approve, so a member removed from
 * the group keeps that right for at most this long after Slack reports the removal (per replica, each
 * has its own cache); usergroups.users.list is Tier 2 (20+ a minute), so one call a minute per group
 * stays far inside it however many clicks come.
 */
export const GROUP_MEMBERS_TTL_MS = 60_000;

/** Permalinks never change: each message's is asked of Slack once per process (bounded, oldest out). */
const MAX_PERMALINKS = 5000;

export function createSlackClient(
  client: WebClient,
  {
    cacheTtlMs = 5 * 60_000,
    groupCacheTtlMs = GROUP_MEMBERS_TTL_MS,
    now = Date.now,
    onPermalinkError,
    workspaceUrl = () => undefined,
  }: {
    /**
     * The workspace's URL as auth.test gives it, once known: a card's permalink is then built as Slack
     * builds it (`<url>archives/<channel>/p<ts without the dot>`), without a chat.getPermalink call.
     */
    workspaceUrl?: () => string | undefined;
    cacheTtlMs?: number;
    groupCacheTtlMs?: number;
    now?: () => number;
    /** A permalink is decoration (the message goes out without it); its failure is reported here. */
    onPermalinkError?: (error: Error, channel: string, ts: string) => void;
  } = {},
): SlackClient {
  const permalinks = new Map<string, Promise<string | undefined>>();
  const groups = new Map<string, CacheEntry<string[]>>();
  const emails = new Map<string, CacheEntry<string | undefined>>();
  const usersByEmail = new Map<string, CacheEntry<SlackUserSummary | undefined>>();
  const lookupByEmail = async (email: string): Promise<SlackUserSummary | undefined> => {
    const key = email.toLowerCase();
    const hit = usersByEmail.get(key);
    if (hit && hit.until > now()) return hit.value;
    let user: SlackUserSummary | undefined;
    try {
      const found = (await call(() => client.users.lookupByEmail({ email }))).user;
      if (found?.id) user = { id: found.id, isBot: found.is_bot === true, deleted: found.deleted === true };
    } catch (error) {
      // An unknown address is an answer, not a failure: remember it like a hit.
      if (!(error instanceof SlackApiError && error.slackError === 'users_not_found')) throw error;
    }
    usersByEmail.set(key, { value: user, until: now() + cacheTtlMs });
    return user;
  };
  const call = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (error) {
      throw wrap(error);
    }
  };
  return {
    async postMessage({ channel, text, blocks, threadTs, metadata }) {
      const result = await call(() =>
        client.chat.postMessage({
          channel,
          text,
          ...(blocks ? { blocks: blocks as never } : {}),
          ...(metadata ? { metadata: metadata as never } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      return { channel: result.channel ?? channel, ts: result.ts ?? '' };
    },
    async updateMessage({ channel, ts, text, blocks, metadata }) {
      // Always send blocks with text: chat.update with text alone deletes the card's blocks.
      await call(() =>
        client.chat.update({
          channel,
          ts,
          text,
          blocks: (blocks ?? []) as never,
          ...(metadata ? { metadata: metadata as never } : {}),
        }),
      );
    },
    async postEphemeral({ channel, user, text, blocks }) {
      await call(() =>
        client.chat.postEphemeral({ channel, user, text, ...(blocks ? { blocks: blocks as never } : {}) }),
      );
    },
    permalink(channel, ts) {
      const key = `${channel}/${ts}`;
      const hit = permalinks.get(key);
      if (hit) return hit;
      const base = workspaceUrl();
      if (base && /^\d+\.\d+$/.test(ts))
        return Promise.resolve(`${base.replace(/\/?$/, '/')}archives/${channel}/p${ts.replace('.', '')}`);
      // Shared while in flight, so the card, its announcement and its GitHub Deployment ask once.
      const asked = call(() => client.chat.getPermalink({ channel, message_ts: ts })).then(
        (result) => result.permalink,
        (error: unknown) => {
          permalinks.delete(key);
          onPermalinkError?.(wrap(error), channel, ts);
          return undefined;
        },
      );
      if (permalinks.size >= MAX_PERMALINKS) {
        const oldest = permalinks.keys().next().value;
        if (oldest !== undefined) permalinks.delete(oldest);
      }
      permalinks.set(key, asked);
      return asked;
    },
    async openView(triggerId, view) {
      await call(() => client.views.open({ trigger_id: triggerId, view: view as never }));
    },
    async publishHome(userId, view) {
      await call(() => client.views.publish({ user_id: userId, view: view as never }));
    },
    async groupMembers(groupId) {
      const hit = groups.get(groupId);
      if (hit && hit.until > now()) return hit.value;
      const result = await call(() => client.usergroups.users.list({ usergroup: groupId }));
      const users = result.users ?? [];
      groups.set(groupId, { value: users, until: now() + groupCacheTtlMs });
      return users;
    },
    async userEmail(userId) {
      const hit = emails.get(userId);
      if (hit && hit.until > now()) return hit.value;
      const result = await call(() => client.users.info({ user: userId }));
      const email = result.user?.profile?.email;
      emails.set(userId, { value: email, until: now() + cacheTtlMs });
      return email;
    },
    async userIdByEmail(email) {
      return (await lookupByEmail(email))?.id;
    },
    userByEmail: lookupByEmail,
    async openDirectMessage(userId) {
      const result = await call(() => client.conversations.open({ users: userId }));
      const id = result.channel?.id;
      if (!id) throw new SlackApiError('channel_not_found');
      return id;
    },
  };
}
