import { afterEach, describe, expect, it } from 'vitest';
import type { ArgoCdAppRow } from '../../../sandbox/console/console-model.js';
import { createConsole, type SandboxConsole } from '../../../sandbox/console/index.js';
import { type FakeSlack, startFakeSlack } from '../../../sandbox/fake-slack/index.js';

let slack: FakeSlack | undefined;
let sandboxConsole: SandboxConsole | undefined;

afterEach(async () => {
  sandboxConsole?.close();
  await slack?.close();
  slack = undefined;
  sandboxConsole = undefined;
});

async function start(argocdApps?: () => ArgoCdAppRow[]): Promise<FakeSlack> {
  let handler: SandboxConsole['handle'] | undefined;
  slack = await startFakeSlack({
    users: [{ id: 'U0DAVE', name: 'dave', realName: 'Dave Developer', email: 'd@example.com' }],
    channels: [{ id: 'C0DEPLOYS', name: 'deploys' }],
    fallback: (req, res) => handler?.(req, res),
  });
  sandboxConsole = await createConsole({ slack, defaultUser: 'U0DAVE', argocdApps });
  handler = sandboxConsole.handle;
  return slack;
}

describe('the console Argo CD panel', () => {
  it('lists every instance app as <instance>/<app>, live in the regions', async () => {
    const rows: ArgoCdAppRow[] = [
      { instance: 'eu', app: 'event-ingestion-eu-prod', sync: 'Synced', health: 'Healthy' },
      { instance: 'us', app: 'event-ingestion-us-prod', sync: 'Synced', health: 'Healthy' },
    ];
    const s = await start(() => rows);
    const page = await (await fetch(`${s.url}/`)).text();
    expect(page).toContain('aria-label="Argo CD applications"');
    expect(page).toContain('>eu/event-ingestion-eu-prod</span>');
    expect(page).toContain('>us/event-ingestion-us-prod</span>');
    rows[1] = { ...rows[1]!, sync: 'OutOfSync' };
    const regions = (await (await fetch(`${s.url}/console/regions?user=dave`)).json()) as { argocd: string };
    expect(regions.argocd).toContain('>us/event-ingestion-us-prod</span><small>OutOfSync · Healthy</small>');
  });

  it('has no panel when the console is not given Argo CD apps', async () => {
    const s = await start();
    const page = await (await fetch(`${s.url}/`)).text();
    expect(page).not.toContain('Argo CD applications');
    const regions = (await (await fetch(`${s.url}/console/regions?user=dave`)).json()) as { argocd: string };
    expect(regions.argocd).toBe('');
  });
});
