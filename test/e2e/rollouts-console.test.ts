import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../sandbox/demo/start-demo.js';
import { PEOPLE } from '../../sandbox/world/seed.js';
import {
  type ConsoleSession,
  openConsoleSession,
  waitLive as waitLiveOn,
} from './support/console-session.js';

const APP = 'event-consumer-prod';

let session: ConsoleSession;
let demo: Demo;
let page: Page;

beforeAll(async () => {
  session = await openConsoleSession({ world: { timing: { syncMs: 300, healthMs: 300 } } });
  ({ demo, page } = session);
});

afterAll(async () => {
  await session?.close();
});

const waitLive = () => waitLiveOn(page);

function card(sha: string): Locator {
  return page
    .locator('#region-timeline article.msg')
    .filter({ has: page.locator('.block-header', { hasText: APP }) })
    .filter({ hasText: sha.slice(0, 7) });
}

describe('an Argo Rollouts canary in the sandbox console', () => {
  it('is promoted step by step from its card by an approver', async () => {
    // Dave pushes (he may not approve his own change), Alice approves and promotes.
    await page.goto(`${demo.consoleUrl}/?user=${PEOPLE.dave.id}`);
    await waitLive();
    await Promise.all([
      page.waitForURL(/channel=/),
      page.locator('#region-channels a[data-channel-name="prod-deploys"]').click(),
    ]);
    await waitLive();
    await page.locator('button[data-scenario="push-canary"]').click();
    await page.locator('#toast.show', { hasText: 'Pushed' }).waitFor();
    const sha = demo.world.headOf('main');
    const target = card(sha);
    await target.filter({ hasText: 'Changelog (1 commit)' }).waitFor({ timeout: 20_000 });
    await Promise.all([
      page.waitForURL(new RegExp(`user=${PEOPLE.alice.id}`)),
      page.selectOption('#user-switcher', PEOPLE.alice.id),
    ]);
    await waitLive();
    await target.locator('button[data-action-id="deploy_approve_sync"]').click();
    const dialog = page.locator('#confirm-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('.confirm-ok').click();

    await target.filter({ hasText: 'canary step 1 of 5, weight 20%' }).waitFor({ timeout: 30_000 });
    await target.locator('button[data-action-id="rollout_promote_0"]').click();
    await target.filter({ hasText: 'canary step 3 of 5, weight 50%' }).waitFor({ timeout: 30_000 });
    await target.locator('button[data-action-id="rollout_promote_0"]').waitFor();
    await target.locator('button[data-action-id="rollout_promote_0"]').click();
    await target.filter({ hasText: 'canary step 5 of 5, weight 100%' }).waitFor({ timeout: 30_000 });

    const actions = demo.world.argocd.actionRequests().map((r) => (r.body as { action: string }).action);
    expect(actions).toEqual(['resume', 'resume']);
    expect(await target.locator('button[data-action-id^="rollout_"]').count()).toBe(0);
  });
});
