import { describe, expect, it } from 'vitest';
import { demoPolicy } from '../../sandbox/demo/demo-policy.js';
import { ONCALL_GROUP, PEOPLE, POLICY_YAML } from '../../sandbox/world/seed.js';
import { parsePolicy } from '../../src/config/policy-schema.js';

describe('the demo policy', () => {
  it('is the seed with a short prod syncTimeout, and names the on-call as break-glass principals', () => {
    const seed = parsePolicy(POLICY_YAML);
    const demo = parsePolicy(demoPolicy(POLICY_YAML));
    expect(seed.environments.prod?.syncTimeout).toBe(30 * 60_000);
    expect(demo.environments.prod?.syncTimeout).toBe(15_000);
    expect(demo.environments.dev?.syncTimeout).toBe(30 * 60_000);
    expect(demo.environments.prod?.breakGlass).toEqual({ users: [PEOPLE.bob.id], groups: [ONCALL_GROUP.id] });
    expect({ ...demo, environments: { ...demo.environments, prod: seed.environments.prod } }).toEqual(seed);
  });
});
