import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../../../sandbox/fake-github/index.js';

// Rules from GitHub's docs "Generating a JSON Web Token (JWT) for a GitHub App" and "Create an
// installation access token for an app"; the 401 messages are the ones GitHub answers.
const APP_ID = 31337;
const INSTALLATION = 4242;
const keys = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
const app = keys();
const stranger = keys();
const NOW_S = Math.floor(Date.parse('2026-03-02T09:00:00Z') / 1000);

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(claims: Record<string, unknown>, options: { key?: string; alg?: string } = {}): string {
  const head = `${b64({ alg: options.alg ?? 'RS256', typ: 'JWT' })}.${b64(claims)}`;
  const signature = createSign('RSA-SHA256')
    .update(head)
    .sign(options.key ?? app.privateKey)
    .toString('base64url');
  return `${head}.${signature}`;
}
const good = (over: Record<string, unknown> = {}) =>
  jwt({ iat: NOW_S - 60, exp: NOW_S + 540, iss: APP_ID, ...over });

describe('fake GitHub in GitHub App mode', () => {
  let fake: FakeGitHub;
  let nowMs = NOW_S * 1000;

  beforeEach(async () => {
    nowMs = NOW_S * 1000;
    fake = await startFakeGitHub({
      app: { appId: APP_ID, publicKey: app.publicKey, installationId: INSTALLATION, tokenLifetimeMs: 60_000 },
      now: () => new Date(nowMs),
    });
    fake.repo('acme/gitops');
  });
  afterEach(async () => {
    await fake.close();
  });

  const exchange = (credential: string | undefined, installation = INSTALLATION) =>
    fetch(`${fake.url}/app/installations/${installation}/access_tokens`, {
      method: 'POST',
      headers: credential ? { authorization: `Bearer ${credential}` } : {},
    });
  const getRepo = (token: string) =>
    fetch(`${fake.url}/repos/acme/gitops`, { headers: { authorization: `token ${token}` } });

  it('issues an installation token with expires_at for a valid app JWT (iss as number or string)', async () => {
    for (const iss of [APP_ID, String(APP_ID)]) {
      const response = await exchange(good({ iss }));
      expect(response.status).toBe(201);
      const body = (await response.json()) as { token: string; expires_at: string; permissions: object };
      expect(body.token).toMatch(/^ghs_/);
      expect(body.expires_at).toBe(new Date(nowMs + 60_000).toISOString().replace('.000Z', 'Z'));
      expect(body.permissions).toMatchObject({ contents: 'write', deployments: 'write', metadata: 'read' });
    }
    expect(fake.app?.tokens.map((t) => t.index)).toEqual([1, 2]);
  });

  it.each([
    ['no Authorization', undefined, 'A JSON web token could not be decoded'],
    ['not a JWT', 'ghp_personaltoken', 'A JSON web token could not be decoded'],
    [
      'signed by another key',
      jwt({ iat: NOW_S, exp: NOW_S + 60, iss: APP_ID }, { key: stranger.privateKey }),
      'A JSON web token could not be decoded',
    ],
    ['another app id', good({ iss: APP_ID + 1 }), 'A JSON web token could not be decoded'],
    [
      'alg other than RS256',
      jwt({ iat: NOW_S, exp: NOW_S + 60, iss: APP_ID }, { alg: 'HS256' }),
      'A JSON web token could not be decoded',
    ],
    [
      'iat beyond 60 s of drift ahead',
      good({ iat: NOW_S + 61, exp: NOW_S + 300 }),
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    ],
    [
      'iat not an integer',
      good({ iat: String(NOW_S) }),
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    ],
    [
      'exp in the past',
      good({ iat: NOW_S - 600, exp: NOW_S - 1 }),
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    ],
    [
      'exp missing',
      jwt({ iat: NOW_S, iss: APP_ID }),
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    ],
    [
      'exp more than 10 min after iat',
      good({ iat: NOW_S - 60, exp: NOW_S + 541 }),
      "'Expiration time' claim ('exp') is too far in the future",
    ],
  ])('refuses %s with 401 and GitHub’s message', async (_name, credential, message) => {
    const response = await exchange(credential);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      message,
      documentation_url: 'https://docs.github.com/rest',
    });
    expect(fake.app?.tokens).toHaveLength(0);
  });

  it('accepts iat up to 60 s ahead (clock drift) and answers 404 for another installation', async () => {
    expect((await exchange(good({ iat: NOW_S + 60, exp: NOW_S + 600 }))).status).toBe(201);
    expect((await exchange(good(), INSTALLATION + 1)).status).toBe(404);
  });

  it('API routes take only a live installation token: not the JWT, not an expired token; the record names the token', async () => {
    const { token } = (await (await exchange(good())).json()) as { token: string };
    expect((await getRepo(token)).status).toBe(200);
    const withJwt = await getRepo(good());
    expect(withJwt.status).toBe(401);
    expect(await withJwt.json()).toMatchObject({ message: 'Bad credentials' });
    expect((await getRepo('ghs_unknown')).status).toBe(401);
    expect((await fetch(`${fake.url}/repos/acme/gitops`)).status).toBe(401);
    nowMs += 60_000;
    const expired = await getRepo(token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ message: 'Bad credentials' });
    expect(
      fake.requests.filter((r) => r.path === '/repos/acme/gitops').map((r) => [r.auth, r.status]),
    ).toEqual([
      [{ kind: 'installation', tokenIndex: 1, expired: false }, 200],
      [{ kind: 'jwt' }, 401],
      [{ kind: 'unknown' }, 401],
      [{ kind: 'none' }, 401],
      [{ kind: 'installation', tokenIndex: 1, expired: true }, 401],
    ]);
    expect(JSON.stringify(fake.requests)).not.toContain(token);
  });

  it('a new token lifetime applies to tokens issued from then on', async () => {
    fake.app?.setTokenLifetime(2000);
    const { expires_at } = (await (await exchange(good())).json()) as { expires_at: string };
    expect(Date.parse(expires_at)).toBe(nowMs + 2000);
  });
});
