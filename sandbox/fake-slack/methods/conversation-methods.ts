import { fail, ok } from '../api-result.js';
import { booleanArg, type MethodHandler, stringArg } from './method-context.js';

const MAX_LIMIT = 1000;
const EMOJI_NAME = /^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/;

function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

function decodeCursor(cursor: string): string | undefined {
  const match = /^next_ts:(\d+\.\d{6})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match?.[1];
}

const replies: MethodHandler = (args, ctx) => {
  const channel = stringArg(args, 'channel') ?? '';
  if (!ctx.messages.channelById(channel)) return fail('channel_not_found');
  const thread = ctx.messages.thread(channel, stringArg(args, 'ts') ?? '');
  if (thread.length === 0) return fail('thread_not_found');
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number(args.limit ?? MAX_LIMIT) || MAX_LIMIT));
  const cursor = stringArg(args, 'cursor');
  let start = 0;
  if (cursor !== undefined) {
    const fromTs = decodeCursor(cursor);
    start = fromTs === undefined ? -1 : thread.findIndex((m) => m.ts === fromTs);
    if (start < 0) return fail('invalid_cursor');
  }
  const page = thread.slice(start, start + limit);
  const next = thread[start + limit];
  return ok({
    messages: page,
    has_more: next !== undefined,
    response_metadata: { next_cursor: next ? encodeCursor(next.ts) : '' },
  });
};

const reactionsAdd: MethodHandler = (args, ctx) => {
  const channel = stringArg(args, 'channel') ?? '';
  if (!ctx.messages.channelById(channel)) return fail('channel_not_found');
  const timestamp = stringArg(args, 'timestamp') ?? '';
  if (!/^\d+\.\d{6}$/.test(timestamp)) return fail('bad_timestamp');
  if (!ctx.messages.find(channel, timestamp)) return fail('message_not_found');
  const name = stringArg(args, 'name') ?? '';
  // `:white_check_mark:` with colons is a classic mistake; Slack wants the bare name.
  if (!EMOJI_NAME.test(name)) return fail('invalid_name');
  const result = ctx.messages.addReaction(channel, timestamp, name, ctx.config.botUserId);
  return result === 'ok' ? ok() : fail('already_reacted');
};

/**
 * conversations.open as Slack answers a bot token: `users` (one id: the app's DM with that user; several:
 * a group DM, which this fake does not play) or `channel` (an existing DM). Unknown users are
 * `user_not_found`, deactivated ones `user_disabled`; no user at all `users_list_not_supplied` (the error
 * names of the Web API spec's conversations.open).
 */
const open: MethodHandler = (args, ctx) => {
  const channelArg = stringArg(args, 'channel');
  const usersArg = stringArg(args, 'users');
  const full = booleanArg(args, 'return_im');
  if (channelArg !== undefined) {
    const channel = ctx.messages.channelById(channelArg);
    if (!channel?.id.startsWith('D')) return fail('channel_not_found');
    return ok({ no_op: true, already_open: true, channel: imObject(channel.id, channel.members?.[0], full) });
  }
  if (usersArg === undefined) return fail('users_list_not_supplied');
  const ids = usersArg.split(',').map((u) => u.trim());
  if (ids.some((id) => id === '')) return fail('invalid_array_arg');
  if (ids.length > 8) return fail('too_many_users');
  if (ids.length > 1) return fail('method_not_supported_for_channel_type');
  const user = ctx.config.users.find((u) => u.id === ids[0]);
  if (!user) return fail('user_not_found');
  if (user.deleted) return fail('user_disabled');
  const { channel, created } = ctx.messages.openDm(user.id);
  return ok({
    ...(created ? {} : { no_op: true, already_open: true }),
    channel: imObject(channel.id, user.id, full),
  });
};

function imObject(id: string, user: string | undefined, full: boolean) {
  if (!full) return { id };
  return {
    id,
    created: 1767225600,
    is_im: true,
    is_org_shared: false,
    user,
    is_user_deleted: false,
    priority: 0,
  };
}

export const conversationMethods: Record<string, MethodHandler> = {
  'conversations.open': open,
  'conversations.replies': replies,
  'reactions.add': reactionsAdd,
};
