import type { FakeSlackConfig } from './config.js';
import { formatTs } from './ids.js';
import type { WorkspaceIdentity } from './interaction-payloads.js';
import type { MessageStore } from './message-store.js';
import type { ResponseUrlStore } from './response-url-store.js';
import { buildSignedHeaders } from './sign-request.js';
import type { EnvelopeType, SocketModeServer } from './socket-mode-server.js';
import type { FakeSlackChannel, FakeSlackUser, JsonObject, ResponseUrlInput } from './types.js';
import type { ViewStore } from './view-store.js';

type AppTransport = 'http' | 'socket';

export interface AppTarget {
  requestUrl?: string;
  signingSecret?: string;
  /** How Slack reaches the app: signed POSTs to the Request URL, or envelopes over Socket Mode. */
  transport: AppTransport;
}

/** One request to the app, in both of its wire forms: the HTTP body and the Socket Mode payload. */
export interface AppDelivery {
  type: EnvelopeType;
  payload: JsonObject;
  rawBody: string;
}

export interface InteractionDeps {
  config: FakeSlackConfig;
  messages: MessageStore;
  views: ViewStore;
  responseUrls: ResponseUrlStore;
  app: AppTarget;
  socket: SocketModeServer;
  /** How long a Socket Mode delivery waits for a connection to be open (0: fail at once). */
  socketWaitMs: number;
  nextTs: () => string;
  baseUrl: () => string;
}

export function workspaceOf(config: FakeSlackConfig): WorkspaceIdentity {
  return {
    teamId: config.teamId,
    teamDomain: config.teamDomain,
    appId: config.appId,
    verificationToken: config.verificationToken,
  };
}

/** Only a real, active workspace member can click, submit or run a command. */
export function requireUser(deps: InteractionDeps, id: string): FakeSlackUser {
  const user = deps.config.users.find((u) => u.id === id);
  if (!user) throw new Error(`fake-slack: no user ${id} in this workspace`);
  if (user.deleted) throw new Error(`fake-slack: user ${id} is deactivated and cannot act`);
  return user;
}

export function requireChannel(deps: InteractionDeps, id: string): FakeSlackChannel {
  const channel = deps.messages.channelById(id);
  if (!channel) throw new Error(`fake-slack: no channel ${id}`);
  return channel;
}

export function createResponseUrl(deps: InteractionDeps, input: ResponseUrlInput): string {
  return `${deps.baseUrl()}/response/${deps.responseUrls.create(input).id}`;
}

export function currentActionTs(deps: InteractionDeps): string {
  return formatTs(BigInt(Math.round(deps.config.now() * 1000)));
}

/** The ack body: '' for an empty ack, parsed JSON when it is JSON, otherwise the text. */
export function parseAck(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Over HTTP: signs with the real clock (Bolt checks it against its own) and POSTs the exact bytes.
 * Over Socket Mode: one envelope on one open connection; the ack's payload is the answer (408: no ack
 * within 3 s, which Slack shows the user as an error).
 */
export async function postToApp(
  deps: InteractionDeps,
  delivery: AppDelivery,
): Promise<{ status: number; text: string }> {
  if (deps.app.transport === 'socket') {
    const result = await deps.socket.deliver(delivery.type, delivery.payload, {
      waitForConnectionMs: deps.socketWaitMs,
    });
    const answer = result.ack && Object.keys(result.ack).length > 0 ? JSON.stringify(result.ack) : '';
    return { status: result.status, text: answer };
  }
  const rawBody = delivery.rawBody;
  const { requestUrl, signingSecret } = deps.app;
  if (!requestUrl || !signingSecret) {
    throw new Error(
      'fake-slack: set appRequestUrl and signingSecret (options or configureApp) before driving the app',
    );
  }
  const response = await fetch(requestUrl, {
    method: 'POST',
    headers: buildSignedHeaders(signingSecret, rawBody),
    body: rawBody,
  });
  return { status: response.status, text: await response.text() };
}
