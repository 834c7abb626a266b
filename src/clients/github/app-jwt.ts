import { createPrivateKey, createSign } from 'node:crypto';

/** Backdated as GitHub's docs recommend, so a clock a little ahead of GitHub's is not "in the future". */
const BACKDATE_S = 60;
/** GitHub's limit is 10 minutes after iat; 9 leaves room for a clock a little behind. */
const LIFETIME_S = 9 * 60;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * The RS256 app JWT that buys an installation token (and nothing else: it is sent to
 * /app/installations/{id}/access_tokens only). `privateKey` is the PEM GitHub hands out (PKCS#1)
 * or PKCS#8; env files often carry it with literal "\n", which are turned back into newlines.
 */
export function createAppJwt(appId: string, privateKey: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000) - BACKDATE_S;
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat, exp: iat + BACKDATE_S + LIFETIME_S, iss: appId }));
  const key = createPrivateKey(privateKey.includes('\\n') ? privateKey.replaceAll('\\n', '\n') : privateKey);
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key);
  return `${header}.${payload}.${base64url(signature)}`;
}
