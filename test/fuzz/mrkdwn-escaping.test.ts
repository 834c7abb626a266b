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

/**
 * Text from Git, GitHub, Argo CD and users, at its most hostile. The ids are sentinels nothing of ours
 * ever renders, so finding one raw in the output means outside text broke out of its escaping.
 */
const HOSTILE_PIECES = [
  '<!channel>',
  '<!here|here>',
  '<@U0EVIL0001>',
  '<#C0EVIL0001>',
  '<!subteam^S0EVIL0001>',
  '<https://evil.example|x>',
  '<mailto:evil@example.com|mail>',
  '&lt;!everyone&gt;',
  '&amp;',
  '&',
  '>',
  '<',
  '|',
  '*bold*',
  '`tick`',
  '\n',
  '<'.repeat(4096),
];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 20 })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => parts.join(''));

/** The control sequences we render ourselves: real mentions, date tokens, the policy's groups, links. */
const OUR_TOKENS =
  /<(?:@U0[A-Z0-9]+|!date\^\d+\^[^|<>]*\|[^<>]*|!subteam\^S0ONCALL|https?:\/\/[^\s<>|]+(?:\|[^<>]*)?)>/g;

/** Every mrkdwn text and the fallback text of a message or view, as Slack would parse them. */
function mrkdwnTexts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) mrkdwnTexts(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
    for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') mrkdwnTexts(v, out);
  }
  return out;
}

function expectNoBreakout(message: { text?: string; blocks: unknown[] }): void {
  for (const text of [message.text ?? '', ...mrkdwnTexts(message.blocks)]) {
    // Our own token shapes must not be how a hostile one got through.
    expect(text).not.toMatch(/<@U0EVIL|<https?:\/\/evil|<mailto|&lt;!everyone&gt;/);
    // Our own syntax: a `> ` quote at the start of a line.
    const rest = text.replace(OUR_TOKENS, '').replace(/(^|\n)> /g, '$1');
    expect(rest, text.slice(0, 300)).not.toMatch(/[<>]/);
    // An & that is not one of Slack's three escapes would let `&lt;` arrive pre-escaped.
    expect(rest).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }
}

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
