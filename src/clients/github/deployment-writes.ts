import type { Octokit } from 'octokit';
import { writeOnce } from './write-once.js';

// The shapes of github-client.ts's DeploymentInput, DeploymentStatusInput and RepoRef, restated so that
// this file (which that one calls) does not import it back.
interface RepoRef {
  owner: string;
  name: string;
}

interface DeploymentInput {
  sha: string;
  environment: string;
  production: boolean;
  description: string;
  payload?: Record<string, unknown>;
}

interface DeploymentStatusInput {
  state: 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';
  logUrl?: string;
  environmentUrl?: string;
  description?: string;
}

const MAX_DESCRIPTION = 140;

function payloadOf(payload: unknown): Record<string, unknown> | undefined {
  if (typeof payload === 'string') {
    try {
      return JSON.parse(payload) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
}

/**
 * Is `found` the deployment `input` makes? The card id in the payload identifies it (deploybot records
 * one deployment per card); without one, the same ref and description.
 */
function isThisDeployment(
  found: { ref: string; description?: string | null; payload: unknown },
  input: DeploymentInput,
): boolean {
  const marker = input.payload?.cardId;
  if (typeof marker === 'string') return payloadOf(found.payload)?.cardId === marker;
  return found.ref === input.sha && (found.description ?? '') === input.description.slice(0, MAX_DESCRIPTION);
}

/**
 * One deployment per input, however often this is called or its answer lost: deployments for the sha
 * and environment are looked at first (an earlier attempt, here or on another replica, may have made it
 * although it failed), and again after an ambiguous failure before anything is sent again.
 */
export async function createDeploymentOnce(
  octokit: Octokit,
  repo: RepoRef,
  input: DeploymentInput,
): Promise<number> {
  const find = async (): Promise<number | undefined> => {
    const { data } = await octokit.rest.repos.listDeployments({
      owner: repo.owner,
      repo: repo.name,
      sha: input.sha,
      environment: input.environment,
      per_page: 100,
    });
    return data.find((d) => isThisDeployment(d, input))?.id;
  };
  if (typeof input.payload?.cardId === 'string') {
    const existing = await find();
    if (existing !== undefined) return existing;
  }
  return writeOnce(async () => {
    const response = await octokit.rest.repos.createDeployment({
      owner: repo.owner,
      repo: repo.name,
      ref: input.sha,
      environment: input.environment,
      auto_merge: false,
      required_contexts: [],
      production_environment: input.production,
      transient_environment: false,
      description: input.description.slice(0, MAX_DESCRIPTION),
      payload: input.payload ?? {},
    });
    const data = response.data as { id?: number; message?: string };
    if (typeof data.id !== 'number')
      throw new Error(`GitHub did not create the deployment: ${data.message ?? response.status}`);
    return data.id;
  }, find);
}

/**
 * A deployment status, sent again only when a look after an ambiguous failure shows that it is not
 * there: the deployment's latest status already saying the same (state and description) counts as made.
 */
export async function createDeploymentStatusOnce(
  octokit: Octokit,
  repo: RepoRef,
  deploymentId: number,
  input: DeploymentStatusInput,
): Promise<void> {
  const description = input.description?.slice(0, MAX_DESCRIPTION);
  await writeOnce(
    async () => {
      await octokit.rest.repos.createDeploymentStatus({
        owner: repo.owner,
        repo: repo.name,
        deployment_id: deploymentId,
        state: input.state,
        log_url: input.logUrl,
        environment_url: input.environmentUrl,
        description,
        auto_inactive: true,
      });
      return true;
    },
    async () => {
      const { data } = await octokit.rest.repos.listDeploymentStatuses({
        owner: repo.owner,
        repo: repo.name,
        deployment_id: deploymentId,
        per_page: 1,
      });
      const latest = data[0];
      return latest && latest.state === input.state && (latest.description ?? '') === (description ?? '')
        ? true
        : undefined;
    },
  );
}
