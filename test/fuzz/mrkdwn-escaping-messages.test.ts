import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMessageBlocks, validateView } from '../../sandbox/fake-slack/index.js';
import { renderAuthorDm } from '../../src/render/author-dm.js';
import { renderBreakGlassModal } from '../../src/render/break-glass-modal.js';
import {
  renderBreakGlassNotice,
  renderFreezeEnded,
  renderFreezeList,
  renderFreezeStarted,
  renderFreezeUsage,
} from '../../src/render/freeze-messages.js';
import { renderStatusAudit } from '../../src/render/status-audit.js';
import { checkBlockKitLimits } from '../unit/render/block-kit-limits.js';
import { fuzzRuns, fuzzTimeout } from './support/fuzz-runs.js';
import { expectNoBreakout, hostile } from './support/mrkdwn-breakout.js';

// The messages around the card that mrkdwn-escaping.test.ts does not reach: author DMs, freeze
// announcements and answers, the break-glass notice and modal, the /deploy-status audit answer.
const NOW = Date.UTC(2026, 0, 1, 12, 0);
const texts = fc.array(hostile, { minLength: 5, maxLength: 5 });
const RUNS = fuzzRuns(40);

function expectValidMessage(message: Parameters<typeof expectNoBreakout>[0] & { blocks: unknown[] }) {
  expectNoBreakout(message);
  expect(validateMessageBlocks(message.blocks as Parameters<typeof validateMessageBlocks>[0])).toEqual([]);
  expect(checkBlockKitLimits(message as Parameters<typeof checkBlockKitLimits>[0])).toEqual([]);
}

describe('outside text never breaks mrkdwn in DMs, freezes, break glass and the audit (property)', () => {
  it(
    'the author DM: app, environment and commit subjects',
    () => {
      fc.assert(
        fc.property(texts, ([a = '', b = '', c = '', d = '']) => {
          expectValidMessage(
            renderAuthorDm({
              app: a,
              environment: b,
              commits: [
                { sha: 'a'.repeat(40), subject: c, url: 'https://github.com/o/r/commit/aaaa' },
                { sha: 'b'.repeat(40), subject: d },
              ],
              approvedBy: ['U0ALICE', d],
              cardPermalink: 'https://acme.slack.com/archives/C0/p1',
            }),
          );
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeout(RUNS, 20),
  );

  it(
    'freeze announcements, the list, the usage answer and the break-glass notice: reasons and names',
    () => {
      fc.assert(
        fc.property(texts, ([a = '', b = '', c = '', d = '', e = '']) => {
          expectValidMessage(
            renderFreezeStarted({
              environment: a,
              user: b,
              reason: c,
              until: NOW + 3_600_000,
              durationMs: 3_600_000,
            }),
          );
          expectValidMessage(renderFreezeEnded({ environment: a, user: 'U0ALICE', reason: d }));
          expectValidMessage(
            renderFreezeList([
              { environment: a, reason: b, endsAt: NOW, by: c, source: 'slack' },
              { environment: d, reason: e, endsAt: NOW, source: 'policy' },
            ]),
          );
          expectValidMessage(renderFreezeUsage(e));
          expectValidMessage(
            renderBreakGlassNotice({
              app: a,
              environment: b,
              shortSha: 'abc1234',
              user: c,
              reason: d,
              freeze: e,
              cardPermalink: 'https://acme.slack.com/archives/C0/p1',
            }),
          );
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeout(RUNS, 30),
  );

  it(
    'the break-glass modal: the app and environment it names',
    () => {
      fc.assert(
        fc.property(texts, ([a = '', b = '']) => {
          const modal = renderBreakGlassModal({
            cardId: 'card-1',
            app: a,
            environment: b,
            shortSha: 'abc1234',
            channel: 'C0PRODDEPLOYS',
            messageTs: '1.2',
          });
          expectNoBreakout({ blocks: modal.blocks });
          expect(validateView(modal as Parameters<typeof validateView>[0])).toEqual([]);
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeout(RUNS, 20),
  );

  it(
    '/deploy-status audit: app, actions, outcomes, users, rules and details from the logs',
    () => {
      fc.assert(
        fc.property(texts, ([a = '', b = '', c = '', d = '', e = '']) => {
          const entry = { id: '1', at: NOW, app: a, action: b, outcome: c, user: d, rule: e, detail: a };
          expectValidMessage(
            renderStatusAudit({
              app: a,
              entries: [entry, { ...entry, id: '2', outcome: 'allowed', revision: 'c'.repeat(40) }],
              denials: [{ ...entry, id: '3', count: 3, lastAt: NOW + 1000 }],
              limit: 20,
            }),
          );
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeout(RUNS, 20),
  );
});
