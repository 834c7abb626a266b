/** The DM an author gets when a change of theirs is live: app, environment, their commits, approvers, card. */
import { buildMessage, context, type SlackMessage, section } from './block-kit.js';
import { joinCapped, LIMITS } from './limits.js';
import { code, escapeMrkdwn, firstLine, link, mentionUsers } from './mrkdwn.js';

interface AuthorDmCommit {
  sha: string;
  subject: string;
  url?: string;
}

export interface AuthorDmInput {
  app: string;
  environment: string;
  /** The author's commits in the change, newest first (all of them: the message caps what it shows). */
  commits: readonly AuthorDmCommit[];
  /** Slack user ids of the approvers; empty for an auto-synced deploy. */
  approvedBy: readonly string[];
  cardPermalink?: string;
}

/** Commits listed in one DM; the rest are counted (one person, many commits: still one message). */
const DM_COMMITS_SHOWN = 10;

export function renderAuthorDm(input: AuthorDmInput): SlackMessage {
  const app = escapeMrkdwn(input.app);
  const environment = escapeMrkdwn(input.environment);
  const count = input.commits.length;
  const title = `🚀 Your change${count === 1 ? ' is' : 's are'} live: *${app}* in *${environment}*`;
  const lines = input.commits.map(
    (c) =>
      `• ${link(c.url, code(c.sha.slice(0, 7)))} ${escapeMrkdwn(firstLine(c.subject)) || '(no subject)'}`,
  );
  const commits = joinCapped(lines, { maxChars: LIMITS.sectionText - 300, maxItems: DM_COMMITS_SHOWN });
  const who =
    input.approvedBy.length > 0
      ? `Approved by ${mentionUsers(input.approvedBy)}`
      : 'Synced automatically (no approval needed)';
  const card = input.cardPermalink ? link(input.cardPermalink, 'Deploy card') : undefined;
  const text = `🚀 Your change${count === 1 ? ' is' : 's are'} live: ${input.app} in ${input.environment}`;
  return buildMessage(escapeMrkdwn(text), [
    section('author_dm_title', `${title}\n${commits}`),
    context('author_dm_context', [
      card ? `${who} · ${card}` : who,
      'Turn these off with `/deploy-status notify off`.',
    ]),
  ]);
}
