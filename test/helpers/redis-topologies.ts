import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../sandbox/world/free-port.js';
import { answersPing } from './redis-probe.js';

/**
 * Real local Redis topologies for tests: a 3-node Cluster and a Sentinel watching a master (with a replica,
 * for failover). Each runs in its own temp dir on free ports, keeps nothing on disk, and is stopped by
 * `stop()` (and, should a test file crash, when the test process exits).
 */

const run = promisify(execFile);
const MASTER_NAME = 'deploybot-test';

export interface RedisTopology {
  /** REDIS_URL for the bot. */
  url: string;
  stop(): Promise<void>;
}

export interface SentinelTopology extends RedisTopology {
  /** The port of the server that is master now, as the Sentinel says. */
  masterPort(): Promise<number>;
  /** Kills the master (SIGKILL): the Sentinel promotes the replica after `down-after-milliseconds`. */
  killMaster(): Promise<void>;
  /** Waits until the Sentinel names a master other than `port` and that master accepts writes. */
  waitForNewMaster(port: number): Promise<number>;
}

/** Fails, naming the packages, when redis-server or redis-cli is missing: these tests never skip. */
function requireRedisTools(): void {
  for (const tool of ['redis-server', 'redis-cli']) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(
        `The Redis Sentinel and Cluster tests need ${tool} on PATH: apt-get install redis-server redis-tools ` +
          '(macOS: brew install redis).',
      );
    }
  }
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function startServer(args: string[]): ChildProcess {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopServer(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

const cli = async (port: number, ...args: string[]) =>
  (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 })).stdout;

const serverArgs = (port: number, dir: string) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
  '--daemonize',
  'no',
];

/** Three masters, no replicas, all 16384 slots assigned: `redis+cluster://` to all three. */
export async function startRedisCluster(): Promise<RedisTopology> {
  requireRedisTools();
  const dir = mkdtempSync(join(tmpdir(), 'deploybot-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const servers = ports.map((port) =>
    startServer([
      ...serverArgs(port, dir),
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      '--cluster-node-timeout',
      '5000',
    ]),
  );
  const stop = async () => {
    await Promise.all(servers.map((s) => stopServer(s)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports)
      await waitFor(`cluster node ${port}`, () => answersPing(`redis://127.0.0.1:${port}`));
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );
    for (const port of ports)
      await waitFor(`cluster_state:ok on ${port}`, async () =>
        (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'),
      );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, stop };
}

/** A master, a replica and one Sentinel watching them (quorum 1, failover after 1 s of silence). */
export async function startRedisSentinel(): Promise<SentinelTopology> {
  requireRedisTools();
  const dir = mkdtempSync(join(tmpdir(), 'deploybot-sentinel-'));
  const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
  const servers = new Map<number, ChildProcess>();
  servers.set(masterPort, startServer(serverArgs(masterPort, dir)));
  servers.set(
    replicaPort,
    startServer([...serverArgs(replicaPort, dir), '--replicaof', '127.0.0.1', String(masterPort)]),
  );
  let sentinel: ChildProcess | undefined;
  const stop = async () => {
    await Promise.all([...servers.values(), ...(sentinel ? [sentinel] : [])].map((s) => stopServer(s)));
    rmSync(dir, { recursive: true, force: true });
  };
  const masterPortNow = async () => {
    const [, port] = (await cli(sentinelPort, 'sentinel', 'get-master-addr-by-name', MASTER_NAME))
      .trim()
      .split('\n');
    return Number(port);
  };
  try {
    await waitFor('the master', () => answersPing(`redis://127.0.0.1:${masterPort}`));
    await waitFor('the replica in sync', async () =>
      (await cli(replicaPort, 'info', 'replication')).includes('master_link_status:up'),
    );
    // The Sentinel rewrites its configuration file, so it gets one of its own.
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 10000`,
        '',
      ].join('\n'),
    );
    sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    children.add(sentinel);
    await waitFor('the Sentinel to know the master and its replica', async () => {
      const replicas = await cli(sentinelPort, 'sentinel', 'replicas', MASTER_NAME);
      return (await masterPortNow()) === masterPort && replicas.includes(String(replicaPort));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis+sentinel://127.0.0.1:${sentinelPort}/${MASTER_NAME}`,
    stop,
    masterPort: masterPortNow,
    async killMaster() {
      const port = await masterPortNow();
      const server = servers.get(port);
      if (!server) throw new Error(`no server of ours on the master port ${port}`);
      await stopServer(server, 'SIGKILL');
      servers.delete(port);
    },
    async waitForNewMaster(oldPort) {
      let port = oldPort;
      await waitFor(
        'the Sentinel to promote the replica',
        async () => {
          port = await masterPortNow();
          return port !== oldPort && (await cli(port, 'info', 'replication')).includes('role:master');
        },
        60_000,
      );
      return port;
    },
  };
}
