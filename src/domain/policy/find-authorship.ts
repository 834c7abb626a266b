import { type Changelog, type CommitInfo, type PullInfo, shortSha } from '../card.js';
import type { Actor } from './types.js';

/**
 * How the clicker is tied to the change. A person authored the change if a commit in it has their
 * GitHub login as author or committer, their e-mail as author or committer e-mail, or if they opened
 * (or merged) a pull request that holds one of its commits.
 */
export type AuthorshipLink =
  | { via: 'login' | 'email'; identity: string; commit: string }
  | { via: 'opened-pull' | 'merged-pull'; identity: string; commit: string; pull: number };

/** Why the change's authors are not all known: every approval is refused, saying which. */
export type UnknownChange =
  /** GitHub unreachable, compare failed, or the card was never enriched. */
  | { why: 'unavailable' }
  /** The card was posted before its changelog was read (moments after it appeared). */
  | { why: 'not-read-yet' }
  /** More commits than deploybot reads (and looks up pull requests for). */
  | { why: 'too-long'; total: number; read: number }
  /** A commit GitHub links to no account and that is in no pull request to attribute it by. */
  | { why: 'no-account'; commit: string }
  /** A commit whose pull requests were not looked up (the lookup failed, or the card predates it). */
  | { why: 'pulls-unread'; commit: string };

export type Authorship =
  | ({ kind: 'author' } & AuthorshipLink)
  | { kind: 'not-author' }
  | ({ kind: 'unknown-change' } & UnknownChange)
  /** The clicker's identities are not enough to rule out that they wrote the change. */
  | { kind: 'unknown-actor'; why: 'no-login' | 'email-unread' };

// GitHub's private commit e-mails carry the login: "12345+alice@users.noreply.github.com".
const NOREPLY = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/;

function normalize(value: string | undefined): string | undefined {
  const trimmed = value?.trim().toLowerCase();
  return trimmed ? trimmed : undefined;
}

interface ActorIdentities {
  login?: string;
  emails: ReadonlySet<string>;
}

function identitiesOf(actor: Actor): ActorIdentities {
  const emails = new Set<string>();
  for (const email of [actor.email, ...(actor.emails ?? [])]) {
    const normal = normalize(email);
    if (normal) emails.add(normal);
  }
  return { login: normalize(actor.githubLogin), emails };
}

/** The actor's tie to one commit by its own identities (author or committer, login or e-mail). */
function linkToCommit(who: ActorIdentities, commit: CommitInfo): AuthorshipLink | undefined {
  const commitId = shortSha(commit.sha);
  for (const login of [commit.authorLogin, commit.committerLogin]) {
    if (who.login && normalize(login) === who.login)
      return { via: 'login', identity: login!.trim(), commit: commitId };
  }
  for (const email of [commit.authorEmail, commit.committerEmail]) {
    const normal = normalize(email);
    if (!normal) continue;
    if (who.emails.has(normal)) return { via: 'email', identity: email!.trim(), commit: commitId };
    // A private noreply address names the account even when GitHub returned no author object.
    const noreplyLogin = NOREPLY.exec(normal)?.[1];
    if (who.login && noreplyLogin === who.login)
      return { via: 'login', identity: noreplyLogin, commit: commitId };
  }
  return undefined;
}

function linkToPull(who: ActorIdentities, pull: PullInfo, commit: CommitInfo): AuthorshipLink | undefined {
  if (!who.login) return undefined;
  const commitId = shortSha(commit.sha);
  if (normalize(pull.authorLogin) === who.login)
    return { via: 'opened-pull', identity: pull.authorLogin!.trim(), commit: commitId, pull: pull.number };
  if (normalize(pull.mergedBy) === who.login)
    return { via: 'merged-pull', identity: pull.mergedBy!.trim(), commit: commitId, pull: pull.number };
  return undefined;
}

/**
 * Whether the actor authored the change; the caller fails closed on the unknown kinds. A definite
 * link wins over an unknown (it is the better reason to give); an unknown wins over "not an author".
 * Only the actor's own identities are compared, so GitHub's web-flow committer on browser merges
 * makes nobody an author.
 */
export function findAuthorship(actor: Actor, changelog: Changelog): Authorship {
  if (!changelog.available)
    return { kind: 'unknown-change', why: changelog.pending ? 'not-read-yet' : 'unavailable' };
  const who = identitiesOf(actor);
  const pulls = new Map(changelog.pulls.map((p) => [p.number, p]));
  let unknown: UnknownChange | undefined;
  for (const commit of changelog.commits) {
    const direct = linkToCommit(who, commit);
    if (direct) return { kind: 'author', ...direct };
    if (commit.pulls === undefined) {
      unknown ??= { why: 'pulls-unread', commit: shortSha(commit.sha) };
      continue;
    }
    const held = commit.pulls.map((n) => pulls.get(n));
    for (const pull of held) {
      // A number without its pull request means the record is incomplete: its author is unknown.
      if (!pull) {
        unknown ??= { why: 'pulls-unread', commit: shortSha(commit.sha) };
        continue;
      }
      const link = linkToPull(who, pull, commit);
      if (link) return { kind: 'author', ...link };
    }
    // Unlinked to an account: the pull request that brought it in is its author, and without one nobody is known.
    if (!normalize(commit.authorLogin) && commit.pulls.length === 0)
      unknown ??= { why: 'no-account', commit: shortSha(commit.sha) };
  }
  const read = changelog.commits.length;
  if (changelog.totalCommits > read) unknown ??= { why: 'too-long', total: changelog.totalCommits, read };
  if (unknown) return { kind: 'unknown-change', ...unknown };
  if (read === 0) return { kind: 'not-author' };
  // Without a login, neither the commits' accounts nor the pull requests' authors can be compared.
  if (!who.login) return { kind: 'unknown-actor', why: 'no-login' };
  if (actor.emailUnknown) return { kind: 'unknown-actor', why: 'email-unread' };
  return { kind: 'not-author' };
}
