import { describe, expect, it } from 'vitest';
import type { Card, CardState, ChecksState } from '../../../../src/domain/card.js';
import { type Actor, type Decision, decide } from '../../../../src/domain/policy/index.js';
import { ACTORS, buildInput, CREATED_AT, environmentNamed, withEnvironment } from './fixtures.js';

function approve(
  actor: Actor,
  card: Partial<Card> = {},
  extra: Parameters<typeof buildInput>[0] = { action: 'approve' },
) {
  return decide(buildInput({ ...extra, action: 'approve', actor }, card));
}

function reasonOf(decision: Decision): string {
  if (decision.allowed) throw new Error('expected a denial');
  return decision.reason;
}

/** The environment's requiredApprovals decides, not the number stored on the card when it was posted. */
function approveNeeding(required: number, actor: Actor, card: Partial<Card> = {}) {
  const environment = withEnvironment('prod', { requiredApprovals: required });
  return approve(actor, card, { action: 'approve', environment });
}

describe('approve: N of M distinct approvers', () => {
  it('first of two approvals is allowed without reaching the threshold', () => {
    expect(approveNeeding(2, ACTORS.alice)).toEqual({
      allowed: true,
      approvalsAfter: 1,
      thresholdReached: false,
    });
  });

  it('the same user clicking twice is refused and does not reach the threshold', () => {
    const decision = approveNeeding(2, ACTORS.alice, { approvals: [{ user: 'U0ALICE', at: CREATED_AT }] });
    expect(decision).toMatchObject({ allowed: false, rule: 'already-approved' });
    expect(reasonOf(decision)).toContain('2 approvals from different people (1 so far)');
  });

  it('a second distinct approver reaches the threshold', () => {
    const decision = approveNeeding(2, ACTORS.carol, { approvals: [{ user: 'U0ALICE', at: CREATED_AT }] });
    expect(decision).toEqual({ allowed: true, approvalsAfter: 2, thresholdReached: true });
  });

  it('counts duplicate stored approvals once', () => {
    const approvals = [
      { user: 'U0ALICE', at: CREATED_AT },
      { user: 'U0ALICE', at: CREATED_AT + 1 },
    ];
    expect(approveNeeding(3, ACTORS.bob, { approvals })).toEqual({
      allowed: true,
      approvalsAfter: 2,
      thresholdReached: false,
    });
  });

  it("while 'approved' with fewer than n approvals, another approver may still approve", () => {
    const decision = approveNeeding(3, ACTORS.bob, {
      state: 'approved',
      approvals: [
        { user: 'U0ALICE', at: CREATED_AT },
        { user: 'U0CAROL', at: CREATED_AT },
      ],
    });
    expect(decision).toEqual({ allowed: true, approvalsAfter: 3, thresholdReached: true });
  });

  it('refuses an extra approval once the threshold is met', () => {
    const decision = approve(ACTORS.bob, {
      state: 'approved',
      approvals: [{ user: 'U0ALICE', at: CREATED_AT }],
    });
    expect(decision).toMatchObject({ allowed: false, rule: 'not-pending' });
    expect(reasonOf(decision)).toContain('event-ingestion-prod');
  });

  it('a card asking for 0 approvals is approved by one click', () => {
    const decision = approve(
      ACTORS.alice,
      { requiredApprovals: 0 },
      {
        action: 'approve',
        environment: environmentNamed('dev'),
      },
    );
    expect(decision).toEqual({ allowed: true, approvalsAfter: 1, thresholdReached: true });
  });
});

describe('approve: the policy of now, not of when the card was posted', () => {
  // card.requiredApprovals is what the policy said at creation; deploybot.yaml may have changed since.
  it.each([
    [
      'tightened 1 -> 2: one approval no longer syncs',
      1,
      2,
      { allowed: true, approvalsAfter: 1, thresholdReached: false },
    ],
    [
      'tightened 1 -> 3: one approval no longer syncs',
      1,
      3,
      { allowed: true, approvalsAfter: 1, thresholdReached: false },
    ],
    [
      'loosened 2 -> 1: one approval syncs',
      2,
      1,
      { allowed: true, approvalsAfter: 1, thresholdReached: true },
    ],
    [
      'raised from 0 -> 1: one approval syncs',
      0,
      1,
      { allowed: true, approvalsAfter: 1, thresholdReached: true },
    ],
  ])('%s', (_label, onCard, inPolicy, expected) => {
    expect(approveNeeding(inPolicy, ACTORS.alice, { requiredApprovals: onCard })).toEqual(expected);
  });

  it('a card stored with 1 that already has one approval waits for a second when the policy now says 2', () => {
    const decision = approveNeeding(2, ACTORS.bob, {
      state: 'approved',
      requiredApprovals: 1,
      approvals: [{ user: 'U0ALICE', at: CREATED_AT }],
    });
    expect(decision).toEqual({ allowed: true, approvalsAfter: 2, thresholdReached: true });
    const again = approveNeeding(2, ACTORS.alice, {
      state: 'approved',
      requiredApprovals: 1,
      approvals: [{ user: 'U0ALICE', at: CREATED_AT }],
    });
    expect(reasonOf(again)).toContain('it needs 2 approvals from different people (1 so far)');
  });
});

describe('approve: self-approval', () => {
  const byAlice: Partial<Card> = {
    changelog: {
      available: true,
      commits: [
        {
          sha: 'c'.repeat(40),
          subject: 'Tune',
          authorLogin: 'zed',
          authorEmail: 'zed@example.com',
          pulls: [],
        },
        {
          sha: 'd'.repeat(40),
          subject: 'Bump',
          authorLogin: 'Alice',
          authorEmail: 'ALICE@Example.com',
          pulls: [],
        },
      ],
      totalCommits: 2,
      pulls: [],
      authorLogins: ['zed', 'alice'],
      authorEmails: ['zed@example.com', 'alice@example.com'],
    },
  };

  it.each([
    ['login, other case', { id: 'U0ALICE', githubLogin: 'ALICE' }, 'login'],
    ['login, padded', { id: 'U0ALICE', githubLogin: ' alice ' }, 'login'],
    ['e-mail, other case', { id: 'U0ALICE', githubLogin: 'alice-gh', email: 'alice@EXAMPLE.COM' }, 'e-mail'],
    [
      'e-mail only, no login',
      { id: 'U0ALICE', email: 'Alice@example.com', githubLogin: 'someone-else' },
      'e-mail',
    ],
    [
      'one of several e-mails',
      { id: 'U0ALICE', githubLogin: 'x', emails: ['a@b.c', 'alice@example.com'] },
      'e-mail',
    ],
  ])('an author matched by %s is refused', (_label, actor, via) => {
    const decision = approve(actor, byAlice);
    expect(decision).toMatchObject({ allowed: false, rule: 'self-approval' });
    expect(reasonOf(decision)).toContain(`GitHub ${via}`);
    expect(reasonOf(decision)).toContain('commit ddddddd');
    expect(reasonOf(decision)).toContain('prod does not allow self-approval');
  });

  it('matches the login inside a GitHub noreply commit e-mail', () => {
    const decision = approve(ACTORS.bob, {
      changelog: {
        available: true,
        commits: [
          { sha: 'e'.repeat(40), subject: 'x', authorEmail: '4242+Bob@users.noreply.github.com', pulls: [] },
        ],
        totalCommits: 1,
        pulls: [],
        authorLogins: [],
        authorEmails: ['4242+Bob@users.noreply.github.com'],
      },
    });
    expect(decision).toMatchObject({ allowed: false, rule: 'self-approval' });
  });

  it('lets a non-author approve', () => {
    expect(approve(ACTORS.bob, byAlice)).toMatchObject({ allowed: true });
  });

  it('allows the author when allowSelfApproval is true', () => {
    const environment = withEnvironment('prod', { allowSelfApproval: true });
    expect(approve(ACTORS.alice, byAlice, { action: 'approve', environment })).toMatchObject({
      allowed: true,
    });
  });

  it('fails closed when the changelog is unavailable', () => {
    const changelog = {
      available: false,
      commits: [],
      totalCommits: 0,
      pulls: [],
      authorLogins: [],
      authorEmails: [],
    };
    const decision = approve(ACTORS.bob, { changelog });
    expect(decision).toMatchObject({ allowed: false, rule: 'self-approval' });
    expect(reasonOf(decision)).toContain('could not be verified');
  });

  it('allows an unavailable changelog when self-approval is allowed', () => {
    const changelog = {
      available: false,
      commits: [],
      totalCommits: 0,
      pulls: [],
      authorLogins: [],
      authorEmails: [],
    };
    const environment = withEnvironment('prod', { allowSelfApproval: true });
    expect(approve(ACTORS.bob, { changelog }, { action: 'approve', environment })).toMatchObject({
      allowed: true,
    });
  });

  it('fails closed when commits exist but none was read', () => {
    const changelog = {
      available: true,
      commits: [],
      totalCommits: 4,
      pulls: [],
      authorLogins: [],
      authorEmails: [],
    };
    const decision = approve(ACTORS.bob, { changelog });
    expect(decision).toMatchObject({ allowed: false, rule: 'self-approval' });
    expect(reasonOf(decision)).toContain('This change has 4 commits');
  });

  it('allows an empty change (same revision redeployed) for anyone listed', () => {
    const changelog = {
      available: true,
      commits: [],
      totalCommits: 0,
      pulls: [],
      authorLogins: [],
      authorEmails: [],
    };
    expect(approve({ id: 'U0BOB' }, { changelog })).toMatchObject({ allowed: true });
  });

  it('fails closed when the clicker has no GitHub login or e-mail', () => {
    const decision = approve({ id: 'U0BOB' }, byAlice);
    expect(decision).toMatchObject({ allowed: false, rule: 'self-approval' });
    expect(reasonOf(decision)).toContain('Your GitHub identity is unknown');
  });

  it('fails closed when only an e-mail is known but the change lists only logins', () => {
    const changelog = {
      available: true,
      commits: [{ sha: 'f'.repeat(40), subject: 'x', authorLogin: 'alice', pulls: [] }],
      totalCommits: 1,
      pulls: [],
      authorLogins: ['alice'],
      authorEmails: [],
    };
    expect(approve({ id: 'U0ALICE', email: 'alice@example.com' }, { changelog })).toMatchObject({
      allowed: false,
      rule: 'self-approval',
    });
  });
});

describe('approve: green checks', () => {
  it.each<[ChecksState, 'allow' | 'checks-not-green' | 'checks-unknown', string]>([
    ['success', 'allow', ''],
    ['failure', 'checks-not-green', 'GitHub checks failed on bbbbbbb (build, lint)'],
    ['pending', 'checks-not-green', 'still running on bbbbbbb (e2e)'],
    ['unknown', 'checks-unknown', 'could not be read'],
  ])('checks %s -> %s', (state, expected, text) => {
    const checks = { state, total: 3, failing: ['build', 'lint'], pendingNames: ['e2e'] };
    const decision = approve(ACTORS.alice, { checks });
    if (expected === 'allow') {
      expect(decision).toMatchObject({ allowed: true });
      return;
    }
    expect(decision).toMatchObject({ allowed: false, rule: expected });
    expect(reasonOf(decision)).toContain(text);
    expect(reasonOf(decision)).toContain('prod requires green checks');
  });

  it.each<ChecksState>(['failure', 'pending', 'unknown'])(
    'ignores %s checks when green checks are not required',
    (state) => {
      const environment = withEnvironment('prod', { requireGreenChecks: false });
      const checks = { state, total: 1, failing: [], pendingNames: [] };
      expect(approve(ACTORS.alice, { checks }, { action: 'approve', environment })).toMatchObject({
        allowed: true,
      });
    },
  );

  it('escapes check names that would read as Slack markup', () => {
    const checks = { state: 'failure' as const, total: 1, failing: ['<!channel> build'], pendingNames: [] };
    expect(reasonOf(approve(ACTORS.alice, { checks }))).toContain('&lt;!channel&gt; build');
  });
});

describe('approve: expiry, supersession and card state', () => {
  const timeout = environmentNamed('prod').approvalTimeout;

  it.each([
    ['one ms before the timeout', 'allow', CREATED_AT + timeout - 1],
    ['exactly at the timeout', 'allow', CREATED_AT + timeout],
    ['one ms after the timeout', 'expired', CREATED_AT + timeout + 1],
    ['a week later', 'expired', CREATED_AT + 7 * timeout],
  ])('%s -> %s', (_label, expected, now) => {
    const decision = decide(buildInput({ action: 'approve', now }));
    if (expected === 'allow') expect(decision).toMatchObject({ allowed: true });
    else {
      expect(decision).toMatchObject({ allowed: false, rule: 'expired' });
      expect(reasonOf(decision)).toContain('1d after the card is posted');
    }
  });

  it('uses the environment timeout', () => {
    const environment = withEnvironment('prod', { approvalTimeout: 60_000 });
    const decision = decide(buildInput({ action: 'approve', environment, now: CREATED_AT + 60_001 }));
    expect(decision).toMatchObject({ allowed: false, rule: 'expired' });
  });

  it('refuses a card that is no longer the current target', () => {
    const decision = decide(buildInput({ action: 'approve', isCurrentTarget: false }));
    expect(decision).toMatchObject({ allowed: false, rule: 'superseded' });
    expect(reasonOf(decision)).toContain('bbbbbbb');
  });

  it("refuses a card stored as 'superseded' even if the caller thinks it is current", () => {
    expect(decide(buildInput({ action: 'approve' }, { state: 'superseded' }))).toMatchObject({
      allowed: false,
      rule: 'superseded',
    });
  });

  it("refuses a card stored as 'expired' before its timeout", () => {
    expect(decide(buildInput({ action: 'approve' }, { state: 'expired' }))).toMatchObject({
      allowed: false,
      rule: 'expired',
    });
  });

  it.each<CardState>([
    'syncing',
    'succeeded',
    'failed',
    'degraded',
    'rejected',
    'rolling-back',
    'rolled-back',
  ])("refuses a card in state '%s' as not pending", (state) => {
    const decision = decide(buildInput({ action: 'approve' }, { state }));
    expect(decision).toMatchObject({ allowed: false, rule: 'not-pending' });
    expect(reasonOf(decision)).toContain('event-ingestion-prod');
  });

  it('refuses an info card of an auto-sync app', () => {
    const decision = decide(buildInput({ action: 'approve' }, { kind: 'info', autoSync: true }));
    expect(decision).toMatchObject({ allowed: false, rule: 'not-approval-card' });
  });

  it('checks the card before the person: an outsider on a superseded card hears it is superseded', () => {
    expect(
      decide(buildInput({ action: 'approve', actor: ACTORS.eve, isCurrentTarget: false })),
    ).toMatchObject({
      rule: 'superseded',
    });
  });

  it('checks the person before the change: an outsider never learns about checks or freezes', () => {
    const checks = { state: 'failure' as const, total: 1, failing: ['build'], pendingNames: [] };
    expect(decide(buildInput({ action: 'approve', actor: ACTORS.eve }, { checks }))).toMatchObject({
      rule: 'not-approver',
    });
  });
});

describe('reject', () => {
  it('is allowed for an approver while pending or partly approved', () => {
    expect(decide(buildInput({ action: 'reject' }))).toEqual({ allowed: true });
    expect(decide(buildInput({ action: 'reject' }, { state: 'approved' }))).toEqual({ allowed: true });
  });

  it('ignores self-approval, checks and freezes', () => {
    const environment = withEnvironment('prod', {
      freezes: [{ kind: 'absolute', reason: 'Holiday freeze', from: 0, to: Number.MAX_SAFE_INTEGER }],
    });
    const card: Partial<Card> = {
      checks: { state: 'unknown', total: 0, failing: [], pendingNames: [] },
      changelog: {
        available: false,
        commits: [],
        totalCommits: 0,
        pulls: [],
        authorLogins: [],
        authorEmails: [],
      },
    };
    expect(decide(buildInput({ action: 'reject', environment, actor: { id: 'U0ALICE' } }, card))).toEqual({
      allowed: true,
    });
  });

  it.each<CardState>(['syncing', 'succeeded', 'failed', 'rejected', 'rolled-back'])(
    "is refused in state '%s'",
    (state) => {
      const decision = decide(buildInput({ action: 'reject' }, { state }));
      expect(decision).toMatchObject({ allowed: false, rule: 'not-pending' });
      expect(reasonOf(decision)).toContain('can no longer be rejected');
    },
  );

  it('is refused on a superseded or expired card', () => {
    expect(decide(buildInput({ action: 'reject', isCurrentTarget: false }))).toMatchObject({
      rule: 'superseded',
    });
    expect(decide(buildInput({ action: 'reject', now: CREATED_AT + 86_400_001 }))).toMatchObject({
      rule: 'expired',
    });
  });
});

describe('approve: wording for a single required approval', () => {
  it('does not speak of "1 approvals"', () => {
    const again = approve(ACTORS.alice, {
      state: 'approved',
      approvals: [{ user: 'U0ALICE', at: CREATED_AT }],
    });
    expect(again).toMatchObject({ rule: 'already-approved' });
    expect(reasonOf(again)).toBe('You already approved this deploy of event-ingestion-prod.');
    const other = approve(ACTORS.bob, {
      state: 'approved',
      approvals: [{ user: 'U0ALICE', at: CREATED_AT }],
    });
    expect(reasonOf(other)).toBe(
      'This deploy of event-ingestion-prod already has the approval it needs and is about to sync.',
    );
  });
});
