import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../sandbox/world/free-port.js';
import { answersPing, hasRedisServer } from '../../test/helpers/redis-probe.js';

export interface BenchRedis {
  url: string;
  /** Who provides it: REDIS_URL, the local default port, or a redis-server the bench started. */
  source: 'REDIS_URL' | 'local' | 'started';
  /** Deletes every key under the prefix (the bench never touches anything else). */
  deletePrefix(prefix: string): Promise<number>;
  close(): Promise<void>;
}

async function deletePrefix(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return deleted;
}

/** A real Redis, as the tests get one: REDIS_URL, else 127.0.0.1:6379, else a redis-server of our own. */
export async function provideRedis(): Promise<BenchRedis> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv && (await answersPing(fromEnv)))
    return {
      url: fromEnv,
      source: 'REDIS_URL',
      deletePrefix: (p) => deletePrefix(fromEnv, p),
      close: async () => {},
    };
  const local = 'redis://127.0.0.1:6379';
  if (await answersPing(local))
    return {
      url: local,
      source: 'local',
      deletePrefix: (p) => deletePrefix(local, p),
      close: async () => {},
    };
  if (!hasRedisServer()) {
    throw new Error(
      `The benchmark needs Redis: ${fromEnv ? `REDIS_URL (${fromEnv}) does not answer, ` : ''}nothing answers on ` +
        '127.0.0.1:6379 and there is no redis-server binary to start. Set REDIS_URL, or install redis-server ' +
        '(Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis).',
    );
  }
  const port = await freePort();
  const server: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answersPing(url)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await answersPing(url))) {
    server.kill('SIGTERM');
    throw new Error(`Started redis-server on port ${port} but it does not answer PING.`);
  }
  return {
    url,
    source: 'started',
    deletePrefix: (p) => deletePrefix(url, p),
    close: async () => {
      server.kill('SIGTERM');
    },
  };
}
