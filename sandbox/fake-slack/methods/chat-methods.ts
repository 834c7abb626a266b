import { type ApiResult, fail, ok } from '../api-result.js';
import { checkMessageContent, checkMetadata, withMissingTextWarning } from '../message-content.js';
import type { SlackMessage } from '../types.js';
import { type MethodContext, type MethodHandler, stringArg } from './method-context.js';

function botAuthor(ctx: MethodContext) {
  return {
    user: ctx.config.botUserId,
    botId: ctx.config.botId,
    appId: ctx.config.appId,
    team: ctx.config.teamId,
  };
}

function finish(result: ApiResult, missingTextFallback: boolean): ApiResult {
  return missingTextFallback ? withMissingTextWarning(result) : result;
}

function buildPermalink(baseUrl: string, channel: string, message: SlackMessage): string {
  const link = `${baseUrl}/archives/${channel}/p${message.ts.replace('.', '')}`;
  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  return isReply ? `${link}?thread_ts=${message.thread_ts}&cid=${channel}` : link;
}

const postMessage: MethodHandler = (args, ctx) => {
  const channel = ctx.messages.resolvePostTarget(stringArg(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const checked = checkMessageContent(args);
  if (!checked.ok) return checked.result;
  const meta = checkMetadata(args);
  if (!meta.ok) return meta.result;
  const threadTs = stringArg(args, 'thread_ts');
  // Slack would quietly post a bogus thread_ts at top level; failing shows the bot lost its thread.
  if (threadTs !== undefined && !ctx.messages.threadParent(channel.id, threadTs))
    return fail('thread_not_found');
  const content = { ...checked.content, metadata: meta.metadata };
  const message = ctx.messages.post(channel.id, ctx.nextTs(), content, botAuthor(ctx), threadTs);
  return finish(ok({ channel: channel.id, ts: message.ts, message }), checked.missingTextFallback);
};

const update: MethodHandler = (args, ctx) => {
  const channelId = stringArg(args, 'channel') ?? '';
  // chat.update takes only the channel ID that chat.postMessage returned, never a name.
  if (!ctx.messages.channelById(channelId)) return fail('channel_not_found');
  const ts = stringArg(args, 'ts') ?? '';
  const current = ctx.messages.find(channelId, ts);
  if (!current) return fail('message_not_found');
  if (current.bot_id !== ctx.config.botId || current.user !== ctx.config.botUserId) {
    return fail('cant_update_message');
  }
  const checked = checkMessageContent(args);
  if (!checked.ok) return checked.result;
  const meta = checkMetadata(args);
  if (!meta.ok) return meta.result;
  const edited = { user: ctx.config.botUserId, ts: ctx.nextTs() };
  const message = ctx.messages.update(channelId, ts, { ...checked.content, metadata: meta.metadata }, edited);
  return finish(ok({ channel: channelId, ts, text: message.text, message }), checked.missingTextFallback);
};

const postEphemeral: MethodHandler = (args, ctx) => {
  const channel = ctx.messages.resolvePostTarget(stringArg(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const user = stringArg(args, 'user') ?? '';
  if (!ctx.messages.isMember(channel, user)) return fail('user_not_in_channel');
  const checked = checkMessageContent(args);
  if (!checked.ok) return checked.result;
  const meta = checkMetadata(args);
  if (!meta.ok) return meta.result;
  const threadTs = stringArg(args, 'thread_ts');
  if (threadTs !== undefined && !ctx.messages.threadParent(channel.id, threadTs))
    return fail('thread_not_found');
  const stored = ctx.messages.postEphemeral(
    { channel: channel.id, user, ts: ctx.nextTs(), ...checked.content, thread_ts: threadTs },
    'chat.postEphemeral',
  );
  return finish(ok({ message_ts: stored.ts }), checked.missingTextFallback);
};

const getPermalink: MethodHandler = (args, ctx) => {
  const channelId = stringArg(args, 'channel') ?? '';
  if (!ctx.messages.channelById(channelId)) return fail('channel_not_found');
  const message = ctx.messages.find(channelId, stringArg(args, 'message_ts') ?? '');
  if (!message) return fail('message_not_found');
  return ok({ channel: channelId, permalink: buildPermalink(ctx.baseUrl(), channelId, message) });
};

export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
};
