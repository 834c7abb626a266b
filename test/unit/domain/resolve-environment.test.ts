import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy-schema.js';
import { resolveEnvironment } from '../../../src/domain/resolve-environment.js';

const policy = parsePolicy(`
apps:
  - { match: "api", instance: "eu", environment: prod-eu }
  - { match: "api", instance: "us-*", environment: prod-us }
  - { match: "*", environment: dev }
environments: { prod-eu: {}, prod-us: {}, dev: {} }
`);

describe('resolveEnvironment: apps[].instance', () => {
  it('first match wins, the instance glob included; a rule without one matches every instance', () => {
    const envOf = (instance: string | undefined, name = 'api') =>
      resolveEnvironment(policy, { instance, name, project: 'default' })?.environment.name;
    expect(envOf('eu')).toBe('prod-eu');
    expect(envOf('us-west')).toBe('prod-us');
    expect(envOf('ap')).toBe('dev');
    expect(envOf('eu', 'web')).toBe('dev');
    // Without an instance the app is the default instance's: no instance glob above matches it.
    expect(envOf(undefined)).toBe('dev');
  });
});
