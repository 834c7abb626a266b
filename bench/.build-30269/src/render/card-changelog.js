/** The commits and pull requests between the deployed and the target revision, capped to fit a card. */
import { shortSha } from '../domain/card.js';
import { section } from './block-kit.js';
import { joinCapped, LIMITS, truncate } from './limits.js';
import { buildCommitUrl } from './links.js';
import { code, escapeMrkdwn, firstLine, link } from './mrkdwn.js';
const COMMITS_SHOWN = 15;
const PULLS_SHOWN = 10;
const SUBJECT_MAX = 150;
/** `author` is mrkdwn (e.g. a mention); by default the commit's login or name, escaped. */
export function formatCommitLine(commit, repo, githubWebUrl, author) {
    const url = commit.url ?? buildCommitUrl(githubWebUrl, repo, commit.sha);
    const sha = url ? link(url, shortSha(commit.sha)) : code(shortSha(commit.sha));
    const subject = escapeMrkdwn(truncate(firstLine(commit.subject), SUBJECT_MAX));
    const fallback = commit.authorLogin ?? commit.authorName;
    const who = author ?? (fallback ? escapeMrkdwn(truncate(fallback, 80)) : undefined);
    return `• ${sha} ${subject || '_no subject_'}${who ? ` — ${who}` : ''}`;
}
export function formatPullLine(pull, author) {
    const title = escapeMrkdwn(truncate(firstLine(pull.title), SUBJECT_MAX));
    return `• ${link(pull.url, `#${pull.number}`)} ${title || '_no title_'}${author ? ` — ${author}` : ''}`;
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
/** One or two sections: pull requests (when known) and commits, each with "and N more" when capped. */
export function renderChangelogSections(card, ctx) {
    const changelog = card.changelog;
    if (!changelog.available) {
        return [section('card_changelog', '*Changelog* _changelog unavailable_ (GitHub could not be read)')];
    }
    const total = Math.max(changelog.totalCommits, changelog.commits.length);
    if (total === 0) {
        const why = card.from ? 'no commits between the two revisions' : 'no previous revision to compare with';
        return [section('card_changelog', `*Changelog* _${why}_`)];
    }
    const blocks = [];
    if (changelog.pulls.length > 0) {
        const title = `*Pull requests* (${changelog.pulls.length})`;
        const lines = changelog.pulls.map((p) => formatPullLine(p, p.authorLogin ? escapeMrkdwn(truncate(p.authorLogin, 80)) : undefined));
        const body = joinCapped(lines, {
            maxChars: LIMITS.sectionText - title.length - 1,
            maxItems: PULLS_SHOWN,
        });
        blocks.push(section('card_pulls', `${title}\n${body}`));
    }
    const title = `*Changelog* (${plural(total, 'commit')})`;
    const lines = changelog.commits.map((c) => formatCommitLine(c, card.repo, ctx.githubWebUrl));
    const body = joinCapped(lines, {
        maxChars: LIMITS.sectionText - title.length - 1,
        maxItems: COMMITS_SHOWN,
        hiddenExtra: total - changelog.commits.length,
    });
    blocks.push(section('card_changelog', `${title}\n${body}`));
    return blocks;
}
