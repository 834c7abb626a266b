import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { grpcCodeForStatus } from './api-error.js';
import { type ApiRequest, type ApiResponse, handleApiRequest } from './api-pipeline.js';
import type { HandlerDeps } from './handler-context.js';
import type { FaultSpec, RecordedRequest } from './types.js';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
// The demo polls for hours; keep the log bounded.
const MAX_RECORDED_REQUESTS = 5000;

interface ArmedFault extends FaultSpec {
  remaining: number;
}

export interface TransportState {
  latencyMs: number;
  faults: ArmedFault[];
  requests: RecordedRequest[];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseQuery(search: URLSearchParams): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  for (const [key, value] of search) query[key] = [...(query[key] ?? []), value];
  return query;
}

function parseForRecord(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function takeFault(state: TransportState, method: string, path: string): ArmedFault | undefined {
  const fault = state.faults.find(
    (f) =>
      f.remaining > 0 &&
      (!f.method || f.method.toUpperCase() === method) &&
      (!f.pathPrefix || path.startsWith(f.pathPrefix)),
  );
  if (!fault) return undefined;
  fault.remaining -= 1;
  state.faults = state.faults.filter((f) => f.remaining > 0);
  return fault;
}

function faultResponse(fault: ArmedFault): ApiResponse {
  const status = fault.status ?? 500;
  const body = fault.body ?? {
    error: `injected fault ${status}`,
    code: grpcCodeForStatus(status),
    message: `injected fault ${status}`,
  };
  const isText = typeof body === 'string';
  return {
    status,
    contentType: isText ? 'text/plain; charset=utf-8' : 'application/json',
    text: isText ? body : JSON.stringify(body),
    parsedBody: body,
    unknownRoute: false,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startHttpServer(
  host: string,
  port: number,
  state: TransportState,
  deps: HandlerDeps,
  tokens: Record<string, string>,
  clock: () => Date,
): Promise<{ server: Server; port: number }> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake-argocd');
    const method = (req.method ?? 'GET').toUpperCase();
    const rawBody = await readBody(req);
    const record: RecordedRequest = {
      at: clock().toISOString(),
      method,
      path: url.pathname,
      query: parseQuery(url.searchParams),
      headers: {
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        cookie: req.headers.cookie,
        userAgent: req.headers['user-agent'],
      },
      body: parseForRecord(rawBody),
      status: 0,
      unknownRoute: false,
    };
    state.requests.push(record);
    if (state.requests.length > MAX_RECORDED_REQUESTS)
      state.requests.splice(0, state.requests.length - MAX_RECORDED_REQUESTS);
    const fault = takeFault(state, method, url.pathname);
    await sleep(state.latencyMs + (fault?.delayMs ?? 0));
    if (fault?.applyAfterMs !== undefined) {
      // The client gets the fault; the API server still carries the request out a little later.
      const late: ApiRequest = {
        method,
        pathname: url.pathname,
        query: record.query,
        headers: req.headers,
        rawBody,
      };
      setTimeout(() => void handleApiRequest(late, deps, tokens).catch(() => {}), fault.applyAfterMs).unref();
    }
    if (fault?.dropConnection) {
      record.injectedFault = true;
      req.socket.destroy();
      return;
    }
    const apiRequest: ApiRequest = {
      method,
      pathname: url.pathname,
      query: record.query,
      headers: req.headers,
      rawBody,
    };
    const response = fault ? faultResponse(fault) : await handleApiRequest(apiRequest, deps, tokens);
    record.status = response.status;
    record.unknownRoute = response.unknownRoute;
    if (response.contractViolation) record.contractViolation = response.contractViolation;
    if (fault) record.injectedFault = true;
    if (response.unknownRoute)
      process.stderr.write(`[fake-argocd] unknown route: ${method} ${url.pathname}\n`);
    res.writeHead(response.status, {
      'Content-Type': response.contentType,
      'Content-Length': Buffer.byteLength(response.text),
      ...(response.status === 415 ? { 'X-Content-Type-Options': 'nosniff' } : {}),
    });
    res.end(response.text);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`fake-argocd crashed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
