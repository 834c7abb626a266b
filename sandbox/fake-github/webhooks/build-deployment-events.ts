import type { DeploymentRecord } from '../repo/records.js';
import { serializeDeployment, serializeDeploymentStatus } from '../serialize/deployment.js';
import { serializeUser } from '../serialize/user.js';
import type { BuiltEvent } from './build-check-events.js';
import type { BuildContext } from './build-context.js';
import { pickExample } from './load-examples.js';
import { child, type JsonRecord, readString } from './payload-access.js';

// A recorded deployment was made through the API, so its events come from that account (a bot's own events).
function findDeployment(context: BuildContext, payload: JsonRecord): DeploymentRecord | undefined {
  const { deploymentId } = context.options;
  if (deploymentId === undefined) return undefined;
  const deployment = context.repo.deployments.find((candidate) => candidate.id === deploymentId);
  if (!deployment) throw new Error(`${context.repo.fullName} has no deployment ${deploymentId}`);
  payload.sender = serializeUser(context.state, deployment.creatorLogin);
  return deployment;
}

/** The example's deployment with ours laid over it (the fake's record when there is one). */
function fillDeployment(
  context: BuildContext,
  deployment: JsonRecord,
  record: DeploymentRecord | undefined,
): void {
  if (record) {
    Object.assign(deployment, serializeDeployment(context.state, context.repo, record));
    return;
  }
  const environment = context.options.environment ?? 'production';
  Object.assign(deployment, {
    ref: context.options.branch ?? context.sha,
    environment,
    original_environment: environment,
    production_environment: environment === 'production',
  });
}

export function buildDeployment(context: BuildContext): BuiltEvent {
  const action = context.options.action ?? 'created';
  const payload = pickExample('deployment', (example) => example.action === action);
  const deployment = child(payload, 'deployment');
  const exampleSha = readString(deployment, 'sha');
  const record = findDeployment(context, payload);
  fillDeployment(context, deployment, record);
  return { payload, exampleSha, ...(record ? { sha: record.sha } : {}) };
}

export function buildDeploymentStatus(context: BuildContext): BuiltEvent {
  const action = context.options.action ?? 'created';
  const payload = pickExample(
    'deployment_status',
    (example) => example.action === action && child(example, 'deployment_status').state === 'success',
  );
  const deployment = child(payload, 'deployment');
  const status = child(payload, 'deployment_status');
  const exampleSha = readString(deployment, 'sha');
  const record = findDeployment(context, payload);
  fillDeployment(context, deployment, record);
  const latest = record?.statuses[record.statuses.length - 1];
  if (record && latest)
    Object.assign(status, serializeDeploymentStatus(context.state, context.repo, record, latest));
  else status.environment = deployment.environment;
  if (context.options.state) status.state = context.options.state;
  return { payload, exampleSha, ...(record ? { sha: record.sha } : {}) };
}
