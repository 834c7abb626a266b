import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SocketModeServer } from './socket-mode-server.js';

/** A parsed JSON object as it arrives from the wire; validators narrow it field by field. */
export type JsonObject = Record<string, unknown>;

export interface FakeSlackUser {
  id: string;
  name: string;
  realName: string;
  email: string;
  isBot?: boolean;
  deleted?: boolean;
  isRestricted?: boolean;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  /** Member user ids; omitted means every configured user is a member. */
  members?: string[];
}

export interface FakeSlackUsergroup {
  id: string;
  handle: string;
  users: string[];
  disabled?: boolean;
}

export interface FakeSlackOptions {
  port?: number;
  host?: string;
  teamId?: string;
  teamDomain?: string;
  teamName?: string;
  appId?: string;
  botId?: string;
  botUserId?: string;
  botName?: string;
  botToken?: string;
  users?: FakeSlackUser[];
  channels?: FakeSlackChannel[];
  usergroups?: FakeSlackUsergroup[];
  /** The bot's Request URL (`http://127.0.0.1:<port>/slack/events`); can be set later with `configureApp`. */
  appRequestUrl?: string;
  signingSecret?: string;
  /** The deprecated `token` field Slack still puts in interaction bodies. */
  verificationToken?: string;
  /** Per-method tier limits and the chat.postMessage per-channel limit. Off by default: tests and the demo burst. */
  realisticRateLimits?: boolean;
  /** How long a trigger_id stays usable (Slack: about 3 s). */
  triggerTtlMs?: number;
  /** The app-level token (xapp-...) that apps.connections.open accepts. */
  appToken?: string;
  /** How Slack reaches the app: signed HTTP POSTs (default) or Socket Mode envelopes. */
  transport?: 'http' | 'socket';
  /** How long a Socket Mode delivery waits for an open connection; default 0 (fail at once, as Slack). */
  socketWaitMs?: number;
  /** Clock for ts, trigger and response_url expiry and rate limits. Request signing always uses the real clock. */
  now?: () => number;
  /** Requests the fake does not own (not /api/ or /response/) go here, e.g. to a console; default 404. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
}

interface SlackReaction {
  name: string;
  users: string[];
  count: number;
}

/** A message as Slack returns it (conversations.replies, interaction payloads). Key order follows Slack's. */
export interface SlackMessage {
  user?: string;
  type: 'message';
  subtype?: string;
  ts: string;
  bot_id?: string;
  app_id?: string;
  text: string;
  team?: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  reactions?: SlackReaction[];
  /** Message metadata as Slack returns it with `include_all_metadata`: `{ event_type, event_payload }`. */
  metadata?: JsonObject;
}

export interface ChannelMessage extends SlackMessage {
  replies: SlackMessage[];
}

export type EphemeralSource = 'chat.postEphemeral' | 'response_url' | 'command_ack';

export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  thread_ts?: string;
  source: EphemeralSource;
}

/** A view in the shape Slack returns from views.open and puts in view_submission payloads. */
export interface SlackView {
  id: string;
  team_id: string;
  type: string;
  blocks: JsonObject[];
  private_metadata: string;
  callback_id: string;
  state: { values: Record<string, Record<string, JsonObject>> };
  hash: string;
  title: JsonObject;
  clear_on_close: boolean;
  notify_on_close: boolean;
  close: JsonObject | null;
  submit: JsonObject | null;
  previous_view_id: string | null;
  root_view_id: string;
  app_id: string;
  external_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export interface StoredView {
  id: string;
  /** The user the view was opened for (the owner of the trigger_id). */
  user: string;
  open: boolean;
  view: SlackView;
}

export interface CallRecord {
  seq: number;
  method: string;
  /** Arguments with `blocks`, `attachments` and `view` parsed from their JSON strings; `token` left out. */
  args: JsonObject;
  status: number;
  response: JsonObject;
  at: number;
  /** Blocks were sent without a top-level `text` (notifications and screen readers get nothing). */
  missingTextFallback?: boolean;
}

export type ChangeEvent =
  | { type: 'api_call'; method: string; seq: number }
  | { type: 'message_posted' | 'message_updated' | 'message_deleted'; channel: string; ts: string }
  | { type: 'reaction_added'; channel: string; ts: string; name: string }
  | {
      type: 'ephemeral_posted' | 'ephemeral_updated' | 'ephemeral_deleted';
      channel: string;
      user: string;
      ts: string;
    }
  | { type: 'view_opened' | 'view_updated' | 'view_closed' | 'home_published'; viewId: string; user: string }
  | { type: 'reset' };

interface AppResponse {
  status: number;
  /** The ack body: parsed JSON when it is JSON, otherwise the raw text ('' for an empty ack). */
  body: unknown;
}

export interface ClickButtonInput {
  user: string;
  channel: string;
  ts: string;
  actionId: string;
  blockId?: string;
}

export interface ClickButtonResult extends AppResponse {
  payload: JsonObject;
  triggerId: string;
  responseUrl: string;
}

/** Per input block, per action_id: a string (or string[] for multi-selects), or a full Slack state value. */
export type ViewInputValues = Record<string, Record<string, string | string[] | JsonObject>>;

export interface SubmitViewInput {
  user: string;
  viewId: string;
  values: ViewInputValues;
}

export interface SubmitViewResult extends AppResponse {
  payload: JsonObject;
  /** `response_action` of the ack, if any. */
  responseAction?: string;
  errors?: Record<string, string>;
  /** `errors` keys that are not block_ids of input blocks: Slack cannot show those to the user. */
  unknownErrorBlocks?: string[];
  /** The view stays open after `errors`, a failed ack, `update` or `push`. */
  viewOpen: boolean;
  /** Why Slack would refuse the ack's view (`update`/`push`); the view is then left as it was. */
  problems?: string[];
}

export interface SendEventInput {
  /** The inner event (`{ type: 'app_home_opened', user, tab, ... }`); wrapped in an event_callback. */
  event?: JsonObject;
  /** A whole body instead (url_verification, or a hand-made event_callback). */
  body?: JsonObject;
  /** Reuse an event id: a retry of the same event. */
  eventId?: string;
  /** 1..3 for Slack's retries (`X-Slack-Retry-Num` over HTTP, `retry_attempt` over the socket). */
  retryNum?: number;
}

export interface SendEventResult extends AppResponse {
  eventId: string;
  payload: JsonObject;
}

export interface SlashCommandInput {
  user: string;
  channel: string;
  command: string;
  text: string;
}

export interface SlashCommandResult extends AppResponse {
  rawBody: string;
  triggerId: string;
  responseUrl: string;
  /** Why Slack would refuse the ack body as a message; nothing is shown then. */
  problems?: string[];
}

export interface ResponseUrlInput {
  channel: string;
  user: string;
  messageTs?: string;
  /** The source message is an ephemeral shown to `user`. */
  ephemeral?: boolean;
}

export interface UserMessageInput {
  channel: string;
  user: string;
  text: string;
  threadTs?: string;
}

export interface FakeSlack {
  readonly url: string;
  readonly apiUrl: string;
  readonly port: number;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly appId: string;
  readonly botId: string;
  readonly botUserId: string;
  readonly botToken: string;
  readonly calls: CallRecord[];
  readonly views: StoredView[];
  readonly users: FakeSlackUser[];
  readonly channels: FakeSlackChannel[];
  readonly usergroups: FakeSlackUsergroup[];
  callsTo(method: string): CallRecord[];
  channelMessages(channel: string): ChannelMessage[];
  thread(channel: string, ts: string): SlackMessage[];
  ephemerals(filter?: { channel?: string; user?: string }): EphemeralMessage[];
  /** The Home tab views.publish last set for a user. */
  homeView(user: string): SlackView | undefined;
  onChange(listener: (event: ChangeEvent) => void): () => void;
  rateLimit(method: string, options: { calls: number; retryAfterSec: number }): void;
  failNext(method: string, error: string): void;
  /** Every call of `method` waits `ms` before it is answered (0 = answer at once again). */
  delay(method: string, ms: number): void;
  createResponseUrl(input: ResponseUrlInput): string;
  issueTriggerId(user: string): string;
  postUserMessage(input: UserMessageInput): SlackMessage;
  readonly appToken: string;
  /** The Socket Mode side: connections, acks, disconnect and drop on demand. */
  readonly socket: SocketModeServer;
  configureApp(options: { requestUrl?: string; signingSecret?: string; transport?: 'http' | 'socket' }): void;
  /** An Events API event to the app (over the configured transport). */
  sendEvent(input: SendEventInput): Promise<SendEventResult>;
  clickButton(input: ClickButtonInput): Promise<ClickButtonResult>;
  submitView(input: SubmitViewInput): Promise<SubmitViewResult>;
  slashCommand(input: SlashCommandInput): Promise<SlashCommandResult>;
  reset(): void;
  close(): Promise<void>;
}
