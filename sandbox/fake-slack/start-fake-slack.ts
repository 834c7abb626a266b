import type { AppTarget, InteractionDeps } from './app-requests.js';
import { createResponseUrl } from './app-requests.js';
import { CallLog } from './call-log.js';
import { ChangeHub } from './change-hub.js';
import { clickButton } from './click-button.js';
import { resolveConfig } from './config.js';
import { createTsClock } from './ids.js';
import { MessageStore } from './message-store.js';
import type { MethodContext } from './methods/method-context.js';
import { RateLimiter } from './rate-limiter.js';
import { ResponseUrlStore } from './response-url-store.js';
import { sendEvent } from './send-event.js';
import { createFakeSlackServer, listen } from './server.js';
import { runSlashCommand } from './slash-command.js';
import { SocketModeServer } from './socket-mode-server.js';
import { submitView } from './submit-view.js';
import type { FakeSlack, FakeSlackOptions, SlackMessage, UserMessageInput } from './types.js';
import { ViewStore } from './view-store.js';

function postUserMessage(deps: InteractionDeps, input: UserMessageInput): SlackMessage {
  const channel = deps.messages.channelById(input.channel);
  if (!channel) throw new Error(`fake-slack: no channel ${input.channel}`);
  if (!deps.config.users.some((u) => u.id === input.user))
    throw new Error(`fake-slack: no user ${input.user}`);
  if (input.threadTs !== undefined && !deps.messages.threadParent(channel.id, input.threadTs)) {
    throw new Error(`fake-slack: no thread ${input.threadTs} in ${channel.id}`);
  }
  const author = { user: input.user, team: deps.config.teamId };
  return deps.messages.post(channel.id, deps.nextTs(), { text: input.text }, author, input.threadTs);
}

/** Starts the fake Slack (Web API, response_url endpoints, signed requests to the app) on 127.0.0.1. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const config = resolveConfig(options);
  const hub = new ChangeHub();
  const messages = new MessageStore(config.channels, config.users, hub);
  const views = new ViewStore(hub, config.now, config.triggerTtlMs);
  const responseUrls = new ResponseUrlStore(config.now);
  const limiter = new RateLimiter(config.now, config.realisticRateLimits);
  const calls = new CallLog(hub, config.now);
  const failures = new Map<string, string[]>();
  const delays = new Map<string, number>();
  const nextTs = createTsClock(config.now);
  const app: AppTarget = {
    requestUrl: options.appRequestUrl,
    signingSecret: options.signingSecret,
    transport: options.transport ?? 'http',
  };
  let baseUrl = '';
  const socket = new SocketModeServer({
    appToken: config.appToken,
    appId: config.appId,
    now: config.now,
    baseUrl: () => baseUrl,
  });
  const context: MethodContext = { config, messages, views, nextTs, now: config.now, baseUrl: () => baseUrl };
  const deps: InteractionDeps = {
    config,
    messages,
    views,
    responseUrls,
    app,
    socket,
    socketWaitMs: options.socketWaitMs ?? 0,
    nextTs,
    baseUrl: () => baseUrl,
  };

  const server = createFakeSlackServer({
    api: { context, limiter, calls, failures, delays, socket },
    responseUrl: { config, messages, responseUrls, nextTs },
    fallback: options.fallback,
  });
  const host = options.host ?? '127.0.0.1';
  socket.attach(server);
  const port = await listen(server, options.port ?? 0, host);
  baseUrl = `http://${host}:${port}`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    port,
    teamId: config.teamId,
    teamDomain: config.teamDomain,
    appId: config.appId,
    botId: config.botId,
    botUserId: config.botUserId,
    botToken: config.botToken,
    appToken: config.appToken,
    socket,
    get calls() {
      return calls.all();
    },
    get views() {
      return views.list();
    },
    get users() {
      return structuredClone(config.users);
    },
    get channels() {
      return messages.channels;
    },
    get usergroups() {
      return structuredClone(config.usergroups);
    },
    callsTo: (method) => calls.to(method),
    channelMessages: (channel) => messages.channelMessages(channel),
    thread: (channel, ts) => messages.thread(channel, ts),
    ephemerals: (filter) => messages.ephemerals(filter),
    homeView: (user) => views.home(user),
    onChange: (listener) => hub.subscribe(listener),
    rateLimit: (method, { calls: n, retryAfterSec }) => limiter.force(method, n, retryAfterSec),
    failNext: (method, error) => failures.set(method, [...(failures.get(method) ?? []), error]),
    delay: (method, ms) => (ms > 0 ? delays.set(method, ms) : delays.delete(method)),
    createResponseUrl: (input) => createResponseUrl(deps, input),
    issueTriggerId: (user) => views.issueTrigger(user),
    postUserMessage: (input) => postUserMessage(deps, input),
    configureApp: ({ requestUrl, signingSecret, transport }) => {
      if (requestUrl !== undefined) app.requestUrl = requestUrl;
      if (signingSecret !== undefined) app.signingSecret = signingSecret;
      if (transport !== undefined) app.transport = transport;
    },
    sendEvent: (input) => sendEvent(deps, input),
    clickButton: (input) => clickButton(deps, input),
    submitView: (input) => submitView(deps, input),
    slashCommand: (input) => runSlashCommand(deps, input),
    reset: () => {
      messages.reset();
      views.reset();
      responseUrls.reset();
      limiter.reset();
      calls.reset();
      failures.clear();
      delays.clear();
      socket.reset();
      hub.emit({ type: 'reset' });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        socket.close();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
