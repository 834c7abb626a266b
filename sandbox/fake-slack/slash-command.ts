import {
  createResponseUrl,
  type InteractionDeps,
  parseAck,
  postToApp,
  requireChannel,
  requireUser,
  workspaceOf,
} from './app-requests.js';
import { isObject } from './block-kit-rules.js';
import { buildSlashCommandBody } from './interaction-payloads.js';
import { checkMessageContent } from './message-content.js';
import type { FakeSlackChannel, FakeSlackUser, SlashCommandInput, SlashCommandResult } from './types.js';

/**
 * Slack shows a command's ack body: text or a message object, ephemeral by default. With
 * `response_type: in_channel` everyone sees the invocation and the answer.
 */
function showAck(
  deps: InteractionDeps,
  channel: FakeSlackChannel,
  user: FakeSlackUser,
  input: SlashCommandInput,
  body: unknown,
): string[] | undefined {
  if (body === '') return undefined;
  const message = isObject(body) ? body : { text: String(body) };
  const checked = checkMessageContent(message);
  if (!checked.ok) {
    const { error, errors } = checked.result.body;
    return [String(error), ...(Array.isArray(errors) ? errors.map(String) : [])];
  }
  if (message.response_type === 'in_channel') {
    const invocation = { text: `${input.command} ${input.text}`.trim() };
    deps.messages.post(channel.id, deps.nextTs(), invocation, { user: user.id, team: deps.config.teamId });
    const { config } = deps;
    const author = { user: config.botUserId, botId: config.botId, appId: config.appId, team: config.teamId };
    deps.messages.post(channel.id, deps.nextTs(), checked.content, author);
    return undefined;
  }
  deps.messages.postEphemeral(
    { channel: channel.id, user: user.id, ts: deps.nextTs(), ...checked.content },
    'command_ack',
  );
  return undefined;
}

export async function runSlashCommand(
  deps: InteractionDeps,
  input: SlashCommandInput,
): Promise<SlashCommandResult> {
  if (!/^\/[a-z0-9_-]{1,31}$/i.test(input.command)) {
    throw new Error(`fake-slack: ${input.command} is not a slash command ("/" and up to 31 characters)`);
  }
  const user = requireUser(deps, input.user);
  const channel = requireChannel(deps, input.channel);
  const responseUrl = createResponseUrl(deps, { channel: channel.id, user: user.id });
  const triggerId = deps.views.issueTrigger(user.id);
  const rawBody = buildSlashCommandBody({
    workspace: workspaceOf(deps.config),
    user: { id: user.id, name: user.name },
    channel: { id: channel.id, name: channel.name },
    command: input.command,
    text: input.text,
    responseUrl,
    triggerId,
  });
  const { status, text } = await postToApp(deps, {
    type: 'slash_commands',
    payload: Object.fromEntries(new URLSearchParams(rawBody)),
    rawBody,
  });
  const body = parseAck(text);
  const problems = status === 200 ? showAck(deps, channel, user, input, body) : undefined;
  return { status, body, rawBody, triggerId, responseUrl, ...(problems ? { problems } : {}) };
}
