import { describe, expect, it } from 'vitest';
import { renderStatusAudit, renderStatusAuditDenied } from '../../../src/render/status-audit.js';
import { renderStatusHelp } from '../../../src/render/status-help.js';
import { renderStatusRateLimited, renderStatusUnavailable } from '../../../src/render/status-notice.js';
import type { StoredAuditEntry, StoredDenialEntry } from '../../../src/store/store.js';
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
  it("shows a detail's stored UTC instant as a Slack date token, and escapes the rest", () => {
    const until = Date.parse('2026-12-03T15:00:00.000Z');
    const message = renderStatusAudit({
      app: 'event-ingestion-prod',
      entries: [entry(1, `until ${new Date(until).toISOString()}: drill <!channel> & co`)],
      limit: 20,
    });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain(`until <!date^${until / 1000}^`);
    expect(text).not.toContain('2026-12-03T15:00:00.000Z: drill');
    expect(text).toContain('drill &lt;!channel&gt; &amp; co');
  });

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

  it('shows every decision, and the refusals apart, each collapsed with its count', () => {
    const decisions = Array.from({ length: 20 }, (_, i) => ({
      ...entry(2 * i),
      action: 'approve',
      outcome: 'allowed',
    }));
    const denials: StoredDenialEntry[] = [
      { ...entry(1), outcome: 'denied', rule: 'not-approver', count: 25, lastAt: entry(0).at },
      {
        ...entry(3),
        user: 'U0CAROL',
        outcome: 'denied',
        rule: 'not-approver',
        count: 1,
        lastAt: entry(3).at,
      },
    ];
    const message = renderStatusAudit({
      app: 'event-ingestion-prod',
      entries: decisions,
      denials,
      limit: 20,
    });
    expect(checkBlockKitLimits(message)).toEqual([]);
    const lines = message.blocks.flatMap((b) =>
      b.type === 'section' && b.block_id?.startsWith('audit_entries_') && b.text
        ? b.text.text.split('\n')
        : [],
    );
    expect(lines).toHaveLength(20);
    expect(lines.every((l) => l.includes('*approve* allowed'))).toBe(true);
    const refused = message.blocks.flatMap((b) =>
      b.type === 'section' && b.block_id?.startsWith('audit_denials_') && b.text
        ? b.text.text.split('\n')
        : [],
    );
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatch(
      /^⛔ \*approve\* refused ×25 · <@U0DAVE> · `ddddddd` · rule `not-approver` · first <!date/,
    );
    expect(refused[1]).not.toContain('×');
    expect(message.text).toContain('26 refused clicks');
  });

  it('refusals alone still show, under a note that no decision was recorded', () => {
    const denials: StoredDenialEntry[] = [{ ...entry(1), outcome: 'denied', count: 3, lastAt: entry(1).at }];
    const message = renderStatusAudit({ app: 'kafka-dev', entries: [], denials, limit: 20 });
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('No decisions recorded');
    expect(JSON.stringify(message.blocks)).toContain('refused ×3');
  });

  it('a reader the policy does not list gets a denial naming who may read it', () => {
    const message = renderStatusAuditDenied(
      'event-ingestion-prod',
      'deploybot.yaml lets only <!subteam^S0SRE> read the audit log.',
    );
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(message.text).toContain('⛔ You may not read the audit log of *event-ingestion-prod*');
    expect(message.text).toContain('<!subteam^S0SRE>');
    expect(message.text).toContain('/deploy-status help');
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
