import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Demo, type DemoOptions, startDemo } from '../../../sandbox/demo/start-demo.js';
import { PEOPLE } from '../../../sandbox/world/seed.js';

const CHROMIUM = '/usr/bin/chromium';

/** The demo (bot, fakes, console) and a headless Debian chromium looking at it, as the browser tests use them. */
export interface ConsoleSession {
  demo: Demo;
  browser: Browser;
  page: Page;
  /** The bot's log lines and the page's errors, printed on close when any is an error. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * Starts the demo on a free port and opens a page in Debian's chromium (never a downloaded build: CI
 * installs the `chromium` package). `outDir` is created for the test's screenshots.
 */
export async function openConsoleSession(
  options: Omit<DemoOptions, 'port' | 'logLevel' | 'logDestination'> & { outDir?: string } = {},
): Promise<ConsoleSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser test needs Debian's chromium at ${CHROMIUM}: run apt-get install -y chromium`,
    );
  }
  const { outDir, ...demoOptions } = options;
  if (outDir) mkdirSync(outDir, { recursive: true });
  const logs: string[] = [];
  const demo = await startDemo({
    ...demoOptions,
    port: 0,
    logLevel: 'warn',
    logDestination: { write: (line) => void logs.push(line) },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
  page.on('pageerror', (error) => logs.push(`pageerror: ${error.message}`));
  return {
    demo,
    browser,
    page,
    logs,
    async close() {
      await browser.close();
      await demo.stop();
      const problems = logs.filter((l) => /"level":(50|60)|pageerror/.test(l));
      if (problems.length > 0) process.stdout.write(`bot errors/page errors:\n${problems.join('\n')}\n`);
    },
  };
}

/** The console's live updates are connected (after a navigation). */
export async function waitLive(page: Page): Promise<void> {
  await page.locator('body[data-live="on"]').waitFor({ timeout: 10_000 });
}

/** Switches the console to `user` (the user switcher), and waits until it is live again as them. */
export async function switchUser(page: Page, user: keyof typeof PEOPLE): Promise<void> {
  const { id } = PEOPLE[user];
  if ((await page.getAttribute('body', 'data-user')) === id) return;
  await Promise.all([page.waitForURL(new RegExp(`user=${id}`)), page.selectOption('#user-switcher', id)]);
  await waitLive(page);
  expect(await page.getAttribute('body', 'data-user')).toBe(id);
}

export async function openChannel(page: Page, name: string): Promise<void> {
  await Promise.all([
    page.waitForURL(/channel=/),
    page.locator(`#region-channels a[data-channel-name="${name}"]`).click(),
  ]);
  await waitLive(page);
}

/** Presses a scenario button and waits for its toast. */
export async function runScenario(page: Page, id: string, toast: string | RegExp): Promise<void> {
  await page.locator(`button[data-scenario="${id}"]`).click();
  await page.locator('#toast.show', { hasText: toast }).waitFor({ timeout: 15_000 });
}
