import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/create-logger.js';
import { PEM_WINDOW } from '../../../src/logging/scrub-secrets.js';

// Item 6 of the security review (issue 12): the scrubber compared raw values with JSON lines, so a
// PEM key (its newlines are written `\n`) or a secret holding `"` or `\` went out in clear.

/** A GitHub App key as GitHub hands it out: PKCS#1, "BEGIN RSA PRIVATE KEY", 64-character lines. */
const PEM = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
}).privateKey;
const BODY_LINES = PEM.split('\n').filter((line) => line && !line.startsWith('-----'));
const BODY = BODY_LINES.join('');
const QUOTED = 'webhook"secret\\with-quote-and-backslash';

function capture(secrets: string[]) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    secrets,
    destination: { write: (l: string) => lines.push(l) },
  });
  return { logger, output: () => lines.join(''), lines };
}

/** Every run of PEM_WINDOW body characters, looked for with the line breaks of the output taken out. */
function pemLeaks(output: string): string[] {
  const flat = output.replace(/\\+[nr]|\s/g, '');
  const leaks: string[] = [];
  for (let k = 0; k + PEM_WINDOW <= BODY.length; k += 4) {
    const window = BODY.slice(k, k + PEM_WINDOW);
    if (flat.includes(window)) leaks.push(window);
  }
  return leaks;
}

describe('createLogger censors secrets in every form they are written in', () => {
  it('control: the test key is real and the checks below would see it', () => {
    expect(PEM).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(BODY_LINES.length).toBeGreaterThan(20);
    expect(pemLeaks(JSON.stringify({ msg: PEM })).length).toBeGreaterThan(100);
  });

  it('a PEM private key inside an error message (message and stack)', () => {
    const { logger, output, lines } = capture([PEM]);
    logger.error({ err: new Error(`could not sign the app JWT with ${PEM}`) }, 'GitHub App auth failed');
    for (const line of BODY_LINES) expect(output()).not.toContain(line);
    expect(pemLeaks(output())).toEqual([]);
    const entry = JSON.parse(lines[0]!);
    expect(entry.msg).toBe('GitHub App auth failed');
    expect(entry.err.message).toContain('could not sign the app JWT with');
    expect(entry.err.message).toContain('[Redacted]');
  });

  it('a PEM private key in a field of a logged object that no redaction path names', () => {
    const { logger, output } = capture([PEM]);
    logger.info({ app: { id: 12345, installation: { credentials: PEM } } }, 'GitHub App configured');
    expect(pemLeaks(output())).toEqual([]);
    expect(JSON.parse(output())).toMatchObject({ app: { id: 12345 } });
  });

  it('part of a PEM key: its beginning cut off mid-line, and a piece from the middle across a line break', () => {
    const { logger, output } = capture([PEM]);
    const start = PEM.slice(0, 150);
    const middle = PEM.slice(400, 470);
    expect(middle).toContain('\n');
    logger.warn(`key starts ${start}`);
    logger.warn({ fragment: middle }, 'a piece of the key');
    logger.warn(`one line without its first characters: ${BODY_LINES[5]!.slice(20)}`);
    expect(pemLeaks(output())).toEqual([]);
    expect(output()).not.toContain(BODY_LINES[5]!.slice(20));
  });

  it('a PEM key escaped twice (a JSON text holding it, logged as a string)', () => {
    const { logger, output } = capture([PEM]);
    logger.warn({ responseBody: JSON.stringify({ private_key: PEM }) }, 'unexpected answer');
    expect(pemLeaks(output())).toEqual([]);
  });

  it('a PEM key given with literal \\n (as pasted into an env file), logged either way', () => {
    const { logger, output } = capture([PEM.replace(/\n/g, '\\n')]);
    logger.warn(`decoded: ${PEM}`);
    logger.warn(`as given: ${PEM.replace(/\n/g, '\\n')}`);
    expect(pemLeaks(output())).toEqual([]);
  });

  it('a secret holding a quote and a backslash, in the message, an error, an object and nested JSON', () => {
    const { logger, output, lines } = capture([QUOTED]);
    logger.info(`token is ${QUOTED}`);
    logger.error({ err: new Error(`bad secret ${QUOTED}`) }, 'failed');
    logger.info({ config: { value: QUOTED } }, 'config');
    logger.info({ body: JSON.stringify({ secret: QUOTED }) }, 'nested');
    const text = output();
    expect(text).not.toContain(QUOTED);
    expect(text).not.toContain(JSON.stringify(QUOTED).slice(1, -1));
    expect(text).not.toContain(JSON.stringify(JSON.stringify(QUOTED).slice(1, -1)).slice(1, -1));
    expect(text).not.toContain('secret\\\\with');
    // Lines stay valid JSON and keep what is not secret.
    for (const line of lines) JSON.parse(line);
    expect(text).toContain('token is [Redacted]');
  });

  it('plain secrets are still censored, and nothing else is touched', () => {
    const { logger, output } = capture(['xoxb-plain-token-123', PEM]);
    logger.info({ token2: 'xoxb-plain-token-123', sha: 'a'.repeat(40), url: 'https://example.com/x' }, 'ok');
    const entry = JSON.parse(output());
    expect(entry.token2).toBe('[Redacted]');
    expect(entry.sha).toBe('a'.repeat(40));
    expect(entry.url).toBe('https://example.com/x');
    // Another key's body is not this key: only the shared DER prefix may be censored.
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }).privateKey;
    const { logger: second, output: secondOutput } = capture([PEM]);
    second.info({ other }, 'another key');
    expect(secondOutput()).toContain(other.split('\n')[10]);
  });
});
