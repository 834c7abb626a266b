import type { ChangeHub } from './change-hub.js';
import type {
  ChannelMessage,
  EphemeralMessage,
  EphemeralSource,
  FakeSlackChannel,
  FakeSlackUser,
  JsonObject,
  SlackMessage,
} from './types.js';

export interface MessageContent {
  text: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  /** Message metadata `{ event_type, event_payload }`; an update without it keeps the message's own. */
  metadata?: JsonObject;
}

export interface MessageAuthor {
  user: string;
  botId?: string;
  appId?: string;
  team: string;
}

/** Rebuilds a message with Slack's key order, dropping undefined fields. */
function orderMessage(m: SlackMessage): SlackMessage {
  const ordered = {
    user: m.user,
    type: m.type,
    subtype: m.subtype,
    ts: m.ts,
    bot_id: m.bot_id,
    app_id: m.app_id,
    text: m.text,
    team: m.team,
    blocks: m.blocks,
    attachments: m.attachments,
    thread_ts: m.thread_ts,
    parent_user_id: m.parent_user_id,
    reply_count: m.reply_count,
    reply_users_count: m.reply_users_count,
    latest_reply: m.latest_reply,
    reply_users: m.reply_users,
    edited: m.edited,
    reactions: m.reactions,
    metadata: m.metadata,
  };
  return Object.fromEntries(
    Object.entries(ordered).filter(([, v]) => v !== undefined),
  ) as unknown as SlackMessage;
}

function isTopLevel(m: SlackMessage): boolean {
  return m.thread_ts === undefined || m.thread_ts === m.ts;
}

export class MessageStore {
  private readonly messages = new Map<string, Map<string, SlackMessage>>();
  private ephemeralList: EphemeralMessage[] = [];
  private readonly dmChannels = new Map<string, FakeSlackChannel>();

  constructor(
    private readonly channelList: FakeSlackChannel[],
    private readonly userList: FakeSlackUser[],
    private readonly hub: ChangeHub,
  ) {}

  get channels(): FakeSlackChannel[] {
    return structuredClone([...this.channelList, ...this.dmChannels.values()]);
  }

  /** Exact channel ID only: chat.update, getPermalink and friends take no names. */
  channelById(id: string): FakeSlackChannel | undefined {
    return (
      this.channelList.find((c) => c.id === id) ?? [...this.dmChannels.values()].find((c) => c.id === id)
    );
  }

  /** chat.postMessage also takes `#name`, a bare name, or a user ID (a DM with the app). */
  resolvePostTarget(target: string): FakeSlackChannel | undefined {
    const byId = this.channelById(target);
    if (byId) return byId;
    const name = target.startsWith('#') ? target.slice(1) : target;
    const byName = this.channelList.find((c) => c.name === name);
    if (byName) return byName;
    const user = this.userList.find((u) => u.id === target && !u.deleted);
    if (!user) return undefined;
    return this.openDm(user.id).channel;
  }

  /** The app's DM with a user (what conversations.open opens); `created` the first time. */
  openDm(userId: string): { channel: FakeSlackChannel; created: boolean } {
    const existing = this.dmChannels.get(userId);
    if (existing) return { channel: existing, created: false };
    const user = this.userList.find((u) => u.id === userId);
    const dm = { id: `D${userId.slice(1)}`, name: `dm-${user?.name ?? userId}`, members: [userId] };
    this.dmChannels.set(userId, dm);
    return { channel: dm, created: true };
  }

  isMember(channel: FakeSlackChannel, userId: string): boolean {
    const user = this.userList.find((u) => u.id === userId);
    if (!user || user.deleted) return false;
    return channel.members ? channel.members.includes(userId) : true;
  }

  find(channel: string, ts: string): SlackMessage | undefined {
    return this.messages.get(channel)?.get(ts);
  }

  /** The parent a reply should attach to: replying to a reply lands in the same thread. */
  threadParent(channel: string, threadTs: string): SlackMessage | undefined {
    const target = this.find(channel, threadTs);
    if (!target) return undefined;
    return isTopLevel(target) ? target : this.find(channel, target.thread_ts ?? '');
  }

  post(
    channel: string,
    ts: string,
    content: MessageContent,
    author: MessageAuthor,
    threadTs?: string,
  ): SlackMessage {
    const parent = threadTs === undefined ? undefined : this.threadParent(channel, threadTs);
    const message = orderMessage({
      user: author.user,
      type: 'message',
      ts,
      bot_id: author.botId,
      app_id: author.appId,
      text: content.text,
      team: author.team,
      blocks: content.blocks,
      attachments: content.attachments,
      metadata: content.metadata,
      thread_ts: parent?.ts,
      parent_user_id: parent?.user,
    });
    let byTs = this.messages.get(channel);
    if (!byTs) {
      byTs = new Map();
      this.messages.set(channel, byTs);
    }
    byTs.set(ts, message);
    if (parent) this.recountThread(channel, parent.ts);
    this.hub.emit({ type: 'message_posted', channel, ts });
    return structuredClone(message);
  }

  private recountThread(channel: string, parentTs: string): void {
    const parent = this.find(channel, parentTs);
    if (!parent) return;
    const replies = this.repliesOf(channel, parentTs);
    const users = [...new Set(replies.map((r) => r.user).filter((u): u is string => u !== undefined))];
    const last = replies.at(-1);
    const updated: SlackMessage = {
      ...parent,
      thread_ts: last ? parent.ts : undefined,
      reply_count: last ? replies.length : undefined,
      reply_users_count: last ? users.length : undefined,
      latest_reply: last?.ts,
      reply_users: last ? users : undefined,
    };
    this.messages.get(channel)?.set(parentTs, orderMessage(updated));
  }

  private repliesOf(channel: string, parentTs: string): SlackMessage[] {
    const all = [...(this.messages.get(channel)?.values() ?? [])];
    return all.filter((m) => m.thread_ts === parentTs && m.ts !== parentTs);
  }

  /** Replaces the whole content; `edited` is the "(edited)" marker chat.update sets and response_url does not. */
  update(
    channel: string,
    ts: string,
    content: MessageContent,
    edited?: { user: string; ts: string },
  ): SlackMessage {
    const current = this.find(channel, ts);
    if (!current) throw new Error(`no message ${channel}/${ts}`);
    const updated = orderMessage({
      ...current,
      text: content.text,
      blocks: content.blocks,
      attachments: content.attachments,
      metadata: content.metadata ?? current.metadata,
      edited: edited ?? current.edited,
    });
    this.messages.get(channel)?.set(ts, updated);
    this.hub.emit({ type: 'message_updated', channel, ts });
    return structuredClone(updated);
  }

  /** A parent with replies leaves Slack's tombstone so the thread stays readable. */
  delete(channel: string, ts: string): void {
    const current = this.find(channel, ts);
    const byTs = this.messages.get(channel);
    if (!current || !byTs) return;
    if (isTopLevel(current) && this.repliesOf(channel, ts).length > 0) {
      const { blocks: _b, attachments: _a, bot_id: _bot, app_id: _app, edited: _e, ...rest } = current;
      byTs.set(
        ts,
        orderMessage({ ...rest, subtype: 'tombstone', text: 'This message was deleted.', user: 'USLACKBOT' }),
      );
    } else {
      byTs.delete(ts);
      if (!isTopLevel(current) && current.thread_ts) this.recountThread(channel, current.thread_ts);
    }
    this.hub.emit({ type: 'message_deleted', channel, ts });
  }

  addReaction(channel: string, ts: string, name: string, user: string): 'ok' | 'already_reacted' {
    const current = this.find(channel, ts);
    if (!current) throw new Error(`no message ${channel}/${ts}`);
    const reactions = structuredClone(current.reactions ?? []);
    let reaction = reactions.find((r) => r.name === name);
    if (reaction?.users.includes(user)) return 'already_reacted';
    if (!reaction) {
      reaction = { name, users: [], count: 0 };
      reactions.push(reaction);
    }
    reaction.users.push(user);
    reaction.count = reaction.users.length;
    this.messages.get(channel)?.set(ts, orderMessage({ ...current, reactions }));
    this.hub.emit({ type: 'reaction_added', channel, ts, name });
    return 'ok';
  }

  channelMessages(channel: string): ChannelMessage[] {
    const all = [...(this.messages.get(channel)?.values() ?? [])];
    return all
      .filter(isTopLevel)
      .map((m) => ({ ...structuredClone(m), replies: structuredClone(this.repliesOf(channel, m.ts)) }));
  }

  /** The parent followed by its replies; a reply's ts gives that one message, as Slack does. */
  thread(channel: string, ts: string): SlackMessage[] {
    const message = this.find(channel, ts);
    if (!message) return [];
    if (!isTopLevel(message)) return [structuredClone(message)];
    return structuredClone([message, ...this.repliesOf(channel, ts)]);
  }

  postEphemeral(input: Omit<EphemeralMessage, 'source'>, source: EphemeralSource): EphemeralMessage {
    const stored: EphemeralMessage = { ...input, source };
    this.ephemeralList.push(stored);
    this.hub.emit({ type: 'ephemeral_posted', channel: input.channel, user: input.user, ts: input.ts });
    return structuredClone(stored);
  }

  findEphemeral(channel: string, user: string, ts: string): EphemeralMessage | undefined {
    return this.ephemeralList.find((e) => e.channel === channel && e.user === user && e.ts === ts);
  }

  replaceEphemeral(channel: string, user: string, ts: string, content: MessageContent): void {
    const current = this.findEphemeral(channel, user, ts);
    if (!current) throw new Error(`no ephemeral ${channel}/${user}/${ts}`);
    current.text = content.text;
    current.blocks = content.blocks;
    current.attachments = content.attachments;
    this.hub.emit({ type: 'ephemeral_updated', channel, user, ts });
  }

  deleteEphemeral(channel: string, user: string, ts: string): void {
    this.ephemeralList = this.ephemeralList.filter(
      (e) => !(e.channel === channel && e.user === user && e.ts === ts),
    );
    this.hub.emit({ type: 'ephemeral_deleted', channel, user, ts });
  }

  ephemerals(filter: { channel?: string; user?: string } = {}): EphemeralMessage[] {
    return structuredClone(
      this.ephemeralList.filter(
        (e) =>
          (filter.channel === undefined || e.channel === filter.channel) &&
          (filter.user === undefined || e.user === filter.user),
      ),
    );
  }

  reset(): void {
    this.messages.clear();
    this.ephemeralList = [];
    this.dmChannels.clear();
  }
}
