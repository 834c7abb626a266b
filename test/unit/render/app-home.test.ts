import { describe, expect, it } from 'vitest';
import { validateView } from '../../../sandbox/fake-slack/index.js';
import { HOME_MAX_BLOCKS, type HomeCard, renderAppHome } from '../../../src/render/app-home.js';

const card = (i: number, subject = `Change ${i}`): HomeCard => ({
  app: `app-${i}`,
  environment: 'prod',
  revision: `${String(i).padStart(7, '0')}${'a'.repeat(33)}`,
  subject,
  state: 'pending',
  permalink: `https://acme.slack.com/archives/C0/p${i}`,
  at: 1_767_225_600_000 + i,
});

describe('renderAppHome', () => {
  it('stays a valid Home view within 100 blocks however many cards there are', () => {
    const many = Array.from({ length: 300 }, (_, i) => card(i, '<'.repeat(4096)));
    const view = renderAppHome({
      pendingApprovals: many,
      inFlight: many,
      lastDeploys: many,
      incomplete: true,
    });
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    expect(validateView(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('more; `/deploy-status` lists them all');
  });

  it('says so when a list is empty, and shows times as Slack date tokens', () => {
    const view = renderAppHome({ pendingApprovals: [], inFlight: [], lastDeploys: [card(1)] });
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Nothing waits for you');
    expect(text).toMatch(/<!date\^1767225600\^\{date_short_pretty\} at \{time\}\|Thu 1 Jan 2026 00:00 UTC>/);
    expect(validateView(view)).toEqual([]);
  });
});
