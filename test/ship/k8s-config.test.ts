import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { envSchema } from '../../src/config/env-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { parsePolicy } from '../../src/config/policy-schema.js';
import { resolveEnvironment } from '../../src/domain/resolve-environment.js';
import { findObject, type K8sObject, loadAll, repoRoot } from './k8s-files.js';

const docs = loadAll();
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const kustomization = (overlay: string) =>
  docs.find((d) => d.file === `k8s/overlays/${overlay}/kustomization.yaml`)?.object as K8sObject;
const secret = findObject(docs, 'k8s/examples/secret.example.yaml', 'Secret', 'deploybot-secrets');
const redisSecret = findObject(docs, 'k8s/examples/secret.example.yaml', 'Secret', 'deploybot-redis');
const deployment = findObject(docs, 'k8s/base/deployment.yaml', 'Deployment', 'deploybot');
const container = deployment.spec.template.spec.containers[0];

// INTERFACE.md, "Environment".
const INTERFACE_ENV = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'ARGOCD_URL',
  'ARGOCD_TOKEN',
  'ARGOCD_WEBHOOK_SECRET',
  'ARGOCD_UI_URL',
  'GITHUB_TOKEN',
  'GITHUB_API_URL',
  'GITHUB_WEBHOOK_SECRET',
  'REDIS_URL',
  'DEPLOYBOT_CONFIG',
  'PORT',
  'LOG_LEVEL',
];

/** The environment the bot sees in the pod: the Secret, then the Deployment's own env with $(VAR) expanded. */
/** What an operator fills in for each `replace-me` (a value of the right shape, long enough). */
function filledIn(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      value.replace(/replace-me.*$/, `filled-in-${key.toLowerCase()}-0123456789abcdef`),
    ]),
  );
}

function podEnvironment(overlay: string, fill = true): Record<string, string> {
  const env: Record<string, string> = fill ? filledIn(secret.stringData) : { ...secret.stringData };
  const redis = fill ? filledIn(redisSecret.stringData) : redisSecret.stringData;
  for (const e of container.env as K8sObject[]) {
    env[e.name] = e.valueFrom?.secretKeyRef
      ? redis[e.valueFrom.secretKeyRef.key]
      : String(e.value).replace(/\$\((\w+)\)/g, (_, name: string) => env[name] ?? '');
  }
  const patch = (kustomization(overlay).patches ?? []).find((p: K8sObject) => p.target.kind === 'Deployment');
  const patched = patch ? (parseYaml(patch.patch).spec.template.spec.containers[0].env ?? []) : [];
  for (const e of patched) env[e.name] = e.value;
  return env;
}

describe('overlays', () => {
  it('prod runs 2+ replicas of an image pinned to a release tag', () => {
    const prod = kustomization('prod');
    expect(prod.replicas).toEqual([{ name: 'deploybot', count: expect.any(Number) }]);
    expect(prod.replicas[0].count).toBeGreaterThanOrEqual(2);
    const [image] = prod.images;
    expect(image.name).toBe(container.image);
    expect(image.digest ?? image.newTag).toMatch(/^(sha256:[0-9a-f]{64}|v?\d+\.\d+\.\d+)$/);
    expect(prod.patches ?? []).toEqual([]);
  });

  it('dev runs 1 replica with smaller resources and no PodDisruptionBudget (it would block every drain)', () => {
    const dev = kustomization('dev');
    expect(dev.replicas).toEqual([{ name: 'deploybot', count: 1 }]);
    const patches = (dev.patches ?? []).map((p: K8sObject) => ({
      target: p.target,
      body: parseYaml(p.patch),
    }));
    const pdb = patches.find((p: K8sObject) => p.target.kind === 'PodDisruptionBudget');
    expect(pdb?.body.$patch).toBe('delete');
    const resources = patches.find((p: K8sObject) => p.target.kind === 'Deployment')?.body.spec.template.spec
      .containers[0].resources;
    const mebibytes = (q: string) => Number.parseInt(q, 10) * (q.endsWith('Gi') ? 1024 : 1);
    expect(mebibytes(resources.limits.memory)).toBeLessThan(mebibytes(container.resources.limits.memory));
    expect(mebibytes(resources.requests.memory)).toBeLessThan(mebibytes(container.resources.requests.memory));
  });

  it.each(['dev', 'prod'])(
    '%s generates the deploybot-policy ConfigMap from its deploybot.yaml',
    (overlay) => {
      expect(kustomization(overlay).configMapGenerator).toEqual([
        { name: 'deploybot-policy', files: ['deploybot.yaml'] },
      ]);
      expect(kustomization(overlay).resources).toContain('../../base');
    },
  );
});

describe('policy files', () => {
  it.each(['dev', 'prod'])('%s/deploybot.yaml passes the bot’s policy schema', (overlay) => {
    expect(() => parsePolicy(read(`k8s/overlays/${overlay}/deploybot.yaml`))).not.toThrow();
  });

  it('prod sends the gamemetrics apps to the right environments: manual prod, auto-synced prod, dev', () => {
    const policy = parsePolicy(read('k8s/overlays/prod/deploybot.yaml'));
    const env = (name: string) =>
      resolveEnvironment(policy, { name, project: 'gamemetrics' })?.environment.name;
    expect(['event-ingestion-prod', 'kafka-prod', 'event-ingestion-dev', 'kafka-dev'].map(env)).toEqual([
      'prod',
      'prod',
      'dev',
      'dev',
    ]);
    expect(resolveEnvironment(policy, { name: 'event-ingestion-prod', project: 'other' })).toBeUndefined();
    const prod = policy.environments.prod;
    expect(prod?.requiredApprovals).toBeGreaterThanOrEqual(1);
    expect(prod?.approvers.users.length).toBeGreaterThan(0);
    expect(prod?.allowSelfApproval).toBe(false);
    expect(policy.environments.dev?.requiredApprovals).toBe(0);
  });
});

describe('secret.example.yaml', () => {
  it('names only variables of INTERFACE.md that the Deployment does not set itself', () => {
    const keys = Object.keys(secret.stringData);
    expect(keys.filter((k) => !INTERFACE_ENV.includes(k))).toEqual([]);
    expect(keys.filter((k) => k in envSchema.shape)).toEqual(keys);
    const setByDeployment = container.env.map((e: K8sObject) => e.name);
    expect(keys.filter((k) => setByDeployment.includes(k))).toEqual([]);
    for (const required of [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'ARGOCD_URL',
      'ARGOCD_TOKEN',
      'ARGOCD_WEBHOOK_SECRET',
    ]) {
      expect(keys).toContain(required);
    }
  });

  it('holds placeholders only, and the Redis password key the Deployment and StatefulSet read', () => {
    const secrets = [
      'SLACK_SIGNING_SECRET',
      'ARGOCD_TOKEN',
      'ARGOCD_WEBHOOK_SECRET',
      'GITHUB_TOKEN',
      'GITHUB_WEBHOOK_SECRET',
    ];
    for (const key of secrets) expect(secret.stringData[key], key).toMatch(/replace-me/);
    expect(secret.stringData.SLACK_BOT_TOKEN).toMatch(/^xoxb-replace-me$/);
    expect(Object.keys(redisSecret.stringData)).toEqual(['password']);
    expect(redisSecret.stringData.password).toMatch(/replace-me/);
  });

  it.each(['dev', 'prod'])(
    'with the %s overlay, gives a pod environment that the bot’s loadConfig accepts',
    async (overlay) => {
      const env = podEnvironment(overlay);
      const policyText = read(`k8s/overlays/${overlay}/deploybot.yaml`);
      const readText = async (path: string) => {
        if (path !== env.DEPLOYBOT_CONFIG)
          throw Object.assign(new Error(`unexpected read of ${path}`), { code: 'ENOENT' });
        return policyText;
      };
      const config = await loadConfig({ env, readText });
      const password = filledIn(redisSecret.stringData).password;
      expect(config.env.REDIS_URL).toBe(`redis://:${password}@deploybot-redis:6379/0`);
      expect(config.env.PORT).toBe(3000);
      expect(config.policyPath).toBe('/etc/deploybot/deploybot.yaml');
      // Applied as shipped, with the placeholders left in, the bot refuses to start and says which.
      const unfilled = podEnvironment(overlay, false);
      await expect(loadConfig({ env: unfilled, readText })).rejects.toThrow(
        /SLACK_SIGNING_SECRET: is a placeholder[\s\S]*REDIS_URL: holds a placeholder password/,
      );
    },
  );
});

describe('ingress.example.yaml', () => {
  const ingress = findObject(docs, 'k8s/examples/ingress.example.yaml', 'Ingress', 'deploybot');
  const manifest = JSON.parse(read('manifest.json')) as {
    settings: { interactivity: { request_url: string } };
  };
  const slackUrl = new URL(manifest.settings.interactivity.request_url);

  it('publishes /slack/events and /github/events over TLS on the host of manifest.json, and nothing else', () => {
    const [rule] = ingress.spec.rules;
    expect(rule.host).toBe(slackUrl.hostname);
    expect(ingress.spec.tls).toEqual([{ hosts: [rule.host], secretName: expect.any(String) }]);
    expect(rule.http.paths.map((p: K8sObject) => [p.path, p.pathType])).toEqual([
      ['/slack/events', 'Exact'],
      ['/github/events', 'Exact'],
    ]);
    expect(rule.http.paths.map((p: K8sObject) => p.path)).toContain(slackUrl.pathname);
    for (const path of rule.http.paths)
      expect(path.backend.service).toEqual({ name: 'deploybot', port: { name: 'http' } });
  });
});

describe('servicemonitor.yaml', () => {
  it('scrapes /metrics on the http port of the bot Service, and opens the NetworkPolicy for it', () => {
    const monitor = findObject(docs, 'k8s/examples/servicemonitor.yaml', 'ServiceMonitor', 'deploybot');
    const service = findObject(docs, 'k8s/base/service.yaml', 'Service', 'deploybot');
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    const allow = findObject(
      docs,
      'k8s/examples/servicemonitor.yaml',
      'NetworkPolicy',
      'deploybot-allow-prometheus',
    );
    expect(allow.spec.podSelector).toEqual(deployment.spec.selector);
  });
});
