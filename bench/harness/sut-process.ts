import { type ChildProcess, fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { SutBuild } from './compile-sut.js';
import { imageRuntimeEnv } from './image-runtime.js';
import {
  type ChildMessage,
  type LogCounts,
  type MemorySample,
  type ParentMessage,
  STOP_DEADLINE_MS,
  type StopReport,
  SUT_CONFIG_ENV,
  type SutConfig,
} from './sut-protocol.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const REPLY_TIMEOUT_MS = 30_000;

export interface SutProcess {
  readonly mode: SutConfig['mode'];
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  memory(options: { gc: boolean }): Promise<MemorySample>;
  logCounts(): Promise<LogCounts>;
  /** Resolves when the child is gone; undefined when it was gone already. */
  stop(): Promise<StopReport | undefined>;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const live = new Set<ChildProcess>();
// A crash of the parent must not leave children listening.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** What the image sets (Dockerfile), not whatever this shell has in NODE_OPTIONS or MALLOC_*. */
const IMAGE_RUNTIME_ENV = imageRuntimeEnv(REPO_ROOT);

function withoutAllocatorSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('MALLOC_')));
}

export interface StartSutOptions {
  build: SutBuild;
  /** Write a V8 CPU profile of the child here when it exits (`npm run bench -- --profile`). */
  cpuProfileDir?: string;
}

/** Starts a system under test in its own node process (--expose-gc) and waits for its port. */
export async function startSut(config: SutConfig, options: StartSutOptions): Promise<SutProcess> {
  const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  const child = fork(options.build.entry, [], {
    cwd: REPO_ROOT,
    execArgv: ['--expose-gc', ...profile, ...options.build.execArgv],
    env: {
      ...withoutAllocatorSettings(process.env),
      [SUT_CONFIG_ENV]: JSON.stringify(config),
      ...IMAGE_RUNTIME_ENV,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let nextId = 1;
  const waiting = new Map<number, (value: MemorySample | LogCounts | StopReport) => void>();
  child.on('message', (message: ChildMessage) => {
    if (message.kind === 'reply') waiting.get(message.id)?.(message.value);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${config.mode} child did not start in time`)),
      START_TIMEOUT_MS,
    );
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'ready') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.kind === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${config.mode} child failed to start: ${message.message}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${config.mode} child exited with code ${code} before it was ready`));
    });
  });
  const ask = <T>(message: WithoutId<ParentMessage>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`${config.mode} child did not answer ${message.kind}`));
      }, REPLY_TIMEOUT_MS);
      waiting.set(id, (value) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(value as T);
      });
      child.send({ ...message, id } as ParentMessage);
    });
  return {
    mode: config.mode,
    port,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    memory: ({ gc }) => ask<MemorySample>({ kind: 'memory', gc }),
    logCounts: () => ask<LogCounts>({ kind: 'logs' }),
    async stop() {
      if (child.exitCode !== null || !child.connected) return undefined;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const report = await ask<StopReport>({ kind: 'stop' }).catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      return report ?? { graceful: false, ms: STOP_DEADLINE_MS };
    },
  };
}

/** Starts measuring; the returned function gives the share of one core the child used since (1 = a full core). */
export async function meterCpu(sut: SutProcess): Promise<() => Promise<number>> {
  const start = await sut.memory({ gc: false });
  const startedAt = performance.now();
  return async () => {
    const end = await sut.memory({ gc: false });
    return (end.cpuMicros - start.cpuMicros) / 1000 / (performance.now() - startedAt);
  };
}

/** The same for this process (load generator and fakes), to see which side of the wire is the bottleneck. */
export function meterOwnCpu(): () => number {
  const start = process.cpuUsage();
  const startedAt = performance.now();
  return () => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / (performance.now() - startedAt);
  };
}

/**
 * Waits until the child's CPU use over a window falls under `threshold` (share of a core): its work
 * after the answers is done. Resolves to the time it took, or undefined when it never settled.
 */
export async function waitForIdleCpu(
  sut: SutProcess,
  { threshold = 0.05, windowMs = 300, maxMs = 60_000 } = {},
): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < maxMs) {
    const used = await meterCpu(sut);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    if ((await used()) < threshold) return performance.now() - started;
  }
  return undefined;
}
