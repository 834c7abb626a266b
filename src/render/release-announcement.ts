/** The #releases post after a successful production deploy: what shipped, by whom, how fast. */
import { formatDuration } from '../config/duration.js';
import { appLabel } from '../domain/app-label.js';
import { type Card, type CommitInfo, type ImageChange, shortSha } from '../domain/card.js';
import {
  type Block,
  buildMessage,
  context,
  fieldsSection,
  header,
  type SectionBlock,
  type SlackMessage,
  section,
} from './block-kit.js';
import { formatCommitLine, formatPullLine } from './card-changelog.js';
import { groupCommitsByPull, type ReleasePull } from './group-commits-by-pull.js';
import { joinCapped, LIMITS, truncate } from './limits.js';
import { buildCommitUrl, type RepoRef } from './links.js';
import { code, escapeMrkdwn, link, mentionUser, mentionUsers, slackDate } from './mrkdwn.js';

export type { ReleasePull } from './group-commits-by-pull.js';

export interface PersonMapping {
  slack: string;
  github: string;
}

export interface ReleaseAnnouncementInput {
  app: string;
  environment: string;
  /** Full SHA that was deployed. */
  revision: string;
  repo?: RepoRef;
  githubWebUrl?: string;
  images: ImageChange[];
  changelogAvailable: boolean;
  commits: CommitInfo[];
  /** All commits in the change, including those not fetched. */
  totalCommits: number;
  pulls: ReleasePull[];
  /** Slack ↔ GitHub identities from the policy's `people`, for mentions. */
  people: readonly PersonMapping[];
  /** Slack user ids of the approvers; empty for an auto-synced deploy. */
  approvedBy: string[];
  /** Epoch ms when the sync finished. */
  deployedAt: number;
  /** Permalink of the deploy card, for the thread with the details. */
  cardPermalink?: string;
  /** Who approved through a freeze, and why (their words). */
  breakGlass?: readonly { user: string; reason: string }[];
}

const PULLS_SHOWN = 20;
const COMMITS_SHOWN = 15;
const VERSIONS_SHOWN = 5;

function findSlackUser(people: readonly PersonMapping[], login: string | undefined): string | undefined {
  if (!login) return undefined;
  const wanted = login.toLowerCase();
  return people.find((p) => p.github.toLowerCase() === wanted)?.slack;
}

function formatAuthor(people: readonly PersonMapping[], login: string | undefined): string | undefined {
  if (!login) return undefined;
  const slack = findSlackUser(people, login);
  return slack ? mentionUser(slack) : escapeMrkdwn(truncate(login, 80));
}

function formatVersion(input: ReleaseAnnouncementInput): string {
  const deployed = input.images.filter((i) => i.to);
  if (deployed.length === 0) return code(shortSha(input.revision));
  const lines = deployed.map(
    (i) => `${escapeMrkdwn(truncate(i.name, 150))} ${code(truncate(i.to ?? '', 150))}`,
  );
  return joinCapped(lines, { maxChars: LIMITS.fieldText - 20, maxItems: VERSIONS_SHOWN });
}

/** From the earliest merge of a pull request in the release to the deploy: the team's lead time. */
export function computeMergeToDeployMs(
  pulls: readonly ReleasePull[],
  deployedAt: number,
): number | undefined {
  const merged = pulls
    .map((p) => (p.mergedAt ? Date.parse(p.mergedAt) : Number.NaN))
    .filter((t) => !Number.isNaN(t));
  if (merged.length === 0) return undefined;
  return Math.max(0, deployedAt - Math.min(...merged));
}

function renderChangelog(input: ReleaseAnnouncementInput): SectionBlock[] {
  if (!input.changelogAvailable) return [section('release_changelog', '*Changelog* _changelog unavailable_')];
  const { groups, loose } = groupCommitsByPull(input.commits, input.pulls);
  const blocks: SectionBlock[] = [];
  if (groups.length > 0) {
    const title = `*Pull requests* (${groups.length})`;
    const lines = groups.map(({ pull, commits }) => {
      const count = commits.length > 1 ? ` _(${commits.length} commits)_` : '';
      return `${formatPullLine(pull, formatAuthor(input.people, pull.authorLogin))}${count}`;
    });
    const body = joinCapped(lines, {
      maxChars: LIMITS.sectionText - title.length - 1,
      maxItems: PULLS_SHOWN,
    });
    blocks.push(section('release_pulls', `${title}\n${body}`));
  }
  const unfetched = Math.max(0, input.totalCommits - input.commits.length);
  if (loose.length > 0 || unfetched > 0) {
    const title =
      groups.length > 0
        ? `*Other commits* (${loose.length + unfetched})`
        : `*Commits* (${loose.length + unfetched})`;
    const lines = loose.map((c) =>
      formatCommitLine(c, input.repo, input.githubWebUrl, formatAuthor(input.people, c.authorLogin)),
    );
    const body = joinCapped(lines, {
      maxChars: LIMITS.sectionText - title.length - 1,
      maxItems: COMMITS_SHOWN,
      hiddenExtra: unfetched,
    });
    blocks.push(section('release_commits', `${title}\n${body}`));
  }
  if (blocks.length === 0)
    blocks.push(section('release_changelog', '*Changelog* _no commits between the revisions_'));
  return blocks;
}

export function renderReleaseAnnouncement(input: ReleaseAnnouncementInput): SlackMessage {
  const leadTime = computeMergeToDeployMs(input.pulls, input.deployedAt);
  const commitUrl = buildCommitUrl(input.githubWebUrl, input.repo, input.revision);
  const fields = [
    `*Version*\n${formatVersion(input)}`,
    `*Revision*\n${commitUrl ? link(commitUrl, shortSha(input.revision)) : code(shortSha(input.revision))}`,
    `*Approved by*\n${input.approvedBy.length > 0 ? mentionUsers(input.approvedBy) : 'auto-sync'}`,
  ];
  if (leadTime !== undefined) fields.push(`*Merge to production*\n${formatDuration(leadTime)}`);
  const blocks: Block[] = [
    header('release_header', `🚀 ${input.app} released to ${input.environment}`),
    fieldsSection('release_facts', fields),
  ];
  if (input.breakGlass?.length) {
    const lines = input.breakGlass.map(
      (g) =>
        `🔨 Released through a freeze: ${mentionUser(g.user)} broke the glass — ${escapeMrkdwn(truncate(g.reason, 500))}`,
    );
    blocks.push(section('release_break_glass', lines.join('\n')));
  }
  blocks.push(...renderChangelog(input));
  const footer = [`Deployed ${slackDate(input.deployedAt)}`];
  if (input.cardPermalink) footer.push(link(input.cardPermalink, 'Deploy card and audit thread'));
  blocks.push(context('release_footer', footer));
  const firstTag = input.images.find((i) => i.to)?.to;
  const version = firstTag ? truncate(firstTag, 100) : shortSha(input.revision);
  const prs =
    input.pulls.length > 0
      ? ` with ${input.pulls.length} pull request${input.pulls.length === 1 ? '' : 's'}`
      : '';
  const text = `🚀 ${escapeMrkdwn(input.app)} ${escapeMrkdwn(version)} released to ${escapeMrkdwn(input.environment)}${prs}`;
  return buildMessage(text, blocks);
}

/** The announcement input for a succeeded card; pull-to-commit links come from the caller when it has them. */
export function buildReleaseAnnouncementInput(
  card: Card,
  extra: {
    people: readonly PersonMapping[];
    deployedAt: number;
    githubWebUrl?: string;
    cardPermalink?: string;
    pulls?: ReleasePull[];
  },
): ReleaseAnnouncementInput {
  return {
    app: appLabel(card.app),
    environment: card.environment,
    revision: card.revision,
    repo: card.repo,
    githubWebUrl: extra.githubWebUrl,
    images: card.images,
    changelogAvailable: card.changelog.available,
    commits: card.changelog.commits,
    totalCommits: card.changelog.totalCommits,
    pulls: extra.pulls ?? card.changelog.pulls,
    people: extra.people,
    approvedBy: card.approvals.map((a) => a.user),
    breakGlass: card.breakGlass?.map(({ user, reason }) => ({ user, reason })),
    deployedAt: extra.deployedAt,
    cardPermalink: extra.cardPermalink,
  };
}
