import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../../sandbox/fake-slack/index.js';

// conversations.open as the Web API spec (slack_web_openapi_v2.json) describes it: success carries
// `channel.id` (a D… id), errors are the spec's names.
describe('fake Slack conversations.open', () => {
  let slack: FakeSlack;
  const call = async (args: Record<string, string>) => {
    const res = await fetch(`${slack.url}/api/conversations.open`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer xoxb-fake-slack-bot-token',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(args).toString(),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  beforeAll(async () => {
    slack = await startFakeSlack({
      users: [
        { id: 'U0DAVE', name: 'dave', realName: 'Dave', email: 'dave@example.com' },
        { id: 'U0GONE', name: 'gone', realName: 'Gone', email: 'gone@example.com', deleted: true },
      ],
    });
  });
  afterAll(async () => {
    await slack?.close();
  });

  it('opens the DM with one user, then reports it already open; a message posted to it is in that DM', async () => {
    const first = await call({ users: 'U0DAVE' });
    expect(first).toEqual({ ok: true, channel: { id: 'D0DAVE' } });
    const again = await call({ users: 'U0DAVE', return_im: 'true' });
    expect(again).toMatchObject({
      ok: true,
      no_op: true,
      already_open: true,
      channel: { id: 'D0DAVE', is_im: true, user: 'U0DAVE' },
    });
    expect(await call({ channel: 'D0DAVE' })).toMatchObject({ ok: true, channel: { id: 'D0DAVE' } });
  });

  it.each([
    [{}, 'users_list_not_supplied'],
    [{ users: 'U0NOBODY' }, 'user_not_found'],
    [{ users: 'U0GONE' }, 'user_disabled'],
    [{ channel: 'C0NOPE' }, 'channel_not_found'],
    [{ users: 'U0DAVE,U0GONE' }, 'method_not_supported_for_channel_type'],
  ])('%j → %s', async (args, error) => {
    expect(await call(args)).toEqual({ ok: false, error });
  });

  it('refuses an argument the spec does not list', async () => {
    expect(await call({ users: 'U0DAVE', user: 'U0DAVE' })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
  });
});
