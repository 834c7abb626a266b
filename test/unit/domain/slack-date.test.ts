import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDirectory } from '../../../sandbox/console/directory.js';
import { renderMrkdwn } from '../../../sandbox/console/render-mrkdwn.js';
import { formatInstant } from '../../../src/domain/policy/format-text.js';
import { slackDate } from '../../../src/domain/slack-date.js';
import { slackDate as renderSlackDate } from '../../../src/render/mrkdwn.js';

describe('slackDate: the one Slack date token', () => {
  it('is <!date^SECONDS^{date_short_pretty} at {time}|fallback>, whole seconds, UTC fallback by default', () => {
    expect(slackDate(Date.UTC(2026, 0, 1, 0, 0, 0, 999))).toBe(
      '<!date^1767225600^{date_short_pretty} at {time}|Thu 1 Jan 2026 00:00 UTC>',
    );
  });

  it('writes the fallback in the time zone it is given (a freeze window’s own zone)', () => {
    expect(slackDate(Date.UTC(2026, 9, 30, 23, 0), { timeZone: 'Europe/Berlin' })).toBe(
      '<!date^1793401200^{date_short_pretty} at {time}|Sat 31 Oct 2026 00:00 CET>',
    );
  });

  it('gives plain words for an instant Slack cannot show (NaN, out of the Date range)', () => {
    expect(slackDate(Number.NaN)).toBe('an unknown time');
    expect(slackDate(8.64e15 + 1)).toBe('an unknown time');
    expect(formatInstant(Number.POSITIVE_INFINITY)).toBe('further notice');
  });

  it('is the same function in render/ and in policy denials', () => {
    expect(renderSlackDate).toBe(slackDate);
    expect(formatInstant(1767225600000)).toBe(slackDate(1767225600000));
  });

  it('is shown by the sandbox console as its fallback text, as a Slack client without the token would', () => {
    const directory = createDirectory({ users: [], usergroups: [], channels: [] });
    const html = renderMrkdwn(`Frozen until ${slackDate(1767225600000)}.`, { directory });
    expect(html).toBe('Frozen until Thu 1 Jan 2026 00:00 UTC.');
  });

  it('is the only producer: no other source file writes a date token', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && path !== join('src', 'domain', 'slack-date.ts')) {
          if (/<!date\^|date_short_pretty|\{time\}/.test(readFileSync(path, 'utf8'))) offenders.push(path);
        }
      }
    };
    walk('src');
    expect(offenders).toEqual([]);
  });
});
