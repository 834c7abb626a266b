import type { ChannelMessage, FakeSlack, JsonObject, SlackMessage } from '../../sandbox/fake-slack/index.js';
import { pollUntil } from './wait.js';

function headerText(message: SlackMessage): string {
  for (const block of message.blocks ?? []) {
    if (block.type === 'header') {
      const text = block.text as { text?: unknown } | undefined;
      if (typeof text?.text === 'string') return text.text;
    }
  }
  return message.text;
}

/** The app a top-level message is about, when it is one of `names` (card header first, then fallback text). */
export function appOfMessage(
  message: SlackMessage,
  names: Pick<ReadonlySet<string>, 'has'>,
): string | undefined {
  for (const text of [headerText(message), message.text]) {
    for (const word of text.split(/[\s*`_<>|()]+/)) if (names.has(word)) return word;
  }
  return undefined;
}

/** The first top-level message per app among `names`, in channel order. */
export function findCards(
  slack: FakeSlack,
  channel: string,
  names: ReadonlySet<string>,
): Map<string, ChannelMessage> {
  const found = new Map<string, ChannelMessage>();
  for (const message of slack.channelMessages(channel)) {
    const app = appOfMessage(message, names);
    if (app && !found.has(app)) found.set(app, message);
  }
  return found;
}

export interface FoundButton {
  element: JsonObject;
  blockId: string;
}

/** A button of the card by action_id, in actions blocks or as a section accessory. */
export function findButton(message: SlackMessage, actionId: string): FoundButton | undefined {
  for (const block of message.blocks ?? []) {
    const candidates = [
      ...(Array.isArray(block.elements) ? (block.elements as JsonObject[]) : []),
      block.accessory,
    ];
    for (const element of candidates) {
      if (element && typeof element === 'object' && (element as JsonObject).action_id === actionId)
        return { element: element as JsonObject, blockId: String(block.block_id) };
    }
  }
  return undefined;
}

/** One message as the fake Slack holds it now (no channel-wide copy). */
function readMessage(slack: FakeSlack, channel: string, ts: string): SlackMessage {
  const message = slack.thread(channel, ts)[0];
  if (!message) throw new Error(`no message ${ts} in ${channel}`);
  return message;
}

/**
 * The message once it shows the button: a card is posted as soon as it exists and filled in by a
 * coalesced chat.update (at most one a second), so the button can lag the first post.
 */
export async function readMessageWithButton(
  slack: FakeSlack,
  channel: string,
  ts: string,
  actionId: string,
  timeoutMs = 10_000,
): Promise<SlackMessage> {
  const found = await pollUntil(
    () => {
      const message = readMessage(slack, channel, ts);
      return findButton(message, actionId) ? message : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
  if (found) return found;
  const message = readMessage(slack, channel, ts);
  throw new Error(
    `card ${ts} ("${message.text.slice(0, 120)}") shows no ${actionId} button after ${timeoutMs} ms`,
  );
}
