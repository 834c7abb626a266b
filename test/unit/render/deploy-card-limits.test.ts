import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../../src/domain/card.js';
import { renderDeployCard } from '../../../src/render/deploy-card.js';
import { checkBlockKitLimits } from './block-kit-limits.js';
import { ALL_STATES, makeCard, makeCardIn, makeCommit, makeContext, NEWER_SHA, NOW } from './card-fixture.js';
import { allText, sectionText } from './message-helpers.js';

const TEN_KB = `Fix everything ${'lorem ipsum dolor sit amet '.repeat(400)}`;

/** The worst realistic change: a long-lived branch merged at once, with a huge commit message everywhere. */
function makeHugeCard(state: Card['state'], kind: Card['kind']): Card {
  const base = makeCardIn(state, kind);
  const commits = Array.from({ length: 400 }, (_, i) =>
    makeCommit(i + 1, {
      subject: i === 0 ? TEN_KB : `${'Refactor '.repeat(30)}${i}`,
      authorLogin: `dev-${i}`,
    }),
  );
  return {
    ...base,
    app: {
      instance: 'default',
      name: `a-very-long-application-name-${'x'.repeat(200)}`,
      namespace: 'argocd',
      project: 'p'.repeat(300),
    },
    environment: `production-${'e'.repeat(200)}`,
    to: { sha: base.revision, subject: TEN_KB, author: 'a'.repeat(5000) },
    from: base.from ? { ...base.from, subject: TEN_KB } : undefined,
    destination: { server: `https://${'k'.repeat(3000)}.example`, namespace: 'n'.repeat(300) },
    changelog: {
      available: true,
      commits,
      totalCommits: 400,
      pulls: Array.from({ length: 120 }, (_, i) => ({
        number: i + 1,
        title: `${TEN_KB}${i}`,
        url: `https://github.com/sheeffii/RealtimeGaming/pull/${i + 1}`,
        authorLogin: `dev-${i}`,
      })),
      authorLogins: [],
      authorEmails: [],
    },
    images: Array.from({ length: 30 }, (_, i) => ({
      name: `ghcr.io/sheeffii/service-${i}`,
      from: `v1.${i}.0`,
      to: `v1.${i}.1`,
    })),
    checks: {
      state: 'failure',
      total: 300,
      failing: Array.from({ length: 300 }, (_, i) => `check-${i}-${'c'.repeat(100)}`),
      pendingNames: [],
      url: 'https://github.com/sheeffii/RealtimeGaming/commit/x/checks',
    },
    notice: TEN_KB,
    syncWindow: { blocked: true, description: TEN_KB },
    rejection: base.rejection ? { ...base.rejection, reason: TEN_KB } : undefined,
    operation: base.operation ? { ...base.operation, message: TEN_KB } : undefined,
    approvals: Array.from({ length: 200 }, (_, i) => ({ user: `U0USER${i}`, at: NOW })),
  };
}

const HUGE_CONTEXT = makeContext({
  approvers: Array.from({ length: 300 }, (_, i) => `<@U0APPROVER${i}>`).join(' or '),
  frozen: { reason: TEN_KB, endsAt: NOW + 1000 },
  supersededByRevision: NEWER_SHA,
  supersededPermalink: 'https://acme.slack.com/archives/C0/p17',
});

describe('deploy card Block Kit limits', () => {
  it.each(ALL_STATES)('%s: an ordinary card fits every limit, for both kinds', (state) => {
    for (const kind of ['approval', 'info'] as const) {
      expect(checkBlockKitLimits(renderDeployCard(makeCardIn(state, kind), makeContext()))).toEqual([]);
    }
  });

  it.each(ALL_STATES)(
    '%s: 400 commits, 30 images and a 10 kB commit message still fit every limit',
    (state) => {
      for (const kind of ['approval', 'info'] as const) {
        const message = renderDeployCard(makeHugeCard(state, kind), HUGE_CONTEXT);
        expect(checkBlockKitLimits(message)).toEqual([]);
        expect(message.text.length).toBeGreaterThan(0);
      }
    },
  );

  it('says "and N more" for the commits, pull requests and images it leaves out', () => {
    const message = renderDeployCard(makeHugeCard('pending', 'approval'), HUGE_CONTEXT);
    const changelog = sectionText(message, 'card_changelog');
    expect(changelog).toContain('*Changelog* (400 commits)');
    const shownCommits = changelog.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(shownCommits).toBeGreaterThan(0);
    expect(changelog).toContain(`_and ${400 - shownCommits} more_`);
    const images = sectionText(message, 'card_images');
    expect(images).toContain('*Images* (30)');
    expect(images).toContain('_and 20 more_');
    expect(sectionText(message, 'card_pulls')).toMatch(/_and \d+ more_/);
  });

  it('keeps "and N more" exact when long image names hit the character budget before the item cap', () => {
    const images = Array.from({ length: 30 }, (_, i) => ({
      name: `ghcr.io/sheeffii/service-${i}-${'s'.repeat(500)}`,
      from: `v1.${i}.0-${'f'.repeat(500)}`,
      to: `v1.${i}.1`,
    }));
    const message = renderDeployCard(makeCard({ images }), makeContext());
    const section = sectionText(message, 'card_images');
    const shown = section.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(10);
    expect(section).toContain(`_and ${30 - shown} more_`);
    expect(checkBlockKitLimits(message)).toEqual([]);
  });

  it('counts commits that were never fetched into "and N more"', () => {
    const card = makeCard({
      changelog: {
        ...makeCard().changelog,
        commits: [makeCommit(1), makeCommit(2)],
        totalCommits: 250,
        pulls: [],
      },
    });
    const changelog = sectionText(renderDeployCard(card, makeContext()), 'card_changelog');
    expect(changelog).toContain('*Changelog* (250 commits)');
    expect(changelog).toContain('_and 248 more_');
  });

  it('cuts a 10 kB subject to one short line', () => {
    const message = renderDeployCard(makeHugeCard('pending', 'approval'), HUGE_CONTEXT);
    const longest = Math.max(
      ...allText(message)
        .split('\n')
        .map((l) => l.length),
    );
    expect(longest).toBeLessThan(3000);
    expect(sectionText(message, 'card_revision')).toContain('…');
  });

  it("produces blocks Slack's own types accept", () => {
    const blocks: (types.KnownBlock | types.Block)[] = renderDeployCard(
      makeCardIn('pending'),
      makeContext(),
    ).blocks;
    expect(blocks.length).toBeGreaterThan(0);
  });
});
