import { describe, expect, it } from 'vitest';
import { groupCommitsByPull } from '../../../src/render/group-commits-by-pull.js';
import {
  buildReleaseAnnouncementInput,
  computeMergeToDeployMs,
  type ReleaseAnnouncementInput,
  renderReleaseAnnouncement,
} from '../../../src/render/release-announcement.js';
import { checkBlockKitLimits } from './block-kit-limits.js';
import { makeCardIn, makeCommit, TO_SHA } from './card-fixture.js';
import { allText, sectionText } from './message-helpers.js';

const DEPLOYED_AT = Date.parse('2026-03-02T12:05:00Z');

const c1 = makeCommit(1, { subject: 'Add Kafka retries', authorLogin: 'Alice' });
const c2 = makeCommit(2, { subject: 'Tune retry backoff', authorLogin: 'alice' });
const c3 = makeCommit(3, { subject: 'Fix flaky consumer test (#43)', authorLogin: 'carol' });
const c4 = makeCommit(4, { subject: 'Hotfix pushed straight to main', authorLogin: 'dave' });

function makeInput(overrides: Partial<ReleaseAnnouncementInput> = {}): ReleaseAnnouncementInput {
  return {
    app: 'event-ingestion-prod',
    environment: 'prod',
    revision: TO_SHA,
    repo: { owner: 'sheeffii', name: 'RealtimeGaming' },
    githubWebUrl: 'https://github.com',
    images: [{ name: 'ghcr.io/sheeffii/event-ingestion', from: 'v1.4.1', to: 'v1.4.2' }],
    changelogAvailable: true,
    commits: [c1, c2, c3, c4],
    totalCommits: 4,
    pulls: [
      {
        number: 42,
        title: 'Kafka retries',
        url: 'https://github.com/sheeffii/RealtimeGaming/pull/42',
        authorLogin: 'alice',
        mergedAt: '2026-03-02T10:00:00Z',
        commitShas: [c1.sha, c2.sha],
      },
      {
        number: 43,
        title: 'Fix flaky consumer test',
        url: 'https://github.com/sheeffii/RealtimeGaming/pull/43',
        authorLogin: 'carol',
        mergedAt: '2026-03-02T11:30:00Z',
      },
    ],
    people: [{ slack: 'U0ALICE', github: 'alice' }],
    approvedBy: ['U0BOB'],
    deployedAt: DEPLOYED_AT,
    cardPermalink: 'https://acme.slack.com/archives/C0/p1',
    ...overrides,
  };
}

describe('groupCommitsByPull', () => {
  it('groups by the PR\'s commit list and by "(#N)" in squash subjects; the rest stays loose', () => {
    const { groups, loose } = groupCommitsByPull(makeInput().commits, makeInput().pulls);
    expect(groups.map((g) => [g.pull.number, g.commits.map((c) => c.sha)])).toEqual([
      [42, [c1.sha, c2.sha]],
      [43, [c3.sha]],
    ]);
    expect(loose.map((c) => c.sha)).toEqual([c4.sha]);
  });

  it('recognises merge commits', () => {
    const merge = makeCommit(9, { subject: 'Merge pull request #42 from alice/retries\n\nKafka retries' });
    expect(groupCommitsByPull([merge], makeInput().pulls).groups[0]?.commits).toEqual([merge]);
  });
});

describe('renderReleaseAnnouncement', () => {
  const message = renderReleaseAnnouncement(makeInput());

  it('fits Block Kit limits and has a fallback text', () => {
    expect(checkBlockKitLimits(message)).toEqual([]);
    expect(message.text).toBe('🚀 event-ingestion-prod v1.4.2 released to prod with 2 pull requests');
  });

  it('shows version (image tags), who approved and merge → production time', () => {
    const facts = sectionText(message, 'release_facts');
    expect(facts).toContain('ghcr.io/sheeffii/event-ingestion `v1.4.2`');
    expect(facts).toContain('*Approved by*\n<@U0BOB>');
    expect(facts).toContain('*Merge to production*\n2h 5m');
  });

  it('lists pull requests with links and authors mentioned when mapped, else their login', () => {
    const pulls = sectionText(message, 'release_pulls');
    expect(pulls).toContain(
      '• <https://github.com/sheeffii/RealtimeGaming/pull/42|#42> Kafka retries — <@U0ALICE> _(2 commits)_',
    );
    expect(pulls).toContain(
      '• <https://github.com/sheeffii/RealtimeGaming/pull/43|#43> Fix flaky consumer test — carol',
    );
  });

  it('lists commits without a pull request separately', () => {
    const other = sectionText(message, 'release_commits');
    expect(other).toContain('*Other commits* (1)');
    expect(other).toContain('Hotfix pushed straight to main — dave');
    expect(other).not.toContain('Add Kafka retries');
  });

  it('says auto-sync when nobody approved, and links the deploy card', () => {
    const auto = renderReleaseAnnouncement(makeInput({ approvedBy: [] }));
    expect(sectionText(auto, 'release_facts')).toContain('*Approved by*\nauto-sync');
    expect(allText(auto)).toContain('<https://acme.slack.com/archives/C0/p1|Deploy card and audit thread>');
  });

  it('omits merge → production without merged PRs and says when the changelog is unavailable', () => {
    const noChangelog = renderReleaseAnnouncement(makeInput({ changelogAvailable: false, pulls: [] }));
    expect(allText(noChangelog)).not.toContain('Merge to production');
    expect(allText(noChangelog)).toContain('changelog unavailable');
  });

  it('stays within limits for 400 commits and 60 pull requests with hostile titles', () => {
    const commits = Array.from({ length: 400 }, (_, i) =>
      makeCommit(i + 1, { subject: `<!channel> ${'x'.repeat(10_000)}` }),
    );
    const pulls = Array.from({ length: 60 }, (_, i) => ({
      number: 1000 + i,
      title: `<!channel> ${'t'.repeat(5000)}`,
      url: `https://github.com/o/r/pull/${1000 + i}`,
      mergedAt: '2026-03-01T12:05:00Z',
    }));
    const huge = renderReleaseAnnouncement(makeInput({ commits, pulls, totalCommits: 900 }));
    expect(checkBlockKitLimits(huge)).toEqual([]);
    expect(allText(huge)).not.toContain('<!channel>');
    expect(sectionText(huge, 'release_pulls')).toMatch(/_and \d+ more_/);
    expect(sectionText(huge, 'release_commits')).toContain('*Other commits* (900)');
    expect(sectionText(huge, 'release_facts')).toContain('*Merge to production*\n1d');
  });
});

describe('computeMergeToDeployMs', () => {
  it('measures from the earliest merge and ignores unmerged PRs', () => {
    const pulls = [
      { number: 1, title: 'a', url: 'https://x/1', mergedAt: '2026-03-02T11:00:00Z' },
      { number: 2, title: 'b', url: 'https://x/2', mergedAt: '2026-03-02T10:00:00Z' },
      { number: 3, title: 'c', url: 'https://x/3' },
    ];
    expect(computeMergeToDeployMs(pulls, DEPLOYED_AT)).toBe(2 * 3_600_000 + 5 * 60_000);
    expect(computeMergeToDeployMs([pulls[2]!], DEPLOYED_AT)).toBeUndefined();
  });
});

describe('buildReleaseAnnouncementInput', () => {
  it('takes app, revision, images, changelog and approvers from a succeeded card', () => {
    const card = makeCardIn('succeeded');
    const input = buildReleaseAnnouncementInput(card, {
      people: [],
      deployedAt: DEPLOYED_AT,
      githubWebUrl: 'https://github.com',
    });
    expect(input).toMatchObject({
      app: 'event-ingestion-prod',
      environment: 'prod',
      revision: card.revision,
      approvedBy: ['U0ALICE'],
      totalCommits: 2,
      changelogAvailable: true,
    });
    expect(checkBlockKitLimits(renderReleaseAnnouncement(input))).toEqual([]);
  });
});
