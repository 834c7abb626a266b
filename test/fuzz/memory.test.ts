import { createHmac, randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../helpers/start-test-bot.js';
import { asBuffer, awkwardBody, contentType, headerValue } from './support/arbitraries.js';
import { type FuzzBot, startFuzzBot } from './support/fuzz-bot.js';
import { fuzzRuns, isLongRun } from './support/fuzz-runs.js';
import { type RawRequest, sendRaw } from './support/raw-http.js';

const REQUESTS = fuzzRuns(1000);
const MiB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let fuzz: FuzzBot;
beforeAll(async () => {
  fuzz = await startFuzzBot();
});
afterAll(async () => {
  await fuzz?.stop();
});

const k8sName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);

/** A mix of what reaches a bot on the internet: refused, invalid, accepted and unknown requests. */
const request: fc.Arbitrary<RawRequest> = fc.oneof(
  fc.tuple(awkwardBody, headerValue()).map(([body, signature]) => ({
    method: 'POST',
    path: '/slack/events',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
      'x-slack-signature': signature,
    },
    body,
  })),
  fc.tuple(k8sName, fc.uuid()).map(([app, hint]) => ({
    method: 'POST',
    path: '/argocd/events',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${TEST_SECRETS.ARGOCD_WEBHOOK_SECRET}`,
    },
    body: JSON.stringify({ event: 'on-out-of-sync', app, revision: hint }),
  })),
  fc.tuple(awkwardBody, contentType).map(([body, type]) => ({
    method: 'POST',
    path: '/argocd/events',
    headers: {
      authorization: `Bearer ${TEST_SECRETS.ARGOCD_WEBHOOK_SECRET}`,
      ...(type ? { 'content-type': type } : {}),
    },
    body,
  })),
  awkwardBody.map((raw) => {
    const body = asBuffer(raw);
    return {
      method: 'POST',
      path: '/github/events',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'status',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', TEST_SECRETS.GITHUB_WEBHOOK_SECRET).update(body).digest('hex')}`,
      },
      body,
    };
  }),
  fc.webPath().map((p) => ({ method: 'GET', path: `/${p.replace(/^\/+/, '')}` })),
);

async function sendAll(requests: RawRequest[], concurrency = 16): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const r = requests[next++] as RawRequest;
        statuses.push((await sendRaw(fuzz.port, r)).status);
      }
    }),
  );
  return statuses;
}

async function settledMemory(): Promise<{ heap: number; rss: number }> {
  // Accepted notifications leave background reads (Argo CD is unreachable here) to finish first.
  await fuzz.bot.bot.features.cards.queue.idle();
  await new Promise((r) => setTimeout(r, 200));
  collectGarbage();
  collectGarbage();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed, rss };
}

describe('memory under a long stream of hostile and ordinary requests', () => {
  it(
    `stays flat over ${REQUESTS} requests (heap after GC; RSS)`,
    async () => {
      const warmup = fc.sample(request, Math.ceil(REQUESTS / 5));
      const main = fc.sample(request, REQUESTS);
      expect((await sendAll(warmup)).every((s) => s < 500)).toBe(true);
      const before = await settledMemory();
      const statuses = await sendAll(main);
      const after = await settledMemory();
      expect(statuses.every((s) => s < 500)).toBe(true);
      expect(await fuzz.alive()).toBe(true);
      const heapGrowth = (after.heap - before.heap) / MiB;
      const rssGrowth = (after.rss - before.rss) / MiB;
      // The nightly run sends 20 000: a leak of a few hundred bytes per request shows there.
      expect(heapGrowth, `heap grew ${heapGrowth.toFixed(1)} MiB`).toBeLessThan(isLongRun() ? 16 : 32);
      expect(rssGrowth, `RSS grew ${rssGrowth.toFixed(1)} MiB`).toBeLessThan(isLongRun() ? 64 : 128);
    },
    Math.max(60_000, REQUESTS * 20),
  );
});
