import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  AUDIT_CAP,
  type AuditEntry,
  type Store,
  type StoredAuditEntry,
  StoreUnavailableError,
  type Versioned,
} from './store.js';

// Records are stored as {"v":version,"d":value}; the version check and the write happen atomically in Redis.
const CAS_SCRIPT = `
local cur = redis.call('GET', KEYS[1])
local version = 0
if cur then version = cjson.decode(cur)['v'] end
if version ~= tonumber(ARGV[1]) then return -1 end
local next = version + 1
local payload = '{"v":' .. next .. ',"d":' .. ARGV[2] .. '}'
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], payload, 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], payload)
end
return next`;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export interface RedisStoreOptions {
  url: string;
  prefix?: string;
  /** How long a command may wait for a lost connection before it fails (so callers can fail closed). */
  commandTimeoutMs?: number;
}

export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly client: Redis;
  private readonly prefix: string;

  constructor({ url, prefix = 'deploybot:', commandTimeoutMs = 2000 }: RedisStoreOptions) {
    this.prefix = prefix;
    this.client = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      // No queue while disconnected: a command fails at once (the caller fails closed and says "try
      // again") instead of running minutes later, when nobody expects a click to take effect any more.
      enableOfflineQueue: false,
      commandTimeout: commandTimeoutMs,
      connectTimeout: 2000,
      // Reconnect for ever, at most 2 s apart, so the bot resumes by itself when Redis is back.
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
      // After a managed Redis fails over, the old primary answers READONLY: reconnect to reach the new one.
      reconnectOnError: (error) => error.message.startsWith('READONLY'),
    });
    // ioredis emits connection errors as events; the callers see failures as StoreUnavailableError.
    this.client.on('error', () => {});
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
    if (raw === null) return undefined;
    const parsed = JSON.parse(raw) as { v: number; d: T };
    return { value: parsed.d, version: parsed.v };
  }

  async compareAndSet<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<number | undefined> {
    const result = await this.run(
      () =>
        this.client.eval(
          CAS_SCRIPT,
          1,
          this.key(key),
          String(expectedVersion),
          JSON.stringify(value),
          String(ttlMs ?? 0),
        ) as Promise<number>,
    );
    return result < 0 ? undefined : result;
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.client.del(this.key(key)));
  }

  async markSeen(key: string, ttlMs: number): Promise<boolean> {
    const result = await this.run(() => this.client.set(this.key(`seen:${key}`), '1', 'PX', ttlMs, 'NX'));
    return result === 'OK';
  }

  async unmarkSeen(key: string): Promise<void> {
    await this.run(() => this.client.del(this.key(`seen:${key}`)));
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const result = await this.run(() => this.client.set(this.key(`lock:${key}`), token, 'PX', ttlMs, 'NX'));
    return result === 'OK' ? token : undefined;
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

  async appendAudit(entry: AuditEntry): Promise<string> {
    const fields = ['e', JSON.stringify(entry)];
    const ids = await this.run(() =>
      this.client
        .multi()
        .xadd(this.key('audit'), 'MAXLEN', '~', String(AUDIT_CAP), '*', ...fields)
        .xadd(this.key(`audit:${entry.app}`), 'MAXLEN', '~', String(AUDIT_CAP / 10), '*', ...fields)
        .exec(),
    );
    return String(ids?.[0]?.[1] ?? '');
  }

  async readAudit({ app, limit }: { app?: string; limit: number }): Promise<StoredAuditEntry[]> {
    const stream = this.key(app ? `audit:${app}` : 'audit');
    // A connection lost after Redis applied an XADD but before the reply makes ioredis send it again:
    // the copy carries the very same entry (same millisecond, action, user), so it is shown once.
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

  async ping(): Promise<void> {
    await this.run(() => this.client.ping());
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
