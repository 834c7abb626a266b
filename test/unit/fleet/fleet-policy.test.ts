import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy-schema.js';
import type { ChecksSummary } from '../../../src/domain/card.js';
import { decideFleet, type FleetAction } from '../../../src/domain/fleet-policy.js';
import { CREATED, fleetCard } from './fleet-fixture.js';

const policy = parsePolicy(`
environments:
  prod:
    approvers: { users: [U0ALICE, U0BOB], groups: [S0ONCALL] }
    rollback: { users: [U0CAROL] }
    requireGreenChecks: true
    freezes:
      - { reason: Holiday, from: "2026-03-02T12:00:00Z", to: "2026-03-03T00:00:00Z" }
apps:
  - { match: "*", environment: prod }
`);
const prod = policy.environments.prod!;
const green: ChecksSummary = { state: 'success', total: 1, failing: [], pendingNames: [], passing: ['ci'] };
const card = fleetCard({ to: { sha: 'a1b2c3d4', authorEmail: 'dave@example.com' } });

function decide(
  action: FleetAction,
  user: string,
  overrides: { now?: number; emails?: readonly string[]; checks?: ChecksSummary } = {},
) {
  return decideFleet({
    action,
    card,
    environment: prod,
    actor: { id: user, emails: overrides.emails ?? [] },
    groupMembers: { S0ONCALL: ['U0ONCALL'] },
    now: overrides.now ?? CREATED,
    checks: 'checks' in overrides ? overrides.checks : green,
  });
}

describe('fleet card policy', () => {
  it.each([
    ['approve', 'U0ALICE', {}, undefined],
    ['approve', 'U0ONCALL', {}, undefined],
    ['approve', 'U0DAVE', {}, 'not-approver'],
    ['approve', 'U0ALICE', { emails: ['dave@example.com'] }, 'self-approval'],
    ['approve', 'U0ALICE', { now: CREATED + 3 * 3600_000 }, 'freeze'],
    ['approve', 'U0ALICE', { checks: undefined }, 'checks-unknown'],
    [
      'approve',
      'U0ALICE',
      { checks: { ...green, state: 'failure', failing: ['ci'] } as ChecksSummary },
      'checks-not-green',
    ],
    ['rollback', 'U0CAROL', { now: CREATED + 3 * 3600_000 }, undefined],
    ['rollback', 'U0ALICE', {}, 'not-rollback-user'],
    ['abort', 'U0BOB', { now: CREATED + 3 * 3600_000 }, undefined],
    ['reject', 'U0DAVE', {}, 'not-approver'],
    ['retry', 'U0ALICE', { now: CREATED + 3 * 3600_000 }, 'freeze'],
    ['approve', 'U0ALICE', { now: CREATED + 25 * 3600_000 }, 'expired'],
    ['reject', 'U0ALICE', { now: CREATED + 25 * 3600_000 }, 'expired'],
  ] as const)('%s by %s %j → %s', (action, user, overrides, rule) => {
    const decision = decide(action, user, overrides);
    if (rule === undefined) expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, rule });
  });

  it('counts an approver once', () => {
    const approved = { ...card, approvals: [{ user: 'U0ALICE', at: CREATED }] };
    expect(
      decideFleet({
        action: 'approve',
        card: approved,
        environment: prod,
        actor: { id: 'U0ALICE' },
        groupMembers: {},
        now: CREATED,
        checks: green,
      }),
    ).toMatchObject({ allowed: false, rule: 'already-approved' });
  });
});
