import { describe, expect, it } from 'vitest';
import { renderStatusAudit } from '../../../src/render/status-audit.js';
import { renderStatusHelp } from '../../../src/render/status-help.js';
import { renderStatusRateLimited, renderStatusUnavailable } from '../../../src/render/status-notice.js';
import type { StoredAuditEntry } from '../../../src/store/store.js';
import { checkBlockKitLimits } from './block-kit-limits.js';

const entry = (i: number, detail = 'Deploy freeze: Holiday freeze'): StoredAuditEntry => ({
  id: String(i),
  at: Date.parse('2026-05-04T10:00:00Z') - i * 60_000,
  app: 'event-ingestion-prod',
  action: i % 2 ? 'approve' : 'sync-started',
  outcome: i % 2 ? 'denied' : 'started',
  user: i % 2 ? 'U0DAVE' : 'U0ALICE,U0BOB',
  revision: 'd'.repeat(40),
  rule: i % 2 ? 'self-approval' : undefined,
  detail,
});

describe('renderStatusAudit', () => {
  it('lists entries newest first with who, what, revision and rule', () => {
    const message = renderStatusAudit({
      app: 'event-ingestion-prod',
      entries: [entry(1), entry(2)],
      limit: 20,
    });
    expect(checkBlockKitLimits(message)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text.indexOf('*approve* denied')).toBeLessThan(text.indexOf('*sync-started* started'));
    expect(text).toContain('<@U0DAVE>');
    expect(text).toContain('<@U0ALICE>, <@U0BOB>');
    expect(text).toContain('`ddddddd`');
    expect(text).toContain('rule `self-approval`');
    expect(message.text).toBe('Audit of event-ingestion-prod: 2 entries; latest: approve denied');
  });

  it('20 entries with very long details still fit, split over sections', () => {
    const entries = Array.from({ length: 20 }, (_, i) => entry(i, `<!here> ${'x'.repeat(3000)}`));
    const message = renderStatusAudit({ app: 'a'.repeat(500), entries, limit: 20 });
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(message.blocks.filter((b) => b.block_id?.startsWith('audit_entries_')).length).toBeGreaterThan(1);
    expect(JSON.stringify(message)).not.toContain('<!here>');
    const shown = message.blocks.flatMap((b) =>
      b.type === 'section' && b.text ? b.text.text.split('\n') : [],
    );
    expect(shown).toHaveLength(20);
  });

  it('says when there is nothing', () => {
    const message = renderStatusAudit({ app: 'kafka-dev', entries: [], limit: 20 });
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(message.text).toContain('No audit entries for *kafka-dev*');
  });
});

describe('help and notices', () => {
  it('help lists every form of the command; a problem comes first', () => {
    const help = renderStatusHelp();
    for (const form of [
      '/deploy-status`',
      '/deploy-status prod',
      'mine',
      'audit &lt;app&gt;',
      'pending',
      'help',
    ])
      expect(help.text).toContain(form);
    // A raw "<" in mrkdwn would start a link and swallow the rest of the line.
    expect(help.text).not.toMatch(/<(app|name|glob)>/);
    const bad = renderStatusHelp('`audit` takes one application name');
    expect(bad.text.startsWith('⚠️ `audit` takes one application name')).toBe(true);
    expect(checkBlockKitLimits(bad)).toEqual([]);
  });

  it('rate limit and outage messages are friendly and within the limits', () => {
    const limited = renderStatusRateLimited(42_300, 10);
    expect(limited.text).toContain('more than 10 status questions in a minute');
    expect(limited.text).toContain('try again in 43s');
    const down = renderStatusUnavailable(`Argo CD: ${'<b>'.repeat(500)}`);
    expect(checkBlockKitLimits(down)).toEqual([]);
    expect(down.text).not.toContain('<b>');
  });
});
