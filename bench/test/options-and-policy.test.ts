import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { benchPolicy, fleetBenchPolicy } from '../harness/bench-policy.js';
import { parseOptions } from '../harness/options.js';

describe('parseOptions', () => {
  it('reads --quick, --profile and --only, and makes the quick run smaller', () => {
    const quick = parseOptions(['--quick', '--only=ingest,memory', '--profile']);
    const full = parseOptions([]);
    expect(quick).toMatchObject({ quick: true, profile: true, only: ['ingest', 'memory'] });
    expect(quick.sizes.memoryNotifications).toBeLessThan(full.sizes.memoryNotifications);
    expect(full.sizes.memoryNotifications).toBe(10_000);
    expect(full.sizes.clickBursts.map((b) => b.concurrency)).toEqual([20, 100]);
  });

  it('refuses an unknown argument instead of running something else than asked', () => {
    expect(() => parseOptions(['--qiuck'])).toThrow(/unknown argument/);
  });
});

describe('benchPolicy', () => {
  it('moves only the reconcile interval', () => {
    const policy =
      'channels: { deploys: C1 }\nreconcileInterval: 60s\napps:\n  - { match: "*", environment: dev }\n';
    expect(benchPolicy(policy)).toBe(policy.replace('reconcileInterval: 60s', 'reconcileInterval: 10m'));
  });

  it('adds the interval to a policy that has none', () => {
    expect(benchPolicy('apps: []\n')).toBe('apps: []\nreconcileInterval: 10m\n');
  });
});

describe('fleetBenchPolicy', () => {
  it('is the bench policy with one group of two waves over the fleet apps', () => {
    const policy = 'reconcileInterval: 60s\napps:\n  - { match: "*", environment: dev }\n';
    const parsed = parse(fleetBenchPolicy(policy)) as Record<string, unknown>;
    expect(parsed.groups).toEqual([
      { name: 'bench-fleet', match: 'fleet-*-prod', environment: 'prod', waves: ['fleet-canary-*', '*'] },
    ]);
    const { groups, ...rest } = parsed;
    expect(rest).toEqual(parse(benchPolicy(policy)));
    expect(parseOptions([]).sizes).toMatchObject({ fleetApps: 200, fleetCanaries: 20 });
  });
});
