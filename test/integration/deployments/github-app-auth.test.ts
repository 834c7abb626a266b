import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';

// The sandbox's fake GitHub serves no /app/installations/{id}/access_tokens, so this test runs its own
// tiny GitHub: it checks the App JWT with the public key and hands out an installation token.
const APP_ID = '424242';
const INSTALLATION_ID = '77';
const INSTALLATION_TOKEN = 'ghs_installationtoken000000000000000';
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

interface Seen {
  method: string;
  path: string;
  authorization?: string;
  body?: unknown;
}

function verifyAppJwt(authorization: string | undefined): { iss?: string } | undefined {
  const jwt = /^bearer (.+)$/i.exec(authorization ?? '')?.[1];
  const [header, payload, signature] = jwt?.split('.') ?? [];
  if (!header || !payload || !signature) return undefined;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(createPublicKey(publicKey), Buffer.from(signature, 'base64url'))) return undefined;
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: string };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let bot: TestBot;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const entry: Seen = {
      method: req.method ?? '',
      path,
      authorization: req.headers.authorization,
      body: await readJson(req),
    };
    seen.push(entry);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && path === `/app/installations/${INSTALLATION_ID}/access_tokens`) {
      const claims = verifyAppJwt(req.headers.authorization);
      if (String(claims?.iss) !== APP_ID)
        return send(401, { message: 'A JSON web token could not be decoded' });
      return send(201, {
        token: INSTALLATION_TOKEN,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: { deployments: 'write', contents: 'read', checks: 'read', statuses: 'read' },
        repository_selection: 'all',
      });
    }
    if (req.headers.authorization !== `token ${INSTALLATION_TOKEN}`)
      return send(401, { message: 'Bad credentials' });
    if (req.method === 'POST' && path === '/repos/acme/gitops/deployments') return send(201, { id: 901 });
    return send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bot = await startTestBot({
    env: {
      GITHUB_TOKEN: undefined,
      GITHUB_APP_ID: APP_ID,
      GITHUB_APP_PRIVATE_KEY: privateKey,
      GITHUB_APP_INSTALLATION_ID: INSTALLATION_ID,
      GITHUB_API_URL: baseUrl,
    },
  });
});
afterAll(async () => {
  await bot?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

describe('GitHub App auth from the environment', () => {
  it('GITHUB_APP_* give an installation-authenticated client: the App JWT buys the token, the token makes the calls', async () => {
    const github = bot.bot.context.github;
    expect(github).toBeDefined();
    const id = await github!.createDeployment(
      { owner: 'acme', name: 'gitops' },
      { sha: 'a'.repeat(40), environment: 'prod/web', production: true, description: 'test' },
    );
    expect(id).toBe(901);
    const exchange = seen.filter((s) => s.path.endsWith('/access_tokens'));
    expect(exchange).toHaveLength(1);
    expect(verifyAppJwt(exchange[0]!.authorization)?.iss).toBe(APP_ID);
    const create = seen.find((s) => s.path === '/repos/acme/gitops/deployments')!;
    expect(create.authorization).toBe(`token ${INSTALLATION_TOKEN}`);
    expect(create.body).toMatchObject({ ref: 'a'.repeat(40), auto_merge: false, required_contexts: [] });
    // The private key and the installation token never reach the logs.
    const logs = bot.logs.join('\n');
    expect(logs).not.toContain(INSTALLATION_TOKEN);
    expect(logs).not.toContain(privateKey.split('\n')[1]!);
  });
});
