import type { FakeState } from '../fake-state.js';
import type { DeploymentRecord, DeploymentStatusRecord } from '../repo/records.js';
import type { RepoState } from '../repo/repo-state.js';
import { nodeId, repoApiUrl } from './urls.js';
import { serializeUser } from './user.js';

export function serializeDeployment(state: FakeState, repo: RepoState, deployment: DeploymentRecord) {
  const api = repoApiUrl(state, repo);
  const url = `${api}/deployments/${deployment.id}`;
  return {
    url,
    id: deployment.id,
    node_id: nodeId('Deployment', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.originalEnvironment,
    environment: deployment.environment,
    description: deployment.description,
    creator: serializeUser(state, deployment.creatorLogin),
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
    statuses_url: `${url}/statuses`,
    repository_url: api,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: null,
  };
}

export function serializeDeploymentStatus(
  state: FakeState,
  repo: RepoState,
  deployment: DeploymentRecord,
  status: DeploymentStatusRecord,
) {
  const api = repoApiUrl(state, repo);
  const deploymentUrl = `${api}/deployments/${deployment.id}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId('DeploymentStatus', status.id),
    state: status.state,
    creator: serializeUser(state, status.creatorLogin),
    description: status.description,
    environment: status.environment,
    // `log_url` replaced `target_url`; GitHub still fills both.
    target_url: status.logUrl,
    log_url: status.logUrl,
    environment_url: status.environmentUrl,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: deploymentUrl,
    repository_url: api,
    performed_via_github_app: null,
  };
}
