import { describe, expect, it } from 'vitest';
import { decide, isPrincipal, type PolicyAction } from '../../../../src/domain/policy/index.js';
import { ACTORS, buildInput, environmentNamed, withEnvironment } from './fixtures.js';

// Slack Connect: a shared channel shows the card to another company's people, who could press its buttons.
const OUTSIDER = { id: 'U0GUEST', external: true } as const;
const ACTIONS: PolicyAction[] = ['approve', 'reject', 'rollback', 'revert-in-git', 'abort', 'retry'];

describe('"*" admits members of the installing workspace only', () => {
  it.each(ACTIONS)('dev (users: ["*"]): an external user may not %s, and is told why', (action) => {
    const decision = decide(buildInput({ action, environment: environmentNamed('dev'), actor: OUTSIDER }));
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    expect(['not-approver', 'not-rollback-user']).toContain(decision.rule);
    expect(decision.reason).toContain('not a member of this Slack workspace (Slack Connect)');
    expect(decision.reason).toContain('"*" in the dev');
  });

  it.each(ACTIONS)('dev: the same user from this workspace may %s', (action) => {
    const decision = decide(
      buildInput({ action, environment: environmentNamed('dev'), actor: { id: 'U0GUEST' } }),
    );
    expect(decision).toMatchObject({ allowed: true });
  });

  it('an external user listed by id is still admitted', () => {
    const environment = withEnvironment('dev', { approvers: { users: ['*', 'U0GUEST'], groups: [] } });
    const decision = decide(buildInput({ action: 'approve', environment, actor: OUTSIDER }));
    expect(decision).toMatchObject({ allowed: true });
  });

  it('an external user in a listed group is still admitted', () => {
    const environment = withEnvironment('dev', { approvers: { users: ['*'], groups: ['S0PARTNER'] } });
    const decision = decide(
      buildInput({
        action: 'approve',
        environment,
        actor: OUTSIDER,
        groupMembers: { S0PARTNER: ['U0GUEST'] },
      }),
    );
    expect(decision).toMatchObject({ allowed: true });
  });

  it('prod (explicit ids): an external prod approver listed by id keeps the right', () => {
    const decision = decide(buildInput({ action: 'reject', actor: { ...ACTORS.alice, external: true } }));
    expect(decision).toMatchObject({ allowed: true });
  });

  it('isPrincipal: "*" matches unless the user is external', () => {
    const anyone = { users: ['*'], groups: [] };
    expect(isPrincipal(anyone, 'U0X', {})).toBe(true);
    expect(isPrincipal(anyone, 'U0X', {}, { external: false })).toBe(true);
    expect(isPrincipal(anyone, 'U0X', {}, { external: true })).toBe(false);
    expect(isPrincipal({ users: ['*', 'U0X'], groups: [] }, 'U0X', {}, { external: true })).toBe(true);
  });
});
