import { describe, expect, it } from 'vitest';
import { type Decision, decide, decideFreezeCommand } from '../../../../src/domain/policy/index.js';
import {
  ACTORS,
  type ActorName,
  buildInput,
  CREATED_AT,
  environmentNamed,
  NOW,
  withEnvironment,
} from './fixtures.js';

const slackFreeze = {
  environment: 'prod',
  reason: 'Incident <42> & co',
  user: 'U0ALICE',
  from: NOW - 60_000,
  until: NOW + 3_600_000,
};
const holiday = {
  kind: 'absolute' as const,
  reason: 'Holiday freeze',
  from: NOW - 86_400_000,
  to: NOW + 86_400_000,
};
const ruleOf = (decision: Decision) => (decision.allowed ? 'allow' : decision.rule);

describe('a Slack freeze in the decisions', () => {
  it('refuses approval and retry naming the reason (escaped), who froze it and until when as a Slack date', () => {
    for (const action of ['approve', 'retry'] as const) {
      const decision = decide(buildInput({ action, slackFreezes: [slackFreeze] }));
      expect(decision).toMatchObject({ allowed: false, rule: 'freeze' });
      if (decision.allowed) continue;
      const seconds = Math.floor(slackFreeze.until / 1000);
      expect(decision.reason).toMatch(
        new RegExp(
          `^Deploys to prod are frozen by <@U0ALICE> \\(Incident &lt;42&gt; &amp; co\\) until <!date\\^${seconds}\\^\\{date_short_pretty\\} at \\{time\\}\\|[^>]+>\\.$`,
        ),
      );
    }
  });

  it('is in force on [from, until) only, whatever the store still holds', () => {
    expect(
      ruleOf(decide(buildInput({ action: 'approve', slackFreezes: [{ ...slackFreeze, until: NOW }] }))),
    ).toBe('allow');
    expect(
      ruleOf(decide(buildInput({ action: 'approve', slackFreezes: [{ ...slackFreeze, from: NOW + 1 }] }))),
    ).toBe('allow');
    expect(
      ruleOf(decide(buildInput({ action: 'approve', slackFreezes: [{ ...slackFreeze, until: NOW + 1 }] }))),
    ).toBe('freeze');
  });

  it('names the freeze that holds longest when a policy window and a Slack freeze overlap', () => {
    const environment = withEnvironment('prod', { freezes: [holiday] });
    const policyLonger = decide(buildInput({ action: 'approve', environment, slackFreezes: [slackFreeze] }));
    expect(policyLonger.allowed || policyLonger.reason).toMatch(/frozen \(Holiday freeze\)/);
    const slackLonger = decide(
      buildInput({
        action: 'approve',
        environment,
        slackFreezes: [{ ...slackFreeze, until: NOW + 2 * 86_400_000 }],
      }),
    );
    expect(slackLonger.allowed || slackLonger.reason).toMatch(/frozen by <@U0ALICE>/);
  });

  it('never freezes rollbacks, reverts, rejections or aborts', () => {
    const slackFreezes = [slackFreeze];
    expect(ruleOf(decide(buildInput({ action: 'rollback', slackFreezes })))).toBe('allow');
    expect(ruleOf(decide(buildInput({ action: 'revert-in-git', slackFreezes })))).toBe('allow');
    expect(ruleOf(decide(buildInput({ action: 'reject', slackFreezes })))).toBe('allow');
    expect(ruleOf(decide(buildInput({ action: 'abort', slackFreezes })))).toBe('allow');
  });
});

describe('break glass', () => {
  const frozen = { slackFreezes: [slackFreeze] };
  // Bob and Grace are prod break-glass principals (Grace is no approver); Alice approves but may not break glass.
  const expected: Record<ActorName, string> = {
    alice: 'not-break-glass',
    bob: 'allow',
    carol: 'not-break-glass',
    dave: 'not-break-glass',
    eve: 'not-break-glass',
    frank: 'not-break-glass',
    grace: 'allow',
  };
  it.each(Object.entries(expected) as [ActorName, string][])('during a freeze: %s -> %s', (name, rule) => {
    expect(ruleOf(decide(buildInput({ action: 'break-glass', actor: ACTORS[name], ...frozen })))).toBe(rule);
  });

  it('goes through a policy window as through a Slack freeze', () => {
    const environment = withEnvironment('prod', { freezes: [holiday] });
    expect(ruleOf(decide(buildInput({ action: 'break-glass', actor: ACTORS.bob, environment })))).toBe(
      'allow',
    );
  });

  it('is refused without a freeze, even for a break-glass principal', () => {
    expect(ruleOf(decide(buildInput({ action: 'break-glass', actor: ACTORS.bob })))).toBe('not-frozen');
  });

  it('still applies every other rule: self-approval, checks, approvals so far, expiry, holds', () => {
    const bob = { action: 'break-glass' as const, actor: ACTORS.bob, ...frozen };
    const ownCommit = {
      changelog: {
        available: true,
        commits: [{ sha: 'b'.repeat(40), subject: 'Fix', authorLogin: 'bob', pulls: [] }],
        totalCommits: 1,
        pulls: [],
        authorLogins: ['bob'],
        authorEmails: [],
      },
    };
    expect(ruleOf(decide(buildInput(bob, ownCommit)))).toBe('self-approval');
    expect(
      ruleOf(
        decide(
          buildInput(bob, { checks: { state: 'failure', total: 1, failing: ['ci'], pendingNames: [] } }),
        ),
      ),
    ).toBe('checks-not-green');
    expect(
      ruleOf(
        decide(buildInput(bob, { requiredApprovals: 2, approvals: [{ user: 'U0BOB', at: CREATED_AT }] })),
      ),
    ).toBe('already-approved');
    expect(
      ruleOf(
        decide(
          buildInput({
            ...bob,
            now: CREATED_AT + 86_400_001,
            slackFreezes: [{ ...slackFreeze, until: CREATED_AT + 2 * 86_400_000 }],
          }),
        ),
      ),
    ).toBe('expired');
    expect(
      ruleOf(decide(buildInput(bob, { hold: { user: 'U0ALICE', at: CREATED_AT, via: 'rollback' } }))),
    ).toBe('held');
  });

  it('counts as one approval of the required number', () => {
    const environment = withEnvironment('prod', { requiredApprovals: 2 });
    const decision = decide(buildInput({ action: 'break-glass', actor: ACTORS.bob, environment, ...frozen }));
    expect(decision).toEqual({ allowed: true, approvalsAfter: 1, thresholdReached: false });
  });

  it('lets a retry of a card whose glass was broken through the freeze', () => {
    const broken = { breakGlass: [{ user: 'U0BOB', reason: 'Payments down since 02:10', at: CREATED_AT }] };
    expect(ruleOf(decide(buildInput({ action: 'retry', ...frozen }, broken)))).toBe('allow');
    expect(ruleOf(decide(buildInput({ action: 'retry', ...frozen })))).toBe('freeze');
  });
});

describe('release hold', () => {
  const held = { hold: { user: 'U0BOB', at: CREATED_AT, via: 'rollback' as const } };
  it('is for the approvers of a held card', () => {
    expect(ruleOf(decide(buildInput({ action: 'release-hold', actor: ACTORS.alice }, held)))).toBe('allow');
    expect(ruleOf(decide(buildInput({ action: 'release-hold', actor: ACTORS.carol }, held)))).toBe('allow');
    expect(ruleOf(decide(buildInput({ action: 'release-hold', actor: ACTORS.eve }, held)))).toBe(
      'not-approver',
    );
    expect(ruleOf(decide(buildInput({ action: 'release-hold', actor: ACTORS.alice })))).toBe('not-held');
  });

  it('keeps a rolled-back card held once a newer target replaced it', () => {
    expect(ruleOf(decide(buildInput({ action: 'release-hold', isCurrentTarget: false }, held)))).toBe(
      'superseded',
    );
  });

  it('is not frozen', () => {
    expect(ruleOf(decide(buildInput({ action: 'release-hold', slackFreezes: [slackFreeze] }, held)))).toBe(
      'allow',
    );
  });
});

describe('who may freeze from Slack', () => {
  const expected: Record<ActorName, string> = {
    alice: 'allow',
    bob: 'allow',
    carol: 'allow',
    dave: 'not-freeze-principal',
    eve: 'not-freeze-principal',
    frank: 'not-freeze-principal',
    grace: 'allow',
  };
  it.each(Object.entries(expected) as [ActorName, string][])('prod: %s -> %s', (name, rule) => {
    const input = buildInput({ action: 'approve', actor: ACTORS[name] });
    expect(ruleOf(decideFreezeCommand(input, 'freeze'))).toBe(rule);
    expect(ruleOf(decideFreezeCommand(input, 'off'))).toBe(rule);
  });

  it('nobody in an environment with neither approvers nor break-glass principals', () => {
    const input = buildInput({ action: 'approve', environment: environmentNamed('locked') });
    expect(ruleOf(decideFreezeCommand(input, 'freeze'))).toBe('no-freeze-principals');
  });
});
