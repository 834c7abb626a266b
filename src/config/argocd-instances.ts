/**
 * The Argo CD instances deploybot talks to. Without ARGOCD_INSTANCES there is one, `default`, from
 * ARGOCD_URL, ARGOCD_TOKEN, ARGOCD_WEBHOOK_SECRET and ARGOCD_UI_URL as before instances existed; with
 * it, each named instance has its own `ARGOCD_<NAME>_*` set and the four single-instance variables are
 * refused (two sources for one setting would leave the operator guessing which one won).
 */
import { z } from 'zod';
import { DEFAULT_INSTANCE } from '../domain/card.js';
import { secret, url } from './env-schema.js';
import { describeIssue } from './policy-schema.js';

export interface ArgoInstance {
  /** `default`, or a name of ARGOCD_INSTANCES: it is in every key, card and audit entry of its apps. */
  readonly name: string;
  readonly url: string;
  readonly token: string;
  /** The Bearer secret this instance's argocd-notifications sends: it alone says which instance spoke. */
  readonly webhookSecret: string;
  /** Base of UI links (the `_UI_URL` variable, else the API URL), without a trailing slash. */
  readonly uiUrl: string;
}

const INSTANCE_NAME = /^[a-z0-9-]+$/;
const LEGACY = ['ARGOCD_URL', 'ARGOCD_TOKEN', 'ARGOCD_WEBHOOK_SECRET', 'ARGOCD_UI_URL'] as const;

/** `eu-west` → `ARGOCD_EU_WEST`: the prefix of an instance's variables. */
export function instanceEnvPrefix(name: string): string {
  return `ARGOCD_${name.toUpperCase().replace(/-/g, '_')}`;
}

function instanceSchema(prefix: string, label: string) {
  return z.object({
    [`${prefix}_URL`]: url(`the Argo CD API server${label}, e.g. https://argocd.example.com`),
    [`${prefix}_TOKEN`]: secret(
      `a bearer token of an Argo CD account${label} allowed to get, sync and rollback`,
    ),
    [`${prefix}_WEBHOOK_SECRET`]: secret(
      `the shared secret the argocd-notifications webhook${label} sends as a Bearer token`,
    ),
    [`${prefix}_UI_URL`]: url(`the base of Argo CD UI links${label}`).optional(),
  });
}

function readInstance(
  env: Record<string, string | undefined>,
  name: string,
  prefix: string,
  label: string,
): { instance?: ArgoInstance; problems: string[] } {
  const parsed = instanceSchema(prefix, label).safeParse(env);
  if (!parsed.success) return { problems: parsed.error.issues.map(describeIssue) };
  const get = (suffix: string) => parsed.data[`${prefix}_${suffix}`];
  const apiUrl = get('URL') as string;
  return {
    problems: [],
    instance: {
      name,
      url: apiUrl,
      token: get('TOKEN') as string,
      webhookSecret: get('WEBHOOK_SECRET') as string,
      uiUrl: ((get('UI_URL') as string | undefined) ?? apiUrl).replace(/\/+$/, ''),
    },
  };
}

/** Every instance, or every problem (without the `env ` prefix load-config adds); secrets never quoted. */
export function parseArgoInstances(env: Record<string, string | undefined>): {
  instances: ArgoInstance[];
  problems: string[];
} {
  const list = env.ARGOCD_INSTANCES;
  if (list === undefined) {
    const { instance, problems } = readInstance(env, DEFAULT_INSTANCE, 'ARGOCD', '');
    return { instances: instance ? [instance] : [], problems };
  }
  const problems: string[] = [];
  const legacy = LEGACY.filter((name) => env[name] !== undefined);
  if (legacy.length > 0)
    problems.push(
      `ARGOCD_INSTANCES: is set, so ${legacy.join(', ')} ${legacy.length === 1 ? 'is' : 'are'} refused; move ${legacy.length === 1 ? 'it' : 'them'} to ARGOCD_<NAME>_* of an instance (or unset ARGOCD_INSTANCES for one instance)`,
    );
  const names = list.split(',').map((n) => n.trim());
  const seen = new Set<string>();
  const prefixes = new Map<string, string>();
  const instances: ArgoInstance[] = [];
  for (const name of names) {
    if (!INSTANCE_NAME.test(name)) {
      problems.push(
        `ARGOCD_INSTANCES: "${name.slice(0, 40)}" is not an instance name; use lower-case letters, digits and "-" (e.g. ARGOCD_INSTANCES=eu,us)`,
      );
      continue;
    }
    if (seen.has(name)) {
      problems.push(`ARGOCD_INSTANCES: "${name}" is listed twice; name each instance once`);
      continue;
    }
    seen.add(name);
    const prefix = instanceEnvPrefix(name);
    const clash = prefixes.get(prefix);
    if (clash) {
      problems.push(`ARGOCD_INSTANCES: "${clash}" and "${name}" would both read ${prefix}_*; rename one`);
      continue;
    }
    prefixes.set(prefix, name);
    const read = readInstance(env, name, prefix, ` of instance "${name}"`);
    problems.push(...read.problems);
    if (!read.instance) continue;
    // The secret is what tells the instances apart: a shared one would file every notification under the first.
    const twin = instances.find((other) => other.webhookSecret === read.instance?.webhookSecret);
    if (twin)
      problems.push(
        `${prefix}_WEBHOOK_SECRET: is the same value as ${instanceEnvPrefix(twin.name)}_WEBHOOK_SECRET; give each instance's notifications a secret of its own (\`openssl rand -hex 32\`): it is how deploybot knows which instance sent one`,
      );
    instances.push(read.instance);
  }
  return { instances, problems };
}

/** The names for messages: `eu, us`. */
export function describeInstanceNames(instances: readonly ArgoInstance[]): string {
  return instances.map((i) => i.name).join(', ');
}
