import type { EnvironmentPolicy, Policy } from '../config/policy-schema.js';
import { DEFAULT_INSTANCE } from './card.js';
import { compileNamePattern } from './name-pattern.js';

export interface ResolvedEnvironment {
  environment: EnvironmentPolicy;
  channel?: string;
}

type Rule = Policy['apps'][number];
interface RuleMatchers {
  name: (name: string) => boolean;
  instance: (instance: string) => boolean;
}
const matchers = new WeakMap<object, RuleMatchers>();
const ANY = () => true;

function matchersFor(rule: Rule): RuleMatchers {
  let m = matchers.get(rule);
  if (!m) {
    // The policy schema validated the patterns; the matchers are linear in the name like user patterns.
    m = {
      name: compileNamePattern(rule.match),
      instance: rule.instance === undefined ? ANY : compileNamePattern(rule.instance),
    };
    matchers.set(rule, m);
  }
  return m;
}

/** First matching `apps` rule wins, as the policy file documents; a rule's `instance` glob defaults to every one. */
export function resolveEnvironment(
  policy: Policy,
  app: { name: string; project?: string; instance?: string },
): ResolvedEnvironment | undefined {
  const instance = app.instance ?? DEFAULT_INSTANCE;
  const rule = policy.apps.find((r) => {
    const m = matchersFor(r);
    return m.name(app.name) && m.instance(instance) && (!r.project || r.project === app.project);
  });
  if (!rule) return undefined;
  const environment = policy.environments[rule.environment];
  if (!environment) return undefined;
  return { environment, channel: environment.channel ?? policy.channels.deploys };
}
