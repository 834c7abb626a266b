import { describe, expect, it } from 'vitest';
import { parseFreezeCommand, parseFreezeDuration } from '../../../src/domain/freeze-command.js';
import { findFreezeInForce } from '../../../src/domain/freeze-window.js';

const ENVS = ['prod', 'dev', 'staging-eu'];

describe('/deploy-freeze text', () => {
  it.each([
    ['', { kind: 'list' }],
    ['   ', { kind: 'list' }],
    ['list', { kind: 'list' }],
    ['help', { kind: 'help' }],
    [
      'prod 30m Incident 42',
      { kind: 'freeze', environment: 'prod', durationMs: 1_800_000, reason: 'Incident 42' },
    ],
    [
      'prod 2h  DB migration   running',
      { kind: 'freeze', environment: 'prod', durationMs: 7_200_000, reason: 'DB migration running' },
    ],
    [
      'staging-eu 1d Game launch <@U0ALICE>',
      { kind: 'freeze', environment: 'staging-eu', durationMs: 86_400_000, reason: 'Game launch <@U0ALICE>' },
    ],
    [
      'prod 14d Holidays',
      { kind: 'freeze', environment: 'prod', durationMs: 14 * 86_400_000, reason: 'Holidays' },
    ],
    [
      'prod 1d12h Long one',
      { kind: 'freeze', environment: 'prod', durationMs: 36 * 3_600_000, reason: 'Long one' },
    ],
    ['off prod', { kind: 'off', environment: 'prod' }],
    ['OFF dev', { kind: 'off', environment: 'dev' }],
  ] as const)('%j', (text, expected) => {
    expect(parseFreezeCommand(text, ENVS)).toEqual(expected);
  });

  it.each([
    ['prod', /duration/],
    ['prod 30m', /reason/],
    ['prod 15d Too long', /at most 14d/],
    ['prod 0m Nothing', /not a freeze duration/],
    ['prod 30s Seconds', /not a freeze duration/],
    ['prod soon Later', /not a freeze duration/],
    ['prod -1h Negative', /not a freeze duration/],
    ['qa 1h Unknown', /"qa" is not an environment.*prod, dev, staging-eu/],
    ['off', /which environment/],
    ['off qa', /"qa" is not an environment/],
    ['off prod now', /which environment/],
    [`prod 1h ${'x'.repeat(301)}`, /under 300/],
  ] as const)('%j is usage, not a command', (text, problem) => {
    const parsed = parseFreezeCommand(text, ENVS);
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind === 'invalid') expect(parsed.problem).toMatch(problem);
  });

  it('caps durations at 14 days', () => {
    expect(parseFreezeDuration('14d')).toBe(14 * 86_400_000);
    expect(parseFreezeDuration('336h')).toBe(14 * 86_400_000);
    expect(parseFreezeDuration('337h')).toBeUndefined();
    expect(parseFreezeDuration('20160m')).toBe(14 * 86_400_000);
  });
});

describe('findFreezeInForce', () => {
  const now = Date.parse('2026-06-01T10:00:00Z');
  const slack = {
    environment: 'prod',
    reason: 'Incident',
    user: 'U0BOB',
    from: now - 1000,
    until: now + 60_000,
  };
  it('merges Slack freezes with the policy windows', () => {
    expect(findFreezeInForce([], [], now)).toBeUndefined();
    expect(findFreezeInForce([], [slack], now)).toEqual({
      reason: 'Incident',
      endsAt: now + 60_000,
      source: 'slack',
      by: 'U0BOB',
      timeZone: 'UTC',
    });
    const window = { kind: 'absolute' as const, reason: 'Launch', from: now - 10, to: now + 60_000 };
    // A tie goes to the Slack freeze (it names a person); a longer policy window wins.
    expect(findFreezeInForce([window], [slack], now)?.source).toBe('slack');
    expect(findFreezeInForce([{ ...window, to: now + 120_000 }], [slack], now)?.source).toBe('policy');
    expect(findFreezeInForce([], [{ ...slack, until: now }], now)).toBeUndefined();
  });
});
