import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PolicyFileError, parsePolicy } from '../../../src/config/policy-schema.js';

const minimal = 'apps:\n  - match: "*"\n    environment: dev\nenvironments:\n  dev: {}\n';

function problems(yaml: string): string[] {
  try {
    parsePolicy(yaml);
  } catch (error) {
    if (error instanceof PolicyFileError) return error.problems;
    throw error;
  }
  return [];
}

describe('policy file schema', () => {
  it('parses the shipped example with the seed apps', () => {
    const policy = parsePolicy(readFileSync('deploybot.example.yaml', 'utf8'));
    expect(policy.apps.map((a) => a.match)).toEqual(['event-ingestion-prod', '*-prod', '*-dev', '*']);
    const prod = policy.environments.prod!;
    expect(prod.approvalTimeout).toBe(24 * 3600 * 1000);
    expect(prod.remindAfter).toBe(30 * 60 * 1000);
    expect(prod.freezes[0]).toMatchObject({ kind: 'absolute', from: Date.parse('2026-12-24T00:00:00Z') });
    expect(prod.freezes[1]).toMatchObject({
      kind: 'weekly',
      days: ['fri'],
      start: 16 * 60,
      end: 23 * 60 + 59,
      timezone: 'Europe/Berlin',
    });
    // Deny by default: nobody is "*", and the catch-all rule names an environment without approvers.
    for (const environment of Object.values(policy.environments)) {
      expect(environment.approvers.users).not.toContain('*');
      expect(environment.rollback.users).not.toContain('*');
    }
    expect(policy.apps.at(-1)).toEqual({ match: '*', environment: 'unmatched' });
    expect(policy.environments.unmatched!.approvers).toEqual({ users: [], groups: [] });
    expect(policy.reconcileInterval).toBe(60_000);
  });

  it('applies the documented defaults', () => {
    const policy = parsePolicy(minimal);
    const dev = policy.environments.dev!;
    expect(dev).toMatchObject({
      requiredApprovals: 1,
      allowSelfApproval: false,
      requireGreenChecks: false,
      approvalTimeout: 86_400_000,
      remindAfter: 1_800_000,
      githubDeployments: false,
      approvers: { users: [], groups: [] },
      freezes: [],
    });
    expect(dev.rollback).toEqual(dev.approvers);
    expect(policy.people).toEqual([]);
  });

  it('turns GitHub Deployments on by default for prod and production only', () => {
    const policy = parsePolicy(
      'apps: [{match: "*", environment: prod}]\nenvironments: {prod: {}, production: {}, staging: {githubDeployments: true}, qa: {}}\n',
    );
    expect(policy.environments.prod!.githubDeployments).toBe(true);
    expect(policy.environments.production!.githubDeployments).toBe(true);
    expect(policy.environments.staging!.githubDeployments).toBe(true);
    expect(policy.environments.qa!.githubDeployments).toBe(false);
  });

  it.each([
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['250ms', 250],
  ])('reads the duration %s', (text, ms) => {
    expect(parsePolicy(`${minimal}reconcileInterval: ${text}\n`).reconcileInterval).toBe(ms);
  });

  it('accepts quoted and unquoted timestamps alike', () => {
    const quoted = parsePolicy(
      `${minimal.replace('dev: {}', 'dev:\n    freezes:\n      - {reason: x, from: "2026-12-24T00:00:00Z", to: "2026-12-25T00:00:00Z"}')}`,
    );
    const bare = parsePolicy(
      `${minimal.replace('dev: {}', 'dev:\n    freezes:\n      - {reason: x, from: 2026-12-24T00:00:00Z, to: 2026-12-25T00:00:00Z}')}`,
    );
    expect(quoted.environments.dev!.freezes).toEqual(bare.environments.dev!.freezes);
  });

  it('names an unknown key with its path', () => {
    expect(problems(`${minimal}channel: C0X\n`)).toEqual(['(top level): unknown key(s) "channel"']);
    expect(problems(minimal.replace('dev: {}', 'dev: {approver: {users: []}}'))).toEqual([
      'environments.dev: unknown key(s) "approver"',
    ]);
  });

  it('lists every problem at once, each with its path and a fix', () => {
    const found = problems(
      [
        'apps:',
        '  - match: "*"',
        '    environment: staging',
        'environments:',
        '  prod:',
        '    approvalTimeout: soon',
        '    approvers: {users: [alice]}',
        '    freezes:',
        '      - reason: Fridays',
        '        weekly: {days: [friday], start: "16:00", end: "25:00", timezone: Mars/Olympus}',
      ].join('\n'),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^environments\.prod\.approvalTimeout: "soon" is not a duration; write it like "24h"/,
        ),
        expect.stringMatching(/^environments\.prod\.approvers\.users\.0: must be a Slack user id/),
        expect.stringMatching(/^environments\.prod\.freezes\.0\.weekly\.days\.0: /),
        expect.stringMatching(/^environments\.prod\.freezes\.0\.weekly\.end: must be a 24-hour time/),
        expect.stringMatching(/^environments\.prod\.freezes\.0\.weekly\.timezone: must be an IANA time zone/),
      ]),
    );
  });

  it('requires at least one app rule and that each names a defined environment', () => {
    expect(problems('apps: []\n')).toEqual([expect.stringMatching(/^apps: list at least one app rule/)]);
    expect(problems('apps: [{match: "*", environment: prod}]\n')).toEqual([
      'apps.0.environment: environment "prod" is not defined under "environments"',
    ]);
  });

  it('accepts "*" approvers, globs and a project filter', () => {
    const policy = parsePolicy(
      'apps: [{match: "kafka-*", project: gamemetrics, environment: dev}]\nenvironments: {dev: {approvers: {users: ["*"]}}}\n',
    );
    expect(policy.apps[0]).toEqual({ match: 'kafka-*', project: 'gamemetrics', environment: 'dev' });
  });

  it('refuses app patterns other than * and ?, and ones over 100 characters', () => {
    for (const match of ['@(a|b)-prod', '{a,b}', 'kafka-[dp]', 'x'.repeat(101)]) {
      const found = problems(`apps: [{match: "${match}", environment: dev}]\nenvironments: {dev: {}}\n`);
      expect(found, match).toEqual([expect.stringMatching(/^apps\.0\.match: .*name pattern/)]);
    }
  });

  it('rejects a freeze that ends before it starts', () => {
    expect(
      problems(
        minimal.replace(
          'dev: {}',
          'dev: {freezes: [{reason: x, from: "2026-12-25T00:00:00Z", to: "2026-12-24T00:00:00Z"}]}',
        ),
      ),
    ).toEqual(['environments.dev.freezes.0.to: "to" must be after "from"']);
  });

  it('reports YAML syntax errors plainly', () => {
    expect(problems('apps: [\n')[0]).toMatch(/^not valid YAML:/);
  });
});
