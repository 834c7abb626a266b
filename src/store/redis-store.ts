import { randomUUID } from 'node:crypto';
import type { RedisTarget } from '../config/redis-url.js';
import { auditAppPart } from './keys.js';
import { connectRedis, type RedisClient, redisTarget, slotPrefix } from './redis-connection.js';
import {
  AUDIT_CAP,
  type AuditEntry,
  type AuditQuery,
  type Store,
  type StoredAuditEntry,
  type StoredDenialEntry,
  StoreUnavailableError,
  type Versioned,
  type WriteResult,
} from './store.js';

// Records are stored as `<version>|<writeId>|<json>`: the version check reads the header, never the JSON (a card
// is kilobytes; decoding it inside Redis on every change was most of a change's cost there). Records written before
// this format (`{"v":…,"w":…,"d":…}`) are still read and replaced on their next write. The version check and the
// write happen atomically in Redis. ioredis sends a command again when the connection dropped before its reply
// came back (it cannot know whether Redis ran it): a resent write finds the version it wrote itself, under its own
// write id, and says "written" instead of "someone else wrote first", which would make the caller redo (or give up)
// its change. On a conflict the script answers with the record as it is, so the caller's retry needs no GET.
const CAS_SCRIPT = `
local cur = redis.call('GET', KEYS[1])
local version = 0
local writer = false
if cur then
  if string.sub(cur, 1, 1) == '{' then
    local record = cjson.decode(cur)
    version = record['v']
    writer = record['w']
  else
    local a = string.find(cur, '|', 1, true)
    local b = string.find(cur, '|', a + 1, true)
    version = tonumber(string.sub(cur, 1, a - 1))
    writer = string.sub(cur, a + 1, b - 1)
  end
end
local expected = tonumber(ARGV[1])
if version ~= expected then
  if writer == ARGV[4] and version == expected + 1 then return {version} end
  return {-1, cur}
end
local next = version + 1
local payload = next .. '|' .. ARGV[4] .. '|' .. ARGV[2]
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], payload, 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], payload)
end
return {next}`;

/** The CAS script as an ioredis command (defineCommand adds it at run time). */
interface CasCommand {
  deploybotCas(key: string, ...args: string[]): Promise<unknown>;
}

/** A stored record, in either format (see CAS_SCRIPT). */
function decodeRecord<T>(raw: string): Versioned<T> {
  if (raw.startsWith('{')) {
    const legacy = JSON.parse(raw) as { v: number; d: T };
    return { value: legacy.d, version: legacy.v };
  }
  const a = raw.indexOf('|');
  const b = raw.indexOf('|', a + 1);
  return { value: JSON.parse(raw.slice(b + 1)) as T, version: Number(raw.slice(0, a)) };
}

// SET NX with a value unique to the caller: when the SET is a resend of one that already succeeded, the key
// holds the caller's own value, and that is success, not "taken" (a lock would otherwise stay blocked for its
// whole TTL by a holder who does not know it holds it, and a delivery would be dropped as a duplicate of itself).
const SET_NX_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 0`;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export interface RedisStoreOptions {
  /** REDIS_URL: one server, Sentinel (`redis+sentinel://`) or Cluster (`redis+cluster://`). */
  url: string;
  prefix?: string;
  /** How long a command may wait for a lost connection before it fails (so callers can fail closed). */
  commandTimeoutMs?: number;
}

export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly client: RedisClient;
  readonly topology: RedisTarget['kind'];
  /** The prefix as sent to Redis (on a Cluster, one hash tag: see slotPrefix). */
  readonly prefix: string;

  constructor({ url, prefix = 'deploybot:', commandTimeoutMs = 2000 }: RedisStoreOptions) {
    const target = redisTarget(url);
    this.topology = target.kind;
    this.prefix = slotPrefix(prefix, target);
    this.client = connectRedis(target, { commandTimeoutMs });
    // ioredis emits connection errors as events; the callers see failures as StoreUnavailableError.
    this.client.on('error', () => {});
    // EVALSHA after the first call: the script is not sent (and parsed by Redis) on every change.
    this.client.defineCommand('deploybotCas', { numberOfKeys: 1, lua: CAS_SCRIPT });
  }

  /** Waits until the first connection is up (or fails), so start-up can report a clear error. */
  async ready(timeoutMs = 5000): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new StoreUnavailableError(new Error(`no connection within ${timeoutMs} ms`)));
      }, timeoutMs);
      const onReady = () => {
        cleanup();
        resolve();
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
      };
      this.client.on('ready', onReady);
    });
  }

  private key(key: string): string {
    return this.prefix + key;
  }

  private async run<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const raw = await this.run(() => this.client.get(this.key(key)));
    return raw === null ? undefined : decodeRecord<T>(raw);
  }

  async compareAndSet<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<number | undefined> {
    const result = await this.writeIfVersion(key, value, expectedVersion, ttlMs);
    return 'written' in result ? result.written : undefined;
  }

  async writeIfVersion<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<WriteResult<T>> {
    const [status, current] = await this.run(
      () =>
        (this.client as unknown as CasCommand).deploybotCas(
          this.key(key),
          String(expectedVersion),
          JSON.stringify(value),
          String(ttlMs ?? 0),
          // One id per call, so that a resend of this very call (same arguments) recognises its own write.
          randomUUID(),
        ) as Promise<[number, string | null | undefined]>,
    );
    if (status >= 0) return { written: status };
    return { conflict: typeof current === 'string' ? decodeRecord<T>(current) : undefined };
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.client.del(this.key(key)));
  }

  async markSeen(key: string, ttlMs: number): Promise<boolean> {
    return this.setIfAbsent(`seen:${key}`, randomUUID(), ttlMs);
  }

  /** SET NX PX that a resent copy of the same call also reports as its own success (see SET_NX_SCRIPT). */
  private async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const result = await this.run(
      () => this.client.eval(SET_NX_SCRIPT, 1, this.key(key), value, String(ttlMs)) as Promise<number>,
    );
    return result === 1;
  }

  async unmarkSeen(key: string): Promise<void> {
    await this.run(() => this.client.del(this.key(`seen:${key}`)));
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    return (await this.setIfAbsent(`lock:${key}`, token, ttlMs)) ? token : undefined;
  }

  async renewLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    const result = await this.run(
      () =>
        this.client.eval(RENEW_SCRIPT, 1, this.key(`lock:${key}`), token, String(ttlMs)) as Promise<number>,
    );
    return result === 1;
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    const result = await this.run(
      () => this.client.eval(RELEASE_SCRIPT, 1, this.key(`lock:${key}`), token) as Promise<number>,
    );
    return result === 1;
  }

  async addToSet(key: string, member: string): Promise<void> {
    await this.run(() => this.client.sadd(this.key(`set:${key}`), member));
  }

  async removeFromSet(key: string, member: string): Promise<void> {
    await this.run(() => this.client.srem(this.key(`set:${key}`), member));
  }

  async setMembers(key: string): Promise<string[]> {
    return this.run(() => this.client.smembers(this.key(`set:${key}`)));
  }

  async addTimed(key: string, member: string, at: number, retentionMs: number, now: number): Promise<void> {
    const zkey = this.key(`zset:${key}`);
    await this.run(() =>
      this.client
        .multi()
        .zadd(zkey, at, member)
        .zremrangebyscore(zkey, '-inf', `(${now - retentionMs}`)
        .pexpire(zkey, retentionMs)
        .exec(),
    );
  }

  async rangeTimed(key: string, from: number, to: number): Promise<string[]> {
    return this.run(() => this.client.zrangebyscore(this.key(`zset:${key}`), from, to));
  }

  async appendAudit(entry: AuditEntry): Promise<string> {
    const fields = ['e', JSON.stringify(entry)];
    const ids = await this.run(() =>
      this.client
        .multi()
        .xadd(this.key('audit'), 'MAXLEN', '~', String(AUDIT_CAP), '*', ...fields)
        .xadd(
          this.key(`audit:${auditAppPart(entry.app, entry.instance)}`),
          'MAXLEN',
          '~',
          String(AUDIT_CAP / 10),
          '*',
          ...fields,
        )
        .exec(),
    );
    return String(ids?.[0]?.[1] ?? '');
  }

  async readAudit({ app, instance, limit }: AuditQuery): Promise<StoredAuditEntry[]> {
    return this.readStream(this.key(app ? `audit:${auditAppPart(app, instance)}` : 'audit'), limit);
  }

  /**
   * The newest `limit` entries of an audit stream. A connection lost after Redis applied an XADD but
   * before the reply makes ioredis send it again: the copy carries the very same entry (same
   * millisecond, action, user), so it is shown once.
   */
  private async readStream(stream: string, limit: number): Promise<StoredAuditEntry[]> {
    const rows = await this.run(() => this.client.xrevrange(stream, '+', '-', 'COUNT', limit * 2));
    const seen = new Set<string>();
    const entries: StoredAuditEntry[] = [];
    for (const [id, fields] of rows) {
      const text = fields[1] ?? '{}';
      if (seen.has(text)) continue;
      seen.add(text);
      entries.push({ ...(JSON.parse(text) as AuditEntry), id });
      if (entries.length === limit) break;
    }
    return entries;
  }

  async appendDenial(entry: AuditEntry & { cardId: string }, ttlMs: number): Promise<number> {
    const count = await this.run(
      () =>
        this.client.eval(
          DENIAL_SCRIPT,
          3,
          this.key(`denial-count:${entry.cardId}`),
          this.key(`audit-denied:${auditAppPart(entry.app, entry.instance)}`),
          this.key('audit-denied'),
          denialField(entry),
          String(entry.at),
          String(ttlMs),
          JSON.stringify(entry),
          String(AUDIT_CAP / 10),
          String(AUDIT_CAP),
        ) as Promise<number>,
    );
    return Number(count);
  }

  async readDenials({ app, instance, limit }: AuditQuery): Promise<StoredDenialEntry[]> {
    const entries = await this.readStream(
      this.key(app ? `audit-denied:${auditAppPart(app, instance)}` : 'audit-denied'),
      limit,
    );
    if (entries.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const entry of entries) {
      const field = denialField(entry);
      pipeline.hmget(this.key(`denial-count:${entry.cardId ?? ''}`), field, `${field}|at`);
    }
    const counts = await this.run(() => pipeline.exec());
    return entries.map((entry, i) => {
      const [count, lastAt] = (counts?.[i]?.[1] as (string | null)[] | undefined) ?? [];
      // The counts expire with the card; the entry itself stays, as one refusal.
      return { ...entry, count: Number(count ?? 1), lastAt: Number(lastAt ?? entry.at) };
    });
  }

  async ping(): Promise<void> {
    await this.run(() => this.client.ping());
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}

/**
 * One refusal, atomically: count it per (card, user, action, rule) and append only the first to the app's
 * and the global refusal log, so a thousand clicks of one person leave one entry with a count.
 */
const DENIAL_SCRIPT = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('HSET', KEYS[1], ARGV[1] .. '|at', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if n == 1 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'e', ARGV[4])
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'e', ARGV[4])
end
return n`;

/** One count per user, action and rule on a card: a new reason to refuse is a new line. */
function denialField(entry: Pick<AuditEntry, 'user' | 'action' | 'rule'>): string {
  return `${entry.user ?? ''}|${entry.action}|${entry.rule ?? ''}`;
}
