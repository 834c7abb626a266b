import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMessageBlocks, validateView } from '../../sandbox/fake-slack/index.js';
import { CARD_STATES, type Card } from '../../src/domain/card.js';
import { renderAppHome } from '../../src/render/app-home.js';
import { renderDeployCard } from '../../src/render/deploy-card.js';
import { renderRejectModal } from '../../src/render/reject-modal.js';
import { renderReleaseAnnouncement } from '../../src/render/release-announcement.js';
import { renderThreadNote } from '../../src/render/thread-note.js';
import { checkBlockKitLimits } from '../unit/render/block-kit-limits.js';
import { makeCardIn, makeCommit, makeContext, NOW, TO_SHA } from '../unit/render/card-fixture.js';
import { fuzzRuns, fuzzTimeout } from './support/fuzz-runs.js';
import { expectNoBreakout, hostile } from './support/mrkdwn-breakout.js';

function hostileCard(state: Card['state'], t: string[]): Card {
  const base = makeCardIn(state);
  const [a = '', b = '', c = '', d = '', e = '', f = ''] = t;
  return {
    ...base,
    app: { ...base.app, name: a },
    to: { ...base.to, subject: b, author: c },
    notice: d,
    health: e,
    changelog: {
      ...base.changelog,
      commits: [makeCommit(1, { subject: b, authorLogin: c, authorName: d }), makeCommit(2, { subject: f })],
      pulls: [
        { number: 7, title: e, url: 'https://github.com/sheeffii/RealtimeGaming/pull/7', authorLogin: f },
      ],
    },
    images: [{ name: a, from: b, to: c }],
    checks: { state: 'failure', total: 2, failing: [d, e], pendingNames: [f] },
    ...(base.rejection ? { rejection: { ...base.rejection, reason: f } } : {}),
    ...(base.operation ? { operation: { ...base.operation, message: e } } : {}),
    syncWindow: { blocked: true, description: a },
  };
}

const texts = fc.array(hostile, { minLength: 6, maxLength: 6 });
const RUNS = fuzzRuns(40);

describe('outside text never breaks mrkdwn, links or mentions (property)', () => {
  it(
    'deploy cards, in every state',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...CARD_STATES), texts, (state, t) => {
          const message = renderDeployCard(
            hostileCard(state, t),
            makeContext({ frozen: { reason: t[0] ?? '', endsAt: NOW } }),
          );
          expectNoBreakout(message);
          expect(validateMessageBlocks(message.blocks)).toEqual([]);
          expect(checkBlockKitLimits(message)).toEqual([]);
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeout(RUNS, 50),
  );

  it(
    'thread notes',
    () => {
      fc.assert(
        fc.property(texts, (t) => {
          const [a = '', b = '', c = '', d = ''] = t;
          for (const event of [
            { type: 'progress', message: a, phase: b },
            { type: 'failed', revision: TO_SHA, message: b },
            { type: 'degraded', health: c, message: d },
            { type: 'rejected', user: 'U0BOB', reason: a },
            { type: 'refused', action: b, message: c },
            { type: 'rollback-finished', succeeded: false, message: d },
            { type: 'push', ref: a, headSha: TO_SHA, commits: 2, pusher: b },
          ] as const) {
            const message = renderThreadNote(event);
            expectNoBreakout(message);
            expect(checkBlockKitLimits(message)).toEqual([]);
          }
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeout(RUNS, 50),
  );

  it(
    'release announcements',
    () => {
      fc.assert(
        fc.property(texts, (t) => {
          const [a = '', b = '', c = '', d = '', e = ''] = t;
          const message = renderReleaseAnnouncement({
            app: a,
            environment: b,
            revision: TO_SHA,
            repo: { owner: 'sheeffii', name: 'RealtimeGaming' },
            githubWebUrl: 'https://github.com',
            images: [{ name: c, from: d, to: e }],
            changelogAvailable: true,
            commits: [makeCommit(1, { subject: c, authorLogin: d }), makeCommit(2, { subject: `${e} (#7)` })],
            totalCommits: 2,
            pulls: [
              {
                number: 7,
                title: a,
                url: 'https://github.com/sheeffii/RealtimeGaming/pull/7',
                authorLogin: b,
              },
            ],
            people: [{ slack: 'U0ALICE', github: 'alice' }],
            approvedBy: ['U0BOB'],
            deployedAt: NOW,
            cardPermalink: 'https://acme.slack.com/archives/C0/p1',
          });
          expectNoBreakout(message);
          expect(checkBlockKitLimits(message)).toEqual([]);
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeout(RUNS, 50),
  );

  it(
    'the Home tab and the reject modal',
    () => {
      fc.assert(
        fc.property(texts, (t) => {
          const [a = '', b = '', c = ''] = t;
          const card = {
            app: a,
            environment: b,
            revision: TO_SHA,
            subject: c,
            state: 'pending' as const,
            at: NOW,
          };
          const home = renderAppHome({ pendingApprovals: [card], inFlight: [card], lastDeploys: [card] });
          expectNoBreakout(home);
          expect(validateView(home)).toEqual([]);
          const modal = renderRejectModal({
            cardId: 'card_x',
            app: a,
            environment: b,
            shortSha: 'a1b2c3d',
            channel: 'C0PRODDEPLOYS',
            messageTs: '1.2',
          });
          expectNoBreakout(modal);
          expect(validateView(modal)).toEqual([]);
        }),
        { numRuns: RUNS },
      );
    },
    fuzzTimeout(RUNS, 50),
  );
});
