import { describe, expect, it } from 'vitest';
import { decide, type PolicyAction } from '../../../../src/domain/policy/index.js';
import { ACTORS, buildInput, withEnvironment } from './fixtures.js';

const holiday = {
  kind: 'absolute' as const,
  reason: 'Holiday freeze',
  from: Date.parse('2026-01-01T00:00:00Z'),
  to: Date.parse('2027-01-01T00:00:00Z'),
};
const ACTIONS: PolicyAction[] = ['promote-rollout', 'promote-full-rollout', 'abort-rollout', 'retry-rollout'];

describe('Rollout actions: environments.<env>.promote, default the approvers', () => {
  it.each(ACTIONS)('%s: an approver may, by id or group; a stranger may not', (action) => {
    expect(decide(buildInput({ action, actor: ACTORS.alice }))).toEqual({ allowed: true });
    expect(decide(buildInput({ action, actor: ACTORS.carol }))).toEqual({ allowed: true });
    expect(decide(buildInput({ action, actor: ACTORS.eve }))).toMatchObject({ rule: 'not-promoter' });
  });

  it('an explicit promote list replaces the approvers', () => {
    const environment = withEnvironment('prod', { promote: { users: ['U0EVE'], groups: [] } });
    expect(decide(buildInput({ action: 'promote-rollout', actor: ACTORS.eve, environment }))).toEqual({
      allowed: true,
    });
    expect(decide(buildInput({ action: 'promote-rollout', actor: ACTORS.alice, environment }))).toMatchObject(
      {
        rule: 'not-promoter',
      },
    );
  });

  it('a freeze holds promotion and retry but never blocks Abort', () => {
    const environment = withEnvironment('prod', { freezes: [holiday] });
    for (const action of ['promote-rollout', 'promote-full-rollout', 'retry-rollout'] as const)
      expect(decide(buildInput({ action, environment }))).toMatchObject({ rule: 'freeze' });
    expect(decide(buildInput({ action: 'abort-rollout', environment }))).toEqual({ allowed: true });
  });

  it('a superseded card acts on nothing', () => {
    expect(decide(buildInput({ action: 'abort-rollout', isCurrentTarget: false }))).toMatchObject({
      rule: 'superseded',
    });
  });
});
