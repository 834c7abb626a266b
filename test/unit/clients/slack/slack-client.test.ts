import { describe, expect, it } from 'vitest';
import { createSlackClient, GROUP_MEMBERS_TTL_MS } from '../../../../src/clients/slack/slack-client.js';

/** A WebClient stand-in answering usergroups.users.list and users.info, counting the calls. */
function fakeWebClient(members: Record<string, string[]>, emails: Record<string, string>) {
  const calls = { groups: 0, users: 0 };
  const client = {
    usergroups: {
      users: {
        list: async ({ usergroup }: { usergroup: string }) => {
          calls.groups++;
          return { ok: true, users: [...(members[usergroup] ?? [])] };
        },
      },
    },
    users: {
      info: async ({ user }: { user: string }) => {
        calls.users++;
        return { ok: true, user: { profile: { email: emails[user] } } };
      },
    },
  };
  return { client: client as never, calls };
}

describe('Slack client caches', () => {
  it('re-reads a user group after 60 s, so a removed member loses the right within 60 s', async () => {
    expect(GROUP_MEMBERS_TTL_MS).toBe(60_000);
    const members = { S0ONCALL: ['U0BOB', 'U0CAROL'] };
    const { client, calls } = fakeWebClient(members, {});
    let now = 1_000_000;
    const slack = createSlackClient(client, { now: () => now });
    expect(await slack.groupMembers('S0ONCALL')).toEqual(['U0BOB', 'U0CAROL']);
    members.S0ONCALL = ['U0BOB'];
    now += 59_999;
    expect(await slack.groupMembers('S0ONCALL')).toContain('U0CAROL');
    expect(calls.groups).toBe(1);
    now += 1;
    expect(await slack.groupMembers('S0ONCALL')).toEqual(['U0BOB']);
    expect(calls.groups).toBe(2);
  });

  it('keeps other lookups (profile e-mails) for their own, longer TTL, and both are configurable', async () => {
    const { client, calls } = fakeWebClient({ S0X: ['U0A'] }, { U0A: 'a@x.example' });
    let now = 0;
    const slack = createSlackClient(client, { now: () => now, cacheTtlMs: 300_000, groupCacheTtlMs: 10_000 });
    await slack.userEmail('U0A');
    await slack.groupMembers('S0X');
    now = 10_000;
    await slack.userEmail('U0A');
    await slack.groupMembers('S0X');
    expect(calls).toEqual({ users: 1, groups: 2 });
  });
});
