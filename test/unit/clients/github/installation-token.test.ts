import { createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAppJwt } from '../../../../src/clients/github/app-jwt.js';
import {
  type InstallationTokenGrant,
  InstallationTokens,
} from '../../../../src/clients/github/installation-token.js';
import { createLogger } from '../../../../src/logging/create-logger.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** A clock the test moves, and an exchange that counts its calls and can be made to fail. */
function rig(options: { lifetimeMs?: number } = {}) {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } });
  let now = 1_000_000;
  let calls = 0;
  let fail = false;
  let gate: Promise<void> | undefined;
  const exchange = async (): Promise<InstallationTokenGrant> => {
    calls += 1;
    const n = calls;
    await gate;
    if (fail)
      throw new Error(
        'GitHub answered 401 to the installation token request: A JSON web token could not be decoded',
      );
    return { token: `ghs_${n}`, expiresAtMs: now + (options.lifetimeMs ?? HOUR) };
  };
  const tokens = new InstallationTokens({ exchange, now: () => now, log, retryAfterMs: 10_000 });
  return {
    tokens,
    lines,
    advance: (ms: number) => {
      now += ms;
    },
    calls: () => calls,
    failing: (value: boolean) => {
      fail = value;
    },
    hold: () => {
      let release!: () => void;
      gate = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

describe('InstallationTokens', () => {
  it('keeps the token until 5 minutes before expires_at, then renews it', async () => {
    const r = rig();
    expect(await r.tokens.get()).toBe('ghs_1');
    r.advance(HOUR - 5 * MIN - 1);
    expect(await r.tokens.get()).toBe('ghs_1');
    expect(r.calls()).toBe(1);
    r.advance(1);
    expect(await r.tokens.get()).toBe('ghs_2');
    expect(r.calls()).toBe(2);
  });

  it('renews a short-lived token at half its lifetime, and never hands out an expired one', async () => {
    const r = rig({ lifetimeMs: 2000 });
    expect(await r.tokens.get()).toBe('ghs_1');
    r.advance(999);
    expect(await r.tokens.get()).toBe('ghs_1');
    r.advance(1);
    expect(await r.tokens.get()).toBe('ghs_2');
    r.advance(5000);
    expect(await r.tokens.get()).toBe('ghs_3');
  });

  it('runs one renewal at a time however many calls need it', async () => {
    const r = rig();
    const release = r.hold();
    const all = Promise.all([r.tokens.get(), r.tokens.get(), r.tokens.get()]);
    release();
    expect(await all).toEqual(['ghs_1', 'ghs_1', 'ghs_1']);
    expect(r.calls()).toBe(1);
  });

  it('a failed renewal is logged naming the GITHUB_APP_* variables; the live token is used meanwhile and the renewal retried', async () => {
    const r = rig();
    await r.tokens.get();
    r.advance(HOUR - 4 * MIN);
    r.failing(true);
    expect(await r.tokens.get()).toBe('ghs_1');
    expect(r.lines.join('\n')).toMatch(
      /GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID/,
    );
    expect(r.calls()).toBe(2);
    r.advance(5000);
    expect(await r.tokens.get()).toBe('ghs_1'); // within the retry pause: no new attempt
    expect(r.calls()).toBe(2);
    r.advance(5000);
    r.failing(false);
    expect(await r.tokens.get()).toBe('ghs_3');
  });

  it('with no live token a failed renewal fails the call instead of sending an expired token', async () => {
    const r = rig();
    await r.tokens.get();
    r.advance(HOUR);
    r.failing(true);
    await expect(r.tokens.get()).rejects.toThrow(/installation token request/);
    r.advance(10_000);
    r.failing(false);
    expect(await r.tokens.get()).toBe('ghs_3');
  });

  it('a token GitHub refused is dropped and renewed on the next call', async () => {
    const r = rig();
    await r.tokens.get();
    r.tokens.invalidate('ghs_1');
    expect(await r.tokens.get()).toBe('ghs_2');
  });
});

describe('createAppJwt', () => {
  it('signs RS256 with iss = app id, iat backdated 60 s and exp at most 10 minutes after iat', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const nowMs = Date.parse('2026-03-02T09:00:00Z');
    // Env files often carry the PEM on one line with literal "\n".
    for (const key of [privateKey, privateKey.replaceAll('\n', '\\n')]) {
      const [head, body, signature] = createAppJwt('123', key, nowMs).split('.') as [string, string, string];
      expect(JSON.parse(Buffer.from(head, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
      expect(claims).toEqual({ iss: '123', iat: nowMs / 1000 - 60, exp: nowMs / 1000 + 540 });
      expect(claims.exp - claims.iat).toBeLessThanOrEqual(600);
      const ok = createVerify('RSA-SHA256')
        .update(`${head}.${body}`)
        .verify(publicKey, Buffer.from(signature, 'base64url'));
      expect(ok).toBe(true);
    }
  });
});
