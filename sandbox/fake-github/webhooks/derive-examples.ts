import type { WebhookPayload } from '../types.js';
import { pickExample } from './load-examples.js';
import { child, type JsonRecord, readString } from './payload-access.js';

/*
 * DERIVED payloads. @octokit/webhooks-examples 7.6.1 has no pull_request with `merged: true` and no
 * push with both `before` and `after` non-zero. These two functions fill the gaps by editing the
 * closest real example; nothing here was captured from GitHub. The same output is saved as
 * test/fixtures/github/{pull_request.closed.merged,push.ordinary}.json (see the README there).
 */

const ZERO_SHA = '0000000000000000000000000000000000000000';

/** From the first `pull_request` / `closed` example (Codertocat/Hello-World#2, merged:false): marked merged. */
export function deriveMergedPullRequestClosed(): WebhookPayload {
  const payload = pickExample('pull_request', (example) => example.action === 'closed');
  const pull = child(payload, 'pull_request');
  pull.merged = true;
  pull.merged_at = readString(pull, 'closed_at');
  pull.merged_by = structuredClone(child(pull, 'user'));
  // GitHub stops computing mergeability once a pull request is merged.
  pull.mergeable = null;
  pull.rebaseable = null;
  pull.mergeable_state = 'unknown';
  return payload;
}

/**
 * From the first branch push example (refs/heads/master creating the branch with "Initial commit"
 * 6113728…): turned into a second push on that branch. The new commit is the "Update README.md"
 * commit ec26c3e… that the `check_suite` examples of the same repository report.
 */
export function deriveOrdinaryPush(): WebhookPayload {
  const payload = pickExample(
    'push',
    (example) => String(example.ref).startsWith('refs/heads/') && example.before === ZERO_SHA,
  );
  const suiteHead = child(
    child(
      pickExample('check_suite', (example) => example.action === 'completed'),
      'check_suite',
    ),
    'head_commit',
  );
  const before = readString(payload, 'after');
  const after = readString(suiteHead, 'id');
  const firstCommit = (payload.commits as JsonRecord[])[0];
  if (!firstCommit) throw new Error('the push example has no commits');
  const commitUrl = readString(firstCommit, 'url').replace(before, after);
  const commit: JsonRecord = {
    ...structuredClone(firstCommit),
    id: after,
    tree_id: readString(suiteHead, 'tree_id'),
    message: readString(suiteHead, 'message'),
    timestamp: readString(suiteHead, 'timestamp'),
    url: commitUrl,
    added: [],
    removed: [],
    modified: ['README.md'],
  };
  payload.before = before;
  payload.after = after;
  payload.created = false;
  payload.deleted = false;
  payload.forced = false;
  payload.compare = readString(payload, 'compare').replace(
    `/commit/${before}`,
    `/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
  );
  payload.commits = [commit];
  payload.head_commit = structuredClone(commit);
  return payload;
}
