import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import type { CardRepository } from '../../../src/cards/card-repository.js';
import { parsePolicy } from '../../../src/config/policy-schema.js';
import { buildPolicyInput, resolveActor } from '../../../src/deploy-actions/resolve-policy-input.js';
import type { Card, CardState } from '../../../src/domain/card.js';
import type { PolicyAction } from '../../../src/domain/policy/index.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { buildCard } from '../domain/policy/fixtures.js';

const POLICY = parsePolicy(`
people:
  - { slack: U0ALICE, github: alice, email: alice@acme.example, emails: [alice.personal@gmail.example] }
  - { slack: U0BOB, github: bob }
environments:
  prod:
    approvers: { users: [U0ALICE], groups: [S0ONCALL] }
    rollback: { users: [U0BOB], groups: [S0SRE] }
    allowSelfApproval: false
  dev:
    approvers: { users: ["*"], groups: [S0DEV] }
    allowSelfApproval: true
apps:
  - { match: "*", environment: prod }
`);

/** Only what the resolver touches: the policy, Slack's two lookups (counted), a logger and the clock. */
function context({ emailFails = false } = {}) {
  const calls = { userEmail: [] as string[], groupMembers: [] as string[] };
  const ctx = {
    config: { policy: POLICY },
    store: new MemoryStore(),
    logger: pino({ level: 'silent' }),
    now: () => Date.parse('2026-06-01T11:00:00Z'),
    slack: {
      async userEmail(user: string) {
        calls.userEmail.push(user);
        if (emailFails) throw new Error('slack down');
        return user === 'U0ALICE' ? 'Alice.Slack@acme.example' : undefined;
      },
      async groupMembers(group: string) {
        calls.groupMembers.push(group);
        return group === 'S0ONCALL' ? ['U0CAROL'] : ['U0DAVE'];
      },
    },
  } as unknown as AppContext;
  return { ctx, calls };
}

const repo = {
  currentTarget: async () => undefined,
  get: async () => undefined,
} as unknown as CardRepository;

async function resolve(
  action: PolicyAction,
  user: string,
  {
    environment = 'prod',
    state,
    external,
  }: { environment?: string; state?: CardState; external?: boolean } = {},
) {
  const { ctx, calls } = context();
  const card: Card = buildCard({ environment, ...(state ? { state } : {}) });
  const input = await buildPolicyInput(ctx, repo, action, card, user, { external });
  return { input, calls };
}

describe('policy input resolves only what the rule needs', () => {
  it.each<
    [string, PolicyAction, string, { environment?: string; state?: CardState; external?: boolean }, string[]]
  >([
    ['a user listed by id: no group is read', 'approve', 'U0ALICE', {}, []],
    ['a user not listed: the approver groups only', 'approve', 'U0CAROL', {}, ['S0ONCALL']],
    ['rollback: the rollback groups only', 'rollback', 'U0DAVE', { state: 'succeeded' }, ['S0SRE']],
    ['rollback by a rollback user listed by id: none', 'rollback', 'U0BOB', { state: 'succeeded' }, []],
    ['revert in Git: the rollback groups', 'revert-in-git', 'U0DAVE', { state: 'succeeded' }, ['S0SRE']],
    ['abort of a sync: the approver groups', 'abort', 'U0CAROL', { state: 'syncing' }, ['S0ONCALL']],
    ['abort of a rollback: both', 'abort', 'U0DAVE', { state: 'rolling-back' }, ['S0ONCALL', 'S0SRE']],
    [
      '"*" admits a member of this workspace: none',
      'approve',
      'U0ZED',
      { environment: 'dev', external: false },
      [],
    ],
    // "*" does not admit a Slack Connect user, so their groups still matter.
    [
      '"*" and an external user: the groups',
      'approve',
      'U0ZED',
      { environment: 'dev', external: true },
      ['S0DEV'],
    ],
    [
      '"*" when the caller does not say: the groups (safe side)',
      'approve',
      'U0ZED',
      { environment: 'dev' },
      ['S0DEV'],
    ],
  ])('%s', async (_label, action, user, options, groups) => {
    const { input, calls } = await resolve(action, user, options);
    expect(calls.groupMembers).toEqual(groups);
    expect(Object.keys(input?.groupMembers ?? {})).toEqual(groups);
  });

  it.each<[string, PolicyAction, string, string[]]>([
    ['approve with self-approval off: the Slack profile e-mail is read', 'approve', 'prod', ['U0ALICE']],
    ['approve with self-approval allowed: not read', 'approve', 'dev', []],
    ['reject: not read', 'reject', 'prod', []],
    ['rollback: not read', 'rollback', 'prod', []],
    ['retry: not read', 'retry', 'prod', []],
  ])('%s', async (_label, action, environment, reads) => {
    const state = action === 'rollback' ? 'succeeded' : action === 'retry' ? 'failed' : undefined;
    const { calls } = await resolve(action, 'U0ALICE', { environment, state });
    expect(calls.userEmail).toEqual(reads);
  });

  it("the actor's e-mails: the people email and emails, and the Slack profile e-mail", async () => {
    const { input } = await resolve('approve', 'U0ALICE');
    expect(input?.actor).toEqual({
      id: 'U0ALICE',
      githubLogin: 'alice',
      email: 'alice@acme.example',
      emails: ['alice@acme.example', 'alice.personal@gmail.example', 'alice.slack@acme.example'],
    });
  });

  it('an unreadable Slack profile is said so (fail closed), not taken as "no e-mail"', async () => {
    const { ctx } = context({ emailFails: true });
    const environment = POLICY.environments.prod!;
    expect(await resolveActor(ctx, 'U0BOB', environment, 'approve')).toEqual({
      id: 'U0BOB',
      githubLogin: 'bob',
      email: undefined,
      emails: [],
      emailUnknown: true,
    });
  });

  it("decides from the policy's environment as it is now, whatever the card stored", async () => {
    const { ctx } = context();
    const card = buildCard({ requiredApprovals: 5 });
    const input = await buildPolicyInput(ctx, repo, 'approve', card, 'U0ALICE');
    expect(input?.environment.requiredApprovals).toBe(1);
  });
});
