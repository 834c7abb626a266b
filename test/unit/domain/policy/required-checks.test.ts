import { describe, expect, it } from 'vitest';
import type { ChecksSummary } from '../../../../src/domain/card.js';
import { type Decision, decide, type PolicyAction } from '../../../../src/domain/policy/index.js';
import { ACTORS, buildInput, withEnvironment } from './fixtures.js';

function checks(fields: Partial<ChecksSummary>): ChecksSummary {
  const summary = { total: 0, failing: [], pendingNames: [], passing: [], ...fields };
  const state =
    fields.state ??
    (summary.failing.length
      ? 'failure'
      : summary.pendingNames.length || summary.total === 0
        ? 'pending'
        : 'success');
  return { ...summary, state };
}

function decideWith(
  requiredChecks: string[],
  summary: ChecksSummary,
  { requireGreenChecks = false, action = 'approve' as PolicyAction } = {},
): Decision {
  const environment = withEnvironment('prod', { requireGreenChecks, requiredChecks });
  return decide(buildInput({ action, actor: ACTORS.alice, environment }, { checks: summary }));
}

const outcome = (decision: Decision) => (decision.allowed ? 'allow' : `${decision.rule}: ${decision.reason}`);

describe('requiredChecks: the listed check runs / status contexts must be green', () => {
  it.each<[string, string[], ChecksSummary, string | RegExp]>([
    [
      'all listed ones passed',
      ['build', 'ci/scan'],
      checks({ total: 2, passing: ['build', 'ci/scan'] }),
      'allow',
    ],
    [
      'a listed one still running',
      ['build', 'e2e'],
      checks({ total: 2, passing: ['build'], pendingNames: ['e2e'] }),
      /checks-not-green: Required checks are not green on bbbbbbb \(e2e: still running\)/,
    ],
    [
      'a listed one that never reported counts as pending',
      ['build', 'deploy-gate'],
      checks({ total: 1, passing: ['build'] }),
      /checks-not-green: .*deploy-gate: not reported.*try again when they pass/,
    ],
    ['no checks at all', ['build'], checks({}), /build: not reported/],
    [
      'an unlisted one still running does not hold the deploy up',
      ['build'],
      checks({ total: 2, passing: ['build'], pendingNames: ['slow-nightly'] }),
      'allow',
    ],
    [
      'an unlisted one failing still refuses (a red build is never deployed)',
      ['build'],
      checks({ total: 2, passing: ['build'], failing: ['lint'] }),
      /checks-not-green: GitHub checks failed on bbbbbbb \(lint\)/,
    ],
    [
      'a listed one failing refuses',
      ['build'],
      checks({ total: 1, failing: ['build'] }),
      /failed on bbbbbbb \(build\)/,
    ],
    [
      'a name both passed and still running (two apps report it) is not green yet',
      ['build'],
      checks({ total: 2, passing: ['build'], pendingNames: ['build'] }),
      /build: still running/,
    ],
    ['checks that could not be read', ['build'], checks({ state: 'unknown' }), /^checks-unknown: /],
    [
      'a card stored before names were recorded (no `passing`) counts the listed ones as missing',
      ['build'],
      { state: 'success', total: 3, failing: [], pendingNames: [] },
      /build: not reported/,
    ],
    ['names are matched exactly', ['Build'], checks({ total: 1, passing: ['build'] }), /Build: not reported/],
  ])('%s', (_label, required, summary, expected) => {
    const result = outcome(decideWith(required, summary));
    if (typeof expected === 'string') expect(result).toBe(expected);
    else expect(result).toMatch(expected);
  });

  it('turns the checks gate on by itself, without requireGreenChecks', () => {
    expect(decideWith(['build'], checks({ total: 0 }))).toMatchObject({
      allowed: false,
      rule: 'checks-not-green',
    });
  });

  it('without a list, requireGreenChecks still wants every check green', () => {
    const summary = checks({ total: 2, passing: ['build'], pendingNames: ['slow-nightly'] });
    expect(decideWith([], summary, { requireGreenChecks: true })).toMatchObject({
      allowed: false,
      rule: 'checks-not-green',
    });
    expect(decideWith([], summary, { requireGreenChecks: false })).toMatchObject({ allowed: true });
  });

  it('with both set, the list decides what must be green', () => {
    const summary = checks({ total: 2, passing: ['build'], pendingNames: ['slow-nightly'] });
    expect(decideWith(['build'], summary, { requireGreenChecks: true })).toMatchObject({ allowed: true });
  });

  it('applies to retry as well', () => {
    const summary = checks({ total: 1, passing: ['build'] });
    expect(decideWith(['deploy-gate'], summary, { action: 'retry' })).toMatchObject({
      allowed: false,
      rule: 'checks-not-green',
    });
  });

  it('escapes check names from GitHub', () => {
    const result = outcome(decideWith(['<!channel>'], checks({ total: 1, passing: ['build'] })));
    expect(result).toContain('&lt;!channel&gt;: not reported');
  });
});
