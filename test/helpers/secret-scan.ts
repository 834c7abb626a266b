import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WORLD_APP_TOKEN, WORLD_SECRETS } from '../../sandbox/world/start-world.js';

/** Everything a bot instance logged or sent to Slack during the suite lands here for one final scan. */
const SCAN_DIR = join('test', 'output', 'secret-scan');

export const SUITE_SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-test-bot-token-5f1c2a',
  SLACK_SIGNING_SECRET: 'deploybot-test-signing-secret-0001',
  ARGOCD_TOKEN: 'argocd-test-token-8d7e6f',
  ARGOCD_WEBHOOK_SECRET: 'argocd-webhook-secret-3b4c5d',
  GITHUB_TOKEN: 'ghp_testtoken1234567890abcdef',
  GITHUB_WEBHOOK_SECRET: 'github-webhook-secret-9a8b7c',
} as const;

export function resetScanDir(): void {
  rmSync(SCAN_DIR, { recursive: true, force: true });
  mkdirSync(SCAN_DIR, { recursive: true });
}

export function recordForScan(name: string, text: string): void {
  mkdirSync(SCAN_DIR, { recursive: true });
  appendFileSync(join(SCAN_DIR, name), text);
}

/** Returns "file: SECRET_NAME" for every secret value found in anything recorded. */
export function scanForSecrets(): string[] {
  const secrets = {
    ...SUITE_SECRETS,
    ...Object.fromEntries(Object.entries(WORLD_SECRETS).map(([k, v]) => [`world ${k}`, v])),
    'world SLACK_APP_TOKEN': WORLD_APP_TOKEN,
  };
  const found: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(SCAN_DIR);
  } catch {
    return found;
  }
  for (const file of files) {
    const text = readFileSync(join(SCAN_DIR, file), 'utf8');
    for (const [name, value] of Object.entries(secrets))
      if (text.includes(value)) found.push(`${file}: ${name}`);
  }
  return found;
}

export function countScannedFiles(): number {
  try {
    return readdirSync(SCAN_DIR).length;
  } catch {
    return 0;
  }
}
