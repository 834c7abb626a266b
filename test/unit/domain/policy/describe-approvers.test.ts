import { describe, expect, it } from 'vitest';
import { describeApprovers } from '../../../../src/domain/policy/index.js';

describe('describeApprovers', () => {
  it.each([
    ['one user', { users: ['U0ALICE'], groups: [] }, '<@U0ALICE>'],
    ['two users', { users: ['U0ALICE', 'U0BOB'], groups: [] }, '<@U0ALICE> or <@U0BOB>'],
    [
      'users and a group',
      { users: ['U0ALICE', 'U0BOB'], groups: ['S0ONCALL'] },
      '<@U0ALICE>, <@U0BOB> or <!subteam^S0ONCALL>',
    ],
    ['groups only', { users: [], groups: ['S0ONCALL', 'S0SRE'] }, '<!subteam^S0ONCALL> or <!subteam^S0SRE>'],
    ['"*"', { users: ['*'], groups: [] }, 'anyone'],
    ['"*" with others', { users: ['U0ALICE', '*'], groups: ['S0ONCALL'] }, 'anyone'],
    ['nobody', { users: [], groups: [] }, 'nobody'],
    ['duplicates', { users: ['U0ALICE', 'U0ALICE'], groups: [] }, '<@U0ALICE>'],
  ])('%s', (_label, principals, expected) => {
    expect(describeApprovers(principals)).toBe(expected);
  });
});
