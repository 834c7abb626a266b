import { describe, expect, it } from 'vitest';
import { PolicyFileError, parsePolicy } from '../../../src/config/policy-schema.js';

const apps = 'apps:\n  - match: "*"\n    environment: prod\n';

function problems(yaml: string): string[] {
  try {
    parsePolicy(yaml);
  } catch (error) {
    if (error instanceof PolicyFileError) return error.problems;
    throw error;
  }
  return [];
}

describe('people[].emails: more commit e-mails of one person', () => {
  it('keeps `email` and accepts a list of further `emails`', () => {
    const policy = parsePolicy(`${apps}environments:
  prod: {}
people:
  - { slack: U0ALICE, github: alice, email: alice@acme.example, emails: [alice.personal@gmail.example] }
  - { slack: U0BOB, github: bob }
`);
    expect(policy.people[0]).toEqual({
      slack: 'U0ALICE',
      github: 'alice',
      email: 'alice@acme.example',
      emails: ['alice.personal@gmail.example'],
    });
    expect(policy.people[1]?.emails).toBeUndefined();
  });

  it('says which address is not one', () => {
    expect(
      problems(`${apps}environments:
  prod: {}
people:
  - { slack: U0ALICE, github: alice, emails: [alice@acme.example, not-an-address] }
`),
    ).toEqual([expect.stringMatching(/^people\.0\.emails\.1: /)]);
  });
});

describe('environments.<env>.requiredChecks', () => {
  it('defaults to none, and lists check run names or status contexts (trimmed, once each)', () => {
    const policy = parsePolicy(`${apps}environments:
  prod:
    requiredChecks: [build, " ci/scan ", build]
  dev: {}
`);
    expect(policy.environments.prod?.requiredChecks).toEqual(['build', 'ci/scan']);
    expect(policy.environments.dev?.requiredChecks).toEqual([]);
  });

  it('refuses an empty name and a non-list', () => {
    expect(problems(`${apps}environments:\n  prod:\n    requiredChecks: [build, ""]\n`)).toEqual([
      'environments.prod.requiredChecks.1: a check name must not be empty',
    ]);
    expect(problems(`${apps}environments:\n  prod:\n    requiredChecks: build\n`)).toEqual([
      expect.stringMatching(/^environments\.prod\.requiredChecks: /),
    ]);
  });
});
