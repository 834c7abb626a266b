import type { FakeState } from '../fake-state.js';
import { serializeUser } from '../serialize/user.js';
import type { BuildWebhookOptions, FakeWebhookEvent, WebhookPayload } from '../types.js';
import {
  type BuiltEvent,
  buildCheckRun,
  buildCheckSuite,
  buildStatus,
  buildWorkflowRun,
} from './build-check-events.js';
import type { BuildContext } from './build-context.js';
import { buildDeployment, buildDeploymentStatus } from './build-deployment-events.js';
import { buildPullRequest, buildPush } from './build-git-events.js';
import { replaceInStrings } from './payload-access.js';
import { retargetRepository } from './retarget-payload.js';

const BUILDERS: Record<FakeWebhookEvent, (context: BuildContext) => BuiltEvent> = {
  workflow_run: buildWorkflowRun,
  check_suite: buildCheckSuite,
  check_run: buildCheckRun,
  status: buildStatus,
  push: buildPush,
  pull_request: buildPullRequest,
  deployment: buildDeployment,
  deployment_status: buildDeploymentStatus,
};

/**
 * A delivery body built from a real @octokit/webhooks-examples payload (or a derived one, see
 * derive-examples.ts) with our repository, sha, branch and outcome put in.
 */
export function buildWebhookPayload(
  state: FakeState,
  event: FakeWebhookEvent,
  options: BuildWebhookOptions,
): WebhookPayload {
  const repo = state.ensureRepo(options.repo);
  const branch = options.branch ?? repo.defaultBranch;
  const deployment = repo.deployments.find((candidate) => candidate.id === options.deploymentId);
  const sha = options.sha ?? deployment?.sha ?? repo.headOf(branch);
  if (!sha) {
    throw new Error(`buildWebhook(${event}) needs a sha: ${repo.fullName} has no branch ${branch} yet`);
  }
  const built = BUILDERS[event]({ state, repo, options, sha, branch });
  const retargeted = retargetRepository(built.payload, {
    owner: repo.owner,
    name: repo.name,
    fullName: repo.fullName,
    repoId: repo.id,
    defaultBranch: repo.defaultBranch,
    apiUrl: state.baseUrl,
    htmlUrl: state.htmlUrl,
    ownerAccount: serializeUser(state, repo.owner),
  });
  const payload = replaceInStrings(retargeted, [[built.exampleSha, built.sha ?? sha]]);
  if (options.sender) {
    payload.sender = { ...serializeUser(state, options.sender.login), type: options.sender.type };
  }
  return payload;
}
