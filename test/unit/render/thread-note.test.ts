import { describe, expect, it } from 'vitest';
import { renderThreadNote, type ThreadEvent, withoutLiveMentions } from '../../../src/render/thread-note.js';
import { checkBlockKitLimits } from './block-kit-limits.js';
import { FROM_SHA, NEWER_SHA, TO_SHA } from './card-fixture.js';
import { allText } from './message-helpers.js';

const PR = { url: 'https://github.com/sheeffii/RealtimeGaming/pull/77', number: 77 };

const CASES: [ThreadEvent, string][] = [
  [{ type: 'approved', user: 'U0ALICE', approvals: 1, required: 2 }, '👍 <@U0ALICE> approved (1 of 2)'],
  [
    { type: 'sync-started', revision: TO_SHA, approvers: ['U0ALICE', 'U0BOB'] },
    '🔄 Sync of `a1b2c3d` started, approved by <@U0ALICE>, <@U0BOB>',
  ],
  [
    { type: 'sync-started', revision: TO_SHA, approvers: [], retry: true },
    '🔄 Retry: sync of `a1b2c3d` started, by auto-sync',
  ],
  [
    { type: 'progress', phase: 'Running', message: 'waiting for healthy state of apps/Deployment/x' },
    '⏳ Running: waiting for healthy state of apps/Deployment/x',
  ],
  [
    { type: 'succeeded', revision: TO_SHA, health: 'Healthy', durationMs: 65_000 },
    '✅ `a1b2c3d` deployed in 1m 5s, health Healthy',
  ],
  [
    { type: 'failed', revision: TO_SHA, message: 'ComparisonError' },
    '❌ Sync of `a1b2c3d` failed: ComparisonError',
  ],
  [
    { type: 'degraded', health: 'Degraded', message: 'Back-off pulling image' },
    '⚠️ Health Degraded: Back-off pulling image',
  ],
  [
    { type: 'rejected', user: 'U0BOB', reason: 'Kafka upgrade in progress' },
    '🚫 Rejected by <@U0BOB>: Kafka upgrade in progress',
  ],
  [{ type: 'aborted', user: 'U0ALICE' }, '🛑 <@U0ALICE> aborted the sync'],
  [
    { type: 'rollback-started', user: 'U0ALICE', revision: FROM_SHA, historyId: 11 },
    '⏪ <@U0ALICE> started a rollback to `0f9e8d7` (history 11)',
  ],
  [{ type: 'rollback-finished', succeeded: true, revision: FROM_SHA }, '↩️ Rolled back to `0f9e8d7`'],
  [
    { type: 'rollback-finished', succeeded: false, message: 'auto-sync is enabled' },
    '❌ Rollback failed: auto-sync is enabled',
  ],
  [{ type: 'revert-started', user: 'U0ALICE' }, '↩️ <@U0ALICE> asked for a revert in Git'],
  [
    { type: 'revert-finished', user: 'U0ALICE', pr: PR },
    '↩️ Revert PR <https://github.com/sheeffii/RealtimeGaming/pull/77|#77> opened for <@U0ALICE>',
  ],
  [
    { type: 'revert-finished', user: 'U0ALICE', error: 'token lacks contents:write' },
    '❌ Revert in Git failed: token lacks contents:write',
  ],
  [
    { type: 'denied', user: 'U0MALLORY', action: 'Approve & Sync', reason: 'not an approver of prod' },
    '⛔ `U0MALLORY` was refused (Approve &amp; Sync): not an approver of prod',
  ],
  [
    { type: 'refused', action: 'Sync', message: 'another operation is already in progress' },
    '⚠️ Sync could not run: another operation is already in progress',
  ],
  [{ type: 'expired', afterMs: 24 * 3_600_000 }, '⌛ Expired after 24h without enough approvals'],
  [
    { type: 'reminder', approvers: '<@U0ALICE> or <!subteam^S0ONCALL>', waitingMs: 30 * 60_000 },
    '🔔 <@U0ALICE> or <!subteam^S0ONCALL> this deploy has been waiting 30m',
  ],
  [
    { type: 'superseded', revision: NEWER_SHA, permalink: 'https://acme.slack.com/archives/C0/p1' },
    '⏭️ Superseded by `bbbbbbb` (<https://acme.slack.com/archives/C0/p1|newer card>)',
  ],
  [
    { type: 'checks-changed', checks: { state: 'failure', total: 4, failing: ['build'], pendingNames: [] } },
    '🧪 Checks: ❌ failing: build',
  ],
  [
    {
      type: 'push',
      ref: 'refs/heads/main',
      headSha: NEWER_SHA,
      commits: 3,
      pusher: 'alice',
      compareUrl: 'https://github.com/o/r/compare/a...b',
    },
    '📥 alice pushed 3 commits to `main` (<https://github.com/o/r/compare/a...b|bbbbbbb>)',
  ],
  [
    {
      type: 'rollout',
      rollout: 'event-consumer',
      user: 'U0ALICE',
      action: 'resume',
      detail:
        'at canary step 1 of 5, weight 20%; now canary step 3 of 5, weight 50% · paused (CanaryPauseStep)',
    },
    '🐤 <@U0ALICE> promoted `event-consumer`: at canary step 1 of 5, weight 20%; now canary step 3 of 5',
  ],
  [
    { type: 'rollout', rollout: 'event-consumer', detail: 'aborted: <!channel> & co' },
    '🐤 `event-consumer`: aborted: &lt;!channel&gt; &amp; co',
  ],
];

describe('renderThreadNote', () => {
  it.each(CASES)('%o → %s', (event, expected) => {
    const message = renderThreadNote(event);
    expect(message.text).toContain(expected);
    expect(message.text).not.toContain('\n');
    expect(checkBlockKitLimits(message)).toEqual([]);
  });

  // A refusal used to ping the refused user, the approvers and the on-call group in the thread on every click.
  it('names the people of a policy denial without live mentions, within limits', () => {
    const message = renderThreadNote({
      type: 'denied',
      user: 'U0DAVE',
      action: 'Approve & Sync',
      reason: `Only the prod approvers (<@U0ALICE> or <!subteam^S0ONCALL>) may approve (the members of <!subteam^S0SRE|@sre> could not be read) <!here> <!channel> <!everyone>. ${'x'.repeat(5000)}`,
    });
    const all = allText(message);
    expect(message.text).toContain('⛔ `U0DAVE` was refused');
    expect(message.text).toContain('`U0ALICE` or `S0ONCALL`');
    expect(message.text).toContain('`@sre`');
    expect(all).not.toMatch(/<@|<!subteam|<!here|<!channel|<!everyone/);
    expect(checkBlockKitLimits(message)).toEqual([]);
  });

  it('withoutLiveMentions keeps links and dates, defuses every kind of mention', () => {
    expect(
      withoutLiveMentions(
        '<@U0ALICE|alice> <@W0GRID> <!subteam^S0ONCALL> <!here|here> <https://x.example/a|a link> <!date^1^{date}|d>',
      ),
    ).toBe('`U0ALICE` `W0GRID` `S0ONCALL` `@here` <https://x.example/a|a link> <!date^1^{date}|d>');
  });

  it('covers every event type', () => {
    const types = new Set(CASES.map(([e]) => e.type));
    expect(types.size).toBe(20);
  });

  it('escapes untrusted text and keeps a huge Argo CD message on one line within limits', () => {
    const hostile = `<!channel> ${'boom\n'.repeat(3000)}`;
    for (const event of [
      { type: 'progress', message: hostile },
      { type: 'rejected', user: 'U0BOB', reason: hostile },
      { type: 'failed', revision: TO_SHA, message: hostile },
    ] as ThreadEvent[]) {
      const message = renderThreadNote(event);
      expect(allText(message)).not.toContain('<!channel>');
      expect(message.text).not.toContain('\n');
      expect(checkBlockKitLimits(message)).toEqual([]);
    }
  });
});
