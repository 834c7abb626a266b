/** The commits and pull requests between the deployed and the target revision, capped to fit a card. */
import { type Card, type CommitInfo, type PullInfo, shortSha } from '../domain/card.js';
import { type SectionBlock, section } from './block-kit.js';
import type { CardRenderContext } from './card-context.js';
import { joinCapped, LIMITS, truncate } from './limits.js';
import { buildCommitUrl, type RepoRef } from './links.js';
import { code, escapeMrkdwn, firstLine, link, mentionUser } from './mrkdwn.js';

const COMMITS_SHOWN = 15;
const PULLS_SHOWN = 10;
const SUBJECT_MAX = 150;

/** `author` is mrkdwn (e.g. a mention); by default the commit's login or name, escaped. */
export function formatCommitLine(
  commit: CommitInfo,
  repo: RepoRef | undefined,
  githubWebUrl: string | undefined,
  author?: string,
): string {
  const url = commit.url ?? buildCommitUrl(githubWebUrl, repo, commit.sha);
  const sha = url ? link(url, shortSha(commit.sha)) : code(shortSha(commit.sha));
  const subject = escapeMrkdwn(truncate(firstLine(commit.subject), SUBJECT_MAX));
  const fallback = commit.authorLogin ?? commit.authorName;
  const who = author ?? (fallback ? escapeMrkdwn(truncate(fallback, 80)) : undefined);
  return `• ${sha} ${subject || '_no subject_'}${who ? ` — ${who}` : ''}`;
}

export function formatPullLine(pull: PullInfo, author: string | undefined): string {
  const title = escapeMrkdwn(truncate(firstLine(pull.title), SUBJECT_MAX));
  return `• ${link(pull.url, `#${pull.number}`)} ${title || '_no title_'}${author ? ` — ${author}` : ''}`;
}

/** The author as a Slack mention when deploybot knows their Slack user. */
function slackAuthor(
  ids: Record<string, string> | undefined,
  ...keys: (string | undefined)[]
): string | undefined {
  for (const key of keys) {
    const id = key ? ids?.[key.toLowerCase()] : undefined;
    if (id) return mentionUser(id);
  }
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One or two sections: pull requests (when known) and commits, each with "and N more" when capped. */
export function renderChangelogSections(card: Card, ctx: CardRenderContext): SectionBlock[] {
  const changelog = card.changelog;
  if (changelog.pending) return [section('card_changelog', '*Changelog* _reading the changelog…_')];
  if (!changelog.available) {
    return [section('card_changelog', '*Changelog* _changelog unavailable_ (GitHub could not be read)')];
  }
  const total = Math.max(changelog.totalCommits, changelog.commits.length);
  if (total === 0) {
    const why = card.from ? 'no commits between the two revisions' : 'no previous revision to compare with';
    return [section('card_changelog', `*Changelog* _${why}_`)];
  }
  const blocks: SectionBlock[] = [];
  if (changelog.pulls.length > 0) {
    const title = `*Pull requests* (${changelog.pulls.length})`;
    const lines = changelog.pulls.map((p) =>
      formatPullLine(
        p,
        slackAuthor(changelog.authorSlackIds, p.authorLogin) ??
          (p.authorLogin ? escapeMrkdwn(truncate(p.authorLogin, 80)) : undefined),
      ),
    );
    const body = joinCapped(lines, {
      maxChars: LIMITS.sectionText - title.length - 1,
      maxItems: PULLS_SHOWN,
    });
    blocks.push(section('card_pulls', `${title}\n${body}`));
  }
  const title = `*Changelog* (${plural(total, 'commit')})`;
  const lines = changelog.commits.map((c) =>
    formatCommitLine(
      c,
      card.repo,
      ctx.githubWebUrl,
      slackAuthor(changelog.authorSlackIds, c.authorLogin, c.authorEmail),
    ),
  );
  const body = joinCapped(lines, {
    maxChars: LIMITS.sectionText - title.length - 1,
    maxItems: COMMITS_SHOWN,
    hiddenExtra: total - changelog.commits.length,
  });
  blocks.push(section('card_changelog', `${title}\n${body}`));
  return blocks;
}
