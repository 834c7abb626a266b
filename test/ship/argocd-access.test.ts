import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findObject, loadAll, repoRoot } from './k8s-files.js';

const docs = loadAll();
const ARGOCD_ACTIONS = [
  'get',
  'create',
  'update',
  'delete',
  'sync',
  'override',
  'action',
  'invoke',
  'rollback',
];

describe('k8s/argocd/application.yaml', () => {
  const app = findObject(docs, 'k8s/argocd/application.yaml', 'Application', 'deploybot');

  it('deploys this repository’s prod overlay into the namespace the overlay uses', () => {
    expect(app.metadata.namespace).toBe('argocd');
    expect(app.spec.source.path).toBe('k8s/overlays/prod');
    expect(existsSync(join(repoRoot, app.spec.source.path, 'kustomization.yaml'))).toBe(true);
    const overlay = docs.find((d) => d.file === 'k8s/overlays/prod/kustomization.yaml')?.object;
    expect(app.spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: overlay?.namespace,
    });
  });

  it('lives in a project of its own that admits only its repository, namespace and kinds', () => {
    const project = findObject(docs, 'k8s/argocd/project.yaml', 'AppProject', app.spec.project);
    expect(app.spec.project).not.toBe('default');
    expect(project.spec.sourceRepos).toEqual([app.spec.source.repoURL]);
    expect(project.spec.destinations).toEqual([app.spec.destination]);
    // Every kind the overlay renders is admitted, and nothing else.
    const rendered = new Set<string>(['/ConfigMap']);
    for (const doc of docs.filter(
      (d) => d.file.startsWith('k8s/base/') && d.object.kind !== 'Kustomization',
    )) {
      const group = String(doc.object.apiVersion).includes('/')
        ? String(doc.object.apiVersion).split('/')[0]
        : '';
      rendered.add(`${group}/${doc.object.kind}`);
    }
    const admitted = [
      ...project.spec.clusterResourceWhitelist,
      ...project.spec.namespaceResourceWhitelist,
    ].map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`);
    expect(new Set(admitted)).toEqual(rendered);
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    // The bot's own Argo CD account has no rights on the project that deploys it.
    const rbac = readFileSync(join(repoRoot, 'k8s/argocd/argocd-rbac-cm.patch.yaml'), 'utf8');
    expect(rbac).not.toMatch(new RegExp(`,\\s*${app.spec.project}/`));
  });

  it('is synced by hand, like the other production apps', () => {
    expect(app.spec.syncPolicy?.automated).toBeUndefined();
    expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });
});

describe('k8s/argocd/argocd-cm.patch.yaml', () => {
  it('creates the deploybot account for API keys only, never for a login', () => {
    const cm = findObject(docs, 'k8s/argocd/argocd-cm.patch.yaml', 'ConfigMap', 'argocd-cm');
    expect(cm.metadata.namespace).toBe('argocd');
    expect(cm.data).toEqual({ 'accounts.deploybot': 'apiKey' });
  });
});

describe('k8s/argocd/argocd-rbac-cm.patch.yaml', () => {
  const cm = findObject(docs, 'k8s/argocd/argocd-rbac-cm.patch.yaml', 'ConfigMap', 'argocd-rbac-cm');
  const csv: string = cm.data['policy.deploybot.csv'];
  const lines = csv.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  const rows = lines.map((l) => l.split(',').map((f) => f.trim()));

  it('adds its own policy.<name>.csv key and leaves policy.csv alone', () => {
    expect(Object.keys(cm.data)).toEqual(['policy.deploybot.csv']);
  });

  it('keeps comments on their own lines, where the CSV reader skips them', () => {
    expect(lines.filter((l) => l.includes('#'))).toEqual([]);
  });

  it('grants role:deploybot get, sync and rollback on applications, and binds the account to it', () => {
    const policies = rows.filter((r) => r[0] === 'p');
    for (const row of policies) {
      expect(row).toHaveLength(6);
      expect(row[1]).toBe('role:deploybot');
      expect(row[2]).toBe('applications');
      // Resource actions are authorised as action/<group>/<kind>/<action name>.
      expect(ARGOCD_ACTIONS).toContain(row[3]?.split('/')[0]);
      if (row[3]?.startsWith('action')) expect(row[3]).toMatch(/^action\/[\w.]+\/\w+\/(\*|[\w-]+)$/);
      expect(row[4]).toMatch(/^[\w*-]+\/[\w*-]+$/);
      expect(row[5]).toBe('allow');
    }
    expect(policies.map((r) => r[3])).toEqual(['get', 'sync', 'rollback', 'action/argoproj.io/Rollout/*']);
    expect(rows.filter((r) => r[0] === 'g')).toEqual([['g', 'deploybot', 'role:deploybot']]);
    expect(rows.every((r) => r[0] === 'p' || r[0] === 'g')).toBe(true);
  });

  it('covers the project of the apps in the policy file', () => {
    const policy = readFileSync(join(repoRoot, 'k8s/overlays/prod/deploybot.yaml'), 'utf8');
    const projects = new Set([...policy.matchAll(/project: (\S+)/g)].map((m) => m[1]));
    const objects = new Set(rows.filter((r) => r[0] === 'p').map((r) => r[4]?.split('/')[0]));
    for (const project of projects) expect(objects.has(project) || objects.has('*'), project).toBe(true);
  });
});
