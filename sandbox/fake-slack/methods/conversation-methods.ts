import { fail, ok } from '../api-result.js';
import { type MethodHandler, stringArg } from './method-context.js';

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

export const conversationMethods: Record<string, MethodHandler> = {
  'conversations.replies': replies,
  'reactions.add': reactionsAdd,
};
