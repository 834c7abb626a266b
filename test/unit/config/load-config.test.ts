import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';

const policy = 'apps: [{match: "*", environment: dev}]\nenvironments: {dev: {}}\n';
const validEnv = {
  SLACK_BOT_TOKEN: 'xoxb-test-token-value',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  ARGOCD_URL: 'https://argocd.example.com',
  ARGOCD_TOKEN: 'argocd-token-value',
  ARGOCD_WEBHOOK_SECRET: 'webhook-secret-value',
};
const readText = async () => policy;

async function errorOf(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('builds a frozen config with defaults from an injected env', async () => {
    const config = await loadConfig({ env: validEnv, readText });
    expect(config.env.PORT).toBe(3000);
    expect(config.env.LOG_LEVEL).toBe('info');
    expect(config.env.SLACK_API_URL).toBe('https://slack.com/api/');
    expect(config.env.GITHUB_API_URL).toBe('https://api.github.com');
    expect(config.policyPath).toBe('./deploybot.yaml');
    expect(Object.isFrozen(config.env)).toBe(true);
    expect(Object.isFrozen(config.policy.environments.dev)).toBe(true);
  });

  it('lists every missing variable in one message without echoing secrets', async () => {
    const error = await errorOf(loadConfig({ env: {}, readText }));
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^env SLACK_BOT_TOKEN: required/),
        expect.stringMatching(/^env ARGOCD_URL: /),
        expect.stringMatching(/^env ARGOCD_TOKEN: required/),
        expect.stringMatching(/^env ARGOCD_WEBHOOK_SECRET: required/),
        expect.stringMatching(/^env SLACK_SIGNING_SECRET: required in HTTP mode/),
      ]),
    );
    expect(error.message).toMatch(/^deploybot cannot start: \d+ configuration problem/);
  });

  it('never prints a secret value, even when a neighbouring value is malformed', async () => {
    const error = await errorOf(
      loadConfig({ env: { ...validEnv, PORT: 'eighty', ARGOCD_URL: 'not a url' }, readText }),
    );
    for (const secret of Object.values(validEnv).filter((v) => !v.startsWith('https')))
      expect(error.message).not.toContain(secret);
    expect(error.problems.join('\n')).toMatch(/env PORT: /);
  });

  it('stops on placeholder and short secrets, naming each without its value', async () => {
    const error = await errorOf(
      loadConfig({
        env: {
          ...validEnv,
          SLACK_SIGNING_SECRET: 'replace-me',
          ARGOCD_WEBHOOK_SECRET: 'short-secret',
          GITHUB_WEBHOOK_SECRET: 'please-change-me-later',
          ARGOCD_TOKEN: '<argocd token>',
        },
        readText,
      }),
    );
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^env SLACK_SIGNING_SECRET: is a placeholder/),
        expect.stringMatching(/^env ARGOCD_WEBHOOK_SECRET: is shorter than 16 characters/),
        expect.stringMatching(/^env GITHUB_WEBHOOK_SECRET: is a placeholder/),
        expect.stringMatching(/^env ARGOCD_TOKEN: is a placeholder/),
      ]),
    );
    for (const value of ['short-secret', 'please-change-me-later', '<argocd token>'])
      expect(error.message).not.toContain(value);
  });

  it('stops on every placeholder of the shipped Secret example', async () => {
    const example = readFileSync('k8s/examples/secret.example.yaml', 'utf8');
    const values = Object.fromEntries(
      [...example.matchAll(/^ {2}([A-Z_]+): (.+)$/gm)].map((m) => [m[1] as string, m[2] as string]),
    );
    expect(Object.keys(values)).toContain('ARGOCD_WEBHOOK_SECRET');
    const error = await errorOf(loadConfig({ env: { ...values, REDIS_URL: undefined }, readText }));
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'ARGOCD_TOKEN', 'ARGOCD_WEBHOOK_SECRET'])
      expect(error.problems.join('\n')).toContain(`env ${name}: is a placeholder`);
  });

  it('accepts Socket Mode without a signing secret', async () => {
    const { SLACK_SIGNING_SECRET: _, ...rest } = validEnv;
    const config = await loadConfig({
      env: { ...rest, SLACK_APP_TOKEN: 'xapp-1-A0TEST-0123456789' },
      readText,
    });
    expect(config.env.SLACK_APP_TOKEN).toBe('xapp-1-A0TEST-0123456789');
  });

  it('treats empty strings as unset', async () => {
    const error = await errorOf(loadConfig({ env: { ...validEnv, ARGOCD_TOKEN: '' }, readText }));
    expect(error.problems).toEqual([expect.stringMatching(/^env ARGOCD_TOKEN: required/)]);
  });

  it('reports a missing policy file with the variable that points at it', async () => {
    const error = await errorOf(
      loadConfig({ env: { ...validEnv, DEPLOYBOT_CONFIG: '/nonexistent/deploybot.yaml' } }),
    );
    expect(error.problems).toEqual([
      '/nonexistent/deploybot.yaml: file not found (set DEPLOYBOT_CONFIG to the policy file; see deploybot.example.yaml)',
    ]);
  });

  it('combines env and policy problems', async () => {
    const error = await errorOf(
      loadConfig({ env: { ...validEnv, LOG_LEVEL: 'loud' }, readText: async () => 'apps: []' }),
    );
    expect(error.problems.some((p) => p.startsWith('env LOG_LEVEL'))).toBe(true);
    expect(error.problems.some((p) => p.startsWith('./deploybot.yaml apps'))).toBe(true);
  });

  it('requires all three GitHub App settings together', async () => {
    const error = await errorOf(loadConfig({ env: { ...validEnv, GITHUB_APP_ID: '123' }, readText }));
    expect(error.problems).toEqual([expect.stringMatching(/GitHub App auth needs all of/)]);
  });
});
