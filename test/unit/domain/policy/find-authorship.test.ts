import { describe, expect, it } from 'vitest';
import type { Changelog, CommitInfo, PullInfo } from '../../../../src/domain/card.js';
import { type Actor, type Authorship, decide, findAuthorship } from '../../../../src/domain/policy/index.js';
import { buildInput } from './fixtures.js';

// Alice's GitHub login and the one e-mail deploybot knows for her (people + Slack profile).
const ALICE: Actor = { id: 'U0ALICE', githubLogin: 'alice', emails: ['alice@acme.example'] };
const WEB_FLOW = { committerLogin: 'web-flow', committerEmail: 'noreply@github.com' };

function commit(n: number, fields: Partial<CommitInfo> = {}): CommitInfo {
  return { sha: `${n}`.repeat(40).slice(0, 40), subject: `change ${n}`, pulls: [], ...fields };
}

function pull(number: number, fields: Partial<PullInfo> = {}): PullInfo {
  return { number, title: `PR ${number}`, url: `https://github.com/acme/deploy/pull/${number}`, ...fields };
}

function changelog(commits: CommitInfo[], pulls: PullInfo[] = [], totalCommits = commits.length): Changelog {
  return { available: true, commits, totalCommits, pulls, authorLogins: [], authorEmails: [] };
}

const BOB_COMMIT = { authorLogin: 'bob', authorEmail: 'bob@acme.example' };
const BOBS_PR = pull(8, { authorLogin: 'bob' });

describe('findAuthorship: who authored the change (INTERFACE "Hardening")', () => {
  it.each<[string, Changelog, Authorship]>([
    [
      'her login as commit author',
      changelog([commit(1, { authorLogin: 'Alice', pulls: [8] })], [BOBS_PR]),
      { kind: 'author', via: 'login', identity: 'Alice', commit: '1111111' },
    ],
    [
      'her login as committer of a commit Bob wrote (she rebased or cherry-picked it)',
      changelog([commit(1, { ...BOB_COMMIT, committerLogin: 'alice', pulls: [8] })], [BOBS_PR]),
      { kind: 'author', via: 'login', identity: 'alice', commit: '1111111' },
    ],
    [
      'her e-mail as author e-mail of a commit GitHub links to no account',
      changelog([commit(2, { authorEmail: 'ALICE@acme.example', pulls: [8] })], [BOBS_PR]),
      { kind: 'author', via: 'email', identity: 'ALICE@acme.example', commit: '2222222' },
    ],
    [
      'her e-mail as committer e-mail',
      changelog([commit(2, { ...BOB_COMMIT, committerEmail: 'alice@acme.example', pulls: [8] })], [BOBS_PR]),
      { kind: 'author', via: 'email', identity: 'alice@acme.example', commit: '2222222' },
    ],
    [
      'the review case: a commit under an unlinked personal e-mail in her own pull request',
      changelog(
        [commit(3, { authorName: 'Alice', authorEmail: 'alice.personal@gmail.example', pulls: [7] })],
        [pull(7, { authorLogin: 'alice' })],
      ),
      { kind: 'author', via: 'opened-pull', identity: 'alice', commit: '3333333', pull: 7 },
    ],
    [
      "Bob's commit in a pull request she opened",
      changelog([commit(4, { ...BOB_COMMIT, pulls: [9] })], [pull(9, { authorLogin: 'alice' })]),
      { kind: 'author', via: 'opened-pull', identity: 'alice', commit: '4444444', pull: 9 },
    ],
    [
      'a pull request she merged',
      changelog(
        [commit(5, { ...BOB_COMMIT, pulls: [8] })],
        [pull(8, { authorLogin: 'bob', mergedBy: 'alice' })],
      ),
      { kind: 'author', via: 'merged-pull', identity: 'alice', commit: '5555555', pull: 8 },
    ],
    [
      'her private noreply address on a commit GitHub returned no account for',
      changelog([commit(6, { authorEmail: '4242+alice@users.noreply.github.com', pulls: [8] })], [BOBS_PR]),
      { kind: 'author', via: 'login', identity: 'alice', commit: '6666666' },
    ],
    [
      'a definite link wins over another commit that is unknown',
      changelog([commit(1, { authorEmail: 'ghost@x.example' }), commit(2, { authorLogin: 'alice' })]),
      { kind: 'author', via: 'login', identity: 'alice', commit: '2222222' },
    ],
  ])('author: %s', (_label, log, expected) => {
    expect(findAuthorship(ALICE, log)).toEqual(expected);
  });

  it.each<[string, Changelog]>([
    ["Bob's commit in Bob's pull request", changelog([commit(1, { ...BOB_COMMIT, pulls: [8] })], [BOBS_PR])],
    [
      "a browser merge of Bob's pull request: GitHub's web-flow committer makes nobody an author",
      changelog(
        [commit(1, { ...BOB_COMMIT, ...WEB_FLOW, pulls: [8] })],
        [pull(8, { authorLogin: 'bob', mergedBy: 'bob' })],
      ),
    ],
    [
      "an unlinked commit is attributed through its pull request (Bob's)",
      changelog([commit(1, { authorEmail: 'bob.home@x.example', pulls: [8] })], [BOBS_PR]),
    ],
    ["Bob's direct push (in no pull request, but linked to his account)", changelog([commit(1, BOB_COMMIT)])],
    ['an empty change (the same revision again)', changelog([])],
  ])('not an author: %s', (_label, log) => {
    expect(findAuthorship(ALICE, log)).toEqual({ kind: 'not-author' });
  });

  it.each<[string, Changelog, Authorship]>([
    [
      'a commit linked to no account and in no pull request',
      changelog([commit(1, BOB_COMMIT), commit(2, { authorEmail: 'ghost@x.example' })]),
      { kind: 'unknown-change', why: 'no-account', commit: '2222222' },
    ],
    [
      'a commit whose pull requests were not looked up (lookup failed, or a card stored before)',
      changelog([commit(1, { ...BOB_COMMIT, pulls: undefined })]),
      { kind: 'unknown-change', why: 'pulls-unread', commit: '1111111' },
    ],
    [
      'a pull request number without its record',
      changelog([commit(1, { ...BOB_COMMIT, pulls: [99] })]),
      { kind: 'unknown-change', why: 'pulls-unread', commit: '1111111' },
    ],
    [
      'more commits than were read',
      changelog([commit(1, { ...BOB_COMMIT, pulls: [8] })], [BOBS_PR], 140),
      { kind: 'unknown-change', why: 'too-long', total: 140, read: 1 },
    ],
    [
      'the changelog could not be read',
      { ...changelog([]), available: false },
      { kind: 'unknown-change', why: 'unavailable' },
    ],
  ])('unknown: %s', (_label, log, expected) => {
    expect(findAuthorship(ALICE, log)).toEqual(expected);
  });

  it('an actor without a GitHub login cannot be compared with accounts or pull request authors', () => {
    const log = changelog([commit(1, { ...BOB_COMMIT, pulls: [8] })], [BOBS_PR]);
    expect(findAuthorship({ id: 'U0ALICE', emails: ['alice@acme.example'] }, log)).toEqual({
      kind: 'unknown-actor',
      why: 'no-login',
    });
    // ... but an e-mail match is still a match.
    const hers = changelog([commit(1, { authorEmail: 'alice@acme.example', pulls: [8] })], [BOBS_PR]);
    expect(findAuthorship({ id: 'U0ALICE', emails: ['alice@acme.example'] }, hers)).toMatchObject({
      kind: 'author',
      via: 'email',
    });
  });

  it('an unread Slack profile e-mail leaves the actor unknown unless something else ties her', () => {
    const log = changelog([commit(1, { ...BOB_COMMIT, pulls: [8] })], [BOBS_PR]);
    expect(findAuthorship({ ...ALICE, emailUnknown: true }, log)).toEqual({
      kind: 'unknown-actor',
      why: 'email-unread',
    });
    const mine = changelog([commit(1, { authorLogin: 'alice', pulls: [] })]);
    expect(findAuthorship({ ...ALICE, emailUnknown: true }, mine)).toMatchObject({ kind: 'author' });
  });

  it('takes `email` and every one of `emails`, case-insensitively', () => {
    const log = changelog([commit(1, { authorEmail: 'Old@Employer.example', pulls: [8] })], [BOBS_PR]);
    expect(
      findAuthorship({ id: 'U0ALICE', githubLogin: 'alice', email: 'old@employer.example' }, log),
    ).toMatchObject({ kind: 'author' });
    expect(
      findAuthorship(
        { id: 'U0ALICE', githubLogin: 'alice', emails: ['a@b.example', 'old@EMPLOYER.example'] },
        log,
      ),
    ).toMatchObject({ kind: 'author' });
  });
});

describe('approve: the self-approval refusal says why, naming the commit', () => {
  const reasonFor = (log: Changelog, actor: Actor = { ...ALICE, id: 'U0ALICE' }) => {
    const decision = decide(buildInput({ action: 'approve', actor }, { changelog: log }));
    if (decision.allowed) throw new Error('expected a refusal');
    expect(decision.rule).toBe('self-approval');
    return decision.reason;
  };

  it.each<[string, Changelog, string]>([
    [
      'her own pull request with an unlinked commit e-mail',
      changelog(
        [commit(3, { authorEmail: 'alice.personal@gmail.example', pulls: [7] })],
        [pull(7, { authorLogin: 'alice' })],
      ),
      'You opened pull request #7 (GitHub login alice), which holds commit 3333333 of this change and prod does not allow self-approval; ask another approver.',
    ],
    [
      'a pull request she merged',
      changelog(
        [commit(5, { ...BOB_COMMIT, pulls: [8] })],
        [pull(8, { authorLogin: 'bob', mergedBy: 'alice' })],
      ),
      'You merged pull request #8 (GitHub login alice), which holds commit 5555555',
    ],
    [
      'a commit she committed',
      changelog([commit(1, { ...BOB_COMMIT, committerLogin: 'alice', pulls: [] })]),
      'You authored or committed commit 1111111 of this change (GitHub login alice)',
    ],
    [
      'a commit in no pull request with no account',
      changelog([commit(2, { authorEmail: 'ghost@x.example' })]),
      'Commit 2222222 has an e-mail GitHub links to no account and is in no pull request, so who wrote it could not be verified and prod does not allow self-approval',
    ],
    [
      'a commit whose pull requests are unknown',
      changelog([commit(1, { ...BOB_COMMIT, pulls: undefined })]),
      'The pull requests of commit 1111111 could not be read',
    ],
    [
      'a change longer than deploybot reads',
      changelog([commit(1, { ...BOB_COMMIT })], [], 250),
      'This change has 250 commits and deploybot verifies the authors of at most 1',
    ],
  ])('%s', (_label, log, text) => {
    expect(reasonFor(log)).toContain(text);
  });

  it('refuses the unknown cases to everybody, not only to authors', () => {
    const ghost = changelog([commit(2, { authorEmail: 'ghost@x.example' })]);
    const decision = decide(
      buildInput(
        { action: 'approve', actor: { id: 'U0BOB', githubLogin: 'bob', emails: ['bob@acme.example'] } },
        { changelog: ghost },
      ),
    );
    expect(decision).toMatchObject({ allowed: false, rule: 'self-approval' });
  });

  it('escapes identities from GitHub in the reason', () => {
    const log = changelog([commit(1, { authorEmail: '<!here>@x.example', pulls: [] })]);
    expect(reasonFor(log, { id: 'U0ALICE', githubLogin: 'alice', emails: ['<!here>@x.example'] })).toContain(
      '&lt;!here&gt;@x.example',
    );
  });
});
