/**
 * The fleet demo (issue 14) driven through the console in a real browser: two Argo CD instances (eu, us) and the
 * event-ingestion fleet group, as `npm run demo` runs them. A push to the fleet posts one group card; a developer
 * may not approve it; an approver's Approve & Sync syncs the canary wave first, then the rest; a failed canary
 * stops the later wave and the card offers Retry.
 *
 * Over the HTTP Slack transport only, as on-call-console.test.ts: console.test.ts covers Socket Mode.
 * `UPDATE_SCREENSHOTS=1` also copies the deployed fleet card to docs/screenshots/fleet-card.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FLEET_APPS, FLEET_GROUP } from '../../sandbox/demo/demo-fleet.js';
import type { Demo } from '../../sandbox/demo/start-demo.js';
import { PEOPLE } from '../../sandbox/world/seed.js';
import {
  type ConsoleSession,
  openChannel as openChannelOn,
  openConsoleSession,
  runScenario,
  switchUser as switchUserOn,
  waitLive as waitLiveOn,
} from './support/console-session.js';

const OUT = 'test/output/e2e/fleet';
const SCREENSHOTS = 'docs/screenshots';
/** `<instance>/<app>` as the bot and the console name them with several instances; the canary is wave 1. */
const LABELS = FLEET_APPS.map((a) => `${a.instance}/${a.name}`);
const [CANARY = '', ...WAVE_TWO] = LABELS;

let session: ConsoleSession;
let demo: Demo;
let page: Page;

beforeAll(async () => {
  session = await openConsoleSession({ fleet: true, world: { slackTransport: 'http' }, outDir: OUT });
  ({ demo, page } = session);
});

afterAll(async () => {
  await session?.close();
});

const waitLive = () => waitLiveOn(page);

const switchUser = (user: keyof typeof PEOPLE) => switchUserOn(page, user);

const openChannel = (name: string) => openChannelOn(page, name);

const scenario = (id: string, toast: string | RegExp) => runScenario(page, id, toast);

const topLevel = () => page.locator('#region-timeline article.msg:not(.msg-ephemeral)');

/** The group's card at one revision: its header is "Fleet <group> → <sha7>". */
function fleetCard(sha: string): Locator {
  return topLevel().filter({
    has: page.locator('.block-header', { hasText: `Fleet ${FLEET_GROUP} → ${sha.slice(0, 7)}` }),
  });
}

async function approve(target: Locator): Promise<void> {
  await target.locator('button[data-action-id="fleet_approve_sync"]').click();
  const dialog = page.locator('#confirm-dialog');
  await dialog.waitFor({ state: 'visible' });
  expect(await dialog.locator('.confirm-title').textContent()).toBe('Approve and sync the fleet?');
  await dialog.locator('.confirm-ok').click();
  await dialog.waitFor({ state: 'hidden' });
}

const ephemeral = (text: string | RegExp) =>
  page.locator('#region-timeline article.msg-ephemeral[data-ephemeral="true"]', { hasText: text });

/** Every sync request the fake Argo CDs received for the fleet's apps at `sha`, per `<instance>/<app>`. */
function fleetSyncs(sha: string): { app: string; at: string }[] {
  return FLEET_APPS.flatMap((a) =>
    demo.world
      .argocdOn(a.instance ?? '')
      .syncRequests()
      .filter((r) => r.path.includes(`/applications/${a.name}/`) && JSON.stringify(r.body).includes(sha))
      .map((r) => ({ app: `${a.instance}/${a.name}`, at: r.at })),
  );
}

/** The state words a fleet row ends with (lower case, unlike Argo CD's `Synced` or `op Succeeded`). */
const ROW_STATE = String.raw`·\s*(waiting|not started|syncing|synced|failed|terminated|rolling back|rollback \w+)`;

/** Each app's row state (the bold word ending its row), from the card's text as the browser shows it. */
function rowStates(text: string): Record<string, string> {
  const states: Record<string, string> = {};
  for (const label of LABELS) {
    // Rows come before the outcome lines, so the name's first place is its row (`<app> · sync · … · state`),
    // and the nearest state word after it ends that row. Names are [a-z0-9/-]: nothing to escape.
    const state = new RegExp(`${label}[^]*?${ROW_STATE}`).exec(text)?.[1];
    if (state) states[label] = state;
  }
  return states;
}

/**
 * Runs in the page: keeps the text of the card whose header includes `header` each time the console changes the
 * timeline (it swaps the region's HTML on every live update). Kept as source text because the tests compile
 * without the DOM's types; the page runs it as it is.
 */
const RECORD_CARD = `(header) => {
  window.fleetObserver?.disconnect();
  window.fleetSnapshots = [];
  const take = () => {
    const card = [...document.querySelectorAll('#region-timeline article.msg')].find((a) =>
      a.querySelector('.block-header')?.textContent?.includes(header),
    );
    const text = card?.textContent ?? '';
    if (text && text !== window.fleetSnapshots.at(-1)) window.fleetSnapshots.push(text);
  };
  window.fleetObserver = new MutationObserver(take);
  window.fleetObserver.observe(document.getElementById('region-timeline'), {
    childList: true,
    subtree: true,
    characterData: true,
  });
  take();
}`;

/**
 * Records the card's text on every change the console makes to the timeline, so the test sees each state the
 * card went through, not only the ones present when it happened to look.
 */
async function recordCard(sha: string): Promise<void> {
  const header = JSON.stringify(`Fleet ${FLEET_GROUP} → ${sha.slice(0, 7)}`);
  await page.evaluate(`(${RECORD_CARD})(${header})`);
}

const cardSnapshots = async (): Promise<string[]> =>
  z.array(z.string()).parse(await page.evaluate('window.fleetSnapshots'));

/** A developer pushes a commit that moves the three fleet apps; returns its sha and the card. */
async function pushFleet(): Promise<{ sha: string; target: Locator }> {
  await switchUser('dave');
  const before = demo.world.headOf('main');
  await scenario('push-fleet', 'Pushed');
  const sha = demo.world.headOf('main');
  expect(sha).not.toBe(before);
  const target = fleetCard(sha);
  // Every app of the group is listed once its notification arrived.
  for (const label of LABELS) await target.filter({ hasText: label }).waitFor({ timeout: 30_000 });
  return { sha, target };
}

async function readmeShot(target: Locator, name: string): Promise<void> {
  await page.locator('#toast:not(.show)').waitFor({ state: 'attached' });
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  expect(box).not.toBeNull();
  if (!box) return;
  const margin = 8;
  const path = `${OUT}/${name}.png`;
  await page.screenshot({
    path,
    clip: {
      x: box.x,
      y: Math.max(0, box.y - margin),
      width: box.width + margin,
      height: box.height + 2 * margin,
    },
  });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(SCREENSHOTS, { recursive: true });
    copyFileSync(path, `${SCREENSHOTS}/${name}.png`);
  }
}

describe('the fleet demo in the console', () => {
  let sha = '';
  let target: Locator;
  /** Top-level messages in #prod-deploys once the group's card is posted. */
  let postedCount = 0;

  it('names every Argo CD app with its instance in the Argo CD panel', async () => {
    await page.goto(`${demo.consoleUrl}/?user=${PEOPLE.dave.id}`);
    await waitLive();
    const names = await page.locator('#region-argocd .argocd-app').allTextContents();
    for (const label of LABELS) expect(names).toContain(label);
    expect(names).toContain('eu/event-ingestion-prod');
    expect(names.every((n) => /^(eu|us)\//.test(n))).toBe(true);
    expect(names.some((n) => n.startsWith('us/'))).toBe(true);
  });

  it('posts one card for the group when dave pushes to the fleet, listing the three apps', async () => {
    await openChannel('prod-deploys');
    const before = await topLevel().count();
    ({ sha, target } = await pushFleet());
    await target.filter({ hasText: 'Waiting for approval' }).waitFor({ timeout: 15_000 });
    const text = (await target.textContent()) ?? '';
    for (const label of LABELS) expect(text).toContain(label);
    expect(text).toContain('3 apps');
    expect(await target.count()).toBe(1);
    // One new top-level message for the whole group: no per-app card beside it.
    postedCount = await topLevel().count();
    expect(postedCount).toBe(before + 1);
    for (const a of FLEET_APPS)
      expect(
        await topLevel()
          .filter({ has: page.locator('.block-header', { hasText: a.name }) })
          .count(),
      ).toBe(0);
  });

  it('refuses Approve & Sync for dave, who is no approver, and syncs nothing', async () => {
    await approve(target);
    const refusal = ephemeral('Not allowed');
    await refusal.waitFor({ timeout: 15_000 });
    const told = (await refusal.textContent()) ?? '';
    expect(told).toContain('Only the prod approvers');
    expect(told).toContain('Nothing was done.');
    await target.filter({ hasText: 'Waiting for approval' }).waitFor();
    expect(fleetSyncs(sha)).toEqual([]);
  });

  it('syncs the canary wave first when alice approves, then wave 2, and ends deployed', async () => {
    await switchUser('alice');
    await openChannel('prod-deploys');
    await recordCard(sha);
    await approve(target);
    const deployed = target.filter({ hasText: 'Deployed' }).filter({ hasText: '3 synced' });
    await deployed.waitFor({ timeout: 60_000 });

    const snapshots = (await cardSnapshots()).map(rowStates);
    // The canary was seen syncing while wave 2 had not started…
    expect(
      snapshots.some((s) => s[CANARY] === 'syncing' && WAVE_TWO.every((label) => s[label] === 'not started')),
    ).toBe(true);
    // …and no wave-2 app was ever syncing or synced before the canary was synced.
    for (const s of snapshots)
      if (WAVE_TWO.some((label) => s[label] === 'syncing' || s[label] === 'synced'))
        expect(s[CANARY]).toBe('synced');

    const final = rowStates((await deployed.textContent()) ?? '');
    for (const label of LABELS) expect(final[label]).toBe('synced');
    expect(await deployed.locator('button[data-action-id="fleet_rollback"]').count()).toBe(1);
    // One sync per app, the canary's first.
    const syncs = fleetSyncs(sha);
    expect(syncs.map((s) => s.app).sort()).toEqual([...LABELS].sort());
    const canaryAt = syncs.find((s) => s.app === CANARY)?.at ?? '';
    for (const s of syncs) if (s.app !== CANARY) expect(s.at > canaryAt).toBe(true);
    // Still the one message: the waves updated the card in place (thread replies are not top-level).
    expect(await topLevel().count()).toBe(postedCount);
    await readmeShot(deployed, 'fleet-card');
  });

  it('stops before wave 2 when the canary fails, names the failed and not-started apps, offers Retry', async () => {
    const pushed = await pushFleet();
    await switchUser('alice');
    await scenario('fail-fleet-wave', 'will fail');
    await approve(pushed.target);
    const failed = pushed.target.filter({ hasText: 'Failed' });
    await failed.locator('button[data-action-id="fleet_retry"]').waitFor({ timeout: 60_000 });
    const text = (await failed.textContent()) ?? '';
    expect(text).toContain(`${CANARY} failed; later waves were stopped.`);
    const notStarted = /Not started: (.*?)(Approved by|$)/.exec(text)?.[1] ?? '';
    for (const label of WAVE_TWO) expect(notStarted).toContain(label);
    expect(notStarted).not.toContain(CANARY);
    const states = rowStates(text);
    expect(states[CANARY]).toBe('failed');
    for (const label of WAVE_TWO) expect(states[label]).toBe('not started');
    expect(fleetSyncs(pushed.sha).map((s) => s.app)).toEqual([CANARY]);
  });
});
