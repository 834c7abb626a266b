import { notFound, validationFailed } from '../http/api-error.js';
import {
  optionalBoolean,
  optionalString,
  optionalStringArray,
  readObjectBody,
  requireString,
} from '../http/body-fields.js';
import { respondWithPage } from '../http/paging.js';
import type { Route, RouteContext } from '../http/router.js';
import type { DeploymentRecord, DeploymentState } from '../repo/records.js';
import type { RepoState } from '../repo/repo-state.js';
import { serializeDeployment, serializeDeploymentStatus } from '../serialize/deployment.js';
import { applyAutoMerge, checkRequiredContexts, resolveDeployRef } from './deployment-checks.js';
import { json, param, repoRoute } from './repo-route.js';

const DEPLOYMENT_STATES: readonly DeploymentState[] = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
];
const MAX_STATUS_DESCRIPTION = 140;

function findDeployment(context: RouteContext, repo: RepoState): DeploymentRecord {
  const id = Number(param(context, 'id'));
  const deployment = repo.deployments.find((candidate) => candidate.id === id);
  if (!deployment) throw notFound();
  return deployment;
}

function readPayload(body: Record<string, unknown>): Record<string, unknown> | string {
  const payload = body.payload;
  if (payload === undefined || payload === null) return {};
  if (typeof payload === 'string') return payload;
  if (typeof payload === 'object' && !Array.isArray(payload)) return payload as Record<string, unknown>;
  throw validationFailed([{ resource: 'Deployment', field: 'payload', code: 'invalid' }]);
}

function createDeployment(context: RouteContext, repo: RepoState) {
  const { state } = context;
  const body = readObjectBody(context.body);
  const ref = requireString(body, 'ref');
  const sha = resolveDeployRef(repo, ref);
  if (optionalBoolean(body, 'auto_merge') !== false) {
    const merged = applyAutoMerge(state, repo, ref, sha);
    if (merged) return merged;
  }
  checkRequiredContexts(repo, ref, sha, optionalStringArray(body, 'required_contexts'));
  const environment = optionalString(body, 'environment') ?? 'production';
  const now = state.timestamp();
  const deployment: DeploymentRecord = {
    id: state.nextId('deployment'),
    sha,
    ref,
    task: optionalString(body, 'task') ?? 'deploy',
    payload: readPayload(body),
    originalEnvironment: environment,
    environment,
    description: optionalString(body, 'description') ?? '',
    transientEnvironment: optionalBoolean(body, 'transient_environment') ?? false,
    productionEnvironment: optionalBoolean(body, 'production_environment') ?? environment === 'production',
    creatorLogin: state.actor.login,
    createdAt: now,
    updatedAt: now,
    statuses: [],
  };
  repo.deployments.push(deployment);
  state.onDeploymentWrite?.(repo, 'deployment', deployment.id);
  return json(serializeDeployment(state, repo, deployment), 201);
}

function readDeploymentState(value: string): DeploymentState {
  const known = DEPLOYMENT_STATES.find((candidate) => candidate === value);
  if (!known)
    throw validationFailed([{ resource: 'DeploymentStatus', field: 'state', code: 'invalid', value }]);
  return known;
}

// GitHub adds an inactive status to earlier non-transient, non-production deployments of the environment that were last successful.
function inactivatePrevious(context: RouteContext, repo: RepoState, current: DeploymentRecord) {
  const { state } = context;
  for (const earlier of repo.deployments) {
    if (earlier.id >= current.id || earlier.environment !== current.environment) continue;
    if (earlier.transientEnvironment || earlier.productionEnvironment) continue;
    const latest = earlier.statuses[earlier.statuses.length - 1];
    if (latest?.state !== 'success') continue;
    earlier.statuses.push({
      ...latest,
      id: state.nextId('deploymentStatus'),
      state: 'inactive',
      creatorLogin: state.actor.login,
      createdAt: state.timestamp(),
    });
  }
}

function createDeploymentStatus(context: RouteContext, repo: RepoState) {
  const { state } = context;
  const deployment = findDeployment(context, repo);
  const body = readObjectBody(context.body);
  const deploymentState = readDeploymentState(requireString(body, 'state'));
  const description = optionalString(body, 'description') ?? '';
  if (description.length > MAX_STATUS_DESCRIPTION) {
    throw validationFailed([
      {
        resource: 'DeploymentStatus',
        code: 'custom',
        field: 'description',
        message: `description is too long (maximum is ${MAX_STATUS_DESCRIPTION} characters)`,
      },
    ]);
  }
  const environment = optionalString(body, 'environment');
  if (environment) deployment.environment = environment;
  const status = {
    id: state.nextId('deploymentStatus'),
    state: deploymentState,
    description,
    environment: deployment.environment,
    logUrl: optionalString(body, 'log_url') ?? optionalString(body, 'target_url') ?? '',
    environmentUrl: optionalString(body, 'environment_url') ?? '',
    creatorLogin: state.actor.login,
    createdAt: state.timestamp(),
  };
  deployment.statuses.push(status);
  deployment.updatedAt = status.createdAt;
  if (deploymentState === 'success' && optionalBoolean(body, 'auto_inactive') !== false) {
    inactivatePrevious(context, repo, deployment);
  }
  state.onDeploymentWrite?.(repo, 'deployment_status', deployment.id);
  return json(serializeDeploymentStatus(state, repo, deployment, status), 201);
}

export const deploymentRoutes: Route[] = [
  repoRoute('GET', '/deployments', (context, repo) => {
    const { query } = context;
    const matches = repo.deployments
      .filter(
        (deployment) =>
          (query.sha === undefined || deployment.sha === query.sha) &&
          (query.ref === undefined || deployment.ref === query.ref) &&
          (query.task === undefined || deployment.task === query.task) &&
          (query.environment === undefined || deployment.environment === query.environment),
      )
      .reverse();
    const page = respondWithPage(context.url, matches);
    return {
      ...page,
      body: page.body.map((deployment) => serializeDeployment(context.state, repo, deployment)),
    };
  }),

  repoRoute('POST', '/deployments', createDeployment),

  repoRoute('GET', '/deployments/:id', (context, repo) =>
    json(serializeDeployment(context.state, repo, findDeployment(context, repo))),
  ),

  repoRoute('GET', '/deployments/:id/statuses', (context, repo) => {
    const deployment = findDeployment(context, repo);
    const page = respondWithPage(context.url, [...deployment.statuses].reverse());
    return {
      ...page,
      body: page.body.map((status) => serializeDeploymentStatus(context.state, repo, deployment, status)),
    };
  }),

  repoRoute('POST', '/deployments/:id/statuses', createDeploymentStatus),

  repoRoute('GET', '/deployments/:id/statuses/:statusId', (context, repo) => {
    const deployment = findDeployment(context, repo);
    const status = deployment.statuses.find(
      (candidate) => candidate.id === Number(param(context, 'statusId')),
    );
    if (!status) throw notFound();
    return json(serializeDeploymentStatus(context.state, repo, deployment, status));
  }),
];
