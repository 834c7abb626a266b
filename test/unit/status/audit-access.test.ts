import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { PolicyFileError, parsePolicy } from '../../../src/config/policy-schema.js';
import { checkAuditAccess } from '../../../src/status/audit-access.js';

const APPS =
  'apps: [{ match: "*", environment: dev }]\nenvironments: { dev: { approvers: { users: ["*"] } } }\n';
const logger = pino({ level: 'silent' });

function deps(yaml: string, groups: Record<string, string[]> = {}, lookups: string[] = []) {
  return {
    policy: parsePolicy(`${APPS}${yaml}`),
    logger,
    groupMembers: async (group: string) => {
      lookups.push(group);
      const members = groups[group];
      if (!members) throw new Error('usergroups.users.list failed');
      return members;
    },
  };
}

describe('audit: { users, groups } (who may read /deploy-status audit)', () => {
  it('without the key everyone may read, as before', async () => {
    const lookups: string[] = [];
    expect(await checkAuditAccess(deps('', {}, lookups), 'U0GUEST')).toEqual({ allowed: true });
    expect(lookups).toEqual([]);
  });

  it('a listed user reads without any group lookup; a group member after one', async () => {
    const lookups: string[] = [];
    const d = deps('audit: { users: [U0ALICE], groups: [S0SRE] }\n', { S0SRE: ['U0BOB'] }, lookups);
    expect(await checkAuditAccess(d, 'U0ALICE')).toEqual({ allowed: true });
    expect(lookups).toEqual([]);
    expect(await checkAuditAccess(d, 'U0BOB')).toEqual({ allowed: true });
    expect(lookups).toEqual(['S0SRE']);
  });

  it('anyone else is refused with who may read it', async () => {
    const d = deps('audit: { users: [U0ALICE], groups: [S0SRE] }\n', { S0SRE: ['U0BOB'] });
    const answer = await checkAuditAccess(d, 'U0GUEST');
    expect(answer).toEqual({
      allowed: false,
      reason: 'deploybot.yaml lets only <@U0ALICE> or <!subteam^S0SRE> read the audit log.',
    });
  });

  it('a group Slack will not list admits nobody, and the answer says so', async () => {
    const answer = await checkAuditAccess(deps('audit: { groups: [S0SRE] }\n'), 'U0BOB');
    expect(answer.allowed).toBe(false);
    if (answer.allowed) return;
    expect(answer.reason).toContain('the members of <!subteam^S0SRE> could not be read just now');
  });

  it('an empty list admits nobody (deny by default)', async () => {
    const answer = await checkAuditAccess(deps('audit: {}\n'), 'U0ALICE');
    expect(answer).toMatchObject({ allowed: false });
  });

  it('the schema checks the ids like every other principal list', () => {
    expect(() => parsePolicy(`${APPS}audit: { users: [alice] }\n`)).toThrow(PolicyFileError);
    expect(() => parsePolicy(`${APPS}audit: { users: [U0ALICE], roles: [x] }\n`)).toThrow(/unknown key/);
  });
});
