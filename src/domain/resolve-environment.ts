import type { EnvironmentPolicy, Policy } from '../config/policy-schema.js';
import { compileNamePattern } from './name-pattern.js';

export interface ResolvedEnvironment {
  environment: EnvironmentPolicy;
  channel?: string;
}

const matchers = new WeakMap<object, (name: string) => boolean>();

function matcherFor(rule: Policy['apps'][number]): (name: string) => boolean {
  let m = matchers.get(rule);
  if (!m) {
    // The policy schema validated the pattern; the matcher is linear in the name like user patterns.
    m = compileNamePattern(rule.match);
    matchers.set(rule, m);
  }
  return m;
}

/** First matching `apps` rule wins, as the policy file documents. */
export function resolveEnvironment(
  policy: Policy,
  app: { name: string; project?: string },
): ResolvedEnvironment | undefined {
  const rule = policy.apps.find((r) => matcherFor(r)(app.name) && (!r.project || r.project === app.project));
  if (!rule) return undefined;
  const environment = policy.environments[rule.environment];
  if (!environment) return undefined;
  return { environment, channel: environment.channel ?? policy.channels.deploys };
}
