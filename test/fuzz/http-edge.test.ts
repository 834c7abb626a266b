import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awkwardBody, headerName, headerValue } from './support/arbitraries.js';
import { type FuzzBot, startFuzzBot } from './support/fuzz-bot.js';
import { fuzzRuns, fuzzTimeout } from './support/fuzz-runs.js';
import { sendBytes, sendRaw } from './support/raw-http.js';

const RUNS = fuzzRuns(400);
const ROUTES = ['/slack/events', '/argocd/events', '/github/events', '/healthz', '/readyz', '/metrics'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND'];

let fuzz: FuzzBot;
beforeAll(async () => {
  fuzz = await startFuzzBot();
});
afterAll(async () => {
  await fuzz?.stop();
});

const path = fc.oneof(
  fc.constantFrom(...ROUTES),
  fc.constantFrom(...ROUTES).chain((route) => fc.webQueryParameters().map((q) => `${route}?${q}`)),
  fc.webPath().map((p) => p || '/'),
  fc.constantFrom(
    '//slack/events',
    '/slack/events/',
    '/SLACK/EVENTS',
    '/%2e%2e/metrics',
    '/slack%2fevents',
    '/*',
  ),
);

describe('the HTTP edge under fuzzing', () => {
  it(
    'any method, path, headers and body: never a 5xx; unknown paths 404, wrong methods 405',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...METHODS),
          path,
          fc.dictionary(headerName, headerValue(), { maxKeys: 5 }),
          fc.option(awkwardBody),
          async (method, target, headers, body) => {
            const response = await sendRaw(fuzz.port, {
              method,
              path: target,
              headers,
              body: body ?? undefined,
            });
            expect(response.status).toBeLessThan(500);
            const route = target.split('?')[0] ?? '';
            if (!ROUTES.includes(route)) expect(response.status).toBe(404);
            else if (method !== 'POST' && route.endsWith('/events')) expect(response.status).toBe(405);
          },
        ),
        { numRuns: RUNS },
      );
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(RUNS, 5),
  );

  it(
    'repeated signature and auth headers are refused, not merged into something valid',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/slack/events', '/argocd/events', '/github/events'),
          fc.array(headerValue(), { minLength: 2, maxLength: 3 }),
          awkwardBody,
          async (route, values, body) => {
            const response = await sendRaw(fuzz.port, {
              method: 'POST',
              path: route,
              headers: {
                authorization: values,
                'x-slack-signature': values,
                'x-slack-request-timestamp': values,
                'x-hub-signature-256': values,
                'x-github-event': 'push',
                'x-github-delivery': 'fuzz',
                'content-type': 'application/json',
              },
              body,
            });
            expect([400, 401, 413]).toContain(response.status);
          },
        ),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    },
    fuzzTimeout(RUNS, 5),
  );

  it(
    'bytes that are not HTTP at all do not take the server down',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 600 }),
            fc.string({ unit: 'binary-ascii', maxLength: 300 }).map((s) => Buffer.from(s, 'latin1')),
            fc.constantFrom(
              Buffer.from('POST /argocd/events HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n'),
              Buffer.from('POST /slack/events HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzzz\r\n'),
              Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\n'),
              Buffer.from(`GET /${'a'.repeat(70_000)} HTTP/1.1\r\n\r\n`),
            ),
          ),
          async (bytes) => {
            await sendBytes(fuzz.port, bytes, 200);
          },
        ),
        { numRuns: Math.ceil(RUNS / 4) },
      );
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(RUNS, 60),
  );
});
