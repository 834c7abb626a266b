import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../sandbox/fake-slack/index.js';
import { watchCards } from '../harness/card-watcher.js';

const TOKEN = 'xoxb-bench-test';
let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack({ botToken: TOKEN, channels: [{ id: 'C0PROD', name: 'prod' }] });
});
afterAll(() => slack.close());

async function post(args: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(args),
  });
  const json = (await response.json()) as { ok: boolean; ts: string; error?: string };
  if (!json.ok) throw new Error(json.error);
  return json.ts;
}

const card = (app: string) => ({
  channel: 'C0PROD',
  text: `${app} is waiting for approval`,
  blocks: [
    { type: 'header', block_id: 'card_header', text: { type: 'plain_text', text: `🟡 ${app} → prod` } },
  ],
});

describe('watchCards', () => {
  it('notes the first top-level message per expected app, not replies or other apps', async () => {
    const watcher = watchCards(slack, 'C0PROD');
    try {
      watcher.expect(['web-0001-prod', 'web-0002-prod']);
      const first = await post(card('web-0001-prod'));
      await post({ ...card('web-0001-prod'), thread_ts: first, text: 'web-0001-prod sync started' });
      await post(card('web-0001-prod'));
      await post(card('other-0001-prod'));
      expect(watcher.get('web-0001-prod')?.ts).toBe(first);
      expect(watcher.get('other-0001-prod')).toBeUndefined();
      await expect(watcher.waitFor(['web-0002-prod'], 200)).rejects.toThrow(/1 of 1 cards did not appear/);
      const second = await post(card('web-0002-prod'));
      const seen = await watcher.waitFor(['web-0001-prod', 'web-0002-prod'], 2000);
      expect(seen.get('web-0002-prod')?.ts).toBe(second);
    } finally {
      watcher.stop();
    }
  });
});
