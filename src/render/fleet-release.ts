/**
 * The #releases post after a fleet card deployed: one post for the group (not one per app) with the
 * revision, the apps, who approved and a link to the fleet card. Pure: the card's facts in, Block Kit out.
 */
import { shortSha } from '../domain/card.js';
import type { FleetCard } from '../domain/fleet-card.js';
import { buildMessage, context, fieldsSection, header, type SlackMessage, section } from './block-kit.js';
import { joinCapped, LIMITS, truncate } from './limits.js';
import { buildCommitUrl, type RepoRef } from './links.js';
import { code, escapeMrkdwn, firstLine, link, mentionUsers, slackDate } from './mrkdwn.js';

export interface FleetReleaseInput {
  group: string;
  environment: string;
  /** Full SHA every app was synced to. */
  revision: string;
  /** Commit subject and author as Argo CD or GitHub told them: outside text. */
  subject?: string;
  author?: string;
  repo?: RepoRef;
  githubWebUrl?: string;
  /** Every app the card lists, in the card's order (wave, then name). */
  apps: readonly { instance: string; name: string }[];
  /** Slack user ids of the approvers. */
  approvedBy: readonly string[];
  /** Epoch ms of the release (when the last wave was judged). */
  deployedAt: number;
  /** Permalink of the fleet card. */
  cardPermalink?: string;
}

/** Apps named before the rest are counted: a 200-app group reads as a summary, well within one section. */
const APPS_SHOWN = 30;

function appName(app: { instance: string; name: string }): string {
  return code(truncate(`${app.instance}/${app.name}`, 120));
}

function revisionLine(input: FleetReleaseInput): string {
  const sha = shortSha(input.revision);
  const url = buildCommitUrl(input.githubWebUrl, input.repo, input.revision);
  const subject = input.subject ? ` ${escapeMrkdwn(truncate(firstLine(input.subject), 200))}` : '';
  const author = input.author ? ` · ${escapeMrkdwn(truncate(input.author, 100))}` : '';
  return `${url ? link(url, sha) : code(sha)}${subject}${author}`;
}

function appsSection(input: FleetReleaseInput) {
  const title = `*Apps* (${input.apps.length})`;
  const body = joinCapped(input.apps.map(appName), {
    maxChars: LIMITS.sectionText - title.length - 1,
    maxItems: APPS_SHOWN,
  });
  return section('fleet_release_apps', `${title}\n${body || '_none_'}`);
}

export function renderFleetRelease(input: FleetReleaseInput): SlackMessage {
  const sha = shortSha(input.revision);
  const fields = [
    `*Revision*\n${revisionLine(input)}`,
    `*Approved by*\n${input.approvedBy.length > 0 ? mentionUsers(input.approvedBy) : '-'}`,
  ];
  const footer = [`Deployed ${slackDate(input.deployedAt)}`];
  if (input.cardPermalink) footer.push(link(input.cardPermalink, 'Fleet card and its rows'));
  const count = `${input.apps.length} app${input.apps.length === 1 ? '' : 's'}`;
  return buildMessage(
    `🚀 fleet ${escapeMrkdwn(input.group)} ${sha} released to ${escapeMrkdwn(input.environment)}: ${count}`,
    [
      // A header is plain text: Slack shows it as typed, so it is cut, not escaped.
      header('fleet_release_header', `🚀 Fleet ${input.group} released to ${input.environment}`),
      fieldsSection('fleet_release_facts', fields),
      appsSection(input),
      context('fleet_release_footer', footer),
    ],
  );
}

/** The announcement input of a deployed fleet card. */
export function buildFleetReleaseInput(
  card: FleetCard,
  extra: { deployedAt: number; githubWebUrl?: string; cardPermalink?: string },
): FleetReleaseInput {
  return {
    group: card.group,
    environment: card.environment,
    revision: card.revision,
    subject: card.to.subject,
    author: card.to.author,
    repo: card.repo,
    githubWebUrl: extra.githubWebUrl,
    apps: card.members.map((m) => ({ instance: m.app.instance, name: m.app.name })),
    approvedBy: card.approvals.map((a) => a.user),
    deployedAt: extra.deployedAt,
    cardPermalink: extra.cardPermalink,
  };
}
