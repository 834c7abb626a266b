import { describe, expect, it } from 'vitest';
import { computeDeliveryStats, DAY_MS } from '../../../src/domain/delivery-stats.js';
import { renderAuthorDm } from '../../../src/render/author-dm.js';
import { renderStatsAnswer, STATS_LINES_SHOWN, sparkline } from '../../../src/render/status-stats.js';
import { checkBlockKitLimits } from './block-kit-limits.js';

describe('author DM', () => {
  it('escapes commit subjects and app names, lists the commits, names approvers and links the card', () => {
    const message = renderAuthorDm({
      app: 'api<prod>',
      environment: 'prod',
      commits: [
        {
          sha: 'abcdef1234',
          subject: 'Fix <!channel> & <@U0BOSS>',
          url: 'https://github.com/o/r/commit/abcdef1234',
        },
      ],
      approvedBy: ['U0ALICE'],
      cardPermalink: 'https://acme.slack.com/archives/C0PROD/p1',
    });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Fix &lt;!channel&gt; &amp; &lt;@U0BOSS&gt;');
    expect(text).toContain('*api&lt;prod&gt;*');
    expect(text).toContain('<https://github.com/o/r/commit/abcdef1234|`abcdef1`>');
    expect(text).toContain('Approved by <@U0ALICE>');
    expect(text).toContain('<https://acme.slack.com/archives/C0PROD/p1|Deploy card>');
    expect(message.text).not.toContain('<');
  });

  it('batches hundreds of commits into one message within Block Kit limits', () => {
    const commits = Array.from({ length: 300 }, (_, i) => ({
      sha: `${i}`.padStart(40, 'f'),
      subject: 'x'.repeat(200),
    }));
    const message = renderAuthorDm({ app: 'a', environment: 'prod', commits, approvedBy: [] });
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toMatch(/and \d+ more/);
    expect(JSON.stringify(message.blocks)).toContain('Synced automatically');
  });
});

describe('stats answer', () => {
  it('draws deploys per day as a sparkline', () => {
    expect(sparkline([0, 1, 2, 4])).toBe('▁▃▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
  });

  it('fits Block Kit limits for any number of apps, counting those it cuts', () => {
    const to = Date.UTC(2026, 0, 31);
    const stats = computeDeliveryStats([], { from: to - 90 * DAY_MS, to });
    const lines = Array.from({ length: 200 }, (_, i) => ({ label: `app-${i}-${'y'.repeat(90)}`, stats }));
    const message = renderStatsAnswer({ scope: 'app-*', periodDays: 90, lines });
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(message.blocks?.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(message.blocks)).toContain(`and ${200 - STATS_LINES_SHOWN} more`);
  });
});
