import { describe, expect, it } from 'vitest';
import { PolicyFileError, parsePolicy } from '../../../src/config/policy-schema.js';
import { matchSuffix, resolveGroup, waveOf } from '../../../src/domain/fleet-group.js';
import { globsIntersect } from '../../../src/domain/glob-intersect.js';

const base = `
environments:
  prod: {}
  dev: {}
apps:
  - { match: "*", environment: dev }
`;

function problems(yaml: string): string[] {
  try {
    parsePolicy(yaml);
  } catch (error) {
    if (error instanceof PolicyFileError) return error.problems;
    throw error;
  }
  return [];
}

const withGroups = (groups: string) => `${base}groups:\n${groups}`;

describe('policy groups', () => {
  it('parses a group with defaults (instance "*", no waves)', () => {
    const policy = parsePolicy(withGroups('  - { name: fleet, match: "svc-*-prod", environment: prod }\n'));
    expect(policy.groups).toEqual([
      { name: 'fleet', match: 'svc-*-prod', instance: '*', environment: 'prod', waves: [] },
    ]);
  });

  it('defaults to no groups', () => {
    expect(parsePolicy(base).groups).toEqual([]);
  });

  it.each([
    [
      'a bad name',
      '  - { name: Fleet_1, match: "a-*", environment: prod }\n',
      'groups.0.name: must be lower-case',
    ],
    [
      'a duplicate name',
      '  - { name: f, match: "a-*", environment: prod }\n  - { name: f, match: "b-*", environment: prod }\n',
      'groups.1.name: "f" is already the name of groups.0',
    ],
    [
      'an unknown environment',
      '  - { name: f, match: "a-*", environment: staging }\n',
      'groups.0.environment: environment "staging" is not defined under "environments"',
    ],
    [
      'a wave that matches nothing',
      '  - { name: f, match: "event-ingestion-*-prod", environment: prod, waves: ["*-canary", "kafka-*"] }\n',
      'groups.0.waves.1: "kafka-*" can match no app of the group',
    ],
    [
      'an empty match',
      '  - { name: f, match: "", environment: prod }\n',
      'groups.0.match: "": a name pattern cannot be empty',
    ],
    [
      'a bad instance glob',
      '  - { name: f, match: "a-*", instance: "e u", environment: prod }\n',
      'groups.0.instance:',
    ],
    [
      'an unknown key',
      '  - { name: f, match: "a-*", environment: prod, wave: [] }\n',
      'groups.0: unknown key(s) "wave"',
    ],
  ])('refuses %s, naming the path', (_what, groups, expected) => {
    const found = problems(withGroups(groups));
    expect(
      found.some((p) => p.startsWith(expected)),
      found.join('\n'),
    ).toBe(true);
  });

  it('accepts the INTERFACE example: "*-canary" can match event-ingestion-canary-prod', () => {
    expect(
      problems(
        withGroups(
          '  - { name: event-ingestion-fleet, match: "event-ingestion-*-prod", environment: prod, waves: ["*-canary", "*"] }\n',
        ),
      ),
    ).toEqual([]);
  });
});

describe('wave assignment', () => {
  const group = { match: 'event-ingestion-*-prod', waves: ['*-canary', '*-eu', '*'] };
  it.each([
    ['event-ingestion-canary-prod', 0],
    ['event-ingestion-eu-prod', 1],
    ['event-ingestion-us-prod', 2],
    ['event-ingestion-canary-eu-prod', 1],
  ])('%s → wave %i', (name, wave) => {
    expect(waveOf(group, name)).toBe(wave);
  });

  it('puts an app no wave matches into the last wave', () => {
    expect(waveOf({ match: 'a-*', waves: ['*-canary', '*-eu'] }, 'a-us')).toBe(1);
  });

  it('has one wave without waves', () => {
    expect(waveOf({ match: 'a-*', waves: [] }, 'a-us')).toBe(0);
  });

  it('matches the full name too', () => {
    expect(waveOf({ match: 'svc-*', waves: ['svc-one', '*'] }, 'svc-one')).toBe(0);
  });

  it('takes the text after the last star as the suffix', () => {
    expect(matchSuffix('event-ingestion-*-prod')).toBe('-prod');
    expect(matchSuffix('a-*')).toBe('');
    expect(matchSuffix('exact')).toBe('');
  });
});

describe('group resolution', () => {
  const policy = parsePolicy(
    withGroups(
      '  - { name: eu-only, match: "svc-*", instance: "eu", environment: prod }\n  - { name: all, match: "svc-*", environment: prod }\n',
    ),
  );
  it('takes the first matching group, instance glob included', () => {
    expect(resolveGroup(policy, { instance: 'eu', name: 'svc-a' })?.name).toBe('eu-only');
    expect(resolveGroup(policy, { instance: 'us', name: 'svc-a' })?.name).toBe('all');
    expect(resolveGroup(policy, { instance: 'us', name: 'other' })).toBeUndefined();
  });
});

describe('glob intersection', () => {
  it.each([
    ['*-canary', 'event-ingestion-*-prod', false],
    ['*-canary', 'event-ingestion-*', true],
    ['*', 'anything', true],
    ['a', 'a', true],
    ['a', 'b', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*x*', '*y*', true],
    ['x*', 'y*', false],
    ['*x', '*y', false],
    ['a*b', 'a*c', false],
    ['a*', '*b', true],
    ['?', '*', true],
    ['', '*', true],
    ['', '?', false],
    ['kafka-*', 'event-ingestion-*-prod', false],
    ['*-eu-*', 'svc-*-prod', true],
    ['**a', 'a', true],
  ])('%s ∩ %s → %s', (a, b, expected) => {
    expect(globsIntersect(a, b)).toBe(expected);
    expect(globsIntersect(b, a)).toBe(expected);
  });
});
