import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findObject,
  type K8sObject,
  k8sRoot,
  listYamlFiles,
  loadAll,
  loadYamlFile,
  repoRoot,
  resolveResource,
  validateObject,
} from './k8s-files.js';

const docs = loadAll();
const kustomizations = docs.filter((d) => d.object.kind === 'Kustomization');
const base = (kind: string, name: string, file: string) => findObject(docs, `k8s/base/${file}`, kind, name);

const deployment = base('Deployment', 'deploybot', 'deployment.yaml');
const pod = deployment.spec.template.spec;
const bot = pod.containers.find((c: K8sObject) => c.name === 'deploybot');
const redisSet = base('StatefulSet', 'deploybot-redis', 'redis.yaml');
const redisPod = redisSet.spec.template.spec;
const redis = redisPod.containers[0];

describe('every YAML file under k8s/', () => {
  it('parses, and each document has apiVersion, kind and (outside kustomizations) a name', () => {
    expect(listYamlFiles().length).toBeGreaterThan(10);
    for (const { file, index, object } of docs) {
      expect(object.apiVersion, `${file}#${index}`).toBeTruthy();
      expect(object.kind, `${file}#${index}`).toBeTruthy();
      if (object.kind !== 'Kustomization') expect(object.metadata?.name, `${file}#${index}`).toBeTruthy();
    }
  });

  it('validates against the Kubernetes schemas (built-in kinds) or the required fields (Argo CD, Prometheus CRDs)', () => {
    const problems = docs.flatMap(({ file, index, object }) =>
      validateObject(object).map((p) => `${file}#${index}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('the validation rejects a broken object, so the check above means something', () => {
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(validateObject(broken).join()).toMatch(/containerPort/);
    expect(
      validateObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x' } }),
    ).not.toEqual([]);
  });
});

describe('kustomizations', () => {
  it('list only resources and generator files that exist', () => {
    for (const { file, object } of kustomizations) {
      const dir = join(repoRoot, dirname(file));
      for (const entry of object.resources ?? [])
        expect(resolveResource(dir, entry), `${file}: ${entry}`).not.toBeNull();
      for (const gen of object.configMapGenerator ?? []) {
        for (const f of gen.files ?? [])
          expect(resolveResource(dir, f.split('=').pop()), `${file}: ${f}`).not.toBeNull();
      }
    }
  });

  it('base lists every manifest in its folder, and no kustomization pulls in the examples or the secrets', () => {
    const baseKustomization = kustomizations.find((d) => d.file === 'k8s/base/kustomization.yaml')?.object;
    const files = readdirSync(join(k8sRoot, 'base')).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
    );
    expect([...(baseKustomization?.resources ?? [])].sort()).toEqual(files.sort());
    const listed = kustomizations.flatMap(({ file, object }) =>
      (object.resources ?? []).map((r: string) => relative(repoRoot, join(repoRoot, dirname(file), r))),
    );
    expect(listed.filter((r) => r.includes('examples') || r.includes('secret'))).toEqual([]);
  });

  it('put everything of the base into the deploybot namespace, which the base creates', () => {
    expect(kustomizations.every(({ object }) => object.namespace === 'deploybot')).toBe(true);
    expect(
      base('Namespace', 'deploybot', 'namespace.yaml').metadata.labels['pod-security.kubernetes.io/enforce'],
    ).toBe('restricted');
  });
});

describe('the bot Deployment', () => {
  it('runs 2 replicas spread over nodes, with a PodDisruptionBudget keeping one', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const anti =
      pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
    expect(anti.topologyKey).toBe('kubernetes.io/hostname');
    expect(anti.labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    const pdb = base('PodDisruptionBudget', 'deploybot', 'pdb.yaml');
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it('is locked down: non-root 1000, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(bot.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(base('ServiceAccount', 'deploybot', 'serviceaccount.yaml').automountServiceAccountToken).toBe(
      false,
    );
    expect(pod.serviceAccountName).toBe('deploybot');
  });

  it('gives the read-only container an emptyDir at /tmp and TMPDIR pointing there', () => {
    const tmp = bot.volumeMounts.find((m: K8sObject) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v: K8sObject) => v.name === tmp?.name)?.emptyDir).toBeDefined();
    expect(bot.env.find((e: K8sObject) => e.name === 'TMPDIR')?.value).toBe('/tmp');
  });

  it('probes /healthz for liveness and /readyz for readiness on the http port, and sets requests and limits', () => {
    expect(bot.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(bot.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(bot.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    for (const kind of ['requests', 'limits']) {
      expect(bot.resources[kind].cpu, kind).toBeTruthy();
      expect(bot.resources[kind].memory, kind).toBeTruthy();
    }
  });

  it('reads secrets from deploybot-secrets and the policy from the deploybot-policy ConfigMap at DEPLOYBOT_CONFIG', () => {
    expect(bot.envFrom).toEqual([{ secretRef: { name: 'deploybot-secrets' } }]);
    const env = new Map(bot.env.map((e: K8sObject) => [e.name, e.value]));
    expect(env.get('DEPLOYBOT_CONFIG')).toBe('/etc/deploybot/deploybot.yaml');
    expect(env.get('PORT')).toBe('3000');
    const mount = bot.volumeMounts.find((m: K8sObject) => m.mountPath === '/etc/deploybot');
    expect(mount.readOnly).toBe(true);
    expect(pod.volumes.find((v: K8sObject) => v.name === mount.name).configMap.name).toBe('deploybot-policy');
  });

  it('points REDIS_URL at the in-cluster Redis Service with the password of the deploybot-redis Secret', () => {
    const names = bot.env.map((e: K8sObject) => e.name);
    expect(names.indexOf('REDIS_PASSWORD')).toBeLessThan(names.indexOf('REDIS_URL'));
    const url = new URL(bot.env.find((e: K8sObject) => e.name === 'REDIS_URL').value);
    const service = base('Service', 'deploybot-redis', 'redis.yaml');
    expect(url.protocol).toBe('redis:');
    expect(url.hostname).toBe(service.metadata.name);
    expect(Number(url.port)).toBe(service.spec.ports[0].port);
    expect(url.password).toBe('$(REDIS_PASSWORD)');
    expect(bot.env.find((e: K8sObject) => e.name === 'REDIS_PASSWORD').valueFrom.secretKeyRef).toEqual({
      name: 'deploybot-redis',
      key: 'password',
    });
  });

  it('is reached through the Service deploybot on port 3000 named http', () => {
    const service = base('Service', 'deploybot', 'service.yaml');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });
});

describe('the in-cluster Redis', () => {
  it('persists with AOF (fsync every second) on a volume claim, and never evicts', () => {
    const args: string[] = redis.args;
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(flag('--appendonly')).toBe('yes');
    expect(flag('--appendfsync')).toBe('everysec');
    expect(flag('--maxmemory-policy')).toBe('noeviction');
    expect(flag('--requirepass')).toBe('$(REDIS_PASSWORD)');
    expect(flag('--dir')).toBe('/data');
    const claim = redisSet.spec.volumeClaimTemplates[0];
    expect(redis.volumeMounts).toContainEqual({ name: claim.metadata.name, mountPath: '/data' });
    expect(claim.spec.resources.requests.storage).toBeTruthy();
    expect(redis.image).toMatch(/^redis:\d+\.\d+\.\d+(-[a-z0-9.]+)?$/);
  });

  it('is as locked down as the bot', () => {
    expect(redisPod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(redis.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(redisPod.automountServiceAccountToken).toBe(false);
    expect(redis.readinessProbe).toBeDefined();
  });
});

describe('network policies', () => {
  const policy = base('NetworkPolicy', 'deploybot', 'networkpolicy.yaml');
  const redisPolicy = base('NetworkPolicy', 'deploybot-redis', 'networkpolicy.yaml');
  const botLabels = deployment.spec.template.metadata.labels;
  const redisLabels = redisSet.spec.template.metadata.labels;

  it('select the pods they are meant for and restrict both directions', () => {
    expect(botLabels).toMatchObject(policy.spec.podSelector.matchLabels);
    expect(redisLabels).toMatchObject(redisPolicy.spec.podSelector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(redisPolicy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('let into the bot only the ingress controller and argocd-notifications-controller pods of namespace argocd', () => {
    const sources = policy.spec.ingress.flatMap((rule: K8sObject) => rule.from);
    expect(sources).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'argocd' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-notifications-controller' } },
      },
    ]);
    for (const rule of policy.spec.ingress) expect(rule.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
  });

  it('let the bot out to DNS, HTTPS, in-cluster Argo CD and the Redis pods only', () => {
    const ports = policy.spec.egress.flatMap((rule: K8sObject) => rule.ports.map((p: K8sObject) => p.port));
    expect(ports.sort()).toEqual([443, 53, 53, 6379, 8080].sort());
    const toRedis = policy.spec.egress.find((r: K8sObject) =>
      r.ports.some((p: K8sObject) => p.port === 6379),
    );
    expect(redisLabels).toMatchObject(toRedis.to[0].podSelector.matchLabels);
    expect(toRedis.to[0].namespaceSelector).toBeUndefined();
    const open = policy.spec.egress.filter((r: K8sObject) => !r.to);
    expect(open.flatMap((r: K8sObject) => r.ports)).toEqual([{ port: 443, protocol: 'TCP' }]);
  });

  it('let into Redis only the bot pods, and nothing out of it', () => {
    expect(redisPolicy.spec.ingress).toHaveLength(1);
    expect(botLabels).toMatchObject(redisPolicy.spec.ingress[0].from[0].podSelector.matchLabels);
    expect(redisPolicy.spec.ingress[0].ports).toEqual([{ port: 6379, protocol: 'TCP' }]);
    expect(redisPolicy.spec.egress).toEqual([]);
  });
});

describe('loadYamlFile', () => {
  it('refuses a document that is not a mapping, instead of validating nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploybot-k8s-'));
    writeFileSync(join(dir, 'list.yaml'), 'apiVersion: v1\nkind: Namespace\n---\n- a\n- b\n');
    expect(() => loadYamlFile(join(dir, 'list.yaml'))).toThrow(/document 1 is not a mapping/);
    writeFileSync(join(dir, 'bad.yaml'), 'a: [1\n');
    expect(() => loadYamlFile(join(dir, 'bad.yaml'))).toThrow(/document 0/);
  });
});
