/**
 * The on-call controls (issue 15) and what developers are told (issue 18), driven through the demo console in a
 * real browser: a freeze declared from the scenario panel, Break glass through it, a hung sync marked stuck and
 * aborted, an author's DM and `/deploy-status stats` over the seeded month. Same setup as console.test.ts.
 *
 * `UPDATE_SCREENSHOTS=1` also copies the README's pictures to docs/screenshots/ (off in CI: shas and times
 * differ per run, and the tree must stay clean).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SYNC_TIMEOUT } from '../../sandbox/demo/demo-policy.js';
import type { Demo } from '../../sandbox/demo/start-demo.js';
import type { PEOPLE } from '../../sandbox/world/seed.js';
import {
  type ConsoleSession,
  openChannel as openChannelOn,
  openConsoleSession,
  runScenario,
  switchUser as switchUserOn,
  waitLive as waitLiveOn,
} from './support/console-session.js';

const OUT = 'test/output/e2e';
const SCREENSHOTS = 'docs/screenshots';
const PROD_APP = 'event-ingestion-prod';

let session: ConsoleSession;
let demo: Demo;
let page: Page;

beforeAll(async () => {
  session = await openConsoleSession({ outDir: OUT });
  ({ demo, page } = session);
});

afterAll(async () => {
  await session?.close();
});

const waitLive = () => waitLiveOn(page);

const switchUser = (user: keyof typeof PEOPLE) => switchUserOn(page, user);

const openChannel = (name: string) => openChannelOn(page, name);

const scenario = (id: string, toast: string | RegExp) => runScenario(page, id, toast);

/** A developer merges a change to main from the scenario panel; returns its sha. */
async function pushAs(user: keyof typeof PEOPLE): Promise<string> {
  await switchUser(user);
  const before = demo.world.headOf('main');
  await scenario('push-main', 'Pushed');
  const sha = demo.world.headOf('main');
  expect(sha).not.toBe(before);
  return sha;
}

/** The card of one app at one revision, wherever the timeline has it. */
function card(app: string, sha: string): Locator {
  return page
    .locator('#region-timeline article.msg')
    .filter({ has: page.locator('.block-header', { hasText: app }) })
    .filter({ hasText: sha.slice(0, 7) });
}

async function confirmDialog(expectedTitle: string): Promise<void> {
  const dialog = page.locator('#confirm-dialog');
  await dialog.waitFor({ state: 'visible' });
  expect(await dialog.locator('.confirm-title').textContent()).toBe(expectedTitle);
  await dialog.locator('.confirm-ok').click();
  await dialog.waitFor({ state: 'hidden' });
}

async function press(target: Locator, actionId: string, confirmTitle?: string): Promise<void> {
  await target.locator(`button[data-action-id="${actionId}"]`).click();
  if (confirmTitle) await confirmDialog(confirmTitle);
}

const ephemeral = (text: string | RegExp) =>
  page.locator('#region-timeline article.msg-ephemeral[data-ephemeral="true"]', { hasText: text });

const shot = (name: string) => page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });

/**
 * The box around every element `targets` matches (a few pixels of margin) as a picture in test/output; with
 * UPDATE_SCREENSHOTS=1 also the README's copy.
 */
async function readmeShot(targets: Locator, name: string): Promise<void> {
  await page.locator('#toast:not(.show)').waitFor({ state: 'attached' });
  await targets.last().scrollIntoViewIfNeeded();
  const boxes = (await Promise.all((await targets.all()).map((t) => t.boundingBox()))).filter(
    (b): b is NonNullable<typeof b> => b !== null,
  );
  expect(boxes.length).toBeGreaterThan(0);
  const margin = 8;
  // No margin on the left: the console's sidebar is right there.
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + margin;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + margin;
  const path = `${OUT}/${name}.png`;
  await page.screenshot({ path, clip: { x, y, width: right - x, height: bottom - y } });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(SCREENSHOTS, { recursive: true });
    copyFileSync(path, `${SCREENSHOTS}/${name}.png`);
  }
}

const syncsOf = (sha: string) =>
  demo.world.argocd
    .syncRequests()
    .filter((r) => r.path.includes(PROD_APP) && JSON.stringify(r.body ?? '').includes(sha));

describe('on-call controls and developer notices in the console', () => {
  it('freezes prod from the scenario panel: announced, on the card, Approve refused for alice', async () => {
    await page.goto(`${demo.consoleUrl}/`);
    await waitLive();
    await switchUser('alice');
    await openChannel('prod-deploys');
    await scenario('freeze-prod', 'typed /deploy-freeze prod 1h');
    // The announcement everyone sees, and the answer only alice sees.
    await page
      .locator('#region-timeline article.msg:not(.msg-ephemeral)', { hasText: 'froze prod for 1h' })
      .waitFor({ timeout: 15_000 });
    await ephemeral('is frozen until').waitFor();

    const sha = await pushAs('carol');
    await switchUser('alice');
    const frozen = card(PROD_APP, sha)
      .filter({ hasText: 'Waiting for approval' })
      .filter({ hasText: 'Deploy freeze: Incident drill: payments outage' });
    await frozen.waitFor({ timeout: 20_000 });
    expect(
      await frozen.locator('button[data-action-id="deploy_break_glass"]').getAttribute('class'),
    ).toContain('btn-danger');
    await press(frozen, 'deploy_approve_sync', 'Approve and sync?');
    const refusal = ephemeral('Not allowed');
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.textContent()).toContain('Incident drill: payments outage');
    expect(syncsOf(sha)).toHaveLength(0);
    await shot('on-call-01-frozen-refused');
  });

  it('lets bob break the glass: the reason is required, then the card syncs and ends deployed', async () => {
    const sha = demo.world.headOf('main');
    await switchUser('bob');
    const target = card(PROD_APP, sha);
    await press(target.filter({ hasText: 'Waiting for approval' }), 'deploy_break_glass', 'Break glass?');
    const modal = page.locator('#region-modal form[data-view-id]');
    await modal.waitFor({ timeout: 15_000 });
    expect(await modal.locator('h2').textContent()).toBe('Break glass');
    await modal.locator('textarea').fill('urgent');
    await modal.locator('[data-submit-view]').click();
    const error = modal.locator('.input-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toContain('at least 10 characters');
    expect(syncsOf(sha)).toHaveLength(0);
    await modal.locator('textarea').fill('Payments are down <INC-42>: this is the fix');
    await shot('on-call-02-break-glass-modal');
    await modal.locator('[data-submit-view]').click();
    await modal.waitFor({ state: 'detached', timeout: 15_000 });
    const broken = target.filter({ hasText: 'Glass broken' });
    await broken.filter({ hasText: 'Deployed' }).waitFor({ timeout: 30_000 });
    expect(await broken.textContent()).toContain('Payments are down <INC-42>: this is the fix');
    expect(syncsOf(sha)).toHaveLength(1);
    await shot('on-call-03-glass-broken-deployed');
  });

  it('ends the freeze from the scenario panel: announced, and new cards offer no Break glass', async () => {
    await scenario('unfreeze-prod', 'typed /deploy-freeze off prod');
    await page
      .locator('#region-timeline article.msg:not(.msg-ephemeral)', { hasText: 'ended the prod freeze' })
      .waitFor({ timeout: 15_000 });
    const sha = await pushAs('carol');
    await switchUser('bob');
    const open = card(PROD_APP, sha).filter({ hasText: 'Waiting for approval' });
    await open.waitFor({ timeout: 20_000 });
    expect(await open.textContent()).not.toContain('Deploy freeze');
    expect(await open.locator('button[data-action-id="deploy_break_glass"]').count()).toBe(0);
  });

  it(`marks a hung sync stuck after the demo's ${DEMO_SYNC_TIMEOUT} syncTimeout, and Abort ends it`, async () => {
    const sha = demo.world.headOf('main');
    await switchUser('alice');
    await scenario('hang-next-sync', 'will hang');
    const target = card(PROD_APP, sha);
    await press(
      target.filter({ hasText: 'Waiting for approval' }),
      'deploy_approve_sync',
      'Approve and sync?',
    );
    await target.filter({ hasText: 'Syncing' }).waitFor({ timeout: 15_000 });
    const stuck = target.filter({ hasText: 'Stuck:' });
    // The follower reads the operation every few seconds (at most 5 s apart): stuck soon after 15 s.
    await stuck.waitFor({ timeout: 60_000 });
    expect(demo.world.argocd.app(PROD_APP).status.operationState?.phase).toBe('Running');
    await shot('on-call-04-stuck');
    await press(stuck, 'deploy_abort', 'Abort the sync?');
    await target.filter({ hasText: 'Sync failed' }).waitFor({ timeout: 20_000 });
    expect(await target.textContent()).toContain('Operation terminated');
    const terminations = demo.world.argocd.requests.filter(
      (r) => r.method === 'DELETE' && r.path.endsWith(`/applications/${PROD_APP}/operation`),
    );
    expect(terminations).toHaveLength(1);
  });

  it("sends dave a DM when his change ships, and it shows in the console's direct messages", async () => {
    const sha = await pushAs('dave');
    await switchUser('alice');
    const target = card(PROD_APP, sha);
    await press(
      target.filter({ hasText: 'Waiting for approval' }),
      'deploy_approve_sync',
      'Approve and sync?',
    );
    await target.filter({ hasText: 'Deployed' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#region-channels a[data-channel-name="dm-dave"]').count()).toBe(0);

    await switchUser('dave');
    const dmLink = page.locator('#region-channels a[data-channel-name="dm-dave"]');
    await dmLink.waitFor({ timeout: 20_000 });
    await openChannel('dm-dave');
    const dm = page
      .locator('#region-timeline article.msg', { hasText: 'Your change is live' })
      .filter({ hasText: PROD_APP })
      .filter({ hasText: sha.slice(0, 7) });
    await dm.waitFor({ timeout: 20_000 });
    const text = (await dm.textContent()) ?? '';
    expect(text).toContain('Improve event-ingestion throughput');
    expect(text).toContain('Approved by @alice');
    // The sha is a code span inside the commit's link: shown as the sha, not as a placeholder.
    expect(await dm.locator('a code.mk-code', { hasText: sha.slice(0, 7) }).count()).toBe(1);
    expect(await dm.locator('a', { hasText: 'Deploy card' }).count()).toBe(1);
    await readmeShot(page.locator('.channel-head, #region-timeline article.msg'), 'author-dm');
  });

  it('answers /deploy-status stats typed in the message box with the seeded month of history', async () => {
    await openChannel('prod-deploys');
    await page.locator('#composer-input').fill('/deploy-status stats');
    await page.locator('#composer-input').press('Enter');
    const answer = ephemeral('Delivery stats: all environments, last 30 days');
    await answer.waitFor({ timeout: 15_000 });
    const text = (await answer.textContent()) ?? '';
    // The seeded month (sandbox/demo/seed-delivery-history.ts): a rollback and a failed sync in prod.
    const prod = /prod — (\d+) deploys/.exec(text);
    expect(Number(prod?.[1])).toBeGreaterThan(15);
    // At least the seeded rollback and failed sync (the sync aborted above may count too).
    const failures = /Change failure rate: [\d.]+% \((\d+) of \d+\)/.exec(text);
    expect(Number(failures?.[1])).toBeGreaterThanOrEqual(2);
    expect(text).toContain('Lead time for changes: median');
    expect(text).toContain('Time to restore: median');
    expect(text).toContain('dev — ');
    expect(await page.locator('#region-timeline article[data-notice]').count()).toBe(0);
    await readmeShot(answer, 'stats');
  });
});
