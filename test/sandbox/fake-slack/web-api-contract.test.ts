import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EXTRACTED_METHODS,
  type ExtractedMethods,
  extractMethods,
} from '../../../sandbox/contracts/slack/extract-methods.js';
import { SERVED_METHODS } from '../../../sandbox/fake-slack/index.js';
import { callError, createClient, DEPLOYS, startTestFake } from './helpers.js';

const extract = JSON.parse(
  readFileSync(new URL('../../../sandbox/contracts/slack/web-api-methods.json', import.meta.url), 'utf8'),
) as ExtractedMethods;

describe('the Web API method contract', () => {
  it('serves exactly the methods extracted from the spec', () => {
    expect(SERVED_METHODS).toEqual([...EXTRACTED_METHODS].sort());
    expect(Object.keys(extract).sort()).toEqual([...EXTRACTED_METHODS].sort());
  });

  it('the committed extract carries the spec flags the fake relies on', () => {
    const required = (method: string) =>
      extract[method]?.arguments.filter((a) => a.required && a.name !== 'token').map((a) => a.name);
    expect(required('chat.update')).toEqual(['channel', 'ts']);
    expect(required('views.open')).toEqual(['trigger_id', 'view']);
    expect(required('reactions.add')).toEqual(['channel', 'name', 'timestamp']);
    expect(extract['views.open']?.verb).toBe('get');
  });

  it('extractMethods keeps names, required flags and locations, sorted, from an OpenAPI 2 document', () => {
    const spec = {
      paths: {
        '/x.do': {
          post: {
            parameters: [
              { name: 'zeta', in: 'formData', description: 'dropped' },
              { name: 'alpha', in: 'formData', required: true, type: 'string' },
            ],
          },
        },
      },
    };
    expect(extractMethods(spec, ['x.do'])).toEqual({
      'x.do': {
        verb: 'post',
        arguments: [
          { name: 'alpha', required: true, in: 'formData' },
          { name: 'zeta', required: false, in: 'formData' },
        ],
      },
    });
    expect(() => extractMethods(spec, ['y.do'])).toThrow('no path /y.do');
  });
});

describe('Web API requests through the real @slack/web-api client', () => {
  it('answers not_authed without a token and invalid_auth with a wrong one', async () => {
    const fake = await startTestFake();
    const anonymous = await callError(createClient(fake, null).auth.test());
    expect(anonymous.data?.error).toBe('not_authed');
    const wrong = await callError(createClient(fake, 'xoxb-wrong').auth.test());
    expect(wrong.code).toBe('slack_webapi_platform_error');
    expect(wrong.data?.error).toBe('invalid_auth');
  });

  it('accepts the token as a form field, as the spec allows', async () => {
    const fake = await startTestFake();
    const result = await createClient(fake, null).auth.test({ token: fake.botToken });
    expect(result.user_id).toBe(fake.botUserId);
    expect(fake.callsTo('auth.test')[0]?.args).toEqual({});
  });

  it('answers unknown_method for a method Slack does not have (or the fake does not serve)', async () => {
    const fake = await startTestFake();
    const error = await callError(
      createClient(fake).apiCall('chat.postMesage', { channel: DEPLOYS, text: 'x' }),
    );
    expect(error.data?.error).toBe('unknown_method');
  });

  it('names an argument the spec does not list (a typo Slack would silently ignore is a bot bug)', async () => {
    const fake = await startTestFake();
    const error = await callError(
      createClient(fake).apiCall('chat.postMessage', { channel: DEPLOYS, text: 'x', thread_tss: '1.2' }),
    );
    expect(error.data?.error).toBe('invalid_arguments');
    expect(error.data?.response_metadata).toMatchObject({
      messages: ['[ERROR] unknown argument: thread_tss'],
    });
    expect(fake.channelMessages(DEPLOYS)).toEqual([]);
  });

  it('accepts team_id, which Bolt listener clients add to every call', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const result = await client.apiCall('chat.postMessage', {
      channel: DEPLOYS,
      text: 'hello',
      team_id: fake.teamId,
    });
    expect(result.ok).toBe(true);
  });

  it('reports a missing required argument', async () => {
    const fake = await startTestFake();
    const error = await callError(createClient(fake).apiCall('chat.update', { channel: DEPLOYS, text: 'x' }));
    expect(error.data?.response_metadata).toMatchObject({ messages: ['[ERROR] missing required field: ts'] });
  });

  it('accepts a JSON body with the token in the header, and answers invalid_blocks_format for broken JSON', async () => {
    const fake = await startTestFake();
    const post = (body: string, type: string) =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.botToken}`, 'content-type': type },
        body,
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const json = await post(
      JSON.stringify({ channel: DEPLOYS, text: 'from json' }),
      'application/json; charset=utf-8',
    );
    expect(json.ok).toBe(true);
    const broken = await post(`channel=${DEPLOYS}&text=x&blocks=%5B%7B`, 'application/x-www-form-urlencoded');
    expect(broken).toEqual({ ok: false, error: 'invalid_blocks_format' });
  });

  it('records every call with parsed blocks, the HTTP status and the answer, and no token', async () => {
    const fake = await startTestFake();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
    await createClient(fake).chat.postMessage({ channel: DEPLOYS, text: 'hi', blocks });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call).toMatchObject({
      method: 'chat.postMessage',
      status: 200,
      args: { channel: DEPLOYS, text: 'hi', blocks },
    });
    expect(call?.args).not.toHaveProperty('token');
    expect(call?.response).toMatchObject({ ok: true, channel: DEPLOYS });
  });
});
