import { describe, expect, it } from 'vitest';
import { type DenyRule, decide, type PolicyAction } from '../../../../src/domain/policy/index.js';
import { ACTORS, type ActorName, buildInput, environmentNamed } from './fixtures.js';

type Expected = 'allow' | DenyRule;
type EnvName = 'prod' | 'dev' | 'locked';

const ACTIONS: PolicyAction[] = ['approve', 'reject', 'rollback', 'revert-in-git', 'abort', 'retry'];
const USERS = Object.keys(ACTORS) as ActorName[];
const APPROVER_ACTIONS = new Set<PolicyAction>(['approve', 'reject', 'abort', 'retry']);

// The expected answer written out per person, not derived from the code under test.
const PROD_APPROVERS = new Set<ActorName>(['alice', 'bob', 'carol']);
const PROD_ROLLBACK = new Set<ActorName>(['alice', 'dave']);

function expectedFor(env: EnvName, user: ActorName, action: PolicyAction): Expected {
  const approverAction = APPROVER_ACTIONS.has(action);
  if (env === 'dev') return 'allow';
  if (env === 'locked') return approverAction ? 'no-approvers' : 'no-rollback-users';
  if (approverAction) return PROD_APPROVERS.has(user) ? 'allow' : 'not-approver';
  return PROD_ROLLBACK.has(user) ? 'allow' : 'not-rollback-user';
}

const rows = (['prod', 'dev', 'locked'] as const).flatMap((env) =>
  USERS.flatMap((user) =>
    ACTIONS.map((action) => [env, user, action, expectedFor(env, user, action)] as const),
  ),
);

describe('who may do what: environments x people x actions', () => {
  it('covers every combination', () => {
    expect(rows).toHaveLength(3 * 7 * 6);
  });

  it.each(rows)('%s: %s %s -> %s', (env, user, action, expected) => {
    const decision = decide(buildInput({ action, environment: environmentNamed(env), actor: ACTORS[user] }));
    if (expected === 'allow') {
      expect(decision).toMatchObject({ allowed: true });
      return;
    }
    expect(decision).toMatchObject({ allowed: false, rule: expected });
    if (decision.allowed) return;
    expect(decision.reason).toContain(env);
  });

  it('names the listed approvers in a prod denial', () => {
    const decision = decide(buildInput({ action: 'approve', actor: ACTORS.eve }));
    expect(decision).toEqual({
      allowed: false,
      rule: 'not-approver',
      reason:
        'Only the prod approvers (<@U0ALICE>, <@U0BOB> or <!subteam^S0ONCALL>) may approve this deploy.',
    });
  });

  it('names the rollback principals, not the approvers, in a rollback denial', () => {
    const decision = decide(buildInput({ action: 'rollback', actor: ACTORS.bob }));
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    expect(decision.reason).toContain('<@U0ALICE> or <!subteam^S0SRE>');
    expect(decision.reason).not.toContain('U0BOB');
  });

  it('refuses a group member whose group could not be resolved, and says why', () => {
    const decision = decide(buildInput({ action: 'approve', actor: ACTORS.carol, groupMembers: {} }));
    expect(decision).toMatchObject({ allowed: false, rule: 'not-approver' });
    if (decision.allowed) return;
    expect(decision.reason).toContain('the members of <!subteam^S0ONCALL> could not be read');
  });

  it('does not let membership of an unlisted group count', () => {
    const decision = decide(
      buildInput({ action: 'approve', actor: ACTORS.frank, groupMembers: { S0OTHER: ['U0FRANK'] } }),
    );
    expect(decision).toMatchObject({ allowed: false, rule: 'not-approver' });
  });

  it('does not treat a user id as a group id or the reverse', () => {
    const groupNamedLikeUser = decide(
      buildInput({ action: 'approve', actor: { id: 'S0ONCALL' }, groupMembers: {} }),
    );
    expect(groupNamedLikeUser).toMatchObject({ allowed: false, rule: 'not-approver' });
  });

  it('matches user ids exactly (case and prefix)', () => {
    for (const id of ['u0alice', 'U0ALIC', 'U0ALICE2', ' U0ALICE']) {
      const decision = decide(buildInput({ action: 'approve', actor: { id, githubLogin: 'x' } }));
      expect(decision).toMatchObject({ allowed: false, rule: 'not-approver' });
    }
  });
});
