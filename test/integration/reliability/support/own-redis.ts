import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../sandbox/world/free-port.js';
import { answersPing, hasRedisServer } from '../../../helpers/redis-probe.js';

export interface OwnRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL by default: a crash, not a clean shutdown) and waits until it is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data directory, and waits until it answers PING. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

function requireRedisServer(): void {
  if (!hasRedisServer()) {
    throw new Error(
      'This test stops and restarts its own Redis, so it needs the redis-server binary on PATH ' +
        '(Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis).',
    );
  }
}

/**
 * A redis-server of the test's own, persisted like production (AOF, fsync every second) so that a
 * restart keeps the cards, locks and delivery ids, as the StatefulSet in k8s/base/redis.yaml does.
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  requireRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'deploybot-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const launch = async () => {
    const started = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
      ],
      { stdio: 'ignore' },
    );
    child = started;
    for (let i = 0; i < 100; i++) {
      if (started.exitCode !== null) break;
      if (await answersPing(url)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on port ${port} did not answer PING`);
  };

  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    await exited;
  };

  await launch();
  return {
    url,
    port,
    stop,
    restart: launch,
    async close() {
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
