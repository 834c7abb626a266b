import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logging/create-logger.js';
import type { HttpMetrics } from './http-metrics.js';
import { mayHaveBody } from './read-body.js';
import type { Route, RouteResult } from './route.js';
import { sendJson, sendText } from './send.js';

export interface HttpServer {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, waits for in-flight requests up to the deadline, then closes idle sockets. */
  close(deadlineMs: number): Promise<void>;
  /** Requests received and not yet answered (background work yields to them). */
  inFlight(): number;
}

export interface HttpTimeouts {
  /** A connection whose request headers are not complete by then is closed (408). */
  headersMs: number;
  /** A connection whose request (headers and body) is not complete by then is closed (408). */
  requestMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveMs: number;
  /** After an answer given before the body was read, how long what still arrives is read and dropped. */
  lingerMs: number;
}

/** The production values (INTERFACE.md, Hardening); tests pass shorter ones. */
export const HTTP_TIMEOUTS: Readonly<HttpTimeouts> = Object.freeze({
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  lingerMs: 2_000,
});

/**
 * Ends the connection after an answer given while the request body may still be arriving (a refusal
 * from the headers, a body over the limit, no budget left). Reading on for the next request could take
 * as long as the client likes; but Node destroys the socket as soon as a `Connection: close` answer is
 * written, the kernel then resets the connection for the bytes still coming, and a client that is
 * still uploading loses the answer (measured: 50 of 50). So the answer says `Connection: close`, the
 * socket is half-closed after it, what still arrives is dropped for up to `lingerMs`, then it is closed.
 */
function closeAfterAnswer(req: IncomingMessage, res: ServerResponse, lingerMs: number): void {
  if (res.headersSent) return;
  res.setHeader('connection', 'close');
  const socket = req.socket;
  // Node's server calls destroySoon() once the last answer on a socket is written.
  socket.destroySoon = () => {
    socket.end();
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy());
  };
}

function write(res: ServerResponse, result: RouteResult): void {
  if (result.text !== undefined) sendText(res, result.status, result.text, result.contentType);
  else if (result.body !== undefined) sendJson(res, result.status, result.body, result.headers);
  else {
    res.writeHead(result.status, result.headers);
    res.end();
  }
}

export function createHttpServer({
  routes,
  metrics,
  logger,
  timeouts = HTTP_TIMEOUTS,
}: {
  routes: Route[];
  metrics: HttpMetrics;
  logger: Logger;
  timeouts?: HttpTimeouts;
}): HttpServer {
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const answer = (req: IncomingMessage, res: ServerResponse, send: () => void) => {
    if (!req.complete && mayHaveBody(req)) closeAfterAnswer(req, res, timeouts.lingerMs);
    send();
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes.find((r) => r.path === path && r.method === req.method);
    const knownPath = routes.some((r) => r.path === path);
    const name = route?.name ?? 'unknown';
    inFlight++;
    let outcome = 'error';
    res.on('close', () => {
      inFlight--;
      metrics.observe(name, outcome, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
      if (inFlight === 0) drained?.();
    });
    if (!route) {
      outcome = knownPath ? 'method_not_allowed' : 'not_found';
      answer(req, res, () => {
        if (knownPath) sendJson(res, 405, { error: `method ${req.method} not allowed on ${path}` });
        else sendJson(res, 404, { error: `no route ${path}` });
      });
      return;
    }
    route
      .handle(req, res)
      .then((result) => {
        if (result) {
          outcome = result.outcome;
          answer(req, res, () => write(res, result));
        } else outcome = `http_${res.statusCode}`;
      })
      .catch((error: unknown) => {
        // Bad input is answered inside the handlers; reaching here is our bug, so say so and log it.
        logger.error({ err: error, route: name }, 'unhandled error in route');
        outcome = 'internal_error';
        answer(req, res, () => sendJson(res, 500, { error: 'internal error' }));
      });
  };
  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // Node checks both timeouts only this often (default 30 s, which made "10 s" up to 40 s).
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(timeouts.headersMs / 10))),
    },
    onRequest,
  );
  // No automatic `100 Continue`: readBody sends it once a route has checked the headers and wants the body.
  server.on('checkContinue', onRequest);
  return {
    server,
    inFlight: () => inFlight,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: async (deadlineMs) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise((resolve) => setTimeout(resolve, deadlineMs)),
        ]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
