import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type ApiRouterDeps, handleApiRequest } from './api-router.js';
import { sendJson } from './http-io.js';
import { handleResponseUrl, type ResponseUrlDeps } from './response-url-handler.js';

export interface ServerDeps {
  api: ApiRouterDeps;
  responseUrl: ResponseUrlDeps;
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
}

const API_PATH = /^\/api\/([A-Za-z0-9._]+)$/;
const RESPONSE_PATH = /^\/response\/([A-Za-z0-9]+)$/;

async function route(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake-slack.invalid');
  const api = API_PATH.exec(url.pathname);
  if (api?.[1] && (req.method === 'POST' || req.method === 'GET')) {
    return handleApiRequest(req, res, url, api[1], deps.api);
  }
  const response = RESPONSE_PATH.exec(url.pathname);
  if (response?.[1] && req.method === 'POST')
    return handleResponseUrl(req, res, response[1], deps.responseUrl);
  if (deps.fallback) return deps.fallback(req, res);
  sendJson(res, 404, { ok: false, error: 'not_found' });
}

export function createFakeSlackServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    route(req, res, deps).catch((error: unknown) => {
      process.stderr.write(`fake-slack: ${req.method} ${req.url} failed: ${String(error)}\n`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error' });
      else res.end();
    });
  });
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('fake-slack: no TCP address'));
      else resolve(address.port);
    });
  });
}
