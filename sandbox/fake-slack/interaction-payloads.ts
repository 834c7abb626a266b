/**
 * Pure builders of the bodies Slack POSTs to the app, field for field in the order of
 * shared/contracts/slack/example-*.json (the copies under test/sandbox/fake-slack/fixtures/).
 */
import type { JsonObject, SlackMessage, SlackView } from './types.js';

export interface WorkspaceIdentity {
  teamId: string;
  teamDomain: string;
  appId: string;
  verificationToken: string;
}

interface PayloadUser {
  id: string;
  name: string;
}

function payloadUser(user: PayloadUser, workspace: WorkspaceIdentity): JsonObject {
  return { id: user.id, username: user.name, name: user.name, team_id: workspace.teamId };
}

/** Compact JSON in a form field, encoded the way Slack does (spaces as `+`). */
export function encodePayloadBody(payload: JsonObject): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface BlockActionsInput {
  workspace: WorkspaceIdentity;
  user: PayloadUser;
  channel: { id: string; name: string };
  /** The clicked message; omitted for an ephemeral one, as Slack omits it. */
  message?: SlackMessage;
  messageTs: string;
  isEphemeral: boolean;
  threadTs?: string;
  /** The element as stored in the message (a button). */
  element: JsonObject;
  blockId: string;
  triggerId: string;
  responseUrl: string;
  actionTs: string;
}

function buildAction(input: BlockActionsInput): JsonObject {
  const { element } = input;
  const action: JsonObject = { action_id: element.action_id, block_id: input.blockId, text: element.text };
  if (element.value !== undefined) action.value = element.value;
  if (element.url !== undefined) action.url = element.url;
  if (element.style !== undefined) action.style = element.style;
  action.type = element.type;
  action.action_ts = input.actionTs;
  return action;
}

export function buildBlockActionsPayload(input: BlockActionsInput): JsonObject {
  const { workspace } = input;
  const container: JsonObject = {
    type: 'message',
    message_ts: input.messageTs,
    channel_id: input.channel.id,
    is_ephemeral: input.isEphemeral,
  };
  if (input.threadTs !== undefined) container.thread_ts = input.threadTs;
  const payload: JsonObject = {
    type: 'block_actions',
    user: payloadUser(input.user, workspace),
    api_app_id: workspace.appId,
    token: workspace.verificationToken,
    container,
    trigger_id: input.triggerId,
    team: { id: workspace.teamId, domain: workspace.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel.id, name: input.channel.name },
  };
  if (input.message) payload.message = input.message;
  payload.state = { values: {} };
  payload.response_url = input.responseUrl;
  payload.actions = [buildAction(input)];
  return payload;
}

export interface ViewSubmissionInput {
  workspace: WorkspaceIdentity;
  user: PayloadUser;
  /** The stored view with `state.values` filled in from the user's inputs. */
  view: SlackView;
  triggerId: string;
}

export function buildViewSubmissionPayload(input: ViewSubmissionInput): JsonObject {
  const { workspace } = input;
  return {
    type: 'view_submission',
    team: { id: workspace.teamId, domain: workspace.teamDomain },
    user: payloadUser(input.user, workspace),
    api_app_id: workspace.appId,
    token: workspace.verificationToken,
    trigger_id: input.triggerId,
    view: { ...input.view },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface SlashCommandBodyInput {
  workspace: WorkspaceIdentity;
  user: PayloadUser;
  channel: { id: string; name: string };
  command: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}

/** A slash command is a plain form (no `payload=` wrapper), in example-slash-command.txt's field order. */
export function buildSlashCommandBody(input: SlashCommandBodyInput): string {
  const { workspace } = input;
  return new URLSearchParams({
    token: workspace.verificationToken,
    team_id: workspace.teamId,
    team_domain: workspace.teamDomain,
    channel_id: input.channel.id,
    channel_name: input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: workspace.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  }).toString();
}
