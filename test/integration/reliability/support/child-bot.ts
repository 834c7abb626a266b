import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChildBot {
  child: ChildProcess;
  url: string;
  /** stdout and stderr lines (pino JSON at LOG_LEVEL). */
  output: string[];
  exited: Promise<number | null>;
  /** Sends the signal and waits for the exit code (null when killed by the signal). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function writePolicyFile(policyYaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'deploybot-policy-')), 'deploybot.yaml');
  writeFileSync(path, policyYaml);
  return path;
}

/** `npm start` in miniature: the real entry point in its own process, configured only by env and a policy file. */
export async function startChildBot({
  env,
  policyPath,
  port,
  readyTimeoutMs = 20_000,
}: {
  env: Record<string, string>;
  policyPath: string;
  port: number;
  readyTimeoutMs?: number;
}): Promise<ChildBot> {
  // One process (no tsx wrapper): a SIGKILL must hit the bot itself, not a parent that leaves it orphaned.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      ...env,
      DEPLOYBOT_CONFIG: policyPath,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${url}/readyz`).catch(() => undefined);
    if (ready?.status === 200) {
      return {
        child,
        url,
        output,
        exited,
        async kill(signal) {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the bot did not become ready on port ${port}:\n${output.slice(-20).join('\n')}`);
}
