import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../sandbox/demo/start-demo.js';
import { PEOPLE } from '../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../helpers/slack-transports.js';
import {
  type ConsoleSession,
  openConsoleSession,
  waitLive as waitLiveOn,
} from './support/console-session.js';

const OUT_ROOT = 'test/output/e2e';
const README_SCREENSHOT = 'docs/images/console.png';

describe.each(SLACK_TRANSPORTS)('console over %s', (slackTransport) => {
  const OUT = `${OUT_ROOT}/${slackTransport}`;
  let session: ConsoleSession;
  let demo: Demo;
  let page: Page;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    // `npm run demo -- --socket-mode` does the same: the console drives the bot over the fake socket.
    session = await openConsoleSession({ world: { slackTransport }, outDir: OUT });
    ({ demo, page } = session);
  });

  afterAll(async () => {
    await session?.close();
    if (Object.keys(timings).length > 0)
      process.stdout.write(`e2e timings over ${slackTransport} (ms): ${JSON.stringify(timings)}\n`);
  });

  const waitLive = () => waitLiveOn(page);

  async function switchUser(user: keyof typeof PEOPLE): Promise<void> {
    const { id } = PEOPLE[user];
    await Promise.all([page.waitForURL(new RegExp(`user=${id}`)), page.selectOption('#user-switcher', id)]);
    await waitLive();
    expect(await page.getAttribute('body', 'data-user')).toBe(id);
  }

  async function openChannel(name: string): Promise<void> {
    await Promise.all([
      page.waitForURL(/channel=/),
      page.locator(`#region-channels a[data-channel-name="${name}"]`).click(),
    ]);
    await waitLive();
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

  async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await run();
    timings[name] = Date.now() - started;
    return result;
  }

  const shot = (name: string) => page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });

  describe('the sandbox console in a real browser', () => {
    let sha = '';

    it('opens the console, switches to dave and shows the seed channels', async () => {
      await page.goto(`${demo.consoleUrl}/`);
      await waitLive();
      const channels = await page.locator('#region-channels a').allTextContents();
      expect(channels.map((c) => c.replace(/\d+$/, ''))).toEqual(['#deploys', '#prod-deploys', '#releases']);
      await switchUser('dave');
      await openChannel('prod-deploys');
      expect(await page.locator('.channel-head h1').textContent()).toBe('#prod-deploys');
    });

    it('shows the pending prod card with changelog and buttons after "Push a commit to main"', async () => {
      await page.locator('button[data-scenario="push-main"]').click();
      await page.locator('#toast.show', { hasText: 'Pushed' }).waitFor();
      sha = demo.world.headOf('main');
      const pending = card('event-ingestion-prod', sha).filter({ hasText: 'Waiting for approval' });
      await timed('push → pending card visible', () => pending.waitFor({ timeout: 15_000 }));
      // The card is posted at once and enriched (changelog, checks) by a chat.update moments later.
      const enriched = pending.filter({ hasText: 'Changelog (1 commit)' }).filter({ hasText: '2 passed' });
      await timed('push → card with changelog and checks', () => enriched.waitFor({ timeout: 15_000 }));
      const text = (await pending.textContent()) ?? '';
      expect(text).toContain('Improve event-ingestion throughput');
      expect(text).toContain('@alice');
      const approve = pending.locator('button[data-action-id="deploy_approve_sync"]');
      expect(await approve.getAttribute('class')).toContain('btn-primary');
      expect(await pending.locator('button[data-action-id="deploy_reject"]').count()).toBe(1);
      expect(await pending.locator('button[data-url]').textContent()).toContain('Open in Argo CD');
      await card('kafka-prod', sha).first().waitFor();
      // For the README: the whole pending card in view, no toast over it.
      await page.locator('#toast:not(.show)').waitFor({ state: 'attached' });
      await pending.evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await shot('01-pending-card');
      // Only on request: shas and times differ per run, and the README image should not churn with each test.
      if (
        slackTransport === 'http' &&
        (!existsSync(README_SCREENSHOT) || process.env.UPDATE_README_SCREENSHOT === '1')
      ) {
        mkdirSync('docs/images', { recursive: true });
        copyFileSync(`${OUT}/01-pending-card.png`, README_SCREENSHOT);
      }
    });

    it('refuses dave after the confirm dialog, with an ephemeral only he sees', async () => {
      const pending = card('event-ingestion-prod', sha);
      await pending.locator('button[data-action-id="deploy_approve_sync"]').click();
      await confirmDialog('Approve and sync?');
      const denial = page.locator('#region-timeline .msg-ephemeral', { hasText: 'Not allowed' });
      await timed('click → "Not allowed" ephemeral', () => denial.waitFor());
      expect(await denial.textContent()).toContain('Only visible to you');
      expect(demo.world.argocd.syncRequests()).toHaveLength(0);
      await shot('02-dave-refused');
    });

    it('syncs when alice approves: the card goes syncing, then deployed', async () => {
      await switchUser('alice');
      expect(await page.locator('#region-timeline .msg-ephemeral', { hasText: 'Not allowed' }).count()).toBe(
        0,
      );
      const target = card('event-ingestion-prod', sha);
      await target.locator('button[data-action-id="deploy_approve_sync"]').click();
      await confirmDialog('Approve and sync?');
      await timed('approve → syncing visible', () => target.filter({ hasText: 'Syncing' }).waitFor());
      await shot('03-syncing');
      await timed('syncing → deployed visible', () =>
        target.filter({ hasText: 'Deployed' }).waitFor({ timeout: 20_000 }),
      );
      expect(demo.world.argocd.syncRequests()).toHaveLength(1);
      expect(
        await target.locator('button[data-action-id="deploy_rollback"]').getAttribute('class'),
      ).toContain('btn-danger');
      await shot('04-deployed');
    });

    it('opens the card thread with its progress notes', async () => {
      const target = card('event-ingestion-prod', sha);
      await Promise.all([page.waitForURL(/thread=/), target.locator('a.replies').click()]);
      await waitLive();
      const replies = page.locator('#region-thread .thread-body > article.msg');
      await replies.nth(1).waitFor();
      expect(await replies.count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('#region-thread').textContent()).toContain(sha.slice(0, 7));
      await shot('05-thread');
    });

    it('lets bob (on-call) roll back after the confirm dialog', async () => {
      await switchUser('bob');
      const target = card('event-ingestion-prod', sha);
      await target.locator('button[data-action-id="deploy_rollback"]').click();
      await confirmDialog('Roll back?');
      await timed('rollback → card rolling back', () =>
        target.filter({ hasText: /Rolling back|Rolled back/ }).waitFor({ timeout: 15_000 }),
      );
      const rollbacks = demo.world.argocd.requests.filter((r) => r.path.endsWith('/rollback'));
      expect(rollbacks.length).toBe(1);
      await shot('06-rollback');
    });

    it("asks for a reason in the Reject modal and shows the app's errors inline", async () => {
      await switchUser('dave');
      await page.locator('button[data-scenario="push-main"]').click();
      await page.locator('#toast.show', { hasText: 'Pushed' }).waitFor();
      const next = demo.world.headOf('main');
      await switchUser('alice');
      const pending = card('event-ingestion-prod', next).filter({ hasText: 'Waiting for approval' });
      await pending.waitFor({ timeout: 15_000 });
      await pending.locator('button[data-action-id="deploy_reject"]').click();
      const modal = page.locator('#region-modal form[data-view-id]');
      await timed('Reject click → modal open', () => modal.waitFor());
      expect(await modal.locator('h2').textContent()).toBe('Reject deploy');
      await modal.locator('textarea').fill('no');
      await modal.locator('[data-submit-view]').click();
      const error = modal.locator('.input-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('at least 3 characters');
      expect(await modal.locator('textarea').inputValue()).toBe('no');
      await modal.locator('textarea').fill('Kafka is being upgraded <tonight>');
      await shot('07-reject-modal');
      await modal.locator('[data-submit-view]').click();
      await modal.waitFor({ state: 'detached' });
      const rejected = card('event-ingestion-prod', next).filter({ hasText: 'Rejected' });
      await rejected.waitFor();
      expect(await rejected.textContent()).toContain('Kafka is being upgraded <tonight>');
    });

    it('answers /deploy-status typed in the message box, for the asker only', async () => {
      const asked = Date.now();
      await page.locator('#composer-input').fill('/deploy-status');
      await page.locator('#composer-input').press('Enter');
      const answer = page.locator('#region-timeline article.msg-ephemeral[data-ephemeral="true"]', {
        hasText: 'event-ingestion-prod',
      });
      await answer.first().waitFor({ timeout: 10_000 });
      timings['/deploy-status → answer visible'] = Date.now() - asked;
      expect(await page.locator('#region-timeline article[data-notice]').count()).toBe(0);
      await shot('08-deploy-status');
      await switchUser('carol');
      expect(await page.locator('#region-timeline article.msg-ephemeral').count()).toBe(0);
    });

    it('shows an informational card in #deploys for a push to develop', async () => {
      await openChannel('deploys');
      await page.locator('button[data-scenario="push-develop"]').click();
      const devSha = await (async () => {
        await page.locator('#toast.show', { hasText: 'develop' }).waitFor();
        return demo.world.headOf('develop');
      })();
      const info = card('event-ingestion-dev', devSha);
      await timed('develop push → info card visible', () => info.first().waitFor({ timeout: 15_000 }));
      expect(await info.first().locator('button[data-action-id="deploy_approve_sync"]').count()).toBe(0);
      await shot('09-dev-card');
    });

    it(
      slackTransport === 'socket'
        ? 'carried every press, command and modal over the socket, each acked within 3 s'
        : 'carried every press over signed HTTP, no socket in use',
      () => {
        const { socket } = demo.world.slack;
        if (slackTransport === 'http') {
          expect(socket.allConnections).toEqual([]);
          return;
        }
        const types = new Set(socket.acks.map((a) => a.type));
        expect([...types].sort()).toEqual(expect.arrayContaining(['interactive', 'slash_commands']));
        expect(socket.acks.filter((a) => a.late || a.missing)).toEqual([]);
      },
    );
  });
});
