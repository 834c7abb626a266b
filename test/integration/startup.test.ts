import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const TSX = join('node_modules', '.bin', 'tsx');

async function start(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['src/main.ts'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm start with a bad configuration', () => {
  it('exits non-zero with one message listing every missing variable, no stack trace', async () => {
    const result = await start({});
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^deploybot cannot start: \d+ configuration problem/);
    for (const name of [
      'SLACK_BOT_TOKEN',
      'ARGOCD_URL',
      'ARGOCD_TOKEN',
      'ARGOCD_WEBHOOK_SECRET',
      'SLACK_SIGNING_SECRET',
    ])
      expect(result.stderr).toContain(name);
    expect(result.stderr).toContain('deploybot.yaml: file not found');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the policy problem and never echoes a secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploybot-'));
    const policy = join(dir, 'deploybot.yaml');
    writeFileSync(
      policy,
      'apps: [{match: "*", environment: prod}]\nenvironments: {prod: {approvers: {users: [alice]}}}\n',
    );
    const result = await start({
      SLACK_BOT_TOKEN: 'xoxb-very-secret-token',
      SLACK_SIGNING_SECRET: 'very-secret-signing',
      ARGOCD_URL: 'https://argocd.example.com',
      ARGOCD_TOKEN: 'very-secret-argocd',
      ARGOCD_WEBHOOK_SECRET: 'very-secret-webhook',
      DEPLOYBOT_CONFIG: policy,
      PORT: 'not-a-port',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('environments.prod.approvers.users.0: must be a Slack user id');
    expect(result.stderr).toContain('env PORT');
    expect(result.stderr).not.toMatch(/very-secret/);
  });

  it('starts with a valid configuration, serves /readyz, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploybot-'));
    const policy = join(dir, 'deploybot.yaml');
    writeFileSync(policy, 'apps: [{match: "*", environment: dev}]\nenvironments: {dev: {}}\n');
    const { spawn } = await import('node:child_process');
    const { freePort } = await import('../../sandbox/world/free-port.js');
    const port = await freePort();
    const child = spawn(TSX, ['src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: 'xoxb-startup-test-token',
        SLACK_SIGNING_SECRET: 'startup-signing-secret',
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
        ARGOCD_URL: 'http://127.0.0.1:9',
        ARGOCD_TOKEN: 'startup-argocd-token',
        ARGOCD_WEBHOOK_SECRET: 'startup-webhook-secret',
        REDIS_URL: inject('redisUrl'),
        REDIS_KEY_PREFIX: `startup-${port}:`,
        DEPLOYBOT_CONFIG: policy,
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: 'pipe',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let ready: Response | undefined;
    for (let i = 0; i < 100 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    }
    expect(ready?.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
