import { describe, expect, it } from 'vitest';
import { secretValues } from '../../../src/app/create-deploybot.js';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';

const base = {
  SLACK_BOT_TOKEN: 'xoxb-test-token-value',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
};
const eu = {
  ARGOCD_EU_URL: 'https://argocd-eu.example.com',
  ARGOCD_EU_TOKEN: 'eu-argocd-token-value',
  ARGOCD_EU_WEBHOOK_SECRET: 'eu-webhook-secret-value',
};
const usWest = {
  ARGOCD_US_WEST_URL: 'https://argocd-us.example.com/',
  ARGOCD_US_WEST_TOKEN: 'us-argocd-token-value',
  ARGOCD_US_WEST_WEBHOOK_SECRET: 'us-webhook-secret-value',
  ARGOCD_US_WEST_UI_URL: 'https://ui-us.example.com/',
};
const policy = (apps: string) => `apps: ${apps}\nenvironments: {dev: {}}\n`;
const anyApp = policy('[{match: "*", environment: dev}]');

async function problemsOf(env: Record<string, string>, text = anyApp): Promise<string[]> {
  try {
    await loadConfig({ env, readText: async () => text });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('ARGOCD_INSTANCES', () => {
  it('reads each instance from ARGOCD_<NAME>_* (upper-cased, "-" → "_"), in order', async () => {
    const config = await loadConfig({
      env: { ...base, ARGOCD_INSTANCES: 'eu, us-west', ...eu, ...usWest },
      readText: async () => anyApp,
    });
    expect(config.argocd).toEqual([
      {
        name: 'eu',
        url: eu.ARGOCD_EU_URL,
        token: eu.ARGOCD_EU_TOKEN,
        webhookSecret: eu.ARGOCD_EU_WEBHOOK_SECRET,
        uiUrl: 'https://argocd-eu.example.com',
      },
      {
        name: 'us-west',
        url: usWest.ARGOCD_US_WEST_URL,
        token: usWest.ARGOCD_US_WEST_TOKEN,
        webhookSecret: usWest.ARGOCD_US_WEST_WEBHOOK_SECRET,
        uiUrl: 'https://ui-us.example.com',
      },
    ]);
    // Each instance's token and webhook secret are scrubbed from logs like every other secret.
    const secrets = secretValues(config);
    for (const value of [eu.ARGOCD_EU_TOKEN, eu.ARGOCD_EU_WEBHOOK_SECRET, usWest.ARGOCD_US_WEST_TOKEN])
      expect(secrets).toContain(value);
    expect(secrets).toContain(usWest.ARGOCD_US_WEST_WEBHOOK_SECRET);
  });

  it('without it: one instance "default" from the variables of before', async () => {
    const config = await loadConfig({
      env: {
        ...base,
        ARGOCD_URL: 'https://argocd.example.com',
        ARGOCD_TOKEN: 'argocd-token-value',
        ARGOCD_WEBHOOK_SECRET: 'webhook-secret-value',
      },
      readText: async () => anyApp,
    });
    expect(config.argocd.map((i) => [i.name, i.uiUrl])).toEqual([['default', 'https://argocd.example.com']]);
    expect(secretValues(config)).toEqual(
      expect.arrayContaining(['argocd-token-value', 'webhook-secret-value']),
    );
  });

  it('refuses the single-instance variables next to it, naming each one set, in one problem', async () => {
    const problems = await problemsOf({
      ...base,
      ARGOCD_INSTANCES: 'eu',
      ...eu,
      ARGOCD_URL: 'https://argocd.example.com',
      ARGOCD_WEBHOOK_SECRET: 'webhook-secret-value',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^env ARGOCD_INSTANCES: is set, so ARGOCD_URL, ARGOCD_WEBHOOK_SECRET are refused/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain('webhook-secret-value');
  });

  it('lists every problem at once: malformed name, duplicate, missing and weak variables, never a value', async () => {
    const problems = await problemsOf({
      ...base,
      ARGOCD_INSTANCES: 'eu,EU_West,eu,us-west,ap',
      ...eu,
      ...usWest,
      ARGOCD_US_WEST_TOKEN: 'tiny-tok',
      ARGOCD_AP_URL: 'not a url',
    });
    expect(problems).toEqual([
      'env ARGOCD_INSTANCES: "EU_West" is not an instance name; use lower-case letters, digits and "-" (e.g. ARGOCD_INSTANCES=eu,us)',
      'env ARGOCD_INSTANCES: "eu" is listed twice; name each instance once',
      expect.stringMatching(/^env ARGOCD_US_WEST_TOKEN: is shorter than 16 characters/),
      expect.stringMatching(/^env ARGOCD_AP_URL: must be a URL/),
      expect.stringMatching(/^env ARGOCD_AP_TOKEN: required: .* of instance "ap"/),
      expect.stringMatching(/^env ARGOCD_AP_WEBHOOK_SECRET: required/),
    ]);
    expect(problems.join('\n')).not.toContain('tiny-tok');
  });

  it('names an apps[].instance glob that matches no configured instance, with the instances there are', async () => {
    const text = policy(
      '[{match: "a-*", instance: "eu", environment: dev}, {match: "b-*", instance: "us-*", environment: dev}, {match: "*", instance: "ap-*", environment: dev}]',
    );
    const problems = await problemsOf({ ...base, ARGOCD_INSTANCES: 'eu,us-west', ...eu, ...usWest }, text);
    expect(problems).toEqual([
      './deploybot.yaml apps.2.instance: "ap-*" matches no Argo CD instance (ARGOCD_INSTANCES is eu, us-west)',
    ]);
  });

  it('an instance glob without ARGOCD_INSTANCES must match "default"', async () => {
    const text = policy('[{match: "*", instance: "eu", environment: dev}]');
    const problems = await problemsOf(
      {
        ...base,
        ARGOCD_URL: 'https://argocd.example.com',
        ARGOCD_TOKEN: 'argocd-token-value',
        ARGOCD_WEBHOOK_SECRET: 'webhook-secret-value',
      },
      text,
    );
    expect(problems).toEqual([
      './deploybot.yaml apps.0.instance: "eu" matches no Argo CD instance (the one instance is "default" while ARGOCD_INSTANCES is unset)',
    ]);
  });

  it('refuses two instances sharing a webhook secret: it is what tells their notifications apart', async () => {
    const problems = await problemsOf({
      ...base,
      ARGOCD_INSTANCES: 'eu,us-west',
      ...eu,
      ...usWest,
      ARGOCD_US_WEST_WEBHOOK_SECRET: eu.ARGOCD_EU_WEBHOOK_SECRET,
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^env ARGOCD_US_WEST_WEBHOOK_SECRET: is the same value as ARGOCD_EU_WEBHOOK_SECRET; give each instance/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain(eu.ARGOCD_EU_WEBHOOK_SECRET);
  });

  it('names a fleet group whose instance glob matches no configured instance', async () => {
    const text = `${policy('[{match: "*", environment: dev}]')}groups: [{name: fleet, match: "svc-*", instance: "ap-*", environment: dev}]\n`;
    const problems = await problemsOf({ ...base, ARGOCD_INSTANCES: 'eu', ...eu }, text);
    expect(problems).toEqual([
      './deploybot.yaml groups.0.instance: "ap-*" matches no Argo CD instance (ARGOCD_INSTANCES is eu)',
    ]);
  });
});
