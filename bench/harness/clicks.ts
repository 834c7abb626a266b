import { performance } from 'node:perf_hooks';
import {
  buildBlockActionsPayload,
  buildSignedHeaders,
  encodePayloadBody,
  type FakeSlack,
  type SlackMessage,
} from '../../sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/render/ids.js';
import { findButton } from './cards.js';
import { httpPost } from './http-post.js';

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface ClickInput {
  slack: FakeSlack;
  card: SlackMessage;
  channel: { id: string; name: string };
  user: { id: string; name: string };
  signingSecret: string;
  /** Replaces the button's value (the card id): warm-up clicks on no card, floor clicks for the baseline. */
  value?: string;
  /** The button to press; default Approve & Sync. */
  actionId?: string;
}

/** Exactly what Slack POSTs when the user clicks Approve & Sync on the card, signed now. */
export function buildApproveClick({
  slack,
  card,
  channel,
  user,
  signingSecret,
  value,
  actionId = ACTION_IDS.approve,
}: ClickInput): SignedRequest {
  const button = findButton(card, actionId);
  if (!button) throw new Error(`card ${card.ts} shows no ${actionId} button`);
  const payload = buildBlockActionsPayload({
    workspace: {
      teamId: slack.teamId,
      teamDomain: slack.teamDomain,
      appId: slack.appId,
      verificationToken: 'deprecated-verification-token',
    },
    user,
    channel,
    message: card,
    messageTs: card.ts,
    isEphemeral: false,
    element: value === undefined ? button.element : { ...button.element, value },
    blockId: button.blockId,
    triggerId: slack.issueTriggerId(user.id),
    responseUrl: slack.createResponseUrl({ channel: channel.id, user: user.id, messageTs: card.ts }),
    actionTs: (Date.now() / 1000).toFixed(6),
  });
  const body = encodePayloadBody(payload);
  return { body, headers: buildSignedHeaders(signingSecret, body) };
}

export interface TimedResponse {
  status: number;
  /** performance.now() when the request was handed to fetch. */
  sentAt: number;
  ms: number;
}

/** POSTs signed bytes and times the whole answer (headers and body). */
export async function postTimed(url: string, request: SignedRequest): Promise<TimedResponse> {
  const sentAt = performance.now();
  const status = await httpPost(url, request.headers, request.body);
  return { status, sentAt, ms: performance.now() - sentAt };
}
