import { describe, expect, it } from 'vitest';
import type { Card } from '../../../../src/domain/card.js';
import {
  DENY_RULES,
  type Decision,
  type DenyRule,
  decide,
  decideFreezeCommand,
  type PolicyInput,
} from '../../../../src/domain/policy/index.js';
import { ACTORS, buildInput, CREATED_AT, environmentNamed, NOW, withEnvironment } from './fixtures.js';

const slackFreeze = {
  environment: 'prod',
  reason: 'Incident 42',
  user: 'U0ALICE',
  from: NOW - 60_000,
  until: NOW + 3_600_000,
};
const freezeCommand = (input: PolicyInput) => decideFreezeCommand(input, 'freeze');

const holiday = {
  kind: 'absolute' as const,
  reason: 'Holiday freeze',
  from: Date.parse('2026-01-01T00:00:00Z'),
  to: Date.parse('2027-01-01T00:00:00Z'),
};
const noChangelog: Partial<Card> = {
  changelog: {
    available: false,
    commits: [],
    totalCommits: 0,
    pulls: [],
    authorLogins: [],
    authorEmails: [],
  },
};

// One input per rule, and what the reason must name so the reader knows what refused them.
const CASES: Record<DenyRule, [PolicyInput, string[], ((input: PolicyInput) => Decision)?]> = {
  'not-approval-card': [
    buildInput({ action: 'approve' }, { kind: 'info' }),
    ['auto-sync', 'event-ingestion-prod'],
  ],
  'no-approvers': [
    buildInput({ action: 'approve', environment: environmentNamed('locked') }),
    ['locked', 'no approvers'],
  ],
  'not-approver': [buildInput({ action: 'approve', actor: ACTORS.eve }), ['prod approvers', '<@U0ALICE>']],
  'no-rollback-users': [
    buildInput({ action: 'rollback', environment: environmentNamed('locked') }),
    ['locked', 'no rollback users'],
  ],
  'not-rollback-user': [
    buildInput({ action: 'rollback', actor: ACTORS.eve }),
    ['prod rollback users', '<!subteam^S0SRE>'],
  ],
  'already-approved': [
    buildInput(
      { action: 'approve' },
      { requiredApprovals: 2, approvals: [{ user: 'U0ALICE', at: CREATED_AT }] },
    ),
    ['already approved'],
  ],
  'self-approval': [buildInput({ action: 'approve' }, noChangelog), ['self-approval', 'prod']],
  'checks-not-green': [
    buildInput(
      { action: 'approve' },
      { checks: { state: 'failure', total: 1, failing: ['build'], pendingNames: [] } },
    ),
    ['checks failed', 'build'],
  ],
  'checks-unknown': [
    buildInput(
      { action: 'approve' },
      { checks: { state: 'unknown', total: 0, failing: [], pendingNames: [] } },
    ),
    ['checks', 'could not be read'],
  ],
  freeze: [
    buildInput({ action: 'approve', environment: withEnvironment('prod', { freezes: [holiday] }) }),
    ['prod', 'Holiday freeze', '<!date^1798761600^'],
  ],
  expired: [
    buildInput({ action: 'approve', now: CREATED_AT + 86_400_001 }),
    ['expired', 'event-ingestion-prod'],
  ],
  superseded: [buildInput({ action: 'approve', isCurrentTarget: false }), ['superseded', 'newer revision']],
  'not-pending': [
    buildInput({ action: 'approve' }, { state: 'syncing' }),
    ['event-ingestion-prod', 'syncing'],
  ],
  'not-deployed': [
    buildInput({ action: 'rollback' }, { state: 'pending' }),
    ['event-ingestion-prod', 'deployed'],
  ],
  'no-previous-revision': [
    buildInput({ action: 'rollback' }, { previousHistoryId: undefined }),
    ['event-ingestion-prod', 'roll back to'],
  ],
  'auto-sync-rollback': [
    buildInput({ action: 'rollback' }, { autoSync: true }),
    ['auto-synced', 'Revert in Git'],
  ],
  'revert-pr-exists': [
    buildInput(
      { action: 'revert-in-git' },
      { revertPr: { url: 'https://github.com/acme/deploy/pull/3', number: 3, user: 'U0ALICE' } },
    ),
    ['revert pull request', '#3'],
  ],
  'no-operation': [
    buildInput({ action: 'abort' }, { state: 'succeeded' }),
    ['event-ingestion-prod', 'abort'],
  ],
  'not-failed': [buildInput({ action: 'retry' }, { state: 'succeeded' }), ['event-ingestion-prod', 'failed']],
  held: [
    buildInput({ action: 'approve' }, { hold: { user: 'U0BOB', at: CREATED_AT, via: 'rollback' } }),
    ['held', 'rolled back by <@U0BOB>', 'Release hold'],
  ],
  'not-held': [buildInput({ action: 'release-hold' }), ['not held', 'event-ingestion-prod']],
  'not-frozen': [
    buildInput({ action: 'break-glass', actor: ACTORS.bob }),
    ['No freeze', 'prod', 'Approve & Sync'],
  ],
  'no-break-glass': [
    buildInput({ action: 'break-glass', environment: environmentNamed('locked') }),
    ['locked', 'break-glass'],
  ],
  'not-break-glass': [
    buildInput({ action: 'break-glass', actor: ACTORS.alice, slackFreezes: [slackFreeze] }),
    ['prod break-glass principals', '<@U0BOB>', '<@U0GRACE>'],
  ],
  'no-freeze-principals': [
    buildInput({ action: 'approve', environment: environmentNamed('locked') }),
    ['locked', 'freeze'],
    freezeCommand,
  ],
  'no-promoters': [
    buildInput({ action: 'promote-rollout', environment: environmentNamed('locked') }),
    ['locked', 'no promote principals'],
  ],
  'not-promoter': [
    buildInput({ action: 'promote-rollout', actor: ACTORS.eve }),
    ['prod promote principals', '<@U0ALICE>', 'promote the rollout of event-ingestion-prod'],
  ],
  'not-rolling-out': [
    buildInput({ action: 'abort-rollout' }, { state: 'pending' }),
    ['event-ingestion-prod', 'abort', 'waiting for approval'],
  ],
  'not-freeze-principal': [
    buildInput({ action: 'approve', actor: ACTORS.eve }),
    ['approvers and break-glass principals', 'freeze prod'],
    freezeCommand,
  ],
};

describe('every deny rule', () => {
  it('has a case here, so a new rule cannot ship untested', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(DENY_RULES).sort());
  });

  it.each(Object.entries(CASES) as [DenyRule, (typeof CASES)[DenyRule]][])(
    '%s: refuses with one sentence naming its subject',
    (rule, [input, mentions, decider = decide]) => {
      const decision = decider(input);
      expect(decision).toMatchObject({ allowed: false, rule });
      if (decision.allowed) return;
      expect(decision.reason.trim()).not.toBe('');
      expect(decision.reason).toMatch(/[.]$/);
      expect(decision.reason).not.toMatch(/undefined|NaN|\[object/);
      for (const mention of mentions) expect(decision.reason).toContain(mention);
    },
  );

  it('says in the freeze reason when approvals reopen, in the freeze zone for clients without date tokens', () => {
    const friday = {
      kind: 'weekly' as const,
      reason: 'No Friday-evening deploys',
      days: ['fri' as const],
      start: 16 * 60,
      end: 23 * 60 + 59,
      timezone: 'Europe/Berlin',
    };
    const environment = withEnvironment('prod', { freezes: [friday] });
    const now = Date.parse('2026-10-30T15:30:00Z'); // Fri 16:30 CET; reopens Sat 00:00 CET = 1793401200
    const decision = decide(
      buildInput({ action: 'approve', environment, now, isCurrentTarget: true }, { createdAt: now }),
    );
    expect(decision).toEqual({
      allowed: false,
      rule: 'freeze',
      reason:
        'Deploys to prod are frozen (No Friday-evening deploys) until <!date^1793401200^{date_short_pretty} at {time}|Sat 31 Oct 2026 00:00 CET>.',
    });
  });

  it('escapes a freeze reason from the policy file', () => {
    const environment = withEnvironment('prod', { freezes: [{ ...holiday, reason: 'Q4 <!here> & more' }] });
    const decision = decide(buildInput({ action: 'approve', environment }));
    expect(decision.allowed || decision.reason.includes('Q4 &lt;!here&gt; &amp; more')).toBe(true);
  });
});
