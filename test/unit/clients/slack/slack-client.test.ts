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

describe('Slack client permalinks', () => {
  function permalinkClient(answers: (() => Promise<unknown>)[]) {
    const calls: unknown[] = [];
    const client = {
      chat: {
        getPermalink: async (args: unknown) => {
          calls.push(args);
          const next = answers.shift();
          if (!next) throw new Error('no more answers');
          return next();
        },
      },
    };
    return { client: client as never, calls };
  }

  it('asks chat.getPermalink once per message, sharing the answer (and the call in flight)', async () => {
    const { client, calls } = permalinkClient([async () => ({ ok: true, permalink: 'https://w/p1' })]);
    const slack = createSlackClient(client);
    const [a, b] = await Promise.all([slack.permalink('C1', '1.2'), slack.permalink('C1', '1.2')]);
    expect([a, b, await slack.permalink('C1', '1.2')]).toEqual([
      'https://w/p1',
      'https://w/p1',
      'https://w/p1',
    ]);
    expect(calls).toHaveLength(1);
  });

  it('builds a card permalink from the workspace URL without a call, once auth.test gave it', async () => {
    const { client, calls } = permalinkClient([]);
    let url: string | undefined;
    const slack = createSlackClient(client, { workspaceUrl: () => url });
    url = 'https://acme.slack.com/';
    expect(await slack.permalink('C0DEPLOYS', '1701234567.000200')).toBe(
      'https://acme.slack.com/archives/C0DEPLOYS/p1701234567000200',
    );
    expect(calls).toHaveLength(0);
  });

  it('reports a failure, answers undefined and asks again next time (nothing cached)', async () => {
    const { client, calls } = permalinkClient([
      async () =>
        Promise.reject(
          Object.assign(new Error('x'), {
            code: 'slack_webapi_platform_error',
            data: { error: 'message_not_found' },
          }),
        ),
      async () => ({ ok: true, permalink: 'https://w/p2' }),
    ]);
    const errors: string[] = [];
    const slack = createSlackClient(client, { onPermalinkError: (e) => errors.push(e.message) });
    expect(await slack.permalink('C1', '9.9')).toBeUndefined();
    expect(errors).toEqual(['Slack API error: message_not_found']);
    expect(await slack.permalink('C1', '9.9')).toBe('https://w/p2');
    expect(calls).toHaveLength(2);
  });
});
