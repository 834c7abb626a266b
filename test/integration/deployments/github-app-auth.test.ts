import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../../../sandbox/fake-github/index.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';

// The sandbox's fake GitHub in app mode: it verifies the App JWT with the public key and accepts
// only its live installation tokens on API routes.
const APP_ID = '424242';
const INSTALLATION_ID = '77';
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

let github: FakeGitHub;
let bot: TestBot;

beforeAll(async () => {
  github = await startFakeGitHub({ app: { appId: APP_ID, publicKey, installationId: INSTALLATION_ID } });
  github.repo('acme/gitops').commit({
    message: 'init',
    author: { login: 'alice', name: 'Alice', email: 'alice@example.com' },
    files: { 'k8s/app.yaml': 'image: app:1\n' },
  });
  bot = await startTestBot({
    env: {
      GITHUB_TOKEN: undefined,
      GITHUB_APP_ID: APP_ID,
      GITHUB_APP_PRIVATE_KEY: privateKey,
      GITHUB_APP_INSTALLATION_ID: INSTALLATION_ID,
      GITHUB_API_URL: github.url,
    },
  });
});
afterAll(async () => {
  await bot?.stop();
  await github?.close();
});

describe('GitHub App auth from the environment', () => {
  it('GITHUB_APP_* give an installation-authenticated client: the App JWT buys the token, the token makes the calls', async () => {
    const client = bot.bot.context.github;
    expect(client).toBeDefined();
    const sha = github.repo('acme/gitops').headOf('main')!;
    const id = await client!.createDeployment(
      { owner: 'acme', name: 'gitops' },
      { sha, environment: 'prod/web', production: true, description: 'test' },
    );
    expect(id).toBeGreaterThan(0);
    await client!.createDeployment(
      { owner: 'acme', name: 'gitops' },
      { sha, environment: 'prod/api', production: true, description: 'test' },
    );
    const exchange = github.requests.filter((r) => r.path.endsWith('/access_tokens'));
    expect(exchange.map((r) => [r.path, r.auth.kind, r.status])).toEqual([
      [`/app/installations/${INSTALLATION_ID}/access_tokens`, 'jwt', 201],
    ]);
    // The JWT is sent to the token exchange only; every other call carries the one installation token.
    const others = github.requests.filter((r) => !r.path.endsWith('/access_tokens'));
    expect(others.length).toBeGreaterThanOrEqual(2);
    for (const request of others)
      expect(request.auth).toEqual({ kind: 'installation', tokenIndex: 1, expired: false });
    // The private key and the installation token never reach the logs.
    const logs = bot.logs.join('\n');
    expect(logs).not.toContain(github.app!.tokens[0]!.token);
    expect(logs).not.toContain(privateKey.split('\n')[1]!);
  });

  it('a refused token exchange fails the call, and is logged naming GITHUB_APP_* (never the key); retry timing is in the unit test', async () => {
    const { privateKey: wrongKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const other = await startTestBot({
      env: {
        GITHUB_TOKEN: undefined,
        GITHUB_APP_ID: APP_ID,
        GITHUB_APP_PRIVATE_KEY: wrongKey,
        GITHUB_APP_INSTALLATION_ID: INSTALLATION_ID,
        GITHUB_API_URL: github.url,
      },
    });
    try {
      const before = github.requests.length;
      const sha = github.repo('acme/gitops').headOf('main')!;
      await expect(
        other.bot.context.github!.createDeployment(
          { owner: 'acme', name: 'gitops' },
          { sha, environment: 'prod/x', production: true, description: 'test' },
        ),
      ).rejects.toThrow(/A JSON web token could not be decoded/);
      const sent = github.requests.slice(before);
      // Nothing but the exchange was sent: without a token no API call goes out.
      expect(sent.map((r) => [r.path, r.status])).toEqual([
        [`/app/installations/${INSTALLATION_ID}/access_tokens`, 401],
      ]);
      const logs = other.logs.join('\n');
      expect(logs).toMatch(
        /installation token renewal failed: check GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID/,
      );
      expect(logs).not.toContain(wrongKey.split('\n')[1]!);
    } finally {
      await other.stop();
    }
  });
});
