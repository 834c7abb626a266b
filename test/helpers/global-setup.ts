import { type ChildProcess, spawn } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../sandbox/world/free-port.js';
import { answersPing, hasRedisServer } from './redis-probe.js';
import { countScannedFiles, resetScanDir, scanForSecrets } from './secret-scan.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let started: ChildProcess | undefined;

// Tests need a real Redis: use REDIS_URL or the local default, else start our own; never skip silently.
export default async function setup(project: TestProject): Promise<() => void> {
  resetScanDir();
  const teardown = () => {
    started?.kill('SIGTERM');
    assertNoSecretsLeaked();
  };
  const candidates = [process.env.REDIS_URL, 'redis://127.0.0.1:6379'].filter((u): u is string => Boolean(u));
  for (const url of candidates) {
    if (await answersPing(url)) {
      project.provide('redisUrl', url);
      return teardown;
    }
  }
  if (!hasRedisServer()) {
    throw new Error(
      'The tests need Redis. Set REDIS_URL to a running server, or install redis-server ' +
        '(Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) so the tests can start one.',
    );
  }
  const port = await freePort();
  started = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answersPing(url)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await answersPing(url)))
    throw new Error(`Started redis-server on port ${port} but it does not answer PING.`);
  project.provide('redisUrl', url);
  return teardown;
}

/** The suite-wide secret check: every bot instance's log lines and Slack traffic, scanned once at the end. */
function assertNoSecretsLeaked(): void {
  const leaks = scanForSecrets();
  if (leaks.length > 0) {
    // vitest ignores errors thrown here for its exit code, so set it ourselves.
    process.exitCode = 1;
    throw new Error(`Secret values leaked into bot output:\n${leaks.join('\n')}`);
  }
  process.stdout.write(
    `secret scan: ${countScannedFiles()} captured outputs checked, no secret value found\n`,
  );
}
