import type { WebhookPayload } from '../types.js';
import { type BuildContext, describeHeadCommit, firstParentOf } from './build-context.js';
import { pickExample } from './load-examples.js';
import { child, readString } from './payload-access.js';

/** A built event before the example's head sha is swapped for ours everywhere. */
export interface BuiltEvent {
  payload: WebhookPayload;
  exampleSha: string;
  /** What the example sha becomes; default the requested sha. */
  sha?: string;
}

function overlayHeadCommit(target: Record<string, unknown>, context: BuildContext): void {
  const head = describeHeadCommit(context, context.sha);
  if (head && typeof target.head_commit === 'object' && target.head_commit !== null) {
    target.head_commit = { ...(target.head_commit as object), ...head };
  }
}

export function buildWorkflowRun(context: BuildContext): BuiltEvent {
  const action = context.options.action ?? 'completed';
  const payload = pickExample(
    'workflow_run',
    (example) =>
      example.action === action &&
      (action !== 'completed' || child(example, 'workflow_run').conclusion === 'success'),
  );
  const run = child(payload, 'workflow_run');
  const exampleSha = readString(run, 'head_sha');
  run.head_branch = context.branch;
  run.pull_requests = [];
  if (action === 'completed') {
    run.status = 'completed';
    run.conclusion = context.options.conclusion ?? 'success';
  }
  if (context.options.name) {
    run.name = context.options.name;
    child(payload, 'workflow').name = context.options.name;
  }
  overlayHeadCommit(run, context);
  return { payload, exampleSha };
}

export function buildCheckSuite(context: BuildContext): BuiltEvent {
  const action = context.options.action ?? 'completed';
  const payload = pickExample('check_suite', (example) => example.action === action);
  const suite = child(payload, 'check_suite');
  const exampleSha = readString(suite, 'head_sha');
  suite.head_branch = context.branch;
  suite.before = firstParentOf(context, context.sha) ?? suite.before;
  suite.pull_requests = [];
  if (action === 'completed') {
    suite.status = 'completed';
    suite.conclusion = context.options.conclusion ?? 'success';
  }
  overlayHeadCommit(suite, context);
  return { payload, exampleSha };
}

export function buildCheckRun(context: BuildContext): BuiltEvent {
  const action = context.options.action ?? 'completed';
  const payload = pickExample(
    'check_run',
    (example) =>
      example.action === action &&
      (action !== 'completed' || child(example, 'check_run').conclusion === 'success'),
  );
  const run = child(payload, 'check_run');
  const exampleSha = readString(run, 'head_sha');
  run.pull_requests = [];
  if (context.options.name) run.name = context.options.name;
  if (action === 'completed') {
    run.status = 'completed';
    run.conclusion = context.options.conclusion ?? 'success';
  }
  const suite = child(run, 'check_suite');
  suite.head_branch = context.branch;
  suite.pull_requests = [];
  suite.before = firstParentOf(context, context.sha) ?? suite.before;
  return { payload, exampleSha };
}

export function buildStatus(context: BuildContext): BuiltEvent {
  const payload = pickExample('status', () => true);
  const exampleSha = readString(payload, 'sha');
  payload.state = context.options.state ?? 'success';
  if (context.options.name) payload.context = context.options.name;
  payload.branches = [
    {
      name: context.branch,
      commit: {
        sha: exampleSha,
        url: `${context.state.baseUrl}/repos/${context.repo.fullName}/commits/${exampleSha}`,
      },
      protected: false,
    },
  ];
  const head = describeHeadCommit(context, context.sha);
  const gitCommit = child(child(payload, 'commit'), 'commit');
  if (head) {
    gitCommit.message = head.message;
    gitCommit.author = { ...head.author, date: head.timestamp };
    gitCommit.committer = { ...head.committer, date: head.timestamp };
    gitCommit.tree = { ...child(gitCommit, 'tree'), sha: head.tree_id };
  }
  return { payload, exampleSha };
}
