import { randomBytes, randomInt } from 'node:crypto';

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM_MIXED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Formats microseconds since the epoch as a Slack ts: `1767225600.000100`. */
export function formatTs(micros: bigint): string {
  const seconds = micros / 1_000_000n;
  const fraction = micros % 1_000_000n;
  return `${seconds}.${fraction.toString().padStart(6, '0')}`;
}

/** Slack ts values are unique per channel and increase; one counter for the whole fake keeps both true. */
export function createTsClock(now: () => number): () => string {
  let last = 0n;
  return () => {
    const candidate = BigInt(Math.floor(now())) * 1000n;
    last = candidate > last ? candidate : last + 1n;
    return formatTs(last);
  };
}

/** Slack's IDs: a type letter and upper-case alphanumerics (`V0123ABCDEF`). */
export function createSlackId(prefix: string, length = 10): string {
  return prefix + randomString(ALNUM_UPPER, length);
}

/** The shape of a real trigger_id: `8123456789012.1234567890123.0123456789abcdef0123456789abcdef`. */
export function createTriggerId(): string {
  const digits = (n: number) => randomString('0123456789', n);
  return `${digits(13)}.${digits(13)}.${randomBytes(16).toString('hex')}`;
}

/** Slack fills in a short random block_id (and action_id) when the app sends none. */
export function createBlockId(): string {
  return randomString(ALNUM_MIXED, 5);
}

export function createUrlSecret(): string {
  return randomString(ALNUM_MIXED, 24);
}

export function createViewHash(nowMs: number): string {
  return `${Math.floor(nowMs / 1000)}.${randomString(ALNUM_MIXED, 8)}`;
}
