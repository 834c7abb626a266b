import { describe, expect, it } from 'vitest';
import { CARD_STATES, type CardState } from '../../../../src/domain/card.js';
import { decide } from '../../../../src/domain/policy/index.js';
import { ACTORS, buildInput, CREATED_AT, withEnvironment } from './fixtures.js';

const ALL_STATES: readonly CardState[] = CARD_STATES;

describe('abort', () => {
  it.each(ALL_STATES.map((state) => [state, state === 'syncing' || state === 'rolling-back'] as const))(
    "state '%s' -> allowed %s",
    (state, allowed) => {
      const decision = decide(buildInput({ action: 'abort' }, { state }));
      if (allowed) expect(decision).toEqual({ allowed: true });
      else expect(decision).toMatchObject({ allowed: false, rule: 'no-operation' });
    },
  );

  it('is for approvers while syncing', () => {
    expect(decide(buildInput({ action: 'abort', actor: ACTORS.dave }))).toMatchObject({
      rule: 'not-approver',
    });
    expect(decide(buildInput({ action: 'abort', actor: ACTORS.carol }))).toEqual({ allowed: true });
  });

  it('lets a rollback user abort a running rollback', () => {
    expect(decide(buildInput({ action: 'abort', actor: ACTORS.dave }, { state: 'rolling-back' }))).toEqual({
      allowed: true,
    });
    const outsider = decide(buildInput({ action: 'abort', actor: ACTORS.eve }, { state: 'rolling-back' }));
    expect(outsider).toMatchObject({ allowed: false });
    expect(outsider.allowed || outsider.reason.includes('abort this rollback')).toBe(true);
  });

  it('is not blocked by supersession, freezes or expiry', () => {
    const environment = withEnvironment('prod', {
      freezes: [{ kind: 'absolute', reason: 'Freeze', from: 0, to: Number.MAX_SAFE_INTEGER }],
    });
    const input = buildInput({ action: 'abort', environment, isCurrentTarget: false, now: CREATED_AT + 9e9 });
    expect(decide(input)).toEqual({ allowed: true });
  });
});

describe('retry', () => {
  it.each(ALL_STATES.filter((state) => state !== 'failed' && state !== 'superseded'))(
    "is refused in state '%s'",
    (state) => {
      expect(decide(buildInput({ action: 'retry' }, { state }))).toMatchObject({
        allowed: false,
        rule: 'not-failed',
      });
    },
  );

  it('is allowed for an approver on a failed card', () => {
    expect(decide(buildInput({ action: 'retry', actor: ACTORS.carol }))).toEqual({ allowed: true });
  });

  it('does not count approvals: the approver who approved may retry', () => {
    const approvals = [{ user: 'U0ALICE', at: CREATED_AT }];
    expect(decide(buildInput({ action: 'retry' }, { approvals, requiredApprovals: 2 }))).toEqual({
      allowed: true,
    });
  });

  it('is refused during a freeze', () => {
    const environment = withEnvironment('prod', {
      freezes: [{ kind: 'absolute', reason: 'Holiday freeze', from: 0, to: Number.MAX_SAFE_INTEGER }],
    });
    const decision = decide(buildInput({ action: 'retry', environment }));
    expect(decision).toMatchObject({ allowed: false, rule: 'freeze' });
  });

  it('is refused after the approval timeout', () => {
    expect(decide(buildInput({ action: 'retry', now: CREATED_AT + 86_400_001 }))).toMatchObject({
      rule: 'expired',
    });
  });

  it('is refused on a superseded card', () => {
    expect(decide(buildInput({ action: 'retry', isCurrentTarget: false }))).toMatchObject({
      rule: 'superseded',
    });
    expect(decide(buildInput({ action: 'retry' }, { state: 'superseded' }))).toMatchObject({
      rule: 'superseded',
    });
  });

  it.each([
    ['failure', 'checks-not-green'],
    ['pending', 'checks-not-green'],
    ['unknown', 'checks-unknown'],
  ] as const)('is refused with %s checks', (state, rule) => {
    const checks = { state, total: 1, failing: [], pendingNames: [] };
    expect(decide(buildInput({ action: 'retry' }, { checks }))).toMatchObject({ rule });
  });

  it('is refused to a non-approver', () => {
    expect(decide(buildInput({ action: 'retry', actor: ACTORS.dave }))).toMatchObject({
      rule: 'not-approver',
    });
  });
});
