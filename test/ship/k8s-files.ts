// Reads the YAML under k8s/ and checks objects against the Kubernetes schemas of kubernetes-models.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const k8sRoot = join(repoRoot, 'k8s');

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML; tests read them field by field.
export type K8sObject = Record<string, any>;

export interface LoadedDocument {
  /** Path relative to the repository root, e.g. k8s/base/deployment.yaml. */
  file: string;
  index: number;
  object: K8sObject;
}

export function listYamlFiles(dir: string = k8sRoot): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** Every document of a (multi-document) YAML file; throws on a syntax error or a non-object document. */
export function loadYamlFile(path: string): LoadedDocument[] {
  const file = relative(repoRoot, path);
  return parseAllDocuments(readFileSync(path, 'utf8')).map((doc, index) => {
    if (doc.errors.length)
      throw new Error(`${file} document ${index}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const object = doc.toJS() as unknown;
    if (!object || typeof object !== 'object' || Array.isArray(object)) {
      throw new Error(`${file} document ${index} is not a mapping`);
    }
    return { file, index, object: object as K8sObject };
  });
}

/** Policy files (deploybot.yaml) are inputs of configMapGenerator, not Kubernetes objects. */
const isPolicyFile = (path: string) => path.endsWith('/deploybot.yaml');

export const loadAll = (): LoadedDocument[] =>
  listYamlFiles()
    .filter((f) => !isPolicyFile(f))
    .flatMap(loadYamlFile);

export function findObject(docs: LoadedDocument[], file: string, kind: string, name: string): K8sObject {
  const found = docs.find(
    (d) => d.file === file && d.object.kind === kind && d.object.metadata?.name === name,
  );
  if (!found) throw new Error(`no ${kind} ${name} in ${file}`);
  return found.object;
}

interface Validatable {
  validate(): void;
}
const MODELS: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
};

const required = (object: K8sObject, paths: string[]): string[] =>
  paths.filter((p) => {
    const value = p.split('.').reduce<unknown>((o, k) => (o as K8sObject | undefined)?.[k], object);
    return value === undefined || value === null || value === '';
  });

// Custom resources have no schema in kubernetes-models: check the fields their controllers require.
const CUSTOM_CHECKS: Record<string, (o: K8sObject) => string[]> = {
  'kustomize.config.k8s.io/v1beta1/Kustomization': () => [],
  'argoproj.io/v1alpha1/Application': (o) => [
    ...required(o, ['metadata.name', 'metadata.namespace', 'spec.project', 'spec.destination.namespace']),
    ...(o.spec?.destination?.server || o.spec?.destination?.name ? [] : ['spec.destination.server|name']),
    ...(o.spec?.source
      ? required(o, ['spec.source.repoURL', 'spec.source.targetRevision']).concat(
          o.spec.source.path || o.spec.source.chart ? [] : ['spec.source.path|chart'],
        )
      : ['spec.source']),
  ],
  'argoproj.io/v1alpha1/AppProject': (o) => required(o, ['metadata.name', 'metadata.namespace', 'spec']),
  'monitoring.coreos.com/v1/ServiceMonitor': (o) => [
    ...required(o, ['metadata.name', 'spec.selector']),
    ...((o.spec?.endpoints ?? []).length && o.spec.endpoints.every((e: K8sObject) => e.port)
      ? []
      : ['spec.endpoints[].port']),
  ],
};

/** Problems of one object: schema errors for built-in kinds, missing required fields for known CRDs. */
export function validateObject(object: K8sObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS[key];
  if (Model) {
    try {
      new Model(object as never).validate();
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  }
  const check = CUSTOM_CHECKS[key];
  return check
    ? check(object).map((p) => `missing ${p}`)
    : [`unknown apiVersion/kind ${key}: add a check for it`];
}

/** A kustomization's `resources` entry: a file, or a folder holding a kustomization.yaml. */
export function resolveResource(kustomizationDir: string, entry: string): string | null {
  const path = join(kustomizationDir, entry);
  if (!existsSync(path)) return null;
  if (statSync(path).isDirectory()) return existsSync(join(path, 'kustomization.yaml')) ? path : null;
  return path;
}
