import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../helpers/start-test-bot.js';
import { asBuffer, awkwardBody, contentType, headerValue, mutated } from './support/arbitraries.js';
import { type FuzzBot, startFuzzBot } from './support/fuzz-bot.js';
import { fuzzRuns, fuzzTimeout } from './support/fuzz-runs.js';
import { sendRaw } from './support/raw-http.js';

const RUNS = fuzzRuns(400);
const USED_EVENTS = [
  'workflow_run',
  'check_suite',
  'check_run',
  'status',
  'push',
  'pull_request',
  'deployment_status',
  'ping',
];

// Real payloads (GitHub's own examples) as the starting points for mutation.
const EXAMPLES = (
  JSON.parse(readFileSync('node_modules/@octokit/webhooks-examples/api.github.com/index.json', 'utf8')) as {
    name: string;
    examples: Record<string, unknown>[];
  }[]
)
  .filter((e) => USED_EVENTS.includes(e.name))
  .flatMap((e) => e.examples.slice(0, 3).map((example) => ({ name: e.name, example })));

const sign = (body: Buffer) =>
  `sha256=${createHmac('sha256', TEST_SECRETS.GITHUB_WEBHOOK_SECRET).update(body).digest('hex')}`;

let fuzz: FuzzBot;
beforeAll(async () => {
  fuzz = await startFuzzBot();
});
afterAll(async () => {
  await fuzz?.stop();
});

const eventName = fc.oneof(fc.constantFrom(...USED_EVENTS, 'issues', 'star', ''), headerValue(20));
const deliveryId = fc.oneof(fc.uuid(), headerValue(40));

function post(body: Buffer, headers: Record<string, string | undefined>) {
  return sendRaw(fuzz.port, {
    method: 'POST',
    path: '/github/events',
    headers: Object.fromEntries(
      Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined),
    ),
    body,
  });
}

describe('POST /github/events under fuzzing', () => {
  it(
    'correctly signed, any body, event name, delivery id and content type: 202 or 400, never 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          awkwardBody,
          eventName,
          fc.option(deliveryId),
          contentType,
          async (raw, name, id, type) => {
            const body = asBuffer(raw);
            const response = await post(body, {
              'x-hub-signature-256': sign(body),
              'x-github-event': name,
              'x-github-delivery': id ?? undefined,
              'content-type': type,
            });
            expect([202, 400]).toContain(response.status);
          },
        ),
        { numRuns: RUNS },
      );
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(RUNS, 5),
  );

  it(
    'real payloads with fields dropped or replaced, correctly signed: 202 or 400 naming the field',
    async () => {
      const exampleArb = fc
        .constantFrom(...EXAMPLES)
        .chain(({ name, example }) => mutated(example).map((payload) => ({ name, payload })));
      await fc.assert(
        fc.asyncProperty(exampleArb, fc.uuid(), async ({ name, payload }, id) => {
          const body = Buffer.from(JSON.stringify(payload));
          const response = await post(body, {
            'x-hub-signature-256': sign(body),
            'x-github-event': name,
            'x-github-delivery': id,
            'content-type': 'application/json',
          });
          expect([202, 400]).toContain(response.status);
        }),
        { numRuns: RUNS },
      );
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(RUNS, 5),
  );

  it(
    'any signature header but the right one: 401, whatever the body',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          awkwardBody,
          fc.oneof(
            headerValue(),
            headerValue().map((v) => `sha256=${v}`),
            fc.stringMatching(/^sha256=[0-9a-f]{64}$/),
            fc.constant(undefined),
          ),
          async (raw, signature) => {
            const body = asBuffer(raw);
            fc.pre(signature !== sign(body));
            const response = await post(body, {
              'x-hub-signature-256': signature,
              'x-github-event': 'push',
              'x-github-delivery': 'fuzz',
              'content-type': 'application/json',
            });
            expect(response.status).toBe(401);
          },
        ),
        { numRuns: RUNS },
      );
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(RUNS, 5),
  );
});
