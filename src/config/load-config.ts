import { readFile } from 'node:fs/promises';
import { DEFAULT_INSTANCE } from '../domain/card.js';
import { compileNamePattern } from '../domain/name-pattern.js';
import { type ArgoInstance, describeInstanceNames, parseArgoInstances } from './argocd-instances.js';
import { crossFieldEnvProblems, type Env, envSchema } from './env-schema.js';
import { describeIssue, type Policy, PolicyFileError, parsePolicy } from './policy-schema.js';

export interface Config {
  readonly env: Readonly<Env>;
  /** The Argo CD instances, in ARGOCD_INSTANCES order (one, `default`, without it). */
  readonly argocd: readonly ArgoInstance[];
  readonly policy: Readonly<Policy>;
  readonly policyPath: string;
}

/** One error for every problem found, so an operator fixes the configuration in one pass. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(
      `deploybot cannot start: ${problems.length} configuration problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  readText?: (path: string) => Promise<string>;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export async function loadConfig({ env = process.env, readText }: LoadConfigOptions = {}): Promise<Config> {
  const problems: string[] = [];
  // Empty strings come from `FOO=` lines in env files; treat them as unset so "required" reads right.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsedEnv = envSchema.safeParse(cleaned);
  if (!parsedEnv.success) problems.push(...parsedEnv.error.issues.map((i) => `env ${describeIssue(i)}`));
  problems.push(...crossFieldEnvProblems(cleaned).map((p) => `env ${p}`));
  const argo = parseArgoInstances(cleaned);
  problems.push(...argo.problems.map((p) => `env ${p}`));

  const policyPath = (cleaned.DEPLOYBOT_CONFIG as string | undefined) ?? './deploybot.yaml';
  let policy: Policy | undefined;
  try {
    const text = await (readText ?? ((p: string) => readFile(p, 'utf8')))(policyPath);
    policy = parsePolicy(text);
  } catch (error) {
    if (error instanceof PolicyFileError) problems.push(...error.problems.map((p) => `${policyPath} ${p}`));
    else if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      problems.push(
        `${policyPath}: file not found (set DEPLOYBOT_CONFIG to the policy file; see deploybot.example.yaml)`,
      );
    else problems.push(`${policyPath}: cannot be read (${(error as Error).message})`);
  }
  // Checked once both parsed: the policy file alone cannot know which instances exist.
  if (policy && argo.problems.length === 0)
    problems.push(...instanceRuleProblems(policy, argo.instances, policyPath));
  if (problems.length > 0 || !parsedEnv.success || !policy) throw new ConfigError(problems);
  return deepFreeze({ env: parsedEnv.data, argocd: argo.instances, policy, policyPath });
}

/**
 * An `instance` glob (of an `apps` rule or a fleet group) that matches no configured instance is a typo
 * that would silently match nothing.
 */
function instanceRuleProblems(
  policy: Policy,
  instances: readonly ArgoInstance[],
  policyPath: string,
): string[] {
  const known =
    instances.length === 1 && instances[0]?.name === DEFAULT_INSTANCE
      ? `the one instance is "${DEFAULT_INSTANCE}" while ARGOCD_INSTANCES is unset`
      : `ARGOCD_INSTANCES is ${describeInstanceNames(instances)}`;
  const rules = [
    ...policy.apps.map((rule, i) => ({ path: `apps.${i}.instance`, glob: rule.instance })),
    ...policy.groups.map((group, i) => ({ path: `groups.${i}.instance`, glob: group.instance })),
  ];
  return rules.flatMap(({ path, glob }) => {
    if (glob === undefined) return [];
    const matches = compileNamePattern(glob);
    if (instances.some((instance) => matches(instance.name))) return [];
    return [`${policyPath} ${path}: "${glob}" matches no Argo CD instance (${known})`];
  });
}
