import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../helpers/start-test-bot.js';
import { awkwardBody, contentType, headerValue, mutated } from './support/arbitraries.js';
import { type FuzzBot, startFuzzBot } from './support/fuzz-bot.js';
import { fuzzRuns, fuzzTimeout } from './support/fuzz-runs.js';
import { sendRaw } from './support/raw-http.js';

const RUNS = fuzzRuns(400);
const AUTH = `Bearer ${TEST_SECRETS.ARGOCD_WEBHOOK_SECRET}`;
const VALID = {
  event: 'on-out-of-sync',
  app: 'event-ingestion-prod',
  appNamespace: 'argocd',
  project: 'gamemetrics',
  syncStatus: 'OutOfSync',
  healthStatus: 'Healthy',
  revision: 'a'.repeat(40),
  operationPhase: '',
  deliveredAt: '2026-11-26T04:00:00Z',
  application: { status: { operationState: { startedAt: '2026-11-26T04:00:00Z', phase: 'Running' } } },
};

let fuzz: FuzzBot;
beforeAll(async () => {
  fuzz = await startFuzzBot();
});
afterAll(async () => {
  await fuzz?.stop();
});

const post = (body: string | Uint8Array, headers: Record<string, string | undefined>) =>
  sendRaw(fuzz.port, {
    method: 'POST',
    path: '/argocd/events',
    headers: Object.fromEntries(
      Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined),
    ),
    body,
  });

describe('POST /argocd/events under fuzzing', () => {
  it(
    'with the right secret, any body and content type: 202 or 400 (or 413), never 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(awkwardBody, contentType, async (body, type) => {
          const response = await post(body, { authorization: AUTH, 'content-type': type });
          expect([202, 400, 413]).toContain(response.status);
          expect(() => JSON.parse(response.body)).not.toThrow();
        }),
        { numRuns: RUNS },
      );
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(RUNS, 5),
  );

  it(
    'a valid notification with fields dropped or replaced: 202, or 400 naming the field',
    async () => {
      await fc.assert(
        fc.asyncProperty(mutated(VALID), async (notification) => {
          const response = await post(JSON.stringify(notification), {
            authorization: AUTH,
            'content-type': 'application/json',
          });
          expect([202, 400]).toContain(response.status);
          if (response.status === 400) expect(JSON.parse(response.body)).toHaveProperty('error');
        }),
        { numRuns: RUNS },
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(RUNS, 5),
  );

  it(
    'any Authorization header but the right one: 401 (or 413), whatever the body',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            headerValue(),
            headerValue().map((v) => `Bearer ${v}`),
            fc.constant(undefined),
            fc.nat({ max: AUTH.length - 1 }).map((n) => AUTH.slice(0, n)),
          ),
          awkwardBody,
          async (authorization, body) => {
            fc.pre(authorization !== AUTH);
            const response = await post(body, { authorization, 'content-type': 'application/json' });
            expect([401, 413]).toContain(response.status);
          },
        ),
        { numRuns: RUNS },
      );
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(RUNS, 5),
  );
});
