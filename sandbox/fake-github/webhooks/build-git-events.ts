import { compareCommits } from '../git/history.js';
import type { PullRecord } from '../repo/records.js';
import { serializeUser } from '../serialize/user.js';
import type { BuiltEvent } from './build-check-events.js';
import { type BuildContext, firstParentOf } from './build-context.js';
import { deriveMergedPullRequestClosed, deriveOrdinaryPush } from './derive-examples.js';
import { pickExample } from './load-examples.js';
import { child, type JsonRecord, readString } from './payload-access.js';

// GitHub caps the commits listed in a push delivery.
const PUSH_COMMIT_CAP = 2048;

function describePushedCommit(context: BuildContext, sha: string, template: JsonRecord): JsonRecord {
  const { repo, state } = context;
  const commit = repo.requireCommit(sha);
  const parent = commit.parents[0];
  const before = parent ? repo.flatTreeOf(parent) : new Map();
  const after = repo.flatTreeOf(sha);
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const person = (signature: { name: string; email: string }, login: string | null) => ({
    name: signature.name,
    email: signature.email,
    ...(login ? { username: login } : {}),
  });
  return {
    ...template,
    id: sha,
    tree_id: commit.tree,
    distinct: true,
    message: commit.message,
    timestamp: commit.committer.date,
    url: `${state.htmlUrl}/${repo.fullName}/commit/${sha}`,
    author: person(commit.author, commit.authorLogin),
    committer: person(commit.committer, commit.committerLogin),
    added: paths.filter((path) => !before.has(path)),
    removed: paths.filter((path) => !after.has(path)),
    modified: paths.filter(
      (path) => before.has(path) && after.has(path) && before.get(path)?.sha !== after.get(path)?.sha,
    ),
  };
}

/** An ordinary push (derived example) whose commits come from the fake's history when it knows them. */
export function buildPush(context: BuildContext): BuiltEvent {
  const payload = deriveOrdinaryPush();
  const exampleSha = readString(payload, 'after');
  const exampleBefore = readString(payload, 'before');
  const before = context.options.before ?? firstParentOf(context, context.sha) ?? exampleBefore;
  payload.ref = `refs/heads/${context.branch}`;
  payload.before = before;
  payload.compare = `${context.state.htmlUrl}/${context.repo.fullName}/compare/${before.slice(0, 12)}...${exampleSha.slice(0, 12)}`;
  const template = (payload.commits as JsonRecord[])[0] ?? {};
  if (context.repo.objects.getCommit(context.sha) && context.repo.objects.getCommit(before)) {
    const shas = compareCommits(context.repo.objects, before, context.sha).ahead.slice(-PUSH_COMMIT_CAP);
    const commits = shas.map((sha) => describePushedCommit(context, sha, template));
    payload.commits = commits;
    payload.head_commit = commits[commits.length - 1] ?? null;
  }
  return { payload, exampleSha };
}

function findPull(context: BuildContext): PullRecord | undefined {
  const { number } = context.options;
  return context.repo.pulls.find((pull) =>
    number !== undefined
      ? pull.number === number
      : pull.mergeCommitSha === context.sha || pull.headSha === context.sha,
  );
}

/**
 * `closed` is the derived merged example unless `merged: false`; other actions use the real examples.
 * `branch` is the head branch here; explicit options win over the fake's pull request record.
 */
export function buildPullRequest(context: BuildContext): BuiltEvent {
  const { options, repo, state } = context;
  const action = options.action ?? 'closed';
  const record = findPull(context);
  const merged = options.merged ?? record?.merged ?? action === 'closed';
  const payload =
    action === 'closed' && merged
      ? deriveMergedPullRequestClosed()
      : pickExample('pull_request', (example) => example.action === action);
  const pull = child(payload, 'pull_request');
  const head = child(pull, 'head');
  const base = child(pull, 'base');
  const exampleSha = readString(head, 'sha');
  const number = options.number ?? record?.number ?? (payload.number as number);
  const baseRef = options.baseBranch ?? record?.baseRef ?? repo.defaultBranch;
  payload.number = number;
  Object.assign(pull, {
    number,
    title: options.title ?? record?.title ?? pull.title,
    merge_commit_sha: record?.mergeCommitSha ?? (merged ? exampleSha : pull.merge_commit_sha),
    commits: record?.commits.length ?? pull.commits,
  });
  if (record) pull.user = serializeUser(state, record.authorLogin);
  head.ref = options.branch ?? record?.headRef ?? head.ref;
  head.label = `${repo.owner}:${String(head.ref)}`;
  base.ref = baseRef;
  base.label = `${repo.owner}:${baseRef}`;
  base.sha = record?.baseSha ?? repo.headOf(baseRef) ?? base.sha;
  return record ? { payload, exampleSha, sha: record.headSha } : { payload, exampleSha };
}
