import type { IncomingMessage, ServerResponse } from 'node:http';
import { clickButton, closeView, runScenario, sendComposerText, submitView } from './console-actions.js';
import { consoleHref, messageAnchor } from './console-href.js';
import { type ConsoleModel, resolveLocation } from './console-model.js';
import { RequestError, readJsonBody, redirect, sendJson, sendText } from './http-helpers.js';
import type { LiveUpdates } from './live-updates.js';
import type { ConsoleAssets } from './load-assets.js';
import { renderPage } from './render-page.js';
import { renderRegions } from './render-regions.js';

export interface RouteDeps {
  model: ConsoleModel;
  live: LiveUpdates;
  assets: ConsoleAssets;
}

const USER_COOKIE = 'console_user';

/** The last user a page was shown as, so permalinks and bare URLs keep who you are. */
function lastUser(req: IncomingMessage): string | undefined {
  const cookies = req.headers.cookie ?? '';
  const match = new RegExp(`(?:^|;\\s*)${USER_COOKIE}=([A-Z0-9]+)`).exec(cookies);
  return match?.[1];
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, deps: RouteDeps) => Promise<void> | void;

const POST_ACTIONS: Record<string, (model: ConsoleModel, body: Record<string, unknown>) => unknown> = {
  '/console/click': clickButton,
  '/console/submit-view': submitView,
  '/console/close-view': closeView,
  '/console/compose': sendComposerText,
};

/** `/archives/C0DEPLOYS/p1795666898486000` (chat.getPermalink) → that message, in its thread if it is a reply. */
function openPermalink(req: IncomingMessage, res: ServerResponse, url: URL, deps: RouteDeps): void {
  const match = /^\/archives\/([A-Z0-9]+)\/p(\d{7,})$/.exec(url.pathname);
  if (!match?.[1] || !match[2]) {
    sendText(res, 404, 'text/plain; charset=utf-8', 'no such message');
    return;
  }
  const [, channel, digits] = match;
  const ts = `${digits.slice(0, -6)}.${digits.slice(-6)}`;
  const [message] = deps.model.slack.thread(channel, ts);
  const location = resolveLocation(deps.model, url.searchParams, lastUser(req));
  const threadTs = message?.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : undefined;
  const href = consoleHref({ user: location.user, channel, ...(threadTs ? { thread: threadTs } : {}) });
  redirect(res, `${href}#${messageAnchor(ts)}`);
}

const GET_ROUTES: Record<string, Handler> = {
  '/': (req, res, url, { model }) => {
    const location = resolveLocation(model, url.searchParams, lastUser(req));
    res.setHeader('set-cookie', `${USER_COOKIE}=${location.user}; Path=/; SameSite=Strict; HttpOnly`);
    sendText(
      res,
      200,
      'text/html; charset=utf-8',
      renderPage(model, location, renderRegions(model, location)),
    );
  },
  '/console/regions': (_req, res, url, { model }) => {
    sendJson(res, 200, renderRegions(model, resolveLocation(model, url.searchParams)));
  },
  '/console/events': (req, res, _url, { live }) => live.attach(req, res),
  '/console/assets/console.css': (_req, res, _url, { assets }) =>
    sendText(res, 200, 'text/css; charset=utf-8', assets.css),
  '/console/assets/console-client.js': (_req, res, _url, { assets }) =>
    sendText(res, 200, 'text/javascript; charset=utf-8', assets.script),
  '/favicon.ico': (_req, res) => {
    res.writeHead(204);
    res.end();
  },
};

async function handlePost(req: IncomingMessage, res: ServerResponse, url: URL, deps: RouteDeps) {
  const body = await readJsonBody(req);
  const scenario = /^\/console\/scenario\/([a-z0-9-]+)$/.exec(url.pathname);
  if (scenario?.[1]) return sendJson(res, 200, await runScenario(deps.model, scenario[1], body));
  const action = POST_ACTIONS[url.pathname];
  if (!action) throw new RequestError(404, 'not found');
  sendJson(res, 200, (await action(deps.model, body)) ?? {});
}

export async function routeConsoleRequest(req: IncomingMessage, res: ServerResponse, deps: RouteDeps) {
  const url = new URL(req.url ?? '/', 'http://console.invalid');
  try {
    if (req.method === 'POST') return await handlePost(req, res, url, deps);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new RequestError(405, 'method not allowed');
    if (url.pathname.startsWith('/archives/')) return openPermalink(req, res, url, deps);
    const handler = GET_ROUTES[url.pathname];
    if (!handler) throw new RequestError(404, 'not found');
    await handler(req, res, url, deps);
  } catch (error) {
    const status = error instanceof RequestError ? error.status : 500;
    if (status === 500)
      process.stderr.write(`console: ${req.method} ${url.pathname} failed: ${String(error)}\n`);
    if (!res.headersSent) sendJson(res, status, { error: (error as Error).message });
    else res.end();
  }
}
