import { describe, expect, it } from 'vitest';
import type { Freeze } from '../../../../src/config/policy-schema.js';
import type { CardState } from '../../../../src/domain/card.js';
import { decide, type PolicyAction } from '../../../../src/domain/policy/index.js';
import { ACTORS, buildInput, CREATED_AT, environmentNamed, withEnvironment } from './fixtures.js';

const everFrozen: Freeze = {
  kind: 'absolute',
  reason: 'Holiday freeze',
  from: 0,
  to: Number.MAX_SAFE_INTEGER,
};

describe('rollback (Argo CD history)', () => {
  it('is allowed for a rollback user on a deployed manual-sync card', () => {
    expect(decide(buildInput({ action: 'rollback' }))).toEqual({ allowed: true });
  });

  it.each<CardState>(['succeeded', 'degraded'])("is allowed from state '%s'", (state) => {
    expect(decide(buildInput({ action: 'rollback' }, { state }))).toEqual({ allowed: true });
  });

  it.each<CardState>([
    'pending',
    'approved',
    'syncing',
    'failed',
    'rejected',
    'expired',
    'rolling-back',
    'rolled-back',
  ])("is refused from state '%s' as not deployed", (state) => {
    const decision = decide(buildInput({ action: 'rollback' }, { state }));
    expect(decision).toMatchObject({ allowed: false, rule: 'not-deployed' });
    expect(decision.allowed || decision.reason.includes('event-ingestion-prod')).toBe(true);
  });

  it('refuses an auto-synced app and points to Revert in Git', () => {
    const decision = decide(buildInput({ action: 'rollback' }, { autoSync: true }));
    expect(decision).toMatchObject({ allowed: false, rule: 'auto-sync-rollback' });
    expect(decision.allowed || decision.reason.includes('use Revert in Git')).toBe(true);
  });

  it('refuses when Argo CD has no earlier history entry', () => {
    const decision = decide(buildInput({ action: 'rollback' }, { previousHistoryId: undefined }));
    expect(decision).toMatchObject({ allowed: false, rule: 'no-previous-revision' });
  });

  it('accepts history id 0', () => {
    expect(decide(buildInput({ action: 'rollback' }, { previousHistoryId: 0 }))).toEqual({ allowed: true });
  });

  it('refuses from a card that a newer deploy replaced', () => {
    expect(decide(buildInput({ action: 'rollback', isCurrentTarget: false }))).toMatchObject({
      rule: 'superseded',
    });
  });

  it('refuses an approver who is not a rollback user', () => {
    expect(decide(buildInput({ action: 'rollback', actor: ACTORS.bob }))).toMatchObject({
      rule: 'not-rollback-user',
    });
  });

  it('defaults to the approvers when the policy omits rollback', () => {
    const environment = withEnvironment('prod', { rollback: environmentNamed('prod').approvers });
    expect(decide(buildInput({ action: 'rollback', environment, actor: ACTORS.bob }))).toEqual({
      allowed: true,
    });
    expect(decide(buildInput({ action: 'rollback', environment, actor: ACTORS.dave }))).toMatchObject({
      rule: 'not-rollback-user',
    });
  });
});

describe('revert in Git', () => {
  it('is allowed for auto-synced apps', () => {
    expect(decide(buildInput({ action: 'revert-in-git' }, { autoSync: true, kind: 'info' }))).toEqual({
      allowed: true,
    });
  });

  it('is allowed for manual-sync apps too', () => {
    expect(decide(buildInput({ action: 'revert-in-git' }))).toEqual({ allowed: true });
  });

  it('needs a previously deployed revision', () => {
    const decision = decide(buildInput({ action: 'revert-in-git' }, { from: undefined }));
    expect(decision).toMatchObject({ allowed: false, rule: 'no-previous-revision' });
  });

  it('refuses a second revert pull request and links the first', () => {
    const revertPr = { url: 'https://github.com/acme/deploy/pull/12', number: 12, user: 'U0ALICE' };
    const decision = decide(buildInput({ action: 'revert-in-git' }, { revertPr }));
    expect(decision).toMatchObject({ allowed: false, rule: 'revert-pr-exists' });
    expect(decision.allowed || decision.reason.includes('<https://github.com/acme/deploy/pull/12|#12>')).toBe(
      true,
    );
  });

  it.each<CardState>(['pending', 'syncing', 'failed', 'rolled-back'])(
    "is refused from state '%s'",
    (state) => {
      expect(decide(buildInput({ action: 'revert-in-git' }, { state }))).toMatchObject({
        rule: 'not-deployed',
      });
    },
  );
});

describe('going back ignores the gates of going forward', () => {
  const actions: PolicyAction[] = ['rollback', 'revert-in-git'];

  it.each(actions)('%s is allowed during a freeze', (action) => {
    const environment = withEnvironment('prod', { freezes: [everFrozen] });
    expect(decide(buildInput({ action, environment }))).toEqual({ allowed: true });
  });

  it.each(actions)('%s is allowed long after the approval timeout', (action) => {
    expect(decide(buildInput({ action, now: CREATED_AT + 30 * 86_400_000 }))).toEqual({ allowed: true });
  });

  it.each(actions)('%s is allowed with failing checks and by a commit author', (action) => {
    const checks = { state: 'failure' as const, total: 1, failing: ['build'], pendingNames: [] };
    const changelog = {
      available: true,
      commits: [],
      totalCommits: 1,
      pulls: [],
      authorLogins: ['alice'],
      authorEmails: ['alice@example.com'],
    };
    expect(decide(buildInput({ action }, { checks, changelog }))).toEqual({ allowed: true });
  });
});
