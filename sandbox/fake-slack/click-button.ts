import {
  createResponseUrl,
  currentActionTs,
  type InteractionDeps,
  parseAck,
  postToApp,
  requireChannel,
  requireUser,
  workspaceOf,
} from './app-requests.js';
import { isObject } from './block-kit-rules.js';
import { buildBlockActionsPayload, encodePayloadBody } from './interaction-payloads.js';
import type { ClickButtonInput, ClickButtonResult, JsonObject } from './types.js';

interface FoundButton {
  element: JsonObject;
  blockId: string;
}

/** Buttons live in actions blocks and as section accessories. */
function listButtons(blocks: JsonObject[]): FoundButton[] {
  const found: FoundButton[] = [];
  for (const block of blocks) {
    const blockId = String(block.block_id);
    const candidates = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const element of candidates) {
      if (isObject(element) && element.type === 'button') found.push({ element, blockId });
    }
  }
  return found;
}

function findButton(blocks: JsonObject[], input: ClickButtonInput): FoundButton {
  const matches = listButtons(blocks).filter(
    (b) =>
      b.element.action_id === input.actionId && (input.blockId === undefined || b.blockId === input.blockId),
  );
  const shown = listButtons(blocks).map((b) => `${b.blockId}/${String(b.element.action_id)}`);
  if (matches.length === 0) {
    throw new Error(
      `fake-slack: message ${input.ts} shows no button ${input.actionId}; its buttons: ${shown.join(', ') || 'none'}`,
    );
  }
  const [first, second] = matches;
  if (second !== undefined || first === undefined) {
    throw new Error(
      `fake-slack: several blocks have button ${input.actionId}; pass blockId (${shown.join(', ')})`,
    );
  }
  return first;
}

/** A click on a button the user can see: a channel message, a thread reply or the user's own ephemeral. */
export async function clickButton(
  deps: InteractionDeps,
  input: ClickButtonInput,
): Promise<ClickButtonResult> {
  const user = requireUser(deps, input.user);
  const channel = requireChannel(deps, input.channel);
  const message = deps.messages.find(channel.id, input.ts);
  const ephemeral = message ? undefined : deps.messages.findEphemeral(channel.id, user.id, input.ts);
  if (!message && !ephemeral) {
    throw new Error(`fake-slack: ${user.id} sees no message ${input.ts} in ${channel.id}`);
  }
  const button = findButton(message?.blocks ?? ephemeral?.blocks ?? [], input);
  const triggerId = deps.views.issueTrigger(user.id);
  const responseUrl = createResponseUrl(deps, {
    channel: channel.id,
    user: user.id,
    messageTs: input.ts,
    ephemeral: ephemeral !== undefined,
  });
  const isReply = message?.thread_ts !== undefined && message.thread_ts !== message.ts;
  const payload = buildBlockActionsPayload({
    workspace: workspaceOf(deps.config),
    user: { id: user.id, name: user.name },
    channel: { id: channel.id, name: channel.name },
    message,
    messageTs: input.ts,
    isEphemeral: ephemeral !== undefined,
    threadTs: isReply ? message?.thread_ts : undefined,
    element: button.element,
    blockId: button.blockId,
    triggerId,
    responseUrl,
    actionTs: currentActionTs(deps),
  });
  const { status, text } = await postToApp(deps, {
    type: 'interactive',
    payload,
    rawBody: encodePayloadBody(payload),
  });
  return { status, body: parseAck(text), payload, triggerId, responseUrl };
}
