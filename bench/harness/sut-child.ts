/**
 * Entry of a system-under-test child process (started by sut-process.ts with --expose-gc): the
 * real deploybot, or one of the bare baselines. Each gets its own process, as in production, so the load
 * generator and the fakes in the parent do not share its event loop.
 */
import { readFileSync } from 'node:fs';
import type { DestinationStream } from 'pino';
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

const send = (message: ChildMessage) => process.send?.(message);
const logCounts: LogCounts = {};

/** Logging must not dominate: nothing is written, warnings and errors are only counted by message. */
const countingDestination: DestinationStream = {
  write(line: string) {
    const level = /"level":(\d+)/.exec(line)?.[1];
    if (!level || Number(level) < 40) return;
    const msg = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? '(no message)';
    const key = `${Number(level) >= 50 ? 'error' : 'warn'}: ${msg}`;
    logCounts[key] = (logCounts[key] ?? 0) + 1;
  },
};

/** RssAnon / RssFile / VmHWM from /proc (Linux): how much of the RSS is the program's own memory. */
function procStatus(): Pick<MemorySample, 'rssAnon' | 'rssFile' | 'peakRss'> {
  let text: string;
  try {
    text = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return {};
  }
  const kib = (field: string) => {
    const value = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1];
    return value === undefined ? undefined : Number(value) * 1024;
  };
  return { rssAnon: kib('RssAnon'), rssFile: kib('RssFile'), peakRss: kib('VmHWM') };
}

async function sampleMemory(gc: boolean): Promise<MemorySample> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) {
    // Twice, with a turn of the loop between, so objects freed by finalizers of the first pass go too.
    collect();
    await new Promise((resolve) => setImmediate(resolve));
    collect();
  }
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  return { rss, heapUsed, heapTotal, external, cpuMicros: user + system, ...procStatus() };
}

async function start(config: SutConfig): Promise<{ port: number; close(): Promise<void> }> {
  switch (config.mode) {
    // Each mode loads only its own code, so a baseline's memory is not inflated by deploybot's modules.
    case 'deploybot': {
      const { loadConfig } = await import('../../src/config/load-config.js');
      const { createDeploybot } = await import('../../src/app/create-deploybot.js');
      const loaded = await loadConfig({ env: config.env, readText: async () => config.policyYaml });
      const bot = await createDeploybot({
        config: loaded,
        logDestination: countingDestination,
        host: '127.0.0.1',
      });
      const port = await bot.start(config.port);
      return { port, close: () => bot.stop(5000) };
    }
    case 'bare-bolt':
      return (await import('./bare-bolt.js')).startBareBolt(config);
    case 'bare-http':
      return (await import('./bare-http.js')).startBareHttp(config);
  }
}

/** Stops gracefully if it can within the deadline, says how it went, and exits either way. */
async function stopAndExit(sut: { close(): Promise<void> }, id: number): Promise<void> {
  const started = Date.now();
  const graceful = await Promise.race([
    sut.close().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_DEADLINE_MS).unref()),
  ]);
  const report: StopReport = { graceful, ms: Date.now() - started };
  // Exit once the reply is out: a lingering socket or a stuck task must not keep the child around.
  process.send?.({ kind: 'reply', id, value: report } satisfies ChildMessage, () => process.exit(0));
}

async function main(): Promise<void> {
  const raw = process.env[SUT_CONFIG_ENV];
  if (!raw)
    throw new Error(`${SUT_CONFIG_ENV} is not set; this file is started by bench/harness/sut-process.ts`);
  const sut = await start(JSON.parse(raw) as SutConfig);
  process.on('message', (message: ParentMessage) => {
    const reply = (value: MemorySample | LogCounts | StopReport) =>
      send({ kind: 'reply', id: message.id, value });
    if (message.kind === 'memory') void sampleMemory(message.gc).then(reply);
    else if (message.kind === 'logs') reply({ ...logCounts });
    else if (message.kind === 'stop') void stopAndExit(sut, message.id);
  });
  send({ kind: 'ready', port: sut.port });
}

main().catch((error: unknown) => {
  send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
